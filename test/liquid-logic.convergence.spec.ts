/**
 * Liquid Logic converges to the hub's current state, with its steps, under every fault: a lost
 * answer followed by more case changes, a backlog, an outage long enough to dead-letter at the
 * default settings, person records for every synced case. Real HTTP to the simulator; the
 * outage runs on an injected clock so minutes take milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { children, ehas, householdLinks, familyMembers, outbox } from '../schema';
import type { StoredRecord } from '../adapters/liquid-logic/simulator';
import { HttpCaseRecordAdapter, LL_PATHS } from '../adapters/liquid-logic/http-adapter';
import { counts } from '../src/outbox/outbox.repo';
import { DEFAULT_WORKER_SETTINGS } from '../src/outbox/worker';
import { SyncService } from '../src/sync/sync.service';
import type { Clock } from '../src/shared/clock';
import { syncRigForEachTest, type SyncRig } from './liquid-logic.support';

let rig: SyncRig;
syncRigForEachTest((r) => {
  rig = r;
});

/** What Liquid Logic holds for an episode: every version received, in order, and the latest. */
function episodeHistory(records: StoredRecord[], ehaId: string) {
  const versions = records
    .filter((r) => r.path === LL_PATHS.episode && r.body.episode.earl_episode_id === ehaId)
    .sort((a, b) => a.seq - b.seq);
  return { versions, latest: versions.at(-1)?.body.episode };
}

function stepTypes(records: StoredRecord[], ehaId: string): string[] {
  return records
    .filter((r) => r.body?.ehm_step_type && r.body.earl_episode_id === ehaId)
    .sort((a, b) => a.seq - b.seq)
    .map((r) => r.body.ehm_step_type);
}

