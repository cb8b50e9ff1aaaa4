import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  feedSubmissions,
  involvements,
  pendingMatches,
  policeIncidents,
  policeNotifications,
  schoolClosures,
} from '../schema';
import { auditOf, codeOf, countsOf, eventsFor, heldFor } from './feeds-support';
import { fixture, type Fixture } from './support/fixtures';
import { fixedClock, startTestHub, type TestHub } from './support/hub';

const NOTIFY = `mutation ($input: NotifyPoliceIncidentInput!) {
  notifyPoliceIncident(input: $input) { status receiptId }
}`;
const LIST = `query ($ack: Boolean) { policeNotifications(acknowledged: $ack) {
  id childId policeReference location present voiceOfChild route deadline acknowledgedAt overdue child { givenName }
} }`;
const ACK = `mutation ($id: ID!) { acknowledgePoliceNotification(id: $id) { id acknowledgedAt overdue } }`;
const TABLES = {
  submissions: feedSubmissions,
  incidents: policeIncidents,
  notifications: policeNotifications,
  pending: pendingMatches,
};

// Friday 23 October 2026, 23:00 BST. Autumn half term is 26–30 October, then an INSET day on
// Monday 2 November; clocks go back on Sunday 25 October, so school starts at 08:30 GMT.
const FRIDAY_NIGHT = '2026-10-23T22:00:00Z';

