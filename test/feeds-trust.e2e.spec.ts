/**
 * A feed post grants nothing and reveals nothing. `postHealthUpdate` and `notifyPoliceIncident`
 * answer RECEIVED with a receipt id, the same body whether the child is known, on a roll, held or
 * unknown; neither creates a relationship that lets the poster's people read the child — except the
 * police notification's narrow link, which counts for the Operation Encompass purpose only and ends.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthUpdates, involvements, pendingMatches } from '../schema';
import { addDays } from '../src/shared/calendar';
import { partnershipDate } from '../src/shared/clock';
import { syntheticNhsNumber } from '../seeds/synthetic';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

const HEALTH = 'mutation ($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { status receiptId } }';
const POLICE =
  'mutation ($input: NotifyPoliceIncidentInput!) { notifyPoliceIncident(input: $input) { status receiptId } }';
const READ = 'query ($n: String) { child(nhsNumber: $n) { id addressLine nhsNumber upn } }';

/** The body a client sees, without what differs on every request (request id, receipt id). */
function bodyShape(res: GraphQLResponse): unknown {
  const { extensions, ...rest } = res as GraphQLResponse & { extensions?: Record<string, unknown> };
  return JSON.parse(JSON.stringify(rest).replace(/"receiptId":"[^"]+"/g, '"receiptId":"…"'));
}

describe('feed posts grant nothing and reveal nothing', () => {
  let t: TestHub;
  let f: Fixture;
  let trust: string;
  let police: string;
  let school: string;
  let healthSystem: string;
  let healthVisitor: string;
  let policeSystem: string;
  let officer: string;
  let pupil: { id: string; nhsNumber: string; upn: string };
  let notOnRoll: { id: string; nhsNumber: string; upn: string };
  let untraced: { id: string; nhsNumber: string; upn: string };

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    trust = await f.org('trust', 'health');
    police = await f.org('police', 'police');
    school = await f.org('school', 'school');
    await f.org('council', 'council_early_help');
    pupil = await f.child({ givenName: 'Ada', familyName: 'Quillfeather', dateOfBirth: '2016-03-03' });
    await f.involve(pupil.id, school, 'on_roll');
    notOnRoll = await f.child({ givenName: 'Bea', familyName: 'Quillfeather', dateOfBirth: '2017-04-04' });
    untraced = await f.child({ nhsNumberTraced: false });
    healthSystem = await t.token({ role: 'health_system', org: trust, sub: 'trust-epr' });
    healthVisitor = await t.token({ role: 'health_visitor', org: trust, sub: 'hv-1' });
    policeSystem = await t.token({ role: 'police_system', org: police, sub: 'force-system' });
    officer = await t.token({ role: 'police_officer', org: police, sub: 'officer-1' });
  });
  afterAll(() => t.close());

  it('answers a health update with the same receipt for a known, an untraced and an unknown NHS number', async () => {
    const post = (recordId: string, nhsNumber: string) =>
      t.post(healthSystem, HEALTH, {
        input: {
          recordId,
          nhsNumber,
          level: 'UNIVERSAL_PLUS',
          effectiveDate: '2026-01-10',
          contactType: 'home visit',
          summary: 'Contact',
        },
      });
    const known = await post('trust-known', pupil.nhsNumber);
    const held = await post('trust-untraced', untraced.nhsNumber);
    const unknown = await post('trust-unknown', syntheticNhsNumber(991_234));
    expect(known.status).toBe(200);
    expect(known.data.postHealthUpdate).toMatchObject({ status: 'RECEIVED', receiptId: expect.any(String) });
    expect(JSON.stringify(known)).not.toContain(pupil.id);
    expect(bodyShape(held)).toEqual(bodyShape(known));
    expect(bodyShape(unknown)).toEqual(bodyShape(known));
    // The update still reaches the record, and the unmatched ones EH DAS's queue.
    expect(await t.database.db.$count(healthUpdates, eq(healthUpdates.childId, pupil.id))).toBe(1);
    expect(await t.database.db.$count(pendingMatches, eq(pendingMatches.organisationId, trust))).toBe(2);
  });

  it('shows held submissions (names, dates of birth, postcodes) to EH DAS screening only, not to an admin', async () => {
    const council = await f.org('council-admin', 'council_early_help');
    const admin = await t.token({ role: 'admin', org: council, sub: 'hub-admin' });
    const res = await t.post(admin, '{ pendingMatches { id } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-held' });
    expect(
      (await t.post(screener, '{ pendingMatches { id } }', {}, 'screening')).data.pendingMatches.length,
    ).toBeGreaterThan(0);
  });

  it('gives the posting trust no relationship: its health visitor reads nothing of the child', async () => {
    expect(
      await t.database.db.$count(
        involvements,
        and(eq(involvements.childId, pupil.id), eq(involvements.organisationId, trust)),
      ),
    ).toBe(0);
    const read = await t.post(healthVisitor, READ, { n: pupil.nhsNumber });
    expect(read.data?.child ?? null).toBeNull();
    expect(read.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const stranger = await t.post(healthVisitor, READ, { n: syntheticNhsNumber(991_235) });
    expect(
      bodyShape({ ...read, errors: read.errors?.map(({ extensions, ...e }) => ({ ...e, code: extensions?.code })) }),
    ).toEqual(
      bodyShape({
        ...stranger,
        errors: stranger.errors?.map(({ extensions, ...e }) => ({ ...e, code: extensions?.code })),
      }),
    );
  });

  it('answers a police notification with the same receipt whether the children are on a roll, on none, or unknown', async () => {
    const notify = (ref: string, child: Record<string, unknown>) =>
      t.post(policeSystem, POLICE, {
        input: {
          policeReference: ref,
          occurredAt: '2026-01-10T22:30:00Z',
          location: 'Home address',
          circumstances: 'Domestic incident',
          children: [{ ...child, present: false }],
        },
      });
    const onRoll = await notify('ref-on-roll', {
      givenName: 'Ada',
      familyName: 'Quillfeather',
      dateOfBirth: '2016-03-03',
    });
    const noRoll = await notify('ref-no-roll', {
      givenName: 'Bea',
      familyName: 'Quillfeather',
      dateOfBirth: '2017-04-04',
    });
    const nobody = await notify('ref-nobody', {
      givenName: 'Cal',
      familyName: 'Nobodyknows',
      dateOfBirth: '2015-05-05',
    });
    expect(onRoll.data.notifyPoliceIncident).toMatchObject({ status: 'RECEIVED', receiptId: expect.any(String) });
    expect(JSON.stringify(onRoll)).not.toMatch(new RegExp(`${pupil.id}|school_dsl|early_help_team`));
    expect(bodyShape(noRoll)).toEqual(bodyShape(onRoll));
    expect(bodyShape(nobody)).toEqual(bodyShape(onRoll));
  });

  it('links the force to a notified child for Operation Encompass only, and only for a limited time', async () => {
    const [link] = await t.database.db
      .select()
      .from(involvements)
      .where(and(eq(involvements.childId, notOnRoll.id), eq(involvements.organisationId, police)));
    const today = partnershipDate(new Date());
    expect(link).toMatchObject({ kind: 'operation_encompass', startedOn: today, endedOn: addDays(today, 28) });
    for (const purpose of ['direct_support', 'safeguarding']) {
      const read = await t.post(officer, READ, { n: notOnRoll.nhsNumber }, purpose);
      expect(read.data?.child ?? null).toBeNull();
      expect(read.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    }
    const encompass = await t.post(
      officer,
      'query ($n: String) { child(nhsNumber: $n) { id addressLine } }',
      { n: notOnRoll.nhsNumber },
      'operation_encompass',
    );
    expect(encompass.data.child.id).toBe(notOnRoll.id);
    // The address needs consent even then: the link is not a general one.
    expect(encompass.data.child.addressLine).toBeNull();
  });
});
