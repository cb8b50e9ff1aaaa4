/**
 * Fault tests of the Liquid Logic sync against the simulator over HTTP,
 * each ending with the counted check — rows written to the outbox = records the simulator holds,
 * every idempotency key held exactly once (nothing lost, nothing doubled).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import { outbox } from '../schema';
import { HttpCaseRecordAdapter } from '../adapters/liquid-logic/http-adapter';
import { openDatabase, type Database } from '../src/db';
import { buildRecord, deliveryKey } from '../src/outbox/record-builder';
import type { TestDatabase } from './support/database';
import { startTestHub, type TestHub } from './support/hub';
import { syncRigForEachTest, type SyncRig } from './liquid-logic.support';

let database: TestDatabase;
let rig: SyncRig;
syncRigForEachTest((r, d) => {
  rig = r;
  database = d;
});

/** Every outbox row delivered, and the simulator holds each row's delivery key exactly once and nothing else. */
async function expectExactlyOnce() {
  const rows = await rig.db.select().from(outbox).orderBy(asc(outbox.id));
  const held = await rig.admin.records();
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((r) => r.status !== 'delivered').map((r) => `${r.id}:${r.status}:${r.lastError}`)).toEqual([]);
  expect(held.length).toBe(rows.length);
  expect(new Set(held.map((r) => r.idempotencyKey))).toEqual(new Set(rows.map((r) => r.deliveryKey)));
  // The key covers the content (a person's hash is then taken again with Liquid Logic's id in it).
  for (const row of rows.filter((r) => r.entity !== 'person'))
    expect(row.deliveryKey).toBe(deliveryKey(row.idempotencyKey, row.contentHash!));
  return { rows, held };
}