describe('Operation Encompass over HTTP (notifyPoliceIncident)', () => {
  const clock = fixedClock(FRIDAY_NIGHT);
  let t: TestHub;
  let f: Fixture;
  let police: string;
  let schoolA: string;
  let schoolB: string;
  let council: string;
  let policeToken: string;
  let dslA: string;
  let dslB: string;
  let screener: string;
  let pupilA: { id: string; nhsNumber: string; upn: string };
  let pupilB: { id: string; nhsNumber: string; upn: string };
  let homeEducated: { id: string; nhsNumber: string; upn: string };
  let toddler: { id: string; nhsNumber: string; upn: string };

  /** The receipt says nothing of routing: the deadline is read where the recipient reads it. */
  const deadlineOf = async (childId: string) => {
    const [n] = await t.database.db
      .select()
      .from(policeNotifications)
      .where(eq(policeNotifications.childId, childId))
      .orderBy(desc(policeNotifications.createdAt))
      .limit(1);
    return n ? { route: n.route, deadline: n.deadline.toISOString() } : null;
  };

  const incident = (reference: string, kids: Record<string, unknown>[]) => ({
    policeReference: reference,
    occurredAt: '2026-10-23T22:30:00+01:00',
    location: '1 Synthetic Row',
    circumstances: 'Domestic incident, synthetic',
    children: kids,
  });

  beforeAll(async () => {
    t = await startTestHub({ clock });
    f = fixture(t.database.db);
    police = await f.org('force', 'police');
    council = await f.org('council', 'council_early_help');
    schoolA = await f.org('school-a', 'school');
    schoolB = await f.org('school-b', 'school');
    pupilA = await f.child();
    pupilB = await f.child();
    homeEducated = await f.child();
    toddler = await f.child({ dateOfBirth: '2024-03-01' });
    await f.involve(pupilA.id, schoolA, 'on_roll');
    await f.involve(pupilB.id, schoolB, 'on_roll');
    await t.database.db.insert(schoolClosures).values([
      { firstDay: '2026-10-26', lastDay: '2026-10-30', label: 'Autumn half term' },
      { firstDay: '2026-11-02', lastDay: '2026-11-02', label: 'INSET day' },
    ]);
    policeToken = await t.token({ role: 'police_system', org: police, sub: 'encompass-gateway' });
    dslA = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a' });
    dslB = await t.token({ role: 'school_dsl', org: schoolB, sub: 'dsl-b' });
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener' });
  });
  afterAll(() => t.close());

  it('notifies the DSL with a deadline at the start of the next school day, across a Friday night and half term', async () => {
    const res = await t.post(policeToken, NOTIFY, {
      input: incident('OE-1', [
        { nhsNumber: pupilA.nhsNumber, present: true, whereDuring: 'bedroom', voiceOfChild: 'Said they were scared' },
        { upn: homeEducated.upn, present: false },
        { nhsNumber: toddler.nhsNumber, present: true },
      ]),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.notifyPoliceIncident).toMatchObject({ status: 'RECEIVED', receiptId: expect.any(String) });
    expect(await deadlineOf(pupilA.id)).toEqual({ route: 'school_dsl', deadline: '2026-11-03T08:30:00.000Z' });
    // No school: the council Early Help team, on the local authority calendar.
    expect(await deadlineOf(homeEducated.id)).toEqual({
      route: 'early_help_team',
      deadline: '2026-11-03T08:30:00.000Z',
    });
    // Under reception age, in no setting and on no health visitor's caseload: the council team
    // (every routing of a toddler: test/encompass-every-child.e2e.spec.ts).
    expect(await deadlineOf(toddler.id)).toEqual({ route: 'early_help_team', deadline: '2026-11-03T08:30:00.000Z' });

    const [toHome] = await t.database.db
      .select()
      .from(policeNotifications)
      .where(eq(policeNotifications.childId, homeEducated.id));
    expect(toHome).toMatchObject({ recipientOrganisationId: council, route: 'early_help_team' });
    expect(await t.database.db.$count(policeNotifications, eq(policeNotifications.childId, toddler.id))).toBe(1);
    // The force now has its narrow Operation Encompass link with each child (test/feeds-trust.e2e.spec.ts).
    for (const c of [pupilA, homeEducated, toddler]) {
      expect(
        await t.database.db.$count(
          involvements,
          and(
            eq(involvements.childId, c.id),
            eq(involvements.organisationId, police),
            eq(involvements.kind, 'operation_encompass'),
          ),
        ),
      ).toBe(1);
    }
  });

  it('audits each child and emits a police_notification case event for each', async () => {
    const res = await t.post(policeToken, NOTIFY, {
      input: incident('OE-audit', [{ nhsNumber: pupilB.nhsNumber, present: true }]),
    });
    const audit = await auditOf(t, res);
    // The receipt under a stand-in for what was sent (the request looks no child up), then the change.
    expect(audit).toHaveLength(2);
    expect(audit.find((a) => a.childId !== pupilB.id)!.changes).toEqual([
      { action: 'notifyPoliceIncident', fields: ['received'] },
    ]);
    expect(audit.find((a) => a.childId === pupilB.id)!.changes).toEqual([
      { action: 'notifyPoliceIncident', fields: ['policeIncident', 'policeNotification'] },
    ]);
    const events = await eventsFor(t, pupilB.id, 'police_notification');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ categories: ['police'], actorOrganisationId: police });
  });

  it('is idempotent on the police reference; changed content under it is a CONFLICT', async () => {
    const input = incident('OE-1', [
      { nhsNumber: pupilA.nhsNumber, present: true, whereDuring: 'bedroom', voiceOfChild: 'Said they were scared' },
      { upn: homeEducated.upn, present: false },
      { nhsNumber: toddler.nhsNumber, present: true },
    ]);
    const before = await countsOf(t, TABLES);
    const retry = await t.post(policeToken, NOTIFY, { input });
    expect(retry.errors).toBeUndefined();
    expect(retry.data.notifyPoliceIncident).toEqual(
      (await t.post(policeToken, NOTIFY, { input })).data.notifyPoliceIncident,
    );
    expect(await countsOf(t, TABLES)).toEqual(before);
    const changed = await t.post(policeToken, NOTIFY, { input: { ...input, circumstances: 'Different' } });
    expect(codeOf(changed)).toBe('CONFLICT');
    expect(await countsOf(t, TABLES)).toEqual(before);
  });

  it("rolls an ordinary Friday-night incident to Monday 08:30, and honours a school's own closure", async () => {
    clock.set('2026-11-13T23:10:00Z'); // Friday 13 November, GMT
    const ordinary = await t.post(policeToken, NOTIFY, {
      input: {
        ...incident('OE-2', [{ nhsNumber: pupilA.nhsNumber, present: true }]),
        occurredAt: '2026-11-13T22:50:00Z',
      },
    });
    expect(ordinary.errors).toBeUndefined();
    expect((await deadlineOf(pupilA.id))!.deadline).toBe('2026-11-16T08:30:00.000Z');

    await t.database.db
      .insert(schoolClosures)
      .values({ organisationId: schoolB, firstDay: '2026-11-16', lastDay: '2026-11-16', label: 'School B INSET day' });
    const own = await t.post(policeToken, NOTIFY, {
      input: {
        ...incident('OE-3', [{ nhsNumber: pupilB.nhsNumber, present: true }]),
        occurredAt: '2026-11-13T22:50:00Z',
      },
    });
    expect(own.errors).toBeUndefined();
    expect((await deadlineOf(pupilB.id))!.deadline).toBe('2026-11-17T08:30:00.000Z');

    // Received on a school day before 08:30: that same morning.
    clock.set('2026-11-17T07:00:00Z');
    const early = await t.post(policeToken, NOTIFY, {
      input: {
        ...incident('OE-4', [{ nhsNumber: pupilA.nhsNumber, present: true }]),
        occurredAt: '2026-11-17T06:00:00Z',
      },
    });
    expect(early.errors).toBeUndefined();
    expect((await deadlineOf(pupilA.id))!.deadline).toBe('2026-11-17T08:30:00.000Z');
  });

  it("shows a DSL only its own school's notifications, and lets only the recipient acknowledge", async () => {
    const listA = await t.post(dslA, LIST, { ack: false });
    expect(listA.errors).toBeUndefined();
    const a = listA.data.policeNotifications as {
      id: string;
      childId: string;
      overdue: boolean;
      location: string;
      child: { givenName: string };
    }[];
    expect(a.length).toBeGreaterThan(0);
    expect(new Set(a.map((n) => n.childId))).toEqual(new Set([pupilA.id]));
    expect(a[0]!.location).toBe('1 Synthetic Row');
    expect(a[0]!.child.givenName).toBeTruthy();

    const listB = await t.post(dslB, LIST, { ack: false });
    expect(new Set(listB.data.policeNotifications.map((n: { childId: string }) => n.childId))).toEqual(
      new Set([pupilB.id]),
    );
    const eh = await t.post(screener, `{ policeNotifications { childId route } }`);
    expect(new Set(eh.data.policeNotifications.map((n: { childId: string }) => n.childId))).toEqual(
      new Set([homeEducated.id, toddler.id]),
    );

    // The Half-term notification is past its deadline (the clock is now 17 November).
    const halfTerm = a.find((n) => n.overdue);
    expect(halfTerm).toBeDefined();

    expect(codeOf(await t.post(dslB, ACK, { id: a[0]!.id }))).toBe('NOT_FOUND');
    const ack = await t.post(dslA, ACK, { id: a[0]!.id });
    expect(ack.errors).toBeUndefined();
    expect(ack.data.acknowledgePoliceNotification.acknowledgedAt).toBeTruthy();
    expect((await auditOf(t, ack))[0]!.changes).toEqual([
      { action: 'acknowledgePoliceNotification', fields: ['acknowledgedAt'] },
    ]);
    const unacked = await t.post(dslA, LIST, { ack: false });
    expect(unacked.data.policeNotifications.map((n: { id: string }) => n.id)).not.toContain(a[0]!.id);
    const acked = await t.post(dslA, LIST, { ack: true });
    expect(acked.data.policeNotifications.map((n: { id: string }) => n.id)).toEqual([a[0]!.id]);
  });

  it('acknowledged before the deadline is not overdue', async () => {
    clock.set('2026-11-17T07:00:00Z');
    const list = await t.post(dslA, LIST, { ack: false });
    const sameMorning = (list.data.policeNotifications as { id: string; deadline: string; overdue: boolean }[]).find(
      (n) => n.deadline === '2026-11-17T08:30:00.000Z',
    )!;
    expect(sameMorning.overdue).toBe(false);
    clock.set('2026-11-17T08:00:00Z');
    const ack = await t.post(dslA, ACK, { id: sameMorning.id });
    expect(ack.data.acknowledgePoliceNotification.overdue).toBe(false);
    clock.set('2026-11-18T09:00:00Z');
    const later = await t.post(dslA, LIST, { ack: true });
    expect(later.data.policeNotifications.find((n: { id: string }) => n.id === sameMorning.id).overdue).toBe(false);
  });

  it('matches by name and date of birth; an unknown child is held, then resolved into the right record', async () => {
    clock.set('2026-11-19T20:00:00Z'); // Thursday evening
    const named = await f.child({
      givenName: 'Tamsin',
      familyName: 'Oakridge',
      dateOfBirth: '2016-02-14',
      postcode: 'LE2 2BB',
    });
    await f.involve(named.id, schoolA, 'on_roll');
    const byName = await t.post(policeToken, NOTIFY, {
      input: incident('OE-5', [
        { givenName: 'Tamsin', familyName: 'Oakridge', dateOfBirth: '2016-02-14', present: true },
        { givenName: 'Unknown', familyName: 'Nobody', dateOfBirth: '2014-07-07', present: false },
      ]),
    });
    expect(byName.errors).toBeUndefined();
    expect(await deadlineOf(named.id)).toEqual({ route: 'school_dsl', deadline: '2026-11-20T08:30:00.000Z' });
    const unknown = { reference: await heldFor(t, byName.data.notifyPoliceIncident.receiptId) };
    expect(unknown.reference).not.toBeNull();

    // The screener finds the child is on school B's roll under other details, and resolves the hold.
    const real = await f.child();
    await f.involve(real.id, schoolB, 'on_roll');
    const queue = await t.post(screener, `{ pendingMatches { id feed reason givenName dateOfBirth } }`);
    expect(queue.data.pendingMatches).toContainEqual({
      id: unknown.reference,
      feed: 'police',
      reason: 'no_match',
      givenName: 'Unknown',
      dateOfBirth: '2014-07-07',
    });
    const resolved = await t.post(
      screener,
      `mutation ($id: ID!, $c: ID) { resolvePendingMatch(id: $id, childId: $c) { status resolvedChildId } }`,
      { id: unknown.reference, c: real.id },
    );
    expect(resolved.errors).toBeUndefined();
    const [n] = await t.database.db.select().from(policeNotifications).where(eq(policeNotifications.childId, real.id));
    expect(n).toMatchObject({ recipientOrganisationId: schoolB, route: 'school_dsl' });
    expect(n!.deadline.toISOString()).toBe('2026-11-20T08:30:00.000Z');
    expect(await eventsFor(t, real.id, 'police_notification')).toHaveLength(1);
    const listB = await t.post(dslB, LIST, { ack: false });
    expect(listB.data.policeNotifications.map((x: { childId: string }) => x.childId)).toContain(real.id);
  });

  it('refuses invalid input naming the field, storing nothing', async () => {
    const before = await countsOf(t, TABLES);
    const badNhs = await t.post(policeToken, NOTIFY, {
      input: incident('OE-bad', [{ nhsNumber: '9434765918', present: true }]),
    });
    expect(badNhs.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'children[0].nhsNumber' });
    const badTime = await t.post(policeToken, NOTIFY, {
      input: {
        ...incident('OE-bad', [{ nhsNumber: pupilA.nhsNumber, present: true }]),
        occurredAt: '23/10/2026 22:30',
      },
    });
    expect(badTime.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'occurredAt' });
    const noWay = await t.post(policeToken, NOTIFY, {
      input: incident('OE-bad', [{ givenName: 'Only', present: true }]),
    });
    expect(noWay.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'children[0].nhsNumber' });
    expect(await countsOf(t, TABLES)).toEqual(before);
  });
});
