/**
 * Relationships from authoritative records, over the API: a school MIS pushes its roll and a
 * community trust its caseload (snapshots, starters and leavers, with dates); the hub starts and
 * ends involvements on those dates with their source and who asserted them, holds unknown
 * children for EH DAS, and answers RECEIVED whatever it matched.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { involvements, pendingMatches } from '../schema';
import { addDays } from '../src/shared/calendar';
import { partnershipDate } from '../src/shared/clock';
import { syntheticUpn } from '../seeds/synthetic';
import { heldFor } from './feeds-support';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

const ROLL = 'mutation ($input: PushSchoolRollInput!) { pushSchoolRoll(input: $input) { status receiptId } }';
const CASELOAD =
  'mutation ($input: PushHealthCaseloadInput!) { pushHealthCaseload(input: $input) { status receiptId } }';
const READ = 'query ($id: ID) { child(id: $id) { id givenName } }';

const shape = (res: GraphQLResponse) =>
  JSON.stringify({ data: res.data, errors: res.errors }).replace(/"receiptId":"[^"]+"/g, '"receiptId":"…"');

describe('roll and caseload pushes', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let trust: string;
  let mis: string;
  let dsl: string;
  let trustSystem: string;
  let healthVisitor: string;
  let screener: string;
  let a: { id: string; nhsNumber: string; upn: string };
  let b: { id: string; nhsNumber: string; upn: string };
  const today = partnershipDate(new Date());
  const monthAgo = addDays(today, -30);

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    trust = await f.org('trust', 'health');
    const council = await f.org('council', 'council_early_help');
    a = await f.child();
    b = await f.child();
    mis = await t.token({ role: 'school_staff', org: school, sub: 'mis-plugin', clientId: 'school-mis' });
    dsl = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-1' });
    trustSystem = await t.token({ role: 'health_system', org: trust, sub: 'trust-epr' });
    healthVisitor = await t.token({ role: 'health_visitor', org: trust, sub: 'hv-1' });
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-1' });
  });
  afterAll(() => t.close());

  const rollOf = async (childId: string) =>
    t.database.db
      .select()
      .from(involvements)
      .where(
        and(
          eq(involvements.childId, childId),
          eq(involvements.organisationId, school),
          eq(involvements.kind, 'on_roll'),
        ),
      );

  it("puts a snapshot's pupils on the roll from its date, with source and who asserted it, and holds an unknown UPN", async () => {
    expect((await t.post(dsl, READ, { id: a.id })).errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const unknownUpn = syntheticUpn(9123, 16, 7);
    const res = await t.post(mis, ROLL, {
      input: {
        reference: 'roll-1',
        kind: 'SNAPSHOT',
        effectiveDate: monthAgo,
        pupils: [
          { upn: a.upn },
          { upn: b.upn },
          { upn: unknownUpn, child: { givenName: 'Unheard', familyName: 'Of', dateOfBirth: '2016-01-01' } },
        ],
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.pushSchoolRoll).toMatchObject({ status: 'RECEIVED', receiptId: expect.any(String) });
    expect(await rollOf(a.id)).toEqual([
      expect.objectContaining({
        startedOn: monthAgo,
        endedOn: null,
        source: 'mis_roll',
        assertedBySubject: 'mis-plugin',
      }),
    ]);
    expect((await t.post(dsl, READ, { id: a.id })).data.child.id).toBe(a.id);
    const held = await heldFor(t, res.data.pushSchoolRoll.receiptId);
    const [row] = await t.database.db.select().from(pendingMatches).where(eq(pendingMatches.id, held!));
    expect(row).toMatchObject({ feed: 'roll', reason: 'no_match', organisationId: school });
  });

  it('is idempotent on the reference; different content under it is a CONFLICT', async () => {
    const input = {
      reference: 'roll-1',
      kind: 'SNAPSHOT',
      effectiveDate: monthAgo,
      pupils: [
        { upn: a.upn },
        { upn: b.upn },
        {
          upn: syntheticUpn(9123, 16, 7),
          child: { givenName: 'Unheard', familyName: 'Of', dateOfBirth: '2016-01-01' },
        },
      ],
    };
    const before = await t.database.db.$count(involvements);
    expect((await t.post(mis, ROLL, { input })).errors).toBeUndefined();
    expect(await t.database.db.$count(involvements)).toBe(before);
    expect(
      (await t.post(mis, ROLL, { input: { ...input, pupils: [{ upn: a.upn }] } })).errors?.[0]?.extensions?.code,
    ).toBe('CONFLICT');
  });

  it('ends the roll of a pupil left out of a later snapshot the day before it', async () => {
    const res = await t.post(mis, ROLL, {
      input: { reference: 'roll-2', kind: 'SNAPSHOT', effectiveDate: today, pupils: [{ upn: a.upn }] },
    });
    expect(res.errors).toBeUndefined();
    expect(await rollOf(b.id)).toEqual([expect.objectContaining({ startedOn: monthAgo, endedOn: addDays(today, -1) })]);
    expect((await t.post(dsl, READ, { id: b.id })).errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    expect((await t.post(dsl, READ, { id: a.id })).data.child.id).toBe(a.id);
  });

  it('takes starters and leavers on their dates, and answers the same for a known and an unknown UPN', async () => {
    const leaver = await t.post(mis, ROLL, {
      input: {
        reference: 'roll-3',
        kind: 'CHANGES',
        effectiveDate: today,
        pupils: [{ upn: a.upn, leftOn: addDays(today, -1) }],
      },
    });
    const starter = await t.post(mis, ROLL, {
      input: { reference: 'roll-4', kind: 'CHANGES', effectiveDate: today, pupils: [{ upn: b.upn }] },
    });
    const stranger = await t.post(mis, ROLL, {
      input: {
        reference: 'roll-5',
        kind: 'CHANGES',
        effectiveDate: today,
        pupils: [{ upn: syntheticUpn(9124, 16, 8) }],
      },
    });
    expect(shape(stranger)).toBe(shape(starter));
    expect(shape(leaver)).toBe(shape(starter));
    expect((await rollOf(a.id))[0]).toMatchObject({ endedOn: addDays(today, -1) });
    expect((await rollOf(b.id)).find((r) => r.endedOn === null)).toMatchObject({
      startedOn: today,
      source: 'mis_roll',
    });
    expect((await t.post(dsl, READ, { id: a.id })).errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
  });

  it('refuses a leaver in a snapshot and a repeated UPN, naming the field and storing nothing', async () => {
    const before = await t.database.db.$count(involvements);
    const leaving = await t.post(mis, ROLL, {
      input: { reference: 'roll-bad', kind: 'SNAPSHOT', effectiveDate: today, pupils: [{ upn: a.upn, leftOn: today }] },
    });
    expect(leaving.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pupils[0].leftOn' });
    const twice = await t.post(mis, ROLL, {
      input: { reference: 'roll-bad', kind: 'CHANGES', effectiveDate: today, pupils: [{ upn: a.upn }, { upn: a.upn }] },
    });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pupils[1].upn' });
    expect(await t.database.db.$count(involvements)).toBe(before);
    const notMis = await t.post(trustSystem, ROLL, {
      input: { reference: 'roll-x', kind: 'CHANGES', effectiveDate: today, pupils: [{ upn: a.upn }] },
    });
    expect(notMis.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('puts a held pupil on the roll when EH DAS resolves the match', async () => {
    const c = await f.child({ upn: null });
    const upn = syntheticUpn(9125, 16, 9);
    const res = await t.post(mis, ROLL, {
      input: { reference: 'roll-6', kind: 'CHANGES', effectiveDate: today, pupils: [{ upn }] },
    });
    const held = await heldFor(t, res.data.pushSchoolRoll.receiptId);
    const resolved = await t.post(
      screener,
      'mutation ($id: ID!, $c: ID) { resolvePendingMatch(id: $id, childId: $c) { status } }',
      { id: held, c: c.id },
      'screening',
    );
    expect(resolved.errors).toBeUndefined();
    expect(await rollOf(c.id)).toEqual([expect.objectContaining({ startedOn: today, source: 'mis_roll' })]);
  });

  it('gives a trust its caseload from its own push, and ends it', async () => {
    expect((await t.post(healthVisitor, READ, { id: a.id })).errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const res = await t.post(trustSystem, CASELOAD, {
      input: { reference: 'cl-1', kind: 'SNAPSHOT', effectiveDate: monthAgo, children: [{ nhsNumber: a.nhsNumber }] },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.pushHealthCaseload.status).toBe('RECEIVED');
    expect((await t.post(healthVisitor, READ, { id: a.id })).data.child.id).toBe(a.id);
    await t.post(trustSystem, CASELOAD, {
      input: { reference: 'cl-2', kind: 'SNAPSHOT', effectiveDate: today, children: [] },
    });
    expect((await t.post(healthVisitor, READ, { id: a.id })).errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const [row] = await t.database.db
      .select()
      .from(involvements)
      .where(and(eq(involvements.childId, a.id), eq(involvements.organisationId, trust)));
    expect(row).toMatchObject({
      kind: 'caseload',
      source: 'health_caseload',
      assertedBySubject: 'trust-epr',
      endedOn: addDays(today, -1),
    });
  });
});