/** Per child, the simulator received the child's rows in outbox order. */
function expectPerChildOrder(rows: (typeof outbox.$inferSelect)[], held: { idempotencyKey: string; seq: number }[]) {
  const seqOf = new Map(held.map((h) => [h.idempotencyKey, h.seq]));
  const byChild = new Map<string, number[]>();
  for (const row of rows) byChild.set(row.childId, [...(byChild.get(row.childId) ?? []), seqOf.get(row.deliveryKey!)!]);
  for (const seqs of byChild.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
}

describe('Liquid Logic sync under faults (simulator over HTTP)', () => {
  it('simulator down for a while, then back: every event delivered exactly once', async () => {
    await rig.admin.down();
    for (let i = 0; i < 4; i++) await rig.makeCase(3);
    const worker = rig.worker();
    // While it is down, attempts fail as retryable and nothing is lost.
    for (let i = 0; i < 5; i++) {
      await worker.runOnce();
      await new Promise((r) => setTimeout(r, 20));
    }
    const failing = await rig.db.select().from(outbox);
    expect(
      failing.some((r) => r.attempts > 0 && r.status === 'pending' && /connection_failed/.test(r.lastError ?? '')),
    ).toBe(true);
    expect(failing.every((r) => r.status !== 'dead' && r.status !== 'delivered')).toBe(true);
    await rig.admin.up();
    await rig.drain([worker]);
    const { rows, held } = await expectExactlyOnce();
    expect(rows.length).toBe(4 * 5);
    expectPerChildOrder(rows, held);
    const counted = await rig.countedCheck();
    expect(counted).toMatchObject({ outboxRows: 20, delivered: 20, held: 20 });
    expect(counted.stats.replays).toBe(0);
  });

  it('500s and timeouts are retried, then delivered; a stored-but-unanswered request is not doubled', async () => {
    for (let i = 0; i < 3; i++) await rig.makeCase(2);
    await rig.admin.faults({ failNext: 4, timeoutNext: 2 });
    const worker = rig.worker();
    await rig.drain([worker]);
    const { rows } = await expectExactlyOnce();
    const stats = await rig.admin.stats();
    expect(stats.failed).toBe(4);
    expect(stats.timedOut).toBe(2);
    // The two timed-out requests had been stored: their retries were answered from the stored key.
    expect(stats.replays).toBe(2);
    expect(rows.some((r) => r.attempts > 1)).toBe(true);
    expect(await rig.countedCheck()).toMatchObject({ outboxRows: 12, delivered: 12, held: 12 });
  });

  it('a worker killed between claim and acknowledgement: the lease expires, another worker redelivers, the key deduplicates', async () => {
    for (let i = 0; i < 4; i++) await rig.makeCase(1);
    const doomed = rig.worker({ leaseMs: 400, batchSize: 50 });
    const claimed = await doomed.claim();
    expect(claimed.length).toBe(4); // one row per child: a child's later rows wait for its earlier one
    // It got two of them to Liquid Logic before it died, and acknowledged none.
    const adapter = new HttpCaseRecordAdapter({ baseUrl: rig.sim.url, timeoutMs: 1000 });
    for (const row of claimed.slice(0, 2)) {
      const built = await buildRecord(rig.db, row);
      await built.send(adapter, deliveryKey(row.idempotencyKey, built.contentHash));
    }
    const survivor = rig.worker();
    expect((await survivor.runOnce()).claimed).toBe(0); // the lease still holds: nothing of those children is claimable
    await new Promise((r) => setTimeout(r, 450));
    await rig.drain([survivor]);
    const { rows, held } = await expectExactlyOnce();
    expectPerChildOrder(rows, held);
    const stats = await rig.admin.stats();
    expect(stats.replays).toBe(2);
    expect(await rig.countedCheck()).toMatchObject({ outboxRows: 12, delivered: 12, held: 12 });
  });

  it('two workers at once (separate connections on Postgres): no double delivery, per-child order kept', async () => {
    for (let i = 0; i < 6; i++) await rig.makeCase(4);
    // On Postgres the second worker has its own connection pool, as a worker on another machine would.
    const second: Database | null = database.url ? await openDatabase({ url: database.url, maxConnections: 3 }) : null;
    try {
      const a = rig.worker({ workerId: 'worker-a', batchSize: 3 });
      const b = rig.worker({ workerId: 'worker-b', batchSize: 3, ...(second ? { db: second.db } : {}) });
      await rig.admin.faults({ slowMs: 5 });
      await rig.drain([a, b], 30_000);
      const { rows, held } = await expectExactlyOnce();
      expect(rows.length).toBe(6 * 6);
      expectPerChildOrder(rows, held);
      const stats = await rig.admin.stats();
      expect(stats.replays).toBe(0);
      expect(stats.requests).toBe(36);
      expect(new Set(rows.map((r) => r.claimedBy))).toEqual(new Set(['worker-a', 'worker-b']));
      expect(await rig.countedCheck()).toMatchObject({ outboxRows: 36, delivered: 36, held: 36 });
    } finally {
      await second?.close();
    }
  });

  it('started loops of two workers share the queue the same way', async () => {
    for (let i = 0; i < 4; i++) await rig.makeCase(2);
    const a = rig.worker({ workerId: 'loop-a', batchSize: 2 });
    const b = rig.worker({ workerId: 'loop-b', batchSize: 2 });
    a.start();
    b.start();
    try {
      const deadline = Date.now() + 20_000;
      while ((await rig.countedCheck()).delivered < 16 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 25));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const { rows, held } = await expectExactlyOnce();
    expectPerChildOrder(rows, held);
    expect((await rig.admin.stats()).replays).toBe(0);
  });

  it("an idle worker is woken by the change's NOTIFY, not by its idle timer", async () => {
    // An hour's idle sleep: without the notification nothing would be delivered within the test.
    const worker = rig.worker({ workerId: 'woken', idleMs: 3_600_000, notifications: database });
    worker.start();
    try {
      await new Promise((r) => setTimeout(r, 200)); // the first, empty round is over: it sleeps
      await rig.makeCase(2);
      const deadline = Date.now() + 10_000;
      const settled = async () => {
        const c = await rig.countedCheck();
        return c.outboxRows > 0 && c.delivered === c.outboxRows;
      };
      while (!(await settled()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await worker.stop();
    }
    await expectExactlyOnce();
  });

  describe('with the hub (syncStatus over HTTP)', () => {
    let t: TestHub;
    let adminToken: string;
    let dpoToken: string;
    let fsmToken: string;
    beforeEach(async () => {
      t = await startTestHub({ database });
      const org = (await rig.db.execute(
        "select id from organisations where kind = 'council_early_help' limit 1" as never,
      )) as any;
      const orgId = (Array.isArray(org) ? org : org.rows)[0].id as string;
      adminToken = await t.token({ role: 'admin', org: orgId });
      dpoToken = await t.token({ role: 'dpo', org: orgId });
      fsmToken = await t.token({ role: 'family_support_manager', org: orgId });
    });
    afterEach(async () => {
      await t.close();
    });

    const STATUS =
      '{ syncStatus { pending inFlight deadLettered delivered blocked oldestPendingAgeSeconds lastError deadLetters { id entity eventKind attempts lastError blocking } } }';

    it("a permanent error is dead-lettered at once, a retryable one after maxAttempts; each holds back its child's later rows, visible in syncStatus; re-driving releases them in order", async () => {
      await rig.makeCase(1); // child A: person, episode, meeting
      await rig.admin.faults({ rejectNext: 1 });
      const worker = rig.worker({ maxAttempts: 3 });
      await worker.runOnce(); // A's person → 422, dead at once
      await rig.makeCase(1); // child B: person, episode, meeting
      await rig.admin.faults({ failNext: 3 });
      await rig.drain([worker]); // B's person: 500 × 3 → dead after 3 attempts; nothing overtakes either

      const pending = await t.post(dpoToken, STATUS);
      expect(pending.errors).toBeUndefined();
      const status = pending.data.syncStatus;
      expect(status).toMatchObject({ pending: 4, blocked: 4, inFlight: 0, deadLettered: 2, delivered: 0 });
      expect(status.lastError).toMatch(/server_error \(HTTP 500\)/);
      expect(status.deadLetters.map((d: any) => [d.entity, d.attempts, d.lastError, d.blocking])).toEqual([
        ['person', 1, 'rejected (HTTP 422): simulated_rejection', 2],
        ['person', 3, 'server_error (HTTP 500): simulated_failure', 2],
      ]);
      expect((await rig.admin.records()).length).toBe(0);
      // Case readers may not see the queue.
      const denied = await t.post(fsmToken, STATUS);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // The DPO may look but not re-drive; the admin re-drives one entry, then one child's.
      const byDpo = await t.post(dpoToken, 'mutation($id: ID!) { retryDeadLetter(id: $id) }', {
        id: status.deadLetters[0].id,
      });
      expect(byDpo.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const bulkByDpo = await t.post(dpoToken, 'mutation { redriveDeadLetters }');
      expect(bulkByDpo.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(
        (await t.post(adminToken, 'mutation($id: ID!) { retryDeadLetter(id: $id) }', { id: status.deadLetters[0].id }))
          .errors,
      ).toBeUndefined();
      const byChild = await t.post(adminToken, 'mutation($id: ID!) { redriveDeadLetters(sameChildAs: $id) }', {
        id: status.deadLetters[1].id,
      });
      expect(byChild.data?.redriveDeadLetters).toBe(1);
      const badChild = await t.post(adminToken, 'mutation { redriveDeadLetters(childId: "not-a-uuid") }');
      expect(badChild.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childId' });
      const notDead = await t.post(adminToken, 'mutation($id: ID!) { retryDeadLetter(id: $id) }', {
        id: status.deadLetters[0].id,
      });
      expect(notDead.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      await rig.drain([worker]);
      const { rows, held } = await expectExactlyOnce();
      expectPerChildOrder(rows, held);
      expect((await t.post(adminToken, STATUS)).data.syncStatus).toMatchObject({
        pending: 0,
        blocked: 0,
        deadLettered: 0,
        delivered: 6,
      });
      expect((await t.post(adminToken, 'mutation { redriveDeadLetters }')).data.redriveDeadLetters).toBe(0);
      expect(await rig.countedCheck()).toMatchObject({ outboxRows: 6, delivered: 6, held: 6 });
    });

    it('pending work shows its age', async () => {
      await rig.admin.down();
      await rig.makeCase(0);
      await new Promise((r) => setTimeout(r, 1100));
      const res = await t.post(adminToken, STATUS);
      expect(res.data.syncStatus.pending).toBe(2);
      expect(res.data.syncStatus.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(1);
      await rig.admin.up();
      await rig.drain([rig.worker()]);
      expect(await rig.countedCheck()).toMatchObject({ outboxRows: 2, delivered: 2, held: 2 });
    });
  });
});
