/**
 * Shared set-up of the Liquid Logic sync tests: a test database, the simulator (a real HTTP server
 * on its own ports, driven over HTTP only), workers with short backoffs, case data written the way
 * the workflow writes it (rows + recordCaseEvent in one transaction), and the counted check.
 */
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  actionPlans,
  children as childrenTable,
  ehaReviews,
  ehas,
  outbox,
  syncDeliveredHashes,
  tafMeetings,
} from '../schema';
import { HttpCaseRecordAdapter } from '../adapters/liquid-logic/http-adapter';
import {
  startLiquidLogicSimulator,
  type LiquidLogicSimulator,
  type SimulatorFaults,
  type SimulatorOptions,
  type SimulatorStats,
  type StoredRecord,
} from '../adapters/liquid-logic/simulator';
import { ssdRecordValidator } from '../adapters/liquid-logic/ssd-validator';
import { ChildService } from '../src/child/child.service';
import type { Database, Db } from '../src/db';
import { recordCaseEvent, type CaseEventKind } from '../src/events/case-events';
import { counts } from '../src/outbox/outbox.repo';
import { OutboxWorker, type OutboxWorkerOptions } from '../src/outbox/worker';
import { systemClock } from '../src/shared/clock';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';

export const ACTOR = { subject: 'test-fsm', organisationId: '00000000-0000-4000-8000-000000000001' };

export interface SimAdmin {
  faults(f: SimulatorFaults): Promise<void>;
  down(): Promise<void>;
  up(): Promise<void>;
  stats(): Promise<SimulatorStats>;
  records(): Promise<StoredRecord[]>;
  emit(change: unknown): Promise<{ webhookStatus: number | null }>;
  webhook(url: string | null, secret?: string): Promise<void>;
}

export function simAdmin(adminUrl: string): SimAdmin {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${adminUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`simulator admin ${path}: ${res.status}`);
    return res.json() as Promise<any>;
  };
  return {
    faults: async (f) => {
      await call('POST', '/admin/faults', f);
    },
    down: async () => {
      await call('POST', '/admin/down', {});
    },
    up: async () => {
      await call('POST', '/admin/up', {});
    },
    stats: () => call('GET', '/admin/stats'),
    records: async () => (await call('GET', '/admin/records')).records,
    emit: (change) => call('POST', '/admin/emit', change),
    webhook: async (url, secret) => {
      await call('POST', '/admin/webhook', url ? { url, secret } : {});
    },
  };
}

export type CaseStep = 'taf' | 'plan' | 'review' | 'close';

export interface CaseStepOptions {
  /** Varies dates and revisions between steps of one case. */
  i?: number;
  /** A TAF that names `leadId` as the case's lead practitioner (the episode's worker changes). */
  lead?: boolean;
}

export interface SyncRig {
  db: Db;
  sim: LiquidLogicSimulator;
  admin: SimAdmin;
  children: ChildService;
  worker(options?: Partial<OutboxWorkerOptions>): OutboxWorker;
  /** A registered child (one outbox row: person). */
  makeChild(): Promise<{ childId: string }>;
  /** One workflow change to a case, written as the workflow writes it (rows + case event, one transaction). */
  caseStep(childId: string, ehaId: string, step: CaseStep, options?: CaseStepOptions): Promise<void>;
  /** The family support manager of the rig's cases. */
  fsmId: string;
  /** A lead practitioner a TAF may name (`caseStep(…, 'taf', { lead: true })`). */
  leadId: string;
  /** A child with an open EHA and `steps` workflow events after it (TAF, plan, review, TAF …): 2 + steps outbox rows. */
  makeCase(steps?: number): Promise<{ childId: string; ehaId: string }>;
  /** Runs rounds on all workers until nothing is in flight or pending, except rows held back by a dead letter. */
  drain(workers: OutboxWorker[], timeoutMs?: number): Promise<void>;
  /** Outbox rows vs what the simulator holds: nothing lost, nothing doubled. */
  countedCheck(): Promise<{ outboxRows: number; delivered: number; held: number; stats: SimulatorStats }>;
  close(): Promise<void>;
}

let caseCounter = 0;

/**
 * A file's lifecycle: one test database for the file, and for each test an empty outbox and a fresh
 * rig (simulator and workers). `use` receives them once each test's rig is up.
 */
export function syncRigForEachTest(use: (rig: SyncRig, database: TestDatabase) => void): void {
  let database: TestDatabase;
  let rig: SyncRig | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });
  beforeEach(async () => {
    await database.db.delete(outbox);
    rig = await startSyncRig(database);
    use(rig, database);
  });
  afterEach(async () => {
    await rig?.close();
  });
}

