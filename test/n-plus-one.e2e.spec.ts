/**
 * No N+1: the SQL statements a nested read sends do not grow with the number of children in it.
 * Each scenario is run for a caseload / roll of 10 and of 50 children (same shape of data), over
 * real HTTP, and the statements seen by the database handle are counted per request (the
 * counting hook sits under drizzle: postgres.js `debug`, or a wrapper around the PGlite client).
 *
 * A per-child lookup in a resolver (instead of a DataLoader) shows up here as +40 statements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policeIncidentChildren, policeIncidents, policeNotifications, tafMeetings } from '../schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const SMALL = 10;
const LARGE = 50;

let statements = 0;
/**
 * Not per request: the revocation list's cache refresh (once per 5 s per instance) and postgres.js
 * reading array type oids once per new pooled connection. Nor the first request of an instance
 * or an organisation (beforeAll makes those before anything is counted).
 */
const INSTANCE_WIDE = /from "revoked_credentials"|from pg_catalog\.pg_type/;
let database: TestDatabase;
let t: TestHub;

interface Caseload {
  schoolId: string;
  leadSubject: string;
}
const caseloads = new Map<number, Caseload>();

/** N children on one school's roll, each with an open EHA led by one practitioner, a plan of two actions and a TAF. */
async function buildCaseload(n: number): Promise<Caseload> {
  const f = fixture(database.db);
  const schoolId = await f.org(`n1-school-${n}`, 'school');
  const council = await f.org(`n1-council-${n}`, 'council_early_help');
  const policeOrgId = await f.org(`n1-police-${n}`, 'police');
  const leadSubject = `n1-lead-${n}`;
  const lead = await f.practitioner(council, leadSubject, 'lead_practitioner');
  const fsm = await f.practitioner(council, `n1-fsm-${n}`, 'family_support_manager');
  for (let i = 0; i < n; i++) {
    const child = await f.child();
    await f.involve(child.id, schoolId, 'on_roll');
    await f.involve(child.id, council, 'lead_practitioner', { practitionerId: lead });
    await f.consent(child.id, {
      organisationKinds: ['school', 'police'],
      categories: ['early_help', 'family', 'contact'],
    });
    const { ehaId } = await f.openEhaWithPlan(child.id, {
      familySupportManagerId: fsm,
      leadPractitionerId: lead,
      actions: [
        { owningOrganisationId: schoolId, description: 'School action', dueDate: '2026-02-16' },
        { owningOrganisationId: council, description: 'Council action', dueDate: '2026-03-02' },
      ],
    });
    await database.db.insert(tafMeetings).values({
      ehaId,
      childId: child.id,
      heldOn: '2026-01-19',
      isFirst: true,
      chairPractitionerId: fsm,
      leadPractitionerId: lead,
      attendeeOrganisationIds: [schoolId, council],
      recordedBySubject: 'fixture',
      recordedAt: new Date('2026-01-19T10:00:00Z'),
    });
    await addPoliceNotification(child.id, policeOrgId, schoolId, i);
  }
  return { schoolId, leadSubject };
}

/** One Operation Encompass incident naming the child, notified to the child's school DSL. */
async function addPoliceNotification(childId: string, policeOrgId: string, schoolId: string, i: number): Promise<void> {
  const at = new Date('2026-03-02T22:00:00Z');
  const [incident] = await database.db
    .insert(policeIncidents)
    .values({
      organisationId: policeOrgId,
      policeReference: `N1-${schoolId.slice(0, 8)}-${i}`,
      occurredAt: at,
      location: 'Synthetic location',
      circumstances: 'Synthetic incident',
      receivedAt: at,
    })
    .returning({ id: policeIncidents.id });
  const [named] = await database.db
    .insert(policeIncidentChildren)
    .values({ incidentId: incident!.id, childId, present: true })
    .returning({ id: policeIncidentChildren.id });
  await database.db.insert(policeNotifications).values({
    incidentId: incident!.id,
    incidentChildId: named!.id,
    childId,
    recipientOrganisationId: schoolId,
    route: 'school_dsl',
    deadline: new Date('2026-03-03T08:30:00Z'),
    createdAt: at,
  });
}

/** Statements sent while answering one request (requests here are sequential). */
async function countStatements(
  run: () => Promise<{ errors?: unknown[]; data?: any }>,
): Promise<{ count: number; data: any }> {
  const before = statements;
  const res = await run();
  expect(res.errors).toBeUndefined();
  return { count: statements - before, data: res.data };
}

