/**
 * Onboarding partners over GraphQL (admin only): organisations created and updated (kind,
 * cluster, Designated Safeguarding Lead), term dates set for a school or the local authority
 * calendar — the closures police notification deadlines roll over. Bad input is refused naming
 * the field with nothing changed; every change leaves an admin_changes row.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminChanges, organisations } from '../schema';
import { closuresBetween } from '../src/feeds/relations.repo';
import { LA_CALENDAR_ID } from '../src/organisation/organisation-admin.service';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const CREATE = `mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id name kind cluster externalCode designatedSafeguardingLeadId } }`;
const UPDATE = `mutation ($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { id name kind cluster externalCode designatedSafeguardingLeadId } }`;
const TERMS = `mutation ($input: SetTermDatesInput!) { setTermDates(input: $input) { firstDay lastDay label } }`;

describe('organisations and term dates (admin)', () => {
  let t: TestHub;
  let f: Fixture;
  let council: string;
  let admin: string;
  const changes = (id: string) =>
    t.database.db.select().from(adminChanges).where(eq(adminChanges.entityId, id)).orderBy(adminChanges.occurredAt);
  const field = (res: { errors?: { extensions?: Record<string, any> }[] }) => [
    res.errors?.[0]?.extensions?.code,
    res.errors?.[0]?.extensions?.field,
  ];

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    council = await f.org('council', 'council_early_help');
    admin = await t.token({ role: 'admin', org: council, sub: 'admin-onboarding' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers concurrent creates and service-account revocations without a server error', async () => {
    // Neither has a unique key to race for (organisations are told apart by id, a revocation is a
    // history row), so each concurrent request is its own success, audited once.
    const created = await Promise.all(
      [0, 1, 2].map(() => t.post(admin, CREATE, { input: { name: 'Synthetic Twin Primary', kind: 'school' } })),
    );
    expect(created.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    const ids = created.map((r) => r.data.createOrganisation.id as string);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect((await changes(id)).map((r) => r.action)).toEqual(['organisation.create']);
    const REVOKE = `mutation { revokeServiceAccount(clientId: "twin-mis", reason: "leaked") }`;
    const revoked = await Promise.all([0, 1, 2].map(() => t.post(admin, REVOKE)));
    expect(revoked.map((r) => r.errors?.[0]?.extensions?.code ?? null)).toEqual([null, null, null]);
  });

  it('creates and updates an organisation, with its Designated Safeguarding Lead, audited', async () => {
    const created = await t.post(admin, CREATE, {
      input: { name: 'Synthetic Primary', kind: 'school', cluster: 'east', externalCode: '8562001' },
    });
    expect(created.errors).toBeUndefined();
    const school = created.data.createOrganisation;
    expect(school).toMatchObject({
      name: 'Synthetic Primary',
      kind: 'school',
      cluster: 'east',
      externalCode: '8562001',
      designatedSafeguardingLeadId: null,
    });

    const dsl = await f.practitioner(school.id, 'dsl-of-synthetic-primary', 'school_dsl');
    const updated = await t.post(admin, UPDATE, {
      input: { id: school.id, cluster: 'west', designatedSafeguardingLeadId: dsl },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateOrganisation).toMatchObject({
      cluster: 'west',
      externalCode: '8562001',
      designatedSafeguardingLeadId: dsl,
    });

    // Someone else's practitioner cannot be this school's lead; a kind its DSL's role cannot exist in is refused.
    const outsider = await f.practitioner(council, 'council-worker', 'family_support_manager');
    expect(
      field(await t.post(admin, UPDATE, { input: { id: school.id, designatedSafeguardingLeadId: outsider } })),
    ).toEqual(['BAD_USER_INPUT', 'designatedSafeguardingLeadId']);
    expect(field(await t.post(admin, UPDATE, { input: { id: school.id, kind: 'police' } }))).toEqual([
      'BAD_USER_INPUT',
      'kind',
    ]);
    expect(field(await t.post(admin, UPDATE, { input: { id: school.id, name: '  ' } }))).toEqual([
      'BAD_USER_INPUT',
      'name',
    ]);
    const [row] = await t.database.db.select().from(organisations).where(eq(organisations.id, school.id));
    expect(row).toMatchObject({
      kind: 'school',
      cluster: 'west',
      name: 'Synthetic Primary',
      designatedSafeguardingLeadId: dsl,
    });

    const rows = await changes(school.id);
    expect(rows.map((r) => [r.action, r.fields])).toEqual([
      ['organisation.create', ['cluster', 'externalCode', 'kind', 'name']],
      ['organisation.update', ['cluster', 'designatedSafeguardingLeadId']],
    ]);
    expect(rows.every((r) => r.callerSubject === 'admin-onboarding' && r.channel === 'graphql')).toBe(true);
  });

  it('refuses bad input naming the field, and anyone but an admin', async () => {
    expect(field(await t.post(admin, CREATE, { input: { name: '', kind: 'school' } }))).toEqual([
      'BAD_USER_INPUT',
      'name',
    ]);
    expect(field(await t.post(admin, CREATE, { input: { name: 'x'.repeat(201), kind: 'school' } }))).toEqual([
      'BAD_USER_INPUT',
      'name',
    ]);
    expect(field(await t.post(admin, UPDATE, { input: { id: 'not-an-id', name: 'X' } }))).toEqual([
      'BAD_USER_INPUT',
      'id',
    ]);
    const dpo = await t.token({ role: 'dpo', org: council });
    const refused = await t.post(dpo, CREATE, { input: { name: 'By a DPO', kind: 'voluntary' } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await t.database.db.select().from(organisations).where(eq(organisations.name, 'By a DPO'))).toEqual([]);
  });

  it('sets term dates for the LA calendar and a school, which the notification deadlines read', async () => {
    const school = await f.org('terms-school', 'school');
    const la = await t.post(admin, TERMS, {
      input: {
        organisationId: null,
        from: '2027-09-01',
        to: '2028-08-31',
        closures: [
          { firstDay: '2027-10-25', lastDay: '2027-10-29', label: 'Autumn half term' },
          { firstDay: '2027-09-01', lastDay: '2027-09-01', label: 'INSET day' },
        ],
      },
    });
    expect(la.errors).toBeUndefined();
    expect(la.data.setTermDates.map((c: { firstDay: string }) => c.firstDay)).toEqual(['2027-09-01', '2027-10-25']);
    const own = await t.post(admin, TERMS, {
      input: {
        organisationId: school,
        from: '2027-09-01',
        to: '2028-08-31',
        closures: [{ firstDay: '2027-11-05', lastDay: '2027-11-05', label: 'INSET day' }],
      },
    });
    expect(own.errors).toBeUndefined();

    expect(await closuresBetween(t.database.db, '2027-09-01', '2027-12-31', null)).toHaveLength(2);
    // A school with its own calendar keeps its own terms (an academy may be open in the LA's half term).
    expect(await closuresBetween(t.database.db, '2027-09-01', '2027-12-31', school)).toEqual([
      { firstDay: '2027-11-05', lastDay: '2027-11-05' },
    ]);
    const withoutOwn = await f.org('terms-school-la', 'school');
    expect(await closuresBetween(t.database.db, '2027-09-01', '2027-12-31', withoutOwn)).toHaveLength(2);

    // A resend replaces the period: the half term moved.
    const resent = await t.post(admin, TERMS, {
      input: {
        from: '2027-09-01',
        to: '2028-08-31',
        closures: [{ firstDay: '2027-10-18', lastDay: '2027-10-22', label: 'Autumn half term' }],
      },
    });
    expect(resent.data.setTermDates).toEqual([
      { firstDay: '2027-10-18', lastDay: '2027-10-22', label: 'Autumn half term' },
    ]);

    const bad: [Record<string, unknown>, string][] = [
      [{ organisationId: council }, 'organisationId'],
      [{ from: '2027-02-30' }, 'from'],
      [{ to: '2027-08-01' }, 'to'],
      [{ to: '2029-12-31' }, 'to'],
      [{ closures: [{ firstDay: '2027-10-22', lastDay: '2027-10-18', label: 'Backwards' }] }, 'closures[0].lastDay'],
      [{ closures: [{ firstDay: '2026-10-18', lastDay: '2026-10-22', label: 'Outside' }] }, 'closures[0].firstDay'],
      [{ closures: [{ firstDay: '2027-10-18', lastDay: '2027-10-22', label: ' ' }] }, 'closures[0].label'],
      [
        {
          closures: [
            { firstDay: '2027-10-18', lastDay: '2027-10-22', label: 'A' },
            { firstDay: '2027-10-20', lastDay: '2027-10-21', label: 'B' },
          ],
        },
        'closures',
      ],
    ];
    for (const [overrides, name] of bad) {
      const res = await t.post(admin, TERMS, {
        input: { organisationId: null, from: '2027-09-01', to: '2028-08-31', closures: [], ...overrides },
      });
      expect(field(res), name).toEqual(['BAD_USER_INPUT', name]);
    }
    expect(await closuresBetween(t.database.db, '2027-09-01', '2027-12-31', null)).toEqual([
      { firstDay: '2027-10-18', lastDay: '2027-10-22' },
    ]);
    expect((await changes(LA_CALENDAR_ID)).map((r) => r.action)).toEqual(['term_dates.set', 'term_dates.set']);
    expect((await changes(school)).map((r) => r.action)).toEqual(['term_dates.set']);
  });
});
