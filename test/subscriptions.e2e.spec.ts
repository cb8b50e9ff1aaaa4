/**
 * caseChanged over a real WebSocket (graphql-ws client + ws) against a real hub and database:
 * delivery after a committed change, per-subscriber filtering at delivery time (relationship and
 * consent decided per event), audit before disclose, refusal at connect, slow subscribers, and
 * fan-out across two hub instances on one PostgreSQL database (LISTEN/NOTIFY).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, caseEvents, involvements } from '../schema';
import { trustRegistry } from '../src/auth/trust-registry';
import { createTokenVerifier } from '../src/auth/verify-token';
import { openDatabase, type Db } from '../src/db';
import { recordCaseEvent, type CaseEventInput, type CaseEventRow } from '../src/events/case-events';
import type { HardeningOverrides } from '../src/hardening/harden';
import { createHub, type Hub } from '../src/server/hub';
import type { SubscriptionServerOptions } from '../src/gateway/transports/websocket';
import type { HubServices } from '../src/server/services';
import { testServerUrl } from './support/database';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, TEST_AUDIENCE, type TestHub } from './support/hub';
import { subscribe, until, type LiveSubscription } from './support/ws-client';

const CASE_CHANGED = `subscription ($childId: ID, $cluster: Cluster) {
  caseChanged(childId: $childId, cluster: $cluster) {
    id childId kind occurredAt changedFields categories refs { name id }
    child { id givenName postcode hasSend }
  }
}`;

const CASE_CHANGED_AFTER = `subscription ($childId: ID, $after: ID) {
  caseChanged(childId: $childId, after: $after) { id childId changedFields }
}`;

async function emit(db: Db, input: Partial<CaseEventInput> & { childId: string }): Promise<CaseEventRow> {
  return db.transaction((tx) =>
    recordCaseEvent(tx, {
      kind: 'attendance_flagged',
      categories: ['education'],
      changedFields: ['attendance'],
      refs: {},
      actor: { subject: 'test-actor', organisationId: '00000000-0000-4000-8000-000000000000' },
      at: new Date(),
      ...input,
    }),
  );
}

async function subscriptionAuditRows(db: Db, childId: string, subject: string) {
  return db
    .select()
    .from(accessAudit)
    .where(
      and(
        eq(accessAudit.childId, childId),
        eq(accessAudit.callerSubject, subject),
        eq(accessAudit.operation, 'subscription'),
      ),
    );
}

describe('caseChanged over WebSocket', () => {
  let t: TestHub;
  let f: Fixture;
  let db: Db;
  let schoolA: string;
  let schoolB: string;
  let vcs: string;
  let pupilA: string;
  let pupilA2: string;
  let pupilB: string;
  let vcsChild: string;
  const open: LiveSubscription[] = [];

  async function live(
    token: string,
    variables: Record<string, unknown> = {},
    hub: Hub = t.hub,
    url = t.url,
    query = CASE_CHANGED,
  ): Promise<LiveSubscription> {
    const before = hub.subscriptions!.subscribers;
    const sub = subscribe(url, { token }, query, variables);
    open.push(sub);
    await until(() => hub.subscriptions!.subscribers > before, 10_000, 'the subscription to be active');
    return sub;
  }

  beforeAll(async () => {
    t = await startTestHub();
    db = t.database.db;
    f = fixture(db);
    schoolA = await f.org('school-a', 'school');
    schoolB = await f.org('school-b', 'school');
    vcs = await f.org('vcs', 'voluntary');
    pupilA = (await f.child()).id;
    pupilA2 = (await f.child()).id;
    pupilB = (await f.child()).id;
    vcsChild = (await f.child()).id;
    await f.involve(pupilA, schoolA, 'on_roll');
    await f.involve(pupilA2, schoolA, 'on_roll');
    await f.involve(pupilB, schoolB, 'on_roll');
    await f.involve(vcsChild, vcs, 'vcs_support');
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.dispose().catch(() => {})));
    await t.close();
  });

  it('delivers a committed change with the child fields the subscriber may read, audited before it arrives', async () => {
    const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-1' });
    const sub = await live(token, { childId: pupilA });
    // A rolled-back change is never announced.
    await db
      .transaction(async (tx) => {
        await recordCaseEvent(tx, {
          childId: pupilA,
          kind: 'attendance_flagged',
          categories: ['education'],
          changedFields: ['rolledBack'],
          actor: { subject: 'x', organisationId: schoolA },
          at: new Date(),
        });
        tx.rollback();
      })
      .catch(() => {});
    const event = await emit(db, { childId: pupilA, refs: { attendanceId: '11111111-1111-4111-8111-111111111111' } });

    const result = await sub.nth(0);
    const auditAtArrival = await subscriptionAuditRows(db, pupilA, 'dsl-a-1');
    expect(result.errors).toBeUndefined();
    expect(result.data.caseChanged).toMatchObject({
      id: String(event.seq),
      childId: pupilA,
      kind: 'attendance_flagged',
      changedFields: ['attendance'],
      categories: ['education'],
      refs: [{ name: 'attendanceId', id: '11111111-1111-4111-8111-111111111111' }],
      child: { id: pupilA, postcode: 'LE1 1AA', hasSend: false },
    });
    expect(typeof result.data.caseChanged.child.givenName).toBe('string');
    expect(new Date(result.data.caseChanged.occurredAt).getTime()).toBe(event.occurredAt.getTime());
    // Audit before disclose: the row existed when the client had the event.
    expect(auditAtArrival).toHaveLength(1);
    expect(auditAtArrival[0]!.fieldsReturned).toEqual(
      expect.arrayContaining(['CaseChange.kind', 'Child.givenName', 'Child.hasSend']),
    );
    expect(auditAtArrival[0]!.categoriesReturned).toEqual(expect.arrayContaining(['education', 'identity', 'contact']));
    expect(sub.results).toHaveLength(1);
  });

  it('replays what a dropped dashboard missed (`after`), then live changes, each once and each audited', async () => {
    const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-resume' });
    const first = await live(token, { childId: pupilA2 });
    const seen = await emit(db, { childId: pupilA2, changedFields: ['seen'] });
    expect((await first.nth(0)).data.caseChanged.id).toBe(String(seen.seq));
    const subscribed = t.hub.subscriptions!.subscribers;
    await first.dispose();
    await until(() => t.hub.subscriptions!.subscribers < subscribed, 5_000, 'the dropped subscription to end');
    const missed1 = await emit(db, { childId: pupilA2, changedFields: ['missed1'] });
    await emit(db, { childId: pupilB, changedFields: ['otherChild'] });
    const missed2 = await emit(db, { childId: pupilA2, changedFields: ['missed2'] });
    const auditBefore = (await subscriptionAuditRows(db, pupilA2, 'dsl-a-resume')).length;

    const resumed = await live(token, { childId: pupilA2, after: String(seen.seq) }, t.hub, t.url, CASE_CHANGED_AFTER);
    const after = await emit(db, { childId: pupilA2, changedFields: ['after'] });
    await resumed.nth(2);
    expect(resumed.results.map((r) => r.data.caseChanged.changedFields[0])).toEqual(['missed1', 'missed2', 'after']);
    expect(resumed.results.map((r) => r.data.caseChanged.id)).toEqual(
      [missed1.seq, missed2.seq, after.seq].map(String),
    );
    expect((await subscriptionAuditRows(db, pupilA2, 'dsl-a-resume')).length).toBe(auditBefore + 3);
    // Nothing arrives twice: a further change is the fourth result, not a repeat.
    const later = await emit(db, { childId: pupilA2, changedFields: ['later'] });
    expect((await resumed.nth(3)).data.caseChanged.id).toBe(String(later.seq));
    expect(resumed.results).toHaveLength(4);
  });

  it('refuses `after` that is not a change id, naming the field', async () => {
    const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-badafter' });
    const sub = subscribe(t.url, { token }, CASE_CHANGED_AFTER, { childId: pupilA, after: 'yesterday' });
    open.push(sub);
    const error = (await sub.error) as { extensions?: { code?: string; field?: string } }[];
    expect(error[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('gives a subscriber without a relationship nothing, while the same stream carries its own child (positive control)', async () => {
    const tokenA = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-2' });
    const tokenB = await t.token({ role: 'school_dsl', org: schoolB, sub: 'dsl-b-2' });
    const subA = await live(tokenA);
    const subB = await live(tokenB);
    const forA = await emit(db, { childId: pupilA });
    const forB = await emit(db, { childId: pupilB });

    expect((await subA.find((r) => r.data?.caseChanged?.id === String(forA.seq))).data.caseChanged.childId).toBe(
      pupilA,
    );
    const firstForB = await subB.nth(0);
    // Events are delivered in commit order: had B been given A's pupil, it would have come first.
    expect(firstForB.data.caseChanged).toMatchObject({ id: String(forB.seq), childId: pupilB });
    expect(subB.results.some((r) => r.data?.caseChanged?.childId === pupilA)).toBe(false);
    expect(await subscriptionAuditRows(db, pupilA, 'dsl-b-2')).toHaveLength(0);
    expect(await subscriptionAuditRows(db, pupilB, 'dsl-b-2')).toHaveLength(1);
  });

  it('refuses to follow a child without a relationship at subscribe time, with NO_RELATIONSHIP', async () => {
    const tokenB = await t.token({ role: 'school_dsl', org: schoolB, sub: 'dsl-b-3' });
    const sub = subscribe(t.url, { token: tokenB }, CASE_CHANGED, { childId: pupilA });
    open.push(sub);
    const error = (await sub.error) as { extensions?: { code?: string } }[];
    expect(error[0]!.extensions!.code).toBe('NO_RELATIONSHIP');
  });

  it('refuses the subscription to a role that may not read cases (FORBIDDEN)', async () => {
    const admin = await t.token({
      role: 'admin',
      org: await fixture(t.database.db).org('sub-admin-council', 'council_early_help'),
      sub: 'admin-1',
    });
    const sub = subscribe(t.url, { token: admin }, CASE_CHANGED, {});
    open.push(sub);
    const error = (await sub.error) as { extensions?: { code?: string } }[];
    expect(error[0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('stops events for a child once the relationship ends', async () => {
    const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-4' });
    const sub = await live(token);
    const before = await emit(db, { childId: pupilA2 });
    await sub.find((r) => r.data?.caseChanged?.id === String(before.seq));
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await db
      .update(involvements)
      .set({ endedOn: yesterday })
      .where(and(eq(involvements.childId, pupilA2), eq(involvements.organisationId, schoolA)));
    const after = await emit(db, { childId: pupilA2 });
    const control = await emit(db, { childId: pupilA });
    const from = sub.results.length;
    const next = await sub.find(() => true, 10_000, from);
    expect(next.data.caseChanged.id).toBe(String(control.seq));
    expect(sub.results.some((r) => r.data?.caseChanged?.id === String(after.seq))).toBe(false);
  });

  it('sends nothing once consent is withdrawn: an event that discloses no category to the subscriber is not sent at all', async () => {
    const consentId = await f.consent(vcsChild, {
      organisationIds: [vcs],
      categories: ['identity', 'contact', 'early_help'],
      purposes: ['direct_support'],
    });
    const token = await t.token({ role: 'vcs_worker', org: vcs, sub: 'vcs-1' });
    const query =
      'subscription ($childId: ID) { caseChanged(childId: $childId) { id childId kind changedFields child { id givenName postcode } } }';
    const sub = await live(token, { childId: vcsChild }, t.hub, t.url, query);
    const first = await emit(db, {
      childId: vcsChild,
      kind: 'vcs_contact',
      categories: ['early_help'],
      changedFields: ['contacts'],
    });
    const one = await sub.find((r) => r.data?.caseChanged?.id === String(first.seq));
    expect(one.errors).toBeUndefined();
    expect(one.data.caseChanged.kind).toBe('vcs_contact');
    expect(typeof one.data.caseChanged.child.givenName).toBe('string');
    const auditedBefore = (await subscriptionAuditRows(db, vcsChild, 'vcs-1')).length;

    // Withdrawn through the real mutation: neither its own case event nor the next one reaches
    // the subscriber — even redacted, they would say when Early Help activity happens.
    const withdrawn = await t.post(
      token,
      'mutation ($id: ID!) { withdrawConsent(id: $id, reason: "Family asked to stop sharing") { id } }',
      { id: consentId },
    );
    expect(withdrawn.errors).toBeUndefined();
    const [changed] = await db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, vcsChild), eq(caseEvents.kind, 'consent_changed')));
    expect(changed).toBeDefined();
    const second = await emit(db, {
      childId: vcsChild,
      kind: 'vcs_contact',
      categories: ['early_help'],
      changedFields: ['contacts'],
    });
    // Positive control: consent to identity only (so `second`, early_help alone, stays unsent
    // whenever it is decided); an identity change then arrives, the first since the withdrawal.
    await f.consent(vcsChild, { organisationIds: [vcs], categories: ['identity'], purposes: ['direct_support'] });
    const third = await emit(db, {
      childId: vcsChild,
      kind: 'child_registered',
      categories: ['identity'],
      changedFields: ['registered'],
    });
    await sub.find((r) => r.data?.caseChanged?.id === String(third.seq));
    const ids = sub.results.map((r) => r.data?.caseChanged?.id);
    expect(ids).not.toContain(String(changed!.seq));
    expect(ids).not.toContain(String(second.seq));
    expect((await subscriptionAuditRows(db, vcsChild, 'vcs-1')).length).toBe(auditedBefore + 1);
  });

  it('follows a cluster, still deciding each event per child', async () => {
    const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-6' });
    const sub = await live(token, { cluster: 'east' });
    const otherCluster = await emit(db, { childId: pupilA, cluster: 'west' });
    const unrelated = await emit(db, { childId: pupilB, cluster: 'east' });
    const mine = await emit(db, { childId: pupilA, cluster: 'east' });
    const first = await sub.nth(0);
    expect(first.data.caseChanged.id).toBe(String(mine.seq));
    expect(sub.results.map((r) => r.data?.caseChanged?.id)).not.toContain(String(otherCluster.seq));
    expect(sub.results.map((r) => r.data?.caseChanged?.id)).not.toContain(String(unrelated.seq));
  });

  it('follows a child into its surviving record when a duplicate is merged', async () => {
    const duplicate = (await f.child({ nhsNumber: null, upn: null })).id;
    const survivor = (await f.child()).id;
    await f.involve(duplicate, schoolA, 'on_roll');
    const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-merge' });
    const sub = await live(token, { childId: duplicate });
    await t.services.children.merge(duplicate, survivor, 'Same child recorded twice (test)', 'test');
    const merged = await sub.nth(0);
    expect(merged.data.caseChanged).toMatchObject({ childId: survivor, kind: 'child_merged' });
    const next = await emit(db, { childId: survivor, changedFields: ['afterMerge'] });
    expect((await sub.nth(1)).data.caseChanged).toMatchObject({ id: String(next.seq), childId: survivor });
    expect(sub.results).toHaveLength(2);
  });

  it('replays across a merge: what the duplicate recorded before it, the merge, then the survivor', async () => {
    const duplicate = (await f.child({ nhsNumber: null, upn: null })).id;
    const survivor = (await f.child()).id;
    await f.involve(duplicate, schoolA, 'on_roll');
    const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-merge-replay' });
    const seen = await emit(db, { childId: duplicate, changedFields: ['seen'] });
    const missed = await emit(db, { childId: duplicate, changedFields: ['missedBeforeMerge'] });
    await t.services.children.merge(duplicate, survivor, 'Same child recorded twice (test)', 'test');
    // The dashboard reconnects with the id it knew and the last change it had.
    const resumed = await live(
      token,
      { childId: duplicate, after: String(seen.seq) },
      t.hub,
      t.url,
      CASE_CHANGED_AFTER,
    );
    const next = await emit(db, { childId: survivor, changedFields: ['afterMerge'] });
    await resumed.nth(2);
    expect(resumed.results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(resumed.results.map((r) => r.data.caseChanged.id)).toEqual([
      String(missed.seq),
      expect.any(String),
      String(next.seq),
    ]);
    expect(resumed.results.map((r) => r.data.caseChanged.changedFields[0])).toEqual([
      'missedBeforeMerge',
      'mergedFrom',
      'afterMerge',
    ]);
    // The merge moved the duplicate's history to the surviving record, which the old id redirects to.
    expect(resumed.results.map((r) => r.data.caseChanged.childId)).toEqual([survivor, survivor, survivor]);
  });

  it('refuses an expired or forged token at connect with 4403 Forbidden', async () => {
    const expired = await t.token({
      role: 'school_dsl',
      org: schoolA,
      expiresIn: Math.floor(Date.now() / 1000) - 3600,
    });
    const a = subscribe(t.url, { token: expired }, CASE_CHANGED, {});
    const b = subscribe(t.url, { token: 'not.a.token' }, CASE_CHANGED, {});
    const c = subscribe(t.url, { token: null }, CASE_CHANGED, {});
    open.push(a, b, c);
    expect((await a.closed).code).toBe(4403);
    expect((await b.closed).code).toBe(4403);
    expect((await c.closed).code).toBe(4403);
    expect(a.results).toHaveLength(0);
  });

  it('serves only subscriptions over the socket (queries go to POST /graphql, where the audit runs)', async () => {
    const token = await t.token({ role: 'school_dsl', org: schoolA });
    const sub = subscribe(t.url, { token }, '{ me { role } }', {});
    open.push(sub);
    const error = (await sub.error) as { extensions?: { code?: string } }[];
    expect(error[0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  describe('with hubs built for the case', () => {
    const hubs: Hub[] = [];
    async function hubWith(
      services: HubServices,
      ws: SubscriptionServerOptions,
      hardening?: HardeningOverrides,
    ): Promise<{ hub: Hub; url: string }> {
      const verifyToken = createTokenVerifier({ registry: trustRegistry([t.issuer.trusted]), audience: TEST_AUDIENCE });
      const hub = await createHub({ services, verifyToken, ws, hardening });
      hubs.push(hub);
      return { hub, url: `${await hub.listen(0)}/graphql` };
    }
    afterAll(async () => {
      await Promise.all(hubs.map((h) => h.stop()));
    });

    it('tells a subscriber that falls behind and closes its socket, instead of queueing without bound', async () => {
      const { hub, url } = await hubWith(t.services, { queueLimit: 2 });
      const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-slow' });
      const sub = await live(token, {}, hub, url);
      await db.transaction(async (tx) => {
        for (let i = 0; i < 30; i++) {
          await recordCaseEvent(tx, {
            childId: pupilA,
            kind: 'attendance_flagged',
            categories: ['education'],
            changedFields: ['attendance'],
            actor: { subject: 'x', organisationId: schoolA },
            at: new Date(),
          });
        }
      });
      const closed = await sub.closed;
      expect(closed.code).toBe(1008);
      expect(closed.reason).toMatch(/too slow/i);
      expect(sub.results.length).toBeLessThan(30);
      await until(() => hub.subscriptions!.subscribers === 0, 5_000, 'the slow subscriber to be dropped');
    });

    it('applies the operation limits of POST /graphql to a subscription (depth, tokens, cost)', async () => {
      const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-limits' });
      const shallow = await hubWith(t.services, {}, { limits: { maxDepth: 2 } });
      const deep = subscribe(shallow.url, { token }, CASE_CHANGED, { childId: pupilA });
      const few = await hubWith(t.services, {}, { limits: { maxTokens: 20 } });
      const long = subscribe(few.url, { token }, CASE_CHANGED, { childId: pupilA });
      const cheap = await hubWith(t.services, {}, { limits: { maxCost: 5 } });
      const costly = subscribe(cheap.url, { token }, CASE_CHANGED, { childId: pupilA });
      open.push(deep, long, costly);
      expect(((await deep.error) as { message: string }[])[0]!.message).toMatch(/exceeds the limit maxDepth = 2/);
      expect(((await long.error) as { message: string }[])[0]!.message).toMatch(/20 tokens/);
      expect(((await costly.error) as { extensions: { limit: string } }[])[0]!.extensions.limit).toBe('maxCost');
      // Positive control: the same document within the limits subscribes.
      await live(token, { childId: pupilA });
      for (const h of [shallow, few, cheap]) expect(h.hub.subscriptions!.subscribers).toBe(0);
    });

    it('refuses a subscription beyond maxSubscriptionsPerConnection on one connection', async () => {
      const { hub, url } = await hubWith(t.services, { maxSubscriptionsPerConnection: 2 });
      const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-many' });
      const first = await live(token, { childId: pupilA }, hub, url);
      const more = (childId: string) =>
        new Promise<unknown>((resolve) => {
          first.client.subscribe(
            { query: CASE_CHANGED, variables: { childId } },
            { next: () => {}, error: resolve, complete: () => resolve(null) },
          );
        });
      const second = more(pupilA);
      await until(() => hub.subscriptions!.subscribers === 2, 10_000, 'the second subscription');
      const third = (await more(pupilA)) as { message: string; extensions: { limit: string; maximum: number } }[];
      expect(third[0]!.extensions).toMatchObject({ limit: 'maxSubscriptionsPerConnection', maximum: 2 });
      expect(hub.subscriptions!.subscribers).toBe(2);
      expect(hub.subscriptions!.connections).toBe(1);
      void second;
    });

    it('rate limits WebSocket connections and subscriptions from the same budget as POST /graphql (4429)', async () => {
      const { hub, url } = await hubWith(t.services, {}, { rateLimits: { callerPerMinute: 3 } });
      const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-busy' });
      const post = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { role } }' }),
      });
      expect(post.status).toBe(200);
      // One request over HTTP, one connection, one subscription: the budget of 3 is spent.
      await live(token, { childId: pupilA }, hub, url);
      const refused = subscribe(url, { token }, CASE_CHANGED, { childId: pupilA });
      open.push(refused);
      const closed = await refused.closed;
      expect(closed.code).toBe(4429);
      expect(closed.reason).toMatch(/Too many requests for this caller/);
      const again = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { role } }' }),
      });
      expect(again.status).toBe(429);
      // Another caller is not affected.
      await live(
        await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-quiet' }),
        { childId: pupilA },
        hub,
        url,
      );
    });

    it('refuses to replay more changes than the connection may queue (re-read instead)', async () => {
      const { hub, url } = await hubWith(t.services, { queueLimit: 2 });
      const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-behind' });
      const from = await emit(db, { childId: pupilA, changedFields: ['from'] });
      for (let i = 0; i < 3; i++) await emit(db, { childId: pupilA, changedFields: [`behind${i}`] });
      const sub = subscribe(url, { token }, CASE_CHANGED_AFTER, { childId: pupilA, after: String(from.seq) });
      open.push(sub);
      const error = (await sub.error) as { message: string; extensions?: { code?: string; field?: string } }[];
      expect(error[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      expect(error[0]!.message).toMatch(/more than 2 changes/);
      expect(hub.subscriptions!.subscribers).toBe(0);
    });

    it('withholds an event whose audit cannot be written', async () => {
      const failingAudit = {
        record: async () => {
          throw new Error('audit store unavailable');
        },
      } as unknown as HubServices['audit'];
      const { hub, url } = await hubWith({ ...t.services, audit: failingAudit }, {});
      const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-noaudit' });
      const sub = await live(token, { childId: pupilA }, hub, url);
      await emit(db, { childId: pupilA });
      const result = await sub.nth(0);
      expect(result.data ?? null).toBeNull();
      expect(result.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    });

    it.skipIf(!testServerUrl)('delivers across two hub instances on one PostgreSQL database', async () => {
      const second = await openDatabase({ url: t.database.url!, maxConnections: 4 });
      try {
        const { createServices } = await import('../src/server/services');
        const servicesB = createServices({ database: second, clock: t.services.clock, logger: t.services.logger });
        const b = await hubWith(servicesB, {});
        const token = await t.token({ role: 'school_dsl', org: schoolA, sub: 'dsl-a-x' });
        const onA = await live(token, { childId: pupilA });
        const onB = await live(token, { childId: pupilA }, b.hub, b.url);
        const viaB = await emit(second.db, { childId: pupilA, changedFields: ['viaB'] });
        const viaA = await emit(db, { childId: pupilA, changedFields: ['viaA'] });
        for (const sub of [onA, onB]) {
          expect((await sub.nth(0)).data.caseChanged).toMatchObject({ id: String(viaB.seq), changedFields: ['viaB'] });
          expect((await sub.nth(1)).data.caseChanged).toMatchObject({ id: String(viaA.seq), changedFields: ['viaA'] });
        }
        const rows = await subscriptionAuditRows(db, pupilA, 'dsl-a-x');
        expect(rows).toHaveLength(4);
        await b.hub.stop();
      } finally {
        await second.close();
      }
    });
  });
});