async function until(done: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function ehaRow(ehaId: string) {
  const [row] = await rig.db.select().from(ehas).where(eq(ehas.id, ehaId));
  return row!;
}

describe("Liquid Logic ends with the hub's current state and the full step history", () => {
  it('a timeout on the first episode delivery, then four more case changes before the retry', async () => {
    const { childId, ehaId } = await rig.makeCase(0); // rows: person, episode (open)
    // A generous timeout: only the simulated lost answer may time out on a busy machine.
    const worker = rig.worker({ adapter: new HttpCaseRecordAdapter({ baseUrl: rig.sim.url, timeoutMs: 1_500 }) });
    await until(async () => {
      await worker.runOnce();
      return (await counts(rig.db)).delivered === 1;
    }); // the person
    await rig.admin.faults({ timeoutNext: 1 }); // Liquid Logic stores the open episode; the answer is lost
    expect((await worker.runOnce()).outcomes).toEqual(['retry']);
    expect((await rig.admin.stats()).timedOut).toBe(1);
    for (const step of ['taf', 'plan', 'review', 'close'] as const)
      await rig.caseStep(childId, ehaId, step, { lead: true });
    await rig.drain([worker]);

    const eha = await ehaRow(ehaId);
    const records = await rig.admin.records();
    const { versions, latest } = episodeHistory(records, ehaId);
    // The hub's current state: closed, needs met, the lead practitioner as worker.
    expect(latest).toMatchObject({
      earl_episode_end_date: eha.closedOn,
      earl_episode_end_reason: 'OUTCOMES_MET',
      earl_episode_worker_id: rig.leadId,
    });
    // The steps: the episode opened (no end date), the TAF, plan and review, then the closure.
    expect(versions[0]!.body.episode.earl_episode_end_date).toBeNull();
    expect(stepTypes(records, ehaId)).toEqual(['TAF_MEETING', 'PLAN', 'REVIEW']);
    const closure = versions.find((v) => v.body.episode.earl_episode_end_date)!;
    expect(closure.seq).toBeGreaterThan(Math.max(...records.filter((r) => r.body?.ehm_step_type).map((r) => r.seq)));
    // Every row settled, nothing dead, and no key was ever reused for other content.
    const stats = await rig.admin.stats();
    expect(stats.rejected).toBe(0);
    expect(await counts(rig.db)).toMatchObject({ pending: 0, inFlight: 0, dead: 0 });
    const rows = await rig.db.select().from(outbox).where(eq(outbox.childId, childId)).orderBy(asc(outbox.id));
    const heldKeys = new Set(records.map((r) => r.idempotencyKey));
    for (const row of rows.filter((r) => r.status === 'delivered')) expect(heldKeys.has(row.deliveryKey!)).toBe(true);
  });

  it('the answer lost, then the case changes: the replay confirms only the first content, the retry sends the new', async () => {
    const { childId, ehaId } = await rig.makeCase(1); // person, episode, TAF
    const worker = rig.worker({ adapter: new HttpCaseRecordAdapter({ baseUrl: rig.sim.url, timeoutMs: 1_500 }) });
    await until(async () => {
      await worker.runOnce();
      return (await counts(rig.db)).delivered === 1;
    }); // the person
    await rig.admin.faults({ timeoutNext: 1 });
    await worker.runOnce(); // episode stored, answer lost
    expect((await rig.admin.stats()).timedOut).toBe(1);
    // The case closes before the retry: the open episode was already a step of its own.
    await rig.caseStep(childId, ehaId, 'close');
    await rig.drain([worker]);
    const { versions, latest } = episodeHistory(await rig.admin.records(), ehaId);
    expect(latest.earl_episode_end_date).toBe('2026-06-01');
    expect(versions.map((v) => v.body.episode.earl_episode_end_date)).toEqual([null, '2026-06-01']);
  });

  it('a backlog while Liquid Logic is down still sends the open episode, then its closure', async () => {
    await rig.admin.down();
    const { childId, ehaId } = await rig.makeCase(1);
    await rig.caseStep(childId, ehaId, 'close');
    const worker = rig.worker();
    await worker.runOnce();
    await rig.admin.up();
    await rig.drain([worker]);
    const records = await rig.admin.records();
    const { versions } = episodeHistory(records, ehaId);
    expect(versions.map((v) => [v.body.episode.earl_episode_end_date, v.body.episode.earl_episode_end_reason])).toEqual(
      [
        [null, null],
        ['2026-06-01', 'OUTCOMES_MET'],
      ],
    );
    expect(stepTypes(records, ehaId)).toEqual(['TAF_MEETING']);
    expect(await counts(rig.db)).toMatchObject({ pending: 0, dead: 0, delivered: 4 });
  });
});

describe('the episode is brought up to date before each step', () => {
  it('a TAF that names the lead practitioner: Liquid Logic gets the episode with its new worker, then the meeting', async () => {
    const { childId, ehaId } = await rig.makeCase(0);
    await rig.drain([rig.worker()]);
    await rig.caseStep(childId, ehaId, 'taf', { lead: true });
    await rig.caseStep(childId, ehaId, 'plan', { i: 1 });
    await rig.drain([rig.worker()]);
    const records = await rig.admin.records();
    expect(records.map((r) => r.path)).toEqual([
      LL_PATHS.person,
      LL_PATHS.episode,
      LL_PATHS.episode,
      LL_PATHS.meeting,
      LL_PATHS.plan,
    ]);
    expect(records.map((r) => r.body.episode?.earl_episode_worker_id).filter(Boolean)).toEqual([rig.fsmId, rig.leadId]);
    expect(await counts(rig.db)).toMatchObject({ pending: 0, dead: 0, delivered: 4 });
  });
});

describe('an outage long enough to dead-letter at the default settings', () => {
  it("five minutes down: each child's first row dies, its later rows wait (blocked); after a bulk re-drive all arrive in order", async () => {
    await rig.admin.down();
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push(await rig.makeCase(2)); // 4 rows each
    let now = Date.now();
    const clock: Clock = { now: () => new Date(now) };
    const { batchSize, leaseMs, maxAttempts, baseBackoffMs, maxBackoffMs } = DEFAULT_WORKER_SETTINGS;
    const worker = rig.worker({ clock, batchSize, leaseMs, maxAttempts, baseBackoffMs, maxBackoffMs });
    const end = now + 5 * 60_000;
    while (now < end) {
      await worker.runOnce();
      now += 5_000;
    }
    const sync = new SyncService({ db: rig.db, clock });
    const status = await sync.status();
    expect(status).toMatchObject({ deadLettered: 3, blocked: 9, pending: 9, delivered: 0 });
    expect(status.deadLetters.map((d) => [d.entity, d.attempts, d.blocking])).toEqual([
      ['person', 8, 3],
      ['person', 8, 3],
      ['person', 8, 3],
    ]);
    const waiting = await rig.db.select().from(outbox).where(eq(outbox.status, 'pending'));
    expect(waiting.every((r) => r.attempts === 0)).toBe(true); // nothing overtook its dead letter
    await rig.admin.up();
    await rig.drain([worker]);
    expect((await rig.admin.records()).length).toBe(0); // still held back until someone looks
    expect(await sync.redriveDeadLetters({ childId: null, sameChildAs: null })).toBe(3);
    await rig.drain([worker]);
    const rows = await rig.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    const seqOf = new Map((await rig.admin.records()).map((r) => [r.idempotencyKey, r.seq]));
    for (const { childId } of cases) {
      const seqs = rows.filter((r) => r.childId === childId).map((r) => seqOf.get(r.deliveryKey!)!);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });
});

describe('person records for every child with a synced case', () => {
  it('an Early Help record whose person Liquid Logic never got sends the person first', async () => {
    const { childId, ehaId } = await rig.makeCase(1);
    await rig.db.delete(outbox).where(and(eq(outbox.childId, childId), eq(outbox.entity, 'person'))); // data from before persons followed cases
    await rig.drain([rig.worker()]);
    const records = await rig.admin.records();
    expect(records.map((r) => r.path)).toEqual([LL_PATHS.person, LL_PATHS.episode, LL_PATHS.meeting]);
    const [child] = await rig.db.select().from(children).where(eq(children.id, childId));
    expect(child!.liquidLogicPersonId).toMatch(/^LL\d+$/);
    // The episode and TAF name the person by Liquid Logic's id.
    expect(episodeHistory(records, ehaId).latest.earl_person_id).toBe(child!.liquidLogicPersonId);
  });

  it('existing data: a started worker queues the missing person of every child whose case went out', async () => {
    const { childId } = await rig.makeCase(0);
    await rig.db.delete(outbox).where(and(eq(outbox.childId, childId), eq(outbox.entity, 'person')));
    await rig.db.update(outbox).set({ status: 'delivered' }).where(eq(outbox.childId, childId)); // the episode went out long ago
    const worker = rig.worker({ workerId: 'backfill' });
    worker.start();
    try {
      const deadline = Date.now() + 10_000;
      while ((await rig.admin.records()).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 25));
    } finally {
      await worker.stop();
    }
    const [row] = await rig.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.childId, childId), eq(outbox.entity, 'person')));
    expect(row).toMatchObject({ eventKind: 'person_backfill', status: 'delivered' });
    expect((await rig.admin.records()).map((r) => r.path)).toEqual([LL_PATHS.person]);
  });

  it('a person is sent again when its synced fields change, before the next step', async () => {
    const { childId, ehaId } = await rig.makeCase(0);
    await rig.drain([rig.worker()]);
    const [member] = await rig.db
      .insert(familyMembers)
      .values({ givenName: 'Synthetic', familyName: 'Parent' })
      .returning();
    await rig.db.insert(householdLinks).values({ childId, relation: 'parent', familyMemberId: member!.id });
    await rig.caseStep(childId, ehaId, 'taf');
    await rig.drain([rig.worker()]);
    const records = await rig.admin.records();
    expect(records.map((r) => r.path)).toEqual([LL_PATHS.person, LL_PATHS.episode, LL_PATHS.person, LL_PATHS.meeting]);
    expect(records[2]!.body.family.map((f: any) => f.fami_family_id)).toContain(member!.id);
  });
});