export async function startSyncRig(
  database: Database & { url?: string | null },
  simulatorOptions: SimulatorOptions = {},
): Promise<SyncRig> {
  const db = database.db;
  // A fresh Liquid Logic knows none of the hub's persons: forget earlier tests' links to theirs
  // (its person ids start again, and the hub holds each id at most once).
  await db.update(childrenTable).set({ liquidLogicPersonId: null });
  await db.delete(syncDeliveredHashes);
  const sim = await startLiquidLogicSimulator(simulatorOptions);
  const admin = simAdmin(sim.adminUrl);
  const children = new ChildService({ db, clock: systemClock });
  const validate = ssdRecordValidator();
  const f = fixture(db);
  const orgId = await f.org(`ll-${Math.random().toString(36).slice(2, 8)}`, 'council_early_help');
  const fsmId = await f.practitioner(orgId, `fsm-${Math.random().toString(36).slice(2, 10)}`, 'family_support_manager');
  const leadId = await f.practitioner(orgId, `lp-${Math.random().toString(36).slice(2, 10)}`, 'lead_practitioner');

  const event =
    (childId: string, kind: CaseEventKind, refs: Record<string, string>) =>
    (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) =>
      recordCaseEvent(tx, {
        childId,
        kind,
        categories: ['early_help'],
        changedFields: [kind],
        refs,
        actor: ACTOR,
        at: new Date(),
      });

  async function caseStep(
    childId: string,
    ehaId: string,
    step: CaseStep,
    { i = 0, lead = false }: CaseStepOptions = {},
  ): Promise<void> {
    await db.transaction(async (tx) => {
      if (step === 'taf') {
        const [m] = await tx
          .insert(tafMeetings)
          .values({
            ehaId,
            childId,
            heldOn: `2026-01-${String(10 + i).padStart(2, '0')}`,
            isFirst: i === 0,
            chairPractitionerId: fsmId,
            leadPractitionerId: lead ? leadId : fsmId,
            attendeeOrganisationIds: [orgId],
            recordedBySubject: ACTOR.subject,
            recordedAt: new Date(),
          })
          .returning();
        if (lead)
          await tx
            .update(ehas)
            .set({ status: 'taf_held', leadPractitionerId: leadId, firstTafOn: m!.heldOn })
            .where(eq(ehas.id, ehaId));
        await event(childId, 'taf_recorded', { ehaId, tafMeetingId: m!.id })(tx);
      } else if (step === 'plan') {
        const [p] = await tx
          .insert(actionPlans)
          .values({
            ehaId,
            childId,
            revision: i,
            agreedOn: '2026-01-10',
            desiredOutcome: 'Synthetic outcome',
            familyStrengths: 'Synthetic strengths',
            needs: [{ category: 'school_attendance', services: 'Synthetic' }],
            contingencyPlan: 'Synthetic',
            timescales: 'Synthetic',
            keyAgencies: [{ organisationId: orgId, responsibilities: 'Synthetic', frequencyOfContact: 'weekly' }],
            reviewDate: '2026-04-10',
            recordedBySubject: ACTOR.subject,
            recordedAt: new Date(),
          })
          .returning();
        await event(childId, 'plan_set', { ehaId, planId: p!.id })(tx);
      } else if (step === 'review') {
        const [r] = await tx
          .insert(ehaReviews)
          .values({
            ehaId,
            childId,
            heldOn: `2026-0${2 + (i % 6)}-10`,
            wasDueBy: '2026-04-10',
            onTime: true,
            circumstancesChanged: false,
            progress: [],
            nextReviewDate: '2026-07-10',
            recordedBySubject: ACTOR.subject,
            recordedAt: new Date(),
          })
          .returning();
        await event(childId, 'review_recorded', { ehaId, reviewId: r!.id })(tx);
      } else {
        await tx
          .update(ehas)
          .set({ status: 'closed', closedOn: '2026-06-01', closureOutcome: 'needs_met' })
          .where(eq(ehas.id, ehaId));
        await event(childId, 'eha_closed', { ehaId })(tx);
      }
    });
  }

  async function makeChild() {
    const n = ++caseCounter;
    const registration = await children.register(
      {
        givenName: `Sync${n}`,
        familyName: `Case${n}`,
        dateOfBirth: '2016-03-15',
        postcode: 'LE1 1AA',
        gender: n % 2 ? 'female' : 'male',
        confirmNoMatch: true,
      },
      ACTOR,
    );
    if (registration.outcome !== 'created') throw new Error('fixture child not created');
    return { childId: registration.child.id };
  }

  return {
    db,
    sim,
    admin,
    children,
    worker: (options = {}) =>
      new OutboxWorker({
        // Long enough that a loaded machine (the simulator shares the test's event loop) never times
        // out an answered request: a timeout retries, and the retry is a replay the tests count.
        db,
        adapter: new HttpCaseRecordAdapter({ baseUrl: sim.url, timeoutMs: 2_000 }),
        batchSize: 10,
        leaseMs: 5_000,
        maxAttempts: 60,
        baseBackoffMs: 10,
        maxBackoffMs: 80,
        idleMs: 10,
        changesPollMs: 0,
        validateRecord: validate,
        ...options,
      }),
    makeChild,
    caseStep,
    fsmId,
    leadId,
    async makeCase(steps = 3) {
      const { childId } = await makeChild();
      const ehaId = await db.transaction(async (tx) => {
        const [eha] = await tx
          .insert(ehas)
          .values({
            childId,
            status: 'awaiting_first_taf',
            origin: 'referral',
            cluster: 'central',
            startedOn: '2026-01-05',
            familySupportManagerId: fsmId,
          })
          .returning();
        await event(childId, 'eha_opened', { ehaId: eha!.id })(tx);
        return eha!.id;
      });
      for (let i = 0; i < steps; i++)
        await caseStep(childId, ehaId, (['taf', 'plan', 'review'] as const)[i % 3]!, { i });
      return { childId, ehaId };
    },
    async drain(workers, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rounds = await Promise.all(workers.map((w) => w.runOnce()));
        const c = await counts(db);
        // Done when nothing waits but what a dead letter holds back.
        if (c.pending === c.blocked && c.inFlight === 0) return;
        if (Date.now() > deadline)
          throw new Error(`outbox not drained: ${c.pending} pending (${c.blocked} blocked), ${c.inFlight} in flight`);
        if (rounds.every((r) => r.claimed === 0)) await new Promise((r) => setTimeout(r, 15));
      }
    },
    async countedCheck() {
      const rows = await db.select().from(outbox);
      const held = await admin.records();
      return {
        outboxRows: rows.length,
        delivered: rows.filter((r) => r.status === 'delivered').length,
        held: held.length,
        stats: await admin.stats(),
      };
    },
    async close() {
      await sim.close();
    },
  };
}
