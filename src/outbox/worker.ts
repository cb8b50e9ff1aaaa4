/**
 * The outbox delivery worker. Any number run at once (in the hub and as `npm run worker`, on any
 * machine): each claims a batch with FOR UPDATE SKIP LOCKED under a lease, builds each record from
 * the current database state, skips it when its content hash equals what was last delivered for
 * that entity, sends it with the row's idempotency key, and settles the row — delivered, back to
 * pending after an exponential backoff with jitter, or dead-lettered (a permanent error, or the
 * attempt budget spent). It also polls Liquid Logic's changes feed, the fallback to the webhook.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { CaseRecordAdapterError, type CaseRecordAdapter } from '../../adapters/liquid-logic/case-record-adapter';
import type { LiquidLogicChange } from '../../adapters/liquid-logic/ssd-records';
import type { Database, Db } from '../db';
import { CASE_EVENTS_CHANNEL } from '../events/case-events';
import { systemClock, type Clock } from '../shared/clock';
import { safeErrorFields, silentLogger, type Logger } from '../shared/logger';
import { EARLY_HELP_MODULE_ENTITIES, HELD_IN_HUB_MARKER, heldInHubOnly } from '../partnership-plus/partnership-plus.rule';
import { rememberRemotePersonId } from './record-source.repo';
import { buildRecord, UnbuildableRecordError } from './record-builder';
import * as repo from './outbox.repo';

export const CHANGES_CURSOR = 'liquid_logic_changes';

/** Tuning; the defaults suit production, tests shorten them. */
export interface OutboxWorkerSettings {
  /** Rows claimed per round (default 20). */
  batchSize: number;
  /** How long a claim is the worker's before others may take it (default 60 s). */
  leaseMs: number;
  /** Attempts before a retryable failure is dead-lettered (default 8). */
  maxAttempts: number;
  /** First retry delay; doubles per attempt (default 2 s) … */
  baseBackoffMs: number;
  /** … up to this (default 10 min). Jitter draws the delay from [½, 1] of it. */
  maxBackoffMs: number;
  /** Sleep when there is nothing to do (default 1 s; a notification ends it early, see `notifications`). */
  idleMs: number;
  /** Poll Liquid Logic's changes feed this often; 0 turns the poll off (default 30 s). */
  changesPollMs: number;
}

export const DEFAULT_WORKER_SETTINGS: OutboxWorkerSettings = {
  batchSize: 20, leaseMs: 60_000, maxAttempts: 8, baseBackoffMs: 2_000, maxBackoffMs: 600_000, idleMs: 1_000, changesPollMs: 30_000,
};

/** Applies one inbound change (see src/sync/inbound.service.ts). */
export interface InboundApplier {
  apply(change: LiquidLogicChange, via: 'webhook' | 'poll'): Promise<unknown>;
}

export interface OutboxWorkerOptions extends Partial<OutboxWorkerSettings> {
  db: Db;
  adapter: CaseRecordAdapter;
  clock?: Clock;
  logger?: Logger;
  /** Distinguishes claims in the outbox (default host:pid:random). */
  workerId?: string;
  inbound?: InboundApplier;
  /** Extra check of each outbound record (tests pass the SSD validator); problems dead-letter the row. */
  validateRecord?: (entity: string, record: unknown) => string[];
  /** For tests of the jitter; defaults to Math.random. */
  random?: () => number;
  /**
   * Where committed changes are announced (the database's LISTEN): an outbox row is written with
   * its case event, whose NOTIFY wakes an idle worker at once instead of after `idleMs`. Without
   * it the worker only polls.
   */
  notifications?: Pick<Database, 'listen'>;
}

/** `requeued`: given back behind the case's held records, which go first (see process). */
export type RowOutcome = 'delivered' | 'skipped' | 'retry' | 'dead' | 'lost' | 'requeued';

export interface RoundResult {
  claimed: number;
  outcomes: RowOutcome[];
}