beforeAll(async () => {
  database = await createTestDatabase({
    onQuery: (statement) => {
      if (!INSTANCE_WIDE.test(statement)) statements++;
    },
  });
  t = await startTestHub({ database });
  caseloads.set(SMALL, await buildCaseload(SMALL));
  caseloads.set(LARGE, await buildCaseload(LARGE));
  // One request per school first: the instance's first audit append reads the chain head, and
  // the organisation directory caches each caller's organisation on its first request.
  for (const { schoolId } of caseloads.values()) {
    const warmUp = await t.post(await t.token({ role: 'school_dsl', org: schoolId }), SCHOOL_ROLL, { first: 1 });
    expect(warmUp.errors).toBeUndefined();
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
  await database?.destroy();
});

const SCHOOL_ROLL = `query Roll($first: Int!) {
  children(first: $first) { count nodes {
    id givenName familyName dateOfBirth upn hasSend addressLine
    openEha { id status nextReviewDue leadPractitioner { name organisationName phone } planActions { description dueDate status } }
  } }
}`;

const CASELOAD = `query Caseload {
  myCaseload {
    id status nextReviewDue
    child { id givenName dateOfBirth nhsNumber upn }
    leadPractitioner { name organisationName email }
    familySupportManager { name organisationName }
    planActions { description dueDate owningOrganisationId }
    actionPlan { desiredOutcome actions { description } needs { services } }
    tafMeetings { heldOn isFirst }
    reviews { heldOn }
  }
}`;

describe('nested reads send a number of statements that does not grow with the number of children', () => {
  it("school roll with each pupil's open EHA, lead practitioner and the school's plan actions", async () => {
    const counts: number[] = [];
    for (const n of [SMALL, LARGE]) {
      const token = await t.token({ role: 'school_dsl', org: caseloads.get(n)!.schoolId });
      const { count, data } = await countStatements(() => t.post(token, SCHOOL_ROLL, { first: n }));
      expect(data.children.count).toBe(n);
      expect(
        data.children.nodes.every((c: any) => c.openEha?.leadPractitioner?.name && c.openEha.planActions.length === 1),
      ).toBe(true);
      counts.push(count);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it('the school MIS front door: a pupil and its open EHA in one statement, and one for the audit', async () => {
    const { schoolId } = caseloads.get(SMALL)!;
    const roll = await t.post(await t.token({ role: 'school_dsl', org: schoolId }), SCHOOL_ROLL, { first: 1 });
    const upn = roll.data.children.nodes[0].upn as string;
    const mis = await t.token({ role: 'school_staff', org: schoolId, sub: 'mis-plugin', clientId: 'school-mis' });
    const lookup = `query Pupil($upn: String!) { child(upn: $upn) { id givenName upn
      openEha { id status nextReviewDue leadPractitioner { name organisationName email phone } planActions { description dueDate status } } } }`;
    const { count, data } = await countStatements(() => t.post(mis, lookup, { upn }));
    expect(data.child.openEha.leadPractitioner.name).toBeTruthy();
    expect(data.child.openEha.planActions).toEqual([
      { description: 'School action', dueDate: '2026-02-16', status: 'not_started' },
    ]);
    // The child by UPN with the caller's relationship, consents and overrides, its open EHA, the
    // EHA's lead practitioner's contact and current plan actions (the lookahead on `openEha`);
    // the audit row.
    expect(count).toBe(2);
  });

  it("lead practitioner's caseload with child, people, plan, meetings and reviews", async () => {
    const counts: number[] = [];
    for (const n of [SMALL, LARGE]) {
      const token = await t.token({
        role: 'lead_practitioner',
        org: await orgOfSubject(caseloads.get(n)!.leadSubject),
        sub: caseloads.get(n)!.leadSubject,
      });
      const { count, data } = await countStatements(() => t.post(token, CASELOAD));
      expect(data.myCaseload).toHaveLength(n);
      expect(
        data.myCaseload.every(
          (e: any) =>
            e.child?.nhsNumber &&
            e.leadPractitioner?.name &&
            e.planActions.length === 2 &&
            e.actionPlan.actions.length === 2 &&
            e.tafMeetings.length === 1,
        ),
      ).toBe(true);
      counts.push(count);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it('police notifications with each child', async () => {
    const counts: number[] = [];
    for (const n of [SMALL, LARGE]) {
      const token = await t.token({ role: 'school_dsl', org: caseloads.get(n)!.schoolId });
      const { count, data } = await countStatements(() =>
        t.post(token, `{ policeNotifications(first: 200) { id child { id givenName upn } } }`),
      );
      expect(data.policeNotifications).toHaveLength(n);
      expect(data.policeNotifications.every((p: any) => p.child?.givenName)).toBe(true);
      counts.push(count);
    }
    expect(counts[1]).toBe(counts[0]);
  });
});

async function orgOfSubject(subject: string): Promise<string> {
  const { practitioners } = await import('../schema');
  const { eq } = await import('drizzle-orm');
  const [row] = await database.db
    .select({ org: practitioners.organisationId })
    .from(practitioners)
    .where(eq(practitioners.subject, subject));
  return row!.org;
}
