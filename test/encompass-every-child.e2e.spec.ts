/**
 * Operation Encompass for every child, over HTTP: a home-educated child and a 16–17-year-old on no
 * roll go to the council's designated Early Help team, which reads them without consent on the
 * Victims and Prisoners Act 2024 duty, for that purpose only; a 16–17-year-old at college goes to
 * the college; a child below reception age to the early years setting holding them on roll, else
 * to the health visitor's trust on whose caseload they are and the council team. Deadlines roll
 * over the recipient's own term calendar, else the local authority's. The local authority sees,
 * across every recipient, what was not acknowledged by its deadline.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, involvements, policeNotifications, schoolClosures } from '../schema';
import { codeOf } from './feeds-support';
import { fixture, type Fixture } from './support/fixtures';
import { fixedClock, startTestHub, type TestHub } from './support/hub';

const NOTIFY = `mutation ($input: NotifyPoliceIncidentInput!) { notifyPoliceIncident(input: $input) { status receiptId } }`;
const LIST = `{ policeNotifications { id childId route location circumstances voiceOfChild deadline child { givenName } } }`;
const ACK = `mutation ($id: ID!) { acknowledgePoliceNotification(id: $id) { id acknowledgedAt } }`;
const OVERDUE = `query ($first: Int, $after: String) { overduePoliceNotifications(first: $first, after: $after) {
  count nodes { id recipientOrganisationId recipientName route deadline } pageInfo { hasNextPage endCursor }
} }`;

// Friday 23 October 2026, 23:00 BST; the LA's half term is 26–30 October, then an INSET day on
// Monday 2 November. Clocks go back on the 25th, so 08:30 is 08:30Z from then.
const FRIDAY_NIGHT = '2026-10-23T22:00:00Z';
const AFTER_LA_HALF_TERM = '2026-11-03T08:30:00.000Z';

describe('Operation Encompass for every child (notifyPoliceIncident → policeNotifications)', () => {
  const clock = fixedClock(FRIDAY_NIGHT);
  let t: TestHub;
  let f: Fixture;
  let council: string;
  let college: string;
  let nursery: string;
  let trust: string;
  let academy: string;
  let policeToken: string;
  let screener: string;
  let collegeDsl: string;
  let nurseryDsl: string;
  let healthVisitor: string;
  let fsm: string;
  const kids: Record<string, { id: string; nhsNumber: string }> = {};

  const routesOf = async (childId: string) =>
    (await t.database.db.select().from(policeNotifications).where(eq(policeNotifications.childId, childId)))
      .map((n) => ({ to: n.recipientOrganisationId, route: n.route, deadline: n.deadline.toISOString() }))
      .sort((a, b) => a.route.localeCompare(b.route));
  const incident = (reference: string, children: string[]) => ({
    policeReference: reference,
    occurredAt: '2026-10-23T22:30:00+01:00',
    location: '2 Synthetic Close',
    circumstances: 'Domestic incident, synthetic',
    children: children.map((k) => ({ nhsNumber: kids[k]!.nhsNumber, present: true })),
  });

  beforeAll(async () => {
    t = await startTestHub({ clock });
    f = fixture(t.database.db);
    const police = await f.org('force', 'police');
    council = await f.org('council', 'council_early_help');
    college = await f.org('college', 'college');
    nursery = await f.org('nursery', 'early_years');
    trust = await f.org('trust', 'health');
    academy = await f.org('academy', 'school');
    kids.homeEducated = await f.child({ dateOfBirth: '2015-05-05' });
    kids.noRoll17 = await f.child({ dateOfBirth: '2009-06-01' });
    kids.atCollege = await f.child({ dateOfBirth: '2009-07-01' });
    kids.inNursery = await f.child({ dateOfBirth: '2023-04-01' });
    kids.toddlerAtHome = await f.child({ dateOfBirth: '2024-02-01' });
    kids.toddlerUnknown = await f.child({ dateOfBirth: '2024-03-01' });
    kids.atAcademy = await f.child({ dateOfBirth: '2014-01-01' });
    kids.adult = await f.child({ dateOfBirth: '2008-01-01' });
    await f.involve(kids.atCollege.id, college, 'on_roll');
    await f.involve(kids.inNursery.id, nursery, 'on_roll');
    await f.involve(kids.toddlerAtHome.id, trust, 'caseload');
    await f.involve(kids.atAcademy.id, academy, 'on_roll');
    await t.database.db.insert(schoolClosures).values([
      { firstDay: '2026-10-26', lastDay: '2026-10-30', label: 'Autumn half term' },
      { firstDay: '2026-11-02', lastDay: '2026-11-02', label: 'INSET day' },
    ]);
    policeToken = await t.token({ role: 'police_system', org: police, sub: 'oe-gateway' });
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'oe-screener' });
    fsm = await t.token({ role: 'family_support_manager', org: council, sub: 'oe-fsm' });
    collegeDsl = await t.token({ role: 'school_dsl', org: college, sub: 'oe-college-dsl' });
    nurseryDsl = await t.token({ role: 'school_dsl', org: nursery, sub: 'oe-nursery-dsl' });
    healthVisitor = await t.token({ role: 'health_visitor', org: trust, sub: 'oe-hv' });
  });
  afterAll(() => t.close());

  it('sets term dates for a college, an early years setting and an academy through the onboarding API', async () => {
    const admin = await t.token({ role: 'admin', org: council, sub: 'oe-admin' });
    const terms = `mutation ($input: SetTermDatesInput!) { setTermDates(input: $input) { firstDay } }`;
    // The academy is open in the LA's half term and closes the week after; the college keeps the LA's half term and an INSET day after it.
    for (const [organisationId, closures] of [
      [academy, [{ firstDay: '2026-11-02', lastDay: '2026-11-06', label: 'Academy half term' }]],
      [
        college,
        [
          { firstDay: '2026-10-26', lastDay: '2026-10-30', label: 'Half term' },
          { firstDay: '2026-11-02', lastDay: '2026-11-03', label: 'INSET days' },
        ],
      ],
      [nursery, [{ firstDay: '2026-12-21', lastDay: '2027-01-01', label: 'Christmas' }]],
    ] as const) {
      const res = await t.post(admin, terms, {
        input: { organisationId, from: '2026-09-01', to: '2027-08-31', closures },
      });
      expect(res.errors, organisationId).toBeUndefined();
    }
    const refused = await t.post(admin, terms, {
      input: { organisationId: trust, from: '2026-09-01', to: '2027-08-31', closures: [] },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organisationId' });
  });

  it('routes every child under 18, each on the right calendar', async () => {
    const res = await t.post(policeToken, NOTIFY, { input: incident('OE-ALL', Object.keys(kids)) });
    expect(res.errors).toBeUndefined();
    expect(res.data.notifyPoliceIncident.status).toBe('RECEIVED');
    expect(await routesOf(kids.homeEducated!.id)).toEqual([
      { to: council, route: 'early_help_team', deadline: AFTER_LA_HALF_TERM },
    ]);
    expect(await routesOf(kids.noRoll17!.id)).toEqual([
      { to: council, route: 'early_help_team', deadline: AFTER_LA_HALF_TERM },
    ]);
    // The college's own calendar: INSET days on 2 and 3 November.
    expect(await routesOf(kids.atCollege!.id)).toEqual([
      { to: college, route: 'college_dsl', deadline: '2026-11-04T08:30:00.000Z' },
    ]);
    // The academy is open in the LA's half term: Monday morning (GMT by then).
    expect(await routesOf(kids.atAcademy!.id)).toEqual([
      { to: academy, route: 'school_dsl', deadline: '2026-10-26T08:30:00.000Z' },
    ]);
    // The nursery keeps its own calendar, which has no October closure.
    expect(await routesOf(kids.inNursery!.id)).toEqual([
      { to: nursery, route: 'early_years_setting', deadline: '2026-10-26T08:30:00.000Z' },
    ]);
    expect(await routesOf(kids.toddlerAtHome!.id)).toEqual([
      { to: council, route: 'early_help_team', deadline: AFTER_LA_HALF_TERM },
      { to: trust, route: 'health_visitor', deadline: AFTER_LA_HALF_TERM },
    ]);
    expect(await routesOf(kids.toddlerUnknown!.id)).toEqual([
      { to: council, route: 'early_help_team', deadline: AFTER_LA_HALF_TERM },
    ]);
    expect(await routesOf(kids.adult!.id)).toEqual([]);
    // Recipients with no roll of their own get the purpose-limited link; settings read by their roll.
    const links = await t.database.db.select().from(involvements).where(eq(involvements.kind, 'encompass_recipient'));
    expect(new Set(links.map((l) => `${l.organisationId}:${l.childId}`))).toEqual(
      new Set([
        `${council}:${kids.homeEducated!.id}`,
        `${council}:${kids.noRoll17!.id}`,
        `${council}:${kids.toddlerAtHome!.id}`,
        `${council}:${kids.toddlerUnknown!.id}`,
        `${trust}:${kids.toddlerAtHome!.id}`,
      ]),
    );
  });

  it('the council team reads what was routed to it without consent, under the Operation Encompass purpose only', async () => {
    const read = await t.post(screener, LIST, {}, 'operation_encompass');
    expect(read.errors).toBeUndefined();
    const list = read.data.policeNotifications as {
      childId: string;
      location: string;
      circumstances: string;
      child: { givenName: string };
    }[];
    expect(new Set(list.map((n) => n.childId))).toEqual(
      new Set([kids.homeEducated!.id, kids.noRoll17!.id, kids.toddlerAtHome!.id, kids.toddlerUnknown!.id]),
    );
    for (const n of list)
      expect(n).toMatchObject({
        location: '2 Synthetic Close',
        circumstances: 'Domestic incident, synthetic',
        child: { givenName: expect.any(String) },
      });
    const [row] = await t.database.db
      .select()
      .from(accessAudit)
      .where(and(eq(accessAudit.callerSubject, 'oe-screener'), eq(accessAudit.childId, kids.homeEducated!.id)));
    expect(JSON.stringify(row)).toContain('Victims and Prisoners Act 2024');

    // For any other purpose the link does not count: NO_RELATIONSHIP, as before.
    const other = await t.post(screener, LIST, {}, 'screening');
    expect(other.data.policeNotifications.every((n: { location: string | null }) => n.location === null)).toBe(true);
    expect(other.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    // The purpose reads the notification, nothing else of the child: early_help is refused outright.
    const child = await t.post(
      screener,
      `query ($id: ID!) { child(id: $id) { givenName openEha { id } } }`,
      { id: kids.homeEducated!.id },
      'operation_encompass',
    );
    expect(child.data.child.givenName).toBeTruthy();
    expect(child.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('the college, the nursery and the health visitor each read and acknowledge their own', async () => {
    const readers: [string, string][] = [
      [collegeDsl, kids.atCollege!.id],
      [nurseryDsl, kids.inNursery!.id],
      [healthVisitor, kids.toddlerAtHome!.id],
    ];
    for (const [token, childId] of readers) {
      const res = await t.post(token, LIST, {}, 'operation_encompass');
      expect(res.errors, childId).toBeUndefined();
      expect(res.data.policeNotifications.map((n: { childId: string }) => n.childId)).toEqual([childId]);
      expect(res.data.policeNotifications[0].location).toBe('2 Synthetic Close');
    }
    // The health visitor's caseload does not open police data for casework.
    const casework = await t.post(healthVisitor, LIST, {}, 'direct_support');
    expect(casework.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [mine] = (await t.post(collegeDsl, LIST, {}, 'operation_encompass')).data.policeNotifications;
    expect(codeOf(await t.post(healthVisitor, ACK, { id: mine.id }, 'operation_encompass'))).toBe('NOT_FOUND');
    const ack = await t.post(collegeDsl, ACK, { id: mine.id }, 'operation_encompass');
    expect(ack.errors).toBeUndefined();
  });

  it('gives the local authority a paginated view of what was not acknowledged by its deadline, across every recipient', async () => {
    clock.set('2026-10-26T09:00:00Z'); // past the academy's and the nursery's deadlines only
    const early = await t.post(fsm, OVERDUE, { first: 10 });
    expect(early.errors).toBeUndefined();
    expect(early.data.overduePoliceNotifications.nodes.map((n: { route: string }) => n.route).sort()).toEqual([
      'early_years_setting',
      'school_dsl',
    ]);
    expect(JSON.stringify(early.data)).not.toContain('Synthetic Close');

    clock.set('2026-11-05T09:00:00Z'); // every deadline has passed; the college acknowledged
    const pages: { route: string; recipientOrganisationId: string }[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await t.post(screener, OVERDUE, { first: 3, after });
      expect(res.errors).toBeUndefined();
      const page = res.data.overduePoliceNotifications;
      pages.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toHaveLength(7);
    expect(pages.map((n) => n.recipientOrganisationId)).not.toContain(college);
    expect(codeOf(await t.post(fsm, OVERDUE, { first: 0 }))).toBe('BAD_USER_INPUT');
    expect((await t.post(fsm, OVERDUE, { after: 'not-a-cursor' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    expect(codeOf(await t.post(collegeDsl, OVERDUE, {}))).toBe('FORBIDDEN');
  });
});