export class OutboxWorker {
  readonly workerId: string;
  readonly settings: OutboxWorkerSettings;
  private readonly db: Db;
  private readonly adapter: CaseRecordAdapter;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly inbound: InboundApplier | undefined;
  private readonly validateRecord: OutboxWorkerOptions['validateRecord'];
  private readonly random: () => number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A nudge that came while a round ran: that round may have claimed before the change committed. */
  private nudged = false;
  private unlisten: Promise<(() => Promise<void>) | null> | null = null;
  private readonly notifications: Pick<Database, 'listen'> | undefined;
  private lastPoll = 0;

  constructor(options: OutboxWorkerOptions) {
    this.db = options.db;
    this.adapter = options.adapter;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.inbound = options.inbound;
    this.validateRecord = options.validateRecord;
    this.random = options.random ?? Math.random;
    this.notifications = options.notifications;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.settings = { ...DEFAULT_WORKER_SETTINGS, ...definedOnly(options) };
  }

  /** Claims a batch under this worker's lease (exposed so tests can abandon a claim, as a killed worker would). */
  claim(): Promise<repo.ClaimedRow[]> {
    return repo.claimBatch(this.db, { workerId: this.workerId, now: this.clock.now(), leaseMs: this.settings.leaseMs, limit: this.settings.batchSize });
  }

  /** One round: claim, then deliver the batch in order (a child's rows are never in one batch twice). */
  async runOnce(): Promise<RoundResult> {
    const rows = await this.claim();
    const outcomes: RowOutcome[] = [];
    for (const row of rows) outcomes.push(await this.process(row));
    return { claimed: rows.length, outcomes };
  }

  async process(row: repo.ClaimedRow): Promise<RowOutcome> {
    const log = this.logger.child({ outboxId: row.id, entity: row.entity, attempt: row.attempts, worker: this.workerId });
    try {
      // Partnership Plus rule: health-led Universal Partnership Plus cases stay in the hub only.
      if (await heldInHubOnly(this.db, row)) {
        const settled = await repo.settle(this.db, { id: row.id, workerId: this.workerId, status: 'skipped', hash: HELD_IN_HUB_MARKER, entityKey: `${row.entity}:held`, now: this.clock.now() });
        log.info('health-led Partnership Plus case: not recorded in the Early Help module; skipped');
        return settled ? 'skipped' : 'lost';
      }
      // The case has left the rule (its lead or its health level changed): Liquid Logic must get
      // the episode and the steps it was never sent before this one, or this one names an
      // episode Liquid Logic does not have.
      const ehaId = EARLY_HELP_MODULE_ENTITIES.has(row.entity) ? row.refs.ehaId : undefined;
      const held = ehaId ? await repo.heldRowsBefore(this.db, ehaId, row.id) : [];
      if (held.length > 0) {
        const requeued = await repo.requeueHeldBefore(this.db, held, { id: row.id, workerId: this.workerId, now: this.clock.now() });
        log.info({ held: held.length }, 'the case left the Partnership Plus rule: its held records are sent first');
        return requeued ? 'requeued' : 'lost';
      }
      const built = await buildRecord(this.db, row);
      const problems = this.validateRecord?.(built.entity, built.record) ?? [];
      if (problems.length) throw new UnbuildableRecordError(problems.slice(0, 5).join('; '));
      if ((await repo.lastDeliveredHash(this.db, built.entityKey)) === built.contentHash) {
        const settled = await repo.settle(this.db, { id: row.id, workerId: this.workerId, status: 'skipped', hash: built.contentHash, entityKey: built.entityKey, now: this.clock.now() });
        log.debug('unchanged since last delivery; skipped');
        return settled ? 'skipped' : 'lost';
      }
      const receipt = await built.send(this.adapter, row.idempotencyKey);
      let hash = built.contentHash;
      if (built.entity === 'person' && receipt.remoteId && (await rememberRemotePersonId(this.db, built.childId, receipt.remoteId))) {
        // Liquid Logic now files this content under its own id: remember the hash of the record as
        // it will be built from now on, so an unchanged person is not resent just for the new id.
        hash = (await buildRecord(this.db, row)).contentHash;
      }
      const settled = await repo.settle(this.db, { id: row.id, workerId: this.workerId, status: 'delivered', hash, entityKey: built.entityKey, now: this.clock.now() });
      log.info({ replayed: receipt.replayed, settled }, 'delivered to Liquid Logic');
      return settled ? 'delivered' : 'lost';
    } catch (error) {
      return this.failed(row, error, log);
    }
  }

