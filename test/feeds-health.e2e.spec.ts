import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children, ehas, feedSubmissions, healthUpdates, involvements, pendingMatches } from '../schema';
import { auditOf, codeOf, countsOf, eventsFor, healthUpdateOf, heldFor } from './feeds-support';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const POST = `mutation ($input: PostHealthUpdateInput!) {
  postHealthUpdate(input: $input) { status receiptId }
}`;
const TABLES = { submissions: feedSubmissions, updates: healthUpdates, pending: pendingMatches, children };

describe('health feed over HTTP (postHealthUpdate)', () => {
  let t: TestHub;
  let f: Fixture;
  let trust: string;
  let trustToken: string;
  let screenerToken: string;
  let child: { id: string; nhsNumber: string; upn: string };

  const update = (over: Record<string, unknown> = {}) => ({
    recordId: 'rec-1',
    nhsNumber: child.nhsNumber,
    level: 'UNIVERSAL',
    effectiveDate: '2026-01-10',
    contactType: 'school nurse drop-in',
    summary: 'Routine contact',
    ...over,
  });

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    trust = await f.org('trust', 'health');
    const council = await f.org('council', 'council_early_help');
    child = await f.child();
    // The trust's caseload (its own push, not its posts) is what lets it read a child back.
    await f.involve(child.id, trust, 'caseload');
    trustToken = await t.token({ role: 'health_system', org: trust, sub: 'trust-epr' });
    screenerToken = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-1' });
  });
  afterAll(() => t.close());

  it('applies an update once: a retry with the same record id returns the same receipt and changes nothing', async () => {
    const first = await t.post(trustToken, POST, { input: update() });
    expect(first.errors).toBeUndefined();
    expect(first.data.postHealthUpdate).toMatchObject({ status: 'RECEIVED', receiptId: expect.any(String) });
    const before = await countsOf(t, TABLES);
    const eventsBefore = (await eventsFor(t, child.id, 'health_level_changed')).length;

    // Same content in another key order: same canonical hash.
    const { summary, ...rest } = update();
    const retry = await t.post(trustToken, POST, { input: { summary, ...rest } });
    expect(retry.errors).toBeUndefined();
    expect(retry.data.postHealthUpdate).toEqual(first.data.postHealthUpdate);
    expect(await countsOf(t, TABLES)).toEqual(before);
    expect((await eventsFor(t, child.id, 'health_level_changed')).length).toBe(eventsBefore);
    expect(await t.database.db.$count(healthUpdates, eq(healthUpdates.childId, child.id))).toBe(1);
  });

  it("audits the receipt under what was sent, then the change under the child, with a case event in the change's transaction", async () => {
    const res = await t.post(trustToken, POST, {
      input: update({ recordId: 'rec-audit', effectiveDate: '2026-01-11' }),
    });
    const audit = await auditOf(t, res);
    expect(audit).toHaveLength(2);
    // The receipt names no child: the request does not look the NHS number up.
    const receipt = audit.find((a) => a.childId !== child.id);
    expect(receipt!.changes).toEqual([{ action: 'postHealthUpdate', fields: ['received'] }]);
    const applied = audit.find((a) => a.childId === child.id);
    expect(applied).toMatchObject({ childId: child.id, callerRole: 'health_system', operation: 'mutation' });
    expect(applied!.changes).toEqual([{ action: 'postHealthUpdate', fields: ['healthHistory'] }]);
    const events = await eventsFor(t, child.id, 'health_level_changed');
    const row = await healthUpdateOf(t, trust, 'rec-audit');
    expect(events.some((e) => (e.refs as Record<string, string>).healthUpdateId === row!.id)).toBe(true);
    expect(events.every((e) => e.categories.join() === 'health')).toBe(true);
  });

  it('refuses a changed payload under the same record id with CONFLICT, changing nothing', async () => {
    const before = await countsOf(t, TABLES);
    const res = await t.post(trustToken, POST, { input: update({ level: 'UNIVERSAL_PLUS' }) });
    expect(codeOf(res)).toBe('CONFLICT');
    expect(await countsOf(t, TABLES)).toEqual(before);
  });

  it('refuses an invalid NHS number with BAD_USER_INPUT naming the field, storing nothing', async () => {
    const before = await countsOf(t, TABLES);
    const res = await t.post(trustToken, POST, { input: update({ recordId: 'rec-bad', nhsNumber: '9434765918' }) });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nhsNumber' });
    expect(res.data?.postHealthUpdate ?? null).toBeNull();
    expect(await countsOf(t, TABLES)).toEqual(before);
  });

  it('creates no relationship: the trust reads the level it posted through its own caseload', async () => {
    const rows = await t.database.db.select().from(involvements).where(eq(involvements.childId, child.id));
    expect(rows).toHaveLength(1); // the caseload fixture, nothing added by the posts
    const res = await t.post(
      trustToken,
      `query ($n: String) { child(nhsNumber: $n) { id healthLevel healthHistory { level effectiveDate } } }`,
      { n: child.nhsNumber },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.child.healthLevel).toBe('UNIVERSAL');
    expect(res.data.child.healthHistory).toHaveLength(2);
  });

  it('settles concurrent identical posts to one update and one answer', async () => {
    const input = update({ recordId: 'rec-race', effectiveDate: '2026-01-12' });
    const results = await Promise.all(Array.from({ length: 6 }, () => t.post(trustToken, POST, { input })));
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(new Set(results.map((r) => JSON.stringify(r.data.postHealthUpdate))).size).toBe(1);
    expect(await t.database.db.$count(healthUpdates, eq(healthUpdates.recordId, 'rec-race'))).toBe(1);
  });

  it("creates a new record from a held submission's details when the screener finds none", async () => {
    const nhs = '9990000018';
    const held = await t.post(trustToken, POST, {
      input: update({
        recordId: 'rec-new',
        nhsNumber: nhs,
        child: { givenName: 'Orla', familyName: 'Brackenfield', dateOfBirth: '2019-04-04', postcode: 'LE3 3CC' },
      }),
    });
    expect(held.data.postHealthUpdate.status).toBe('RECEIVED');
    const reference = await heldFor(t, held.data.postHealthUpdate.receiptId);
    const res = await t.post(
      screenerToken,
      `mutation ($id: ID!) { resolvePendingMatch(id: $id, createNew: true) { status resolvedChildId } }`,
      { id: reference },
    );
    expect(res.errors).toBeUndefined();
    const childId = res.data.resolvePendingMatch.resolvedChildId as string;
    const [created] = await t.database.db.select().from(children).where(eq(children.id, childId));
    expect(created).toMatchObject({ nhsNumber: nhs, dateOfBirth: '2019-04-04', postcode: 'LE3 3CC' });
    expect(await t.database.db.$count(healthUpdates, eq(healthUpdates.childId, childId))).toBe(1);
    expect(await eventsFor(t, childId, 'child_registered')).toHaveLength(1);
    const bad = await t.post(
      screenerToken,
      `mutation ($id: ID!, $c: ID) { resolvePendingMatch(id: $id, childId: $c, createNew: true) { status } }`,
      { id: reference, c: childId },
    );
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childId' });
  });

  it('holds an update for a record whose NHS number was never traced (a lead, not proof)', async () => {
    const untraced = await f.child({ nhsNumberTraced: false });
    const res = await t.post(trustToken, POST, {
      input: update({ recordId: 'rec-untraced', nhsNumber: untraced.nhsNumber }),
    });
    expect(res.data.postHealthUpdate).toMatchObject({ status: 'RECEIVED' });
    const [held] = await t.database.db
      .select()
      .from(pendingMatches)
      .where(eq(pendingMatches.submissionId, res.data.postHealthUpdate.receiptId));
    expect(held).toMatchObject({ reason: 'untraced_nhs_number', candidateChildIds: [untraced.id], status: 'pending' });
    expect(await t.database.db.$count(healthUpdates, eq(healthUpdates.childId, untraced.id))).toBe(0);
  });

  it('refuses other roles (deny by default)', async () => {
    const school = await f.org('school', 'school');
    const res = await t.post(await t.token({ role: 'school_dsl', org: school }), POST, {
      input: update({ recordId: 'rec-x' }),
    });
    expect(codeOf(res)).toBe('FORBIDDEN');
  });

  it('shows a move into Universal Plus during an open EHA to the lead practitioner, with a case event', async () => {
    const council = await f.org('council-eh', 'council_early_help');
    const fsm = await f.practitioner(council, 'fsm-health', 'family_support_manager');
    const lpOrg = await f.org('lp-org', 'council_early_help');
    const lp = await f.practitioner(lpOrg, 'lp-health', 'lead_practitioner');
    const pupil = await f.child();
    const [eha] = await t.database.db
      .insert(ehas)
      .values({
        childId: pupil.id,
        status: 'plan_in_place',
        origin: 'referral',
        cluster: 'central',
        startedOn: '2026-01-01',
        familySupportManagerId: fsm,
        leadPractitionerId: lp,
      })
      .returning();
    await f.involve(pupil.id, lpOrg, 'lead_practitioner', { practitionerId: lp });
    await f.consent(pupil.id, { organisationIds: [lpOrg], categories: ['health', 'early_help'] });
    await t.post(trustToken, POST, {
      input: update({ recordId: 'up-0', nhsNumber: pupil.nhsNumber, effectiveDate: '2026-02-01' }),
    });

    const res = await t.post(trustToken, POST, {
      input: update({
        recordId: 'up-1',
        nhsNumber: pupil.nhsNumber,
        level: 'UNIVERSAL_PLUS',
        effectiveDate: '2026-03-01',
      }),
    });
    expect(res.data.postHealthUpdate).toMatchObject({ status: 'RECEIVED' });
    const events = await eventsFor(t, pupil.id, 'health_level_changed');
    const escalation = events.find((e) => (e.refs as Record<string, string>).ehaId === eha!.id);
    expect(escalation).toMatchObject({ cluster: 'central', changedFields: ['healthHistory', 'healthLevel'] });

    const lpToken = await t.token({ role: 'lead_practitioner', org: lpOrg, sub: 'lp-health' });
    const read = await t.post(
      lpToken,
      `query ($id: ID) { child(id: $id) { healthLevel healthHistory { level previousLevel } } }`,
      { id: pupil.id },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data.child.healthLevel).toBe('UNIVERSAL_PLUS');
    expect(read.data.child.healthHistory.map((h: { level: string }) => h.level)).toEqual([
      'UNIVERSAL',
      'UNIVERSAL_PLUS',
    ]);
  });

  it('keeps the level of the latest effective date: a backdated update joins the history only; on the same date the later one counts', async () => {
    const pupil = await f.child();
    await f.involve(pupil.id, trust, 'caseload');
    const post = async (recordId: string, level: string, effectiveDate: string) => {
      const res = await t.post(trustToken, POST, {
        input: update({ recordId, nhsNumber: pupil.nhsNumber, level, effectiveDate }),
      });
      expect(res.errors).toBeUndefined();
      const row = await healthUpdateOf(t, trust, recordId);
      const [event] = (await eventsFor(t, pupil.id, 'health_level_changed')).filter(
        (e) => (e.refs as Record<string, string>).healthUpdateId === row!.id,
      );
      return { changed: event!.changedFields, previousLevel: row!.previousLevel };
    };
    const levelNow = async () =>
      (await t.post(trustToken, `query ($n: String) { child(nhsNumber: $n) { healthLevel } }`, { n: pupil.nhsNumber }))
        .data.child.healthLevel;

    expect(await post('in-force', 'UNIVERSAL_PLUS', '2026-03-01')).toEqual({
      changed: ['healthHistory', 'healthLevel'],
      previousLevel: null,
    });
    expect(await post('backdated', 'UNIVERSAL', '2026-01-15')).toEqual({
      changed: ['healthHistory'],
      previousLevel: 'UNIVERSAL_PLUS',
    });
    expect(await levelNow()).toBe('UNIVERSAL_PLUS');
    expect(await post('same-day', 'UNIVERSAL_PARTNERSHIP_PLUS', '2026-03-01')).toEqual({
      changed: ['healthHistory', 'healthLevel'],
      previousLevel: 'UNIVERSAL_PLUS',
    });
    expect(await levelNow()).toBe('UNIVERSAL_PARTNERSHIP_PLUS');
  });

  it('holds an unknown NHS number for review, then applies it to the record the screener chooses', async () => {
    const unknownNhs = '9434765919';
    const target = await f.child({ nhsNumber: null, nhsNumberTraced: false });
    const before = await countsOf(t, TABLES);
    const held = await t.post(trustToken, POST, { input: update({ recordId: 'rec-held', nhsNumber: unknownNhs }) });
    expect(held.errors).toBeUndefined();
    expect(held.data.postHealthUpdate).toMatchObject({ status: 'RECEIVED' });
    const reference = (await heldFor(t, held.data.postHealthUpdate.receiptId))!;
    expect(reference).toMatch(/^[0-9a-f-]{36}$/);
    const after = await countsOf(t, TABLES);
    expect(after).toEqual({ ...before, submissions: before.submissions! + 1, pending: before.pending! + 1 });

    const queue = await t.post(screenerToken, `{ pendingMatches { id feed reason nhsNumber status } }`);
    expect(queue.errors).toBeUndefined();
    expect(queue.data.pendingMatches).toContainEqual({
      id: reference,
      feed: 'health',
      reason: 'no_match',
      nhsNumber: unknownNhs,
      status: 'pending',
    });
    expect(codeOf(await t.post(trustToken, `{ pendingMatches { id } }`))).toBe('FORBIDDEN');

    const resolved = await t.post(
      screenerToken,
      `mutation ($id: ID!, $c: ID) { resolvePendingMatch(id: $id, childId: $c) { status resolvedChildId } }`,
      { id: reference, c: target.id },
    );
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data.resolvePendingMatch).toEqual({ status: 'resolved', resolvedChildId: target.id });
    const rows = await t.database.db.select().from(healthUpdates).where(eq(healthUpdates.childId, target.id));
    expect(rows).toHaveLength(1);
    const [record] = await t.database.db.select().from(children).where(eq(children.id, target.id));
    expect(record!.nhsNumber).toBe(unknownNhs);
    expect(await eventsFor(t, target.id, 'health_level_changed')).toHaveLength(1);
    expect((await auditOf(t, resolved)).flatMap((a) => a.changes as unknown[])).toContainEqual({
      action: 'resolvePendingMatch',
      fields: ['healthHistory', 'healthLevel'],
    });

    // Resolving twice is refused; the trust's retry still gets its original answer and adds nothing.
    expect(
      codeOf(
        await t.post(
          screenerToken,
          `mutation ($id: ID!, $c: ID) { resolvePendingMatch(id: $id, childId: $c) { status } }`,
          { id: reference, c: target.id },
        ),
      ),
    ).toBe('INVALID_TRANSITION');
    const retry = await t.post(trustToken, POST, { input: update({ recordId: 'rec-held', nhsNumber: unknownNhs }) });
    expect(retry.data.postHealthUpdate).toEqual(held.data.postHealthUpdate);
    expect(await t.database.db.$count(healthUpdates, eq(healthUpdates.childId, target.id))).toBe(1);
  });
});
