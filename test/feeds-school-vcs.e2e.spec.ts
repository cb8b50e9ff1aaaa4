import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessAudit,
  caseEvents,
  feedSubmissions,
  involvements,
  pendingMatches,
  schoolAttendance,
  vcsContacts,
} from '../schema';
import { withUpnCheckLetter } from '../src/child/identifiers';
import { auditOf, codeOf, countsOf, eventsFor } from './feeds-support';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const ATTENDANCE = `mutation ($input: PostSchoolAttendanceInput!) { postSchoolAttendance(input: $input) {
  persistentAbsenceCount heldForReview pupils { index status childId recordId reference persistentAbsence }
} }`;
const VCS = `mutation ($input: PostVcsContactInput!) { postVcsContact(input: $input) { status receiptId } }`;
const TABLES = {
  submissions: feedSubmissions,
  attendance: schoolAttendance,
  pending: pendingMatches,
  vcs: vcsContacts,
};
/** What a post leaves for the child: the contact, its event, the relationship it gives. */
const CHILD_TABLES = { vcs: vcsContacts, events: caseEvents, involvements };

describe('school attendance feed over HTTP (postSchoolAttendance)', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let misToken: string;
  let screener: string;
  let low: { id: string; upn: string };
  let good: { id: string; upn: string };
  let elsewhere: { id: string; upn: string };

  const period = { periodStart: '2026-09-01', periodEnd: '2026-10-23' };

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    const other = await f.org('other-school', 'school');
    const council = await f.org('council', 'council_early_help');
    low = await f.child();
    good = await f.child();
    elsewhere = await f.child();
    await f.involve(low.id, school, 'on_roll');
    await f.involve(good.id, school, 'on_roll');
    await f.involve(elsewhere.id, other, 'on_roll');
    misToken = await t.token({ role: 'school_staff', org: school, sub: 'mis-plugin', clientId: 'sims-connector' });
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener' });
  });
  afterAll(() => t.close());

  it('flags a pupil under 90% as persistently absent, once per (school, UPN, period)', async () => {
    const input = {
      ...period,
      pupils: [
        { upn: low.upn, attendancePercent: 85.5, fixedPeriodExclusions: 1, exclusionDays: 1.5 },
        { upn: good.upn, attendancePercent: 96 },
      ],
    };
    const first = await t.post(misToken, ATTENDANCE, { input });
    expect(first.errors).toBeUndefined();
    expect(first.data.postSchoolAttendance).toMatchObject({ persistentAbsenceCount: 1, heldForReview: 0 });
    expect(first.data.postSchoolAttendance.pupils).toMatchObject([
      { index: 0, status: 'APPLIED', childId: low.id, persistentAbsence: true },
      { index: 1, status: 'APPLIED', childId: good.id, persistentAbsence: false },
    ]);
    const before = await countsOf(t, TABLES);
    const retry = await t.post(misToken, ATTENDANCE, { input });
    expect(retry.data).toEqual(first.data);
    expect(await countsOf(t, TABLES)).toEqual(before);
    expect(await t.database.db.$count(schoolAttendance, eq(schoolAttendance.childId, low.id))).toBe(1);

    const events = await eventsFor(t, low.id, 'attendance_flagged');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      categories: ['education'],
      changedFields: ['attendance', 'exclusions', 'persistentAbsence'],
    });
    const audit = await auditOf(t, first);
    expect(audit.map((a) => a.childId).sort()).toEqual([low.id, good.id].sort());

    const changed = await t.post(misToken, ATTENDANCE, {
      input: { ...period, pupils: [{ upn: low.upn, attendancePercent: 88 }] },
    });
    expect(changed.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'pupils[0]' });
    expect(await countsOf(t, TABLES)).toEqual(before);
  });

  it('counts persistent absence for the performance book', async () => {
    const res = await t.post(
      screener,
      `{ persistentAbsence(from: "2026-09-01", to: "2026-12-31") { pupils persistentlyAbsent rate } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.persistentAbsence).toEqual({ pupils: 2, persistentlyAbsent: 1, rate: 0.5 });
    const none = await t.post(screener, `{ persistentAbsence(from: "2025-09-01", to: "2025-12-31") { pupils rate } }`);
    expect(none.data.persistentAbsence).toEqual({ pupils: 0, rate: null });
  });

  it("refuses an invalid UPN naming the pupil's field, storing nothing from the return", async () => {
    const before = await countsOf(t, TABLES);
    const bad = 'A801200005001';
    const res = await t.post(misToken, ATTENDANCE, {
      input: {
        periodStart: '2026-10-01',
        periodEnd: '2026-10-20',
        pupils: [
          { upn: good.upn, attendancePercent: 99 },
          { upn: bad, attendancePercent: 80 },
        ],
      },
    });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pupils[1].upn' });
    const pct = await t.post(misToken, ATTENDANCE, {
      input: { ...period, pupils: [{ upn: good.upn, attendancePercent: 101 }] },
    });
    expect(pct.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pupils[0].attendancePercent' });
    expect(await countsOf(t, TABLES)).toEqual(before);
  });

  it("holds a pupil not on the school's roll exactly like an unknown UPN (no probing), and applies it on resolution", async () => {
    const unknownUpn = withUpnCheckLetter('856999926001');
    const res = await t.post(misToken, ATTENDANCE, {
      input: {
        ...period,
        pupils: [
          { upn: elsewhere.upn, attendancePercent: 70 },
          { upn: unknownUpn, attendancePercent: 70 },
        ],
      },
    });
    expect(res.errors).toBeUndefined();
    const [notOnRoll, unknown] = res.data.postSchoolAttendance.pupils;
    const shape = ({ reference, index, ...rest }: Record<string, unknown>) => rest;
    expect(shape(notOnRoll)).toEqual(shape(unknown));
    expect(notOnRoll).toMatchObject({ status: 'HELD_FOR_REVIEW', childId: null });
    expect(res.data.postSchoolAttendance.heldForReview).toBe(2);
    expect(await t.database.db.$count(schoolAttendance, eq(schoolAttendance.childId, elsewhere.id))).toBe(0);

    const queue = await t.post(screener, `{ pendingMatches { id reason candidateChildIds upn } }`);
    expect(queue.data.pendingMatches).toContainEqual({
      id: notOnRoll.reference,
      reason: 'not_on_roll',
      candidateChildIds: [elsewhere.id],
      upn: elsewhere.upn,
    });
    const resolved = await t.post(
      screener,
      `mutation ($id: ID!, $c: ID) { resolvePendingMatch(id: $id, childId: $c) { status } }`,
      { id: notOnRoll.reference, c: elsewhere.id },
    );
    expect(resolved.errors).toBeUndefined();
    expect(await t.database.db.$count(schoolAttendance, eq(schoolAttendance.childId, elsewhere.id))).toBe(1);
    expect(await eventsFor(t, elsewhere.id, 'attendance_flagged')).toHaveLength(1);
    // A UPN held by another record is refused for the wrong child.
    const wrong = await t.post(
      screener,
      `mutation ($id: ID!, $c: ID) { resolvePendingMatch(id: $id, childId: $c) { status } }`,
      { id: unknown.reference, c: low.id },
    );
    expect(wrong.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childId' });
  });
});

describe('voluntary sector feed over HTTP (postVcsContact)', () => {
  let t: TestHub;
  let f: Fixture;
  let charity: string;
  let token: string;
  let child: { id: string; nhsNumber: string; upn: string };

  const contact = (over: Record<string, unknown> = {}) => ({
    contactRef: 'c-1',
    childId: child.id,
    contactDate: '2026-10-01',
    contactType: 'home visit',
    summary: 'Family support session',
    ...over,
  });

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    charity = await f.org('charity', 'voluntary');
    child = await f.child();
    token = await t.token({ role: 'vcs_worker', org: charity, sub: 'vcs-1' });
  });
  afterAll(() => t.close());

  it("answers a contact without the family's consent like one for a child it does not hold: RECEIVED, nothing created, both audited alike", async () => {
    const other = await f.org('other-charity', 'voluntary');
    await f.consent(child.id, { organisationIds: [other], categories: ['early_help'] });
    await f.consent(child.id, { organisationIds: [charity], categories: ['health'] });
    const before = await countsOf(t, CHILD_TABLES);
    const unknownId = randomUUID();
    const held = await t.post(token, VCS, { input: contact({ contactRef: 'c-0' }) });
    const absent = await t.post(token, VCS, { input: contact({ contactRef: 'c-00', childId: unknownId }) });
    for (const res of [held, absent]) {
      expect(res.errors).toBeUndefined();
      expect(Object.keys(res.data.postVcsContact).sort()).toEqual(['receiptId', 'status']);
      expect(res.data.postVcsContact.status).toBe('RECEIVED');
    }
    expect(await countsOf(t, CHILD_TABLES)).toEqual(before);
    const [heldRows, absentRows] = [await auditOf(t, held), await auditOf(t, absent)];
    expect(heldRows).toHaveLength(1);
    expect(absentRows).toHaveLength(1);
    expect(heldRows[0]!.childId).toBe(child.id);
    // An id the hub does not hold is kept only as a keyed hash.
    expect(absentRows[0]!.childId).not.toBe(unknownId);
    expect(absentRows[0]!.flags).toEqual(heldRows[0]!.flags);
    expect(absentRows[0]!.changes).toEqual(heldRows[0]!.changes);
    expect(await t.database.db.$count(accessAudit, eq(accessAudit.childId, unknownId))).toBe(0);
  });

  it('records a consented contact once, audited, with a vcs_contact case event and a vcs_support relationship', async () => {
    await f.consent(child.id, { organisationIds: [charity], categories: ['early_help'] });
    const res = await t.post(token, VCS, { input: contact() });
    expect(res.errors).toBeUndefined();
    expect(res.data.postVcsContact).toMatchObject({ status: 'RECEIVED', receiptId: expect.any(String) });
    const retry = await t.post(token, VCS, { input: contact() });
    expect(retry.data).toEqual(res.data);
    expect(await t.database.db.$count(vcsContacts)).toBe(1);
    expect(await eventsFor(t, child.id, 'vcs_contact')).toHaveLength(1);
    expect((await auditOf(t, res))[0]!.changes).toEqual([{ action: 'postVcsContact', fields: ['vcsContacts'] }]);
    const [inv] = await t.database.db.select().from(involvements).where(eq(involvements.childId, child.id));
    expect(inv).toMatchObject({ organisationId: charity, kind: 'vcs_support' });
    expect(codeOf(await t.post(token, VCS, { input: contact({ summary: 'Changed' }) }))).toBe('CONFLICT');
  });

  it('stores a refused contact when its partner retries after the family consents, under the first receipt', async () => {
    const later = await f.child();
    const refused = contact({ contactRef: 'c-later', childId: later.id });
    const first = await t.post(token, VCS, { input: refused });
    expect(first.errors).toBeUndefined();
    expect(first.data.postVcsContact.status).toBe('RECEIVED');
    expect(await t.database.db.$count(vcsContacts, eq(vcsContacts.childId, later.id))).toBe(0);
    // Still refused: the same answer, nothing stored, the attempt audited again.
    const again = await t.post(token, VCS, { input: refused });
    expect(again.data).toEqual(first.data);
    expect(await t.database.db.$count(vcsContacts, eq(vcsContacts.childId, later.id))).toBe(0);
    expect(await auditOf(t, again)).toHaveLength(1);

    await f.consent(later.id, { organisationIds: [charity], categories: ['early_help'] });
    const retry = await t.post(token, VCS, { input: refused });
    expect(retry.errors).toBeUndefined();
    expect(retry.data).toEqual(first.data);
    expect(await t.database.db.$count(vcsContacts, eq(vcsContacts.childId, later.id))).toBe(1);
    expect(await eventsFor(t, later.id, 'vcs_contact')).toHaveLength(1);
    expect((await auditOf(t, retry))[0]!.changes).toEqual([{ action: 'postVcsContact', fields: ['vcsContacts'] }]);

    // Once stored, a retry replays and stores nothing more; changed content is still a CONFLICT.
    const replay = await t.post(token, VCS, { input: refused });
    expect(replay.data).toEqual(first.data);
    expect(await t.database.db.$count(vcsContacts, eq(vcsContacts.childId, later.id))).toBe(1);
    expect(codeOf(await t.post(token, VCS, { input: { ...refused, summary: 'Changed' } }))).toBe('CONFLICT');
  });

  it('keeps a refused contact once when two retries after consent arrive together', async () => {
    const later = await f.child();
    const input = contact({ contactRef: 'c-together', childId: later.id });
    const first = await t.post(token, VCS, { input });
    await f.consent(later.id, { organisationIds: [charity], categories: ['early_help'] });
    const retries = await Promise.all([t.post(token, VCS, { input }), t.post(token, VCS, { input })]);
    for (const retry of retries) expect(retry.data).toEqual(first.data);
    expect(await t.database.db.$count(vcsContacts, eq(vcsContacts.childId, later.id))).toBe(1);
    expect(await eventsFor(t, later.id, 'vcs_contact')).toHaveLength(1);
  });

  it('keeps answering a retry for a child it does not hold under the first receipt, storing nothing', async () => {
    const input = contact({ contactRef: 'c-nobody', childId: randomUUID() });
    const first = await t.post(token, VCS, { input });
    const retry = await t.post(token, VCS, { input });
    expect(retry.data).toEqual(first.data);
    expect(await auditOf(t, retry)).toHaveLength(1);
    expect(codeOf(await t.post(token, VCS, { input: { ...input, summary: 'Changed' } }))).toBe('CONFLICT');
  });

  it('holds a contact for a child it cannot match, with the same receipt', async () => {
    const res = await t.post(token, VCS, {
      input: contact({
        contactRef: 'c-2',
        childId: null,
        givenName: 'Nomatch',
        familyName: 'Anywhere',
        dateOfBirth: '2013-01-01',
      }),
    });
    expect(res.data.postVcsContact).toMatchObject({ status: 'RECEIVED', receiptId: expect.any(String) });
    expect(await t.database.db.$count(pendingMatches)).toBe(1);
    expect(await auditOf(t, res)).toHaveLength(1);
  });
});