  private async failed(row: repo.ClaimedRow, error: unknown, log: Logger): Promise<RowOutcome> {
    const permanent = error instanceof UnbuildableRecordError || (error instanceof CaseRecordAdapterError && !error.retryable);
    const message = error instanceof CaseRecordAdapterError || error instanceof UnbuildableRecordError ? error.message : 'internal_error';
    const now = this.clock.now();
    const dead = permanent || row.attempts >= this.settings.maxAttempts;
    const retryAt = dead ? null : new Date(now.getTime() + this.backoffMs(row.attempts));
    if (!(error instanceof CaseRecordAdapterError || error instanceof UnbuildableRecordError)) log.error({ err: safeErrorFields(error) }, 'outbox delivery failed unexpectedly');
    const settled = await repo.fail(this.db, { id: row.id, workerId: this.workerId, error: message, retryAt, now }).catch(() => false);
    log.warn({ error: message, dead, retryAt }, dead ? 'dead-lettered' : 'will retry');
    return !settled ? 'lost' : dead ? 'dead' : 'retry';
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random. */
  backoffMs(attempts: number): number {
    const step = Math.min(this.settings.maxBackoffMs, this.settings.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(step / 2 + this.random() * (step / 2));
  }

  /** Reads Liquid Logic's changes feed from the stored cursor and applies each change. */
  async pollChanges(): Promise<number> {
    if (!this.inbound) return 0;
    const since = await repo.readCursor(this.db, CHANGES_CURSOR);
    const page = await this.adapter.fetchChanges(since);
    for (const change of page.changes) await this.inbound.apply(change, 'poll');
    if (page.cursor !== since) await repo.writeCursor(this.db, CHANGES_CURSOR, page.cursor, this.clock.now());
    return page.changes.length;
  }

  /** Runs rounds until `stop()`; sleeps `idleMs` when idle. A woken worker starts its next round at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unlisten = this.notifications
      ? this.notifications.listen(CASE_EVENTS_CHANNEL, () => this.nudge()).catch((error: unknown) => {
        this.logger.warn({ err: errorCode(error), worker: this.workerId }, 'could not listen for changes; polling every idleMs');
        return null;
      })
      : null;
    this.loop = (async () => {
      while (this.running) {
        this.nudged = false;
        let busy = false;
        try {
          busy = (await this.runOnce()).claimed > 0;
          if (this.inbound && this.settings.changesPollMs > 0 && Date.now() - this.lastPoll >= this.settings.changesPollMs) {
            this.lastPoll = Date.now();
            busy = (await this.pollChanges()) > 0 || busy;
          }
        } catch (error) {
          this.logger.warn({ err: errorCode(error), worker: this.workerId }, 'outbox round failed; will retry');
        }
        if (!busy && this.running && !this.nudged) await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.settings.idleMs);
          this.wake = () => { clearTimeout(timer); resolve(); };
        });
        this.wake = null;
      }
    })();
  }

  /** Starts the next round now (e.g. after a NOTIFY of a new case event), or right after the current one. */
  nudge(): void {
    if (this.wake) this.wake();
    else this.nudged = true;
  }

  /** Finishes the current row, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
    const unlisten = await this.unlisten;
    this.unlisten = null;
    await unlisten?.().catch(() => {});
  }
}

function errorCode(error: unknown): string {
  return error instanceof CaseRecordAdapterError ? error.message : (error as { code?: string })?.code ?? 'error';
}

function definedOnly(options: Partial<OutboxWorkerSettings>): Partial<OutboxWorkerSettings> {
  const keys = Object.keys(DEFAULT_WORKER_SETTINGS) as (keyof OutboxWorkerSettings)[];
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
}
