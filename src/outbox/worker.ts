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
import { ssdRecordValidator } from '../../adapters/liquid-logic/ssd-validator';
import type { LiquidLogicChange } from '../../adapters/liquid-logic/ssd-records';
import type { Database, Db } from '../db';
import { BadUserInputError } from '../errors';
import { CASE_EVENTS_CHANNEL } from '../events/case-events';
import { systemClock, type Clock } from '../shared/clock';
import { safeErrorFields, silentLogger, type Logger } from '../shared/logger';
import {
  EARLY_HELP_MODULE_ENTITIES,
  HELD_IN_HUB_MARKER,
  heldInHubOnly,
} from '../partnership-plus/partnership-plus.rule';
import { PersonIdInUseError, rememberRemotePersonId } from './record-source.repo';
import { buildRecord, deliveryKey, UnbuildableRecordError, type BuiltRecord } from './record-builder';
import * as repo from './outbox.repo';

export const CHANGES_CURSOR = 'liquid_logic_changes';

/** Early Help Module steps recorded against an episode: the episode is brought up to date first. */
const EPISODE_STEPS: ReadonlySet<string> = new Set([
  'meeting',
  'plan',
  'review',
  'masp_outcome',
  'step_up',
  'step_down',
]);

/** Sends of one row within one claim while the case keeps changing under it. */
const MAX_SENDS_PER_CLAIM = 4;

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
  batchSize: 20,
  leaseMs: 60_000,
  maxAttempts: 8,
  baseBackoffMs: 2_000,
  maxBackoffMs: 600_000,
  idleMs: 1_000,
  changesPollMs: 30_000,
};

/** Applies one inbound change (see src/sync/inbound.service.ts). */
export interface InboundApplier {
  apply(change: LiquidLogicChange, via: 'webhook' | 'poll'): Promise<unknown>;
  /** Applies parked changes whose person is known now; sends overdue ones to review. */
  releaseParked?(): Promise<unknown>;
}

export interface OutboxWorkerOptions extends Partial<OutboxWorkerSettings> {
  db: Db;
  adapter: CaseRecordAdapter;
  clock?: Clock;
  logger?: Logger;
  /** Distinguishes claims in the outbox (default host:pid:random). */
  workerId?: string;
  inbound?: InboundApplier;
  /**
   * Check of each outbound record before it is sent; problems (object.field and the rule broken,
   * never a value) dead-letter the row, so an invalid record never leaves. Default: every SSD row
   * in it against the repository's SSD schema (adapters/liquid-logic/ssd-validator.ts).
   */
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
  private readonly validateRecord: (entity: string, record: unknown) => string[];
  private readonly random: () => number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A nudge that came while a round ran: that round may have claimed before the change committed. */
  private nudged = false;
  private unlisten: Promise<(() => Promise<void>) | null> | null = null;
  private readonly notifications: Pick<Database, 'listen'> | undefined;
  private lastPoll = 0;
  private lastSweep = 0;
  /** Liquid Logic gave a person its id this round: changes parked for that person can apply. */
  private personsLearned = false;

  constructor(options: OutboxWorkerOptions) {
    this.db = options.db;
    this.adapter = options.adapter;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.inbound = options.inbound;
    this.validateRecord = options.validateRecord ?? ssdRecordValidator();
    this.random = options.random ?? Math.random;
    this.notifications = options.notifications;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.settings = { ...DEFAULT_WORKER_SETTINGS, ...definedOnly(options) };
  }

  /** Claims a batch under this worker's lease (exposed so tests can abandon a claim, as a killed worker would). */
  claim(): Promise<repo.ClaimedRow[]> {
    return repo.claimBatch(this.db, {
      workerId: this.workerId,
      now: this.clock.now(),
      leaseMs: this.settings.leaseMs,
      limit: this.settings.batchSize,
    });
  }

  /** One round: claim, then deliver the batch in order (a child's rows are never in one batch twice). */
  async runOnce(): Promise<RoundResult> {
    const rows = await this.claim();
    const outcomes: RowOutcome[] = [];
    for (const row of rows) outcomes.push(await this.process(row));
    if (this.personsLearned) {
      this.personsLearned = false;
      await this.inbound?.releaseParked?.();
    }
    return { claimed: rows.length, outcomes };
  }

  async process(row: repo.ClaimedRow): Promise<RowOutcome> {
    const log = this.logger.child({
      outboxId: row.id,
      entity: row.entity,
      attempt: row.attempts,
      worker: this.workerId,
      requestId: row.requestId,
    });
    try {
      // Partnership Plus rule: health-led Universal Partnership Plus cases stay in the hub only.
      if (await heldInHubOnly(this.db, row)) {
        const settled = await repo.settle(this.db, {
          id: row.id,
          workerId: this.workerId,
          status: 'skipped',
          hash: HELD_IN_HUB_MARKER,
          now: this.clock.now(),
        });
        log.info('health-led Partnership Plus case: not recorded in the Early Help module; skipped');
        return settled ? 'skipped' : 'lost';
      }
      // The case has left the rule (its lead or its health level changed): Liquid Logic must get
      // the episode and the steps it was never sent before this one, or this one names an
      // episode Liquid Logic does not have.
      const ehaId = EARLY_HELP_MODULE_ENTITIES.has(row.entity) ? row.refs.ehaId : undefined;
      const held = ehaId ? await repo.heldRowsBefore(this.db, ehaId, row.id) : [];
      if (held.length > 0) {
        const requeued = await repo.requeueHeldBefore(this.db, held, {
          id: row.id,
          workerId: this.workerId,
          now: this.clock.now(),
        });
        log.info({ held: held.length }, 'the case left the Partnership Plus rule: its held records are sent first');
        return requeued ? 'requeued' : 'lost';
      }
      if (EARLY_HELP_MODULE_ENTITIES.has(row.entity) && !(await this.syncPerson(row))) return 'lost';
      if (EPISODE_STEPS.has(row.entity) && !(await this.syncEpisode(row))) return 'lost';
      return await this.converge(row, log);
    } catch (error) {
      return this.failed(row, error, log);
    }
  }

  /**
   * Sends the row's record until Liquid Logic holds what the hub holds now: each send carries a
   * key derived from its content (a replayed answer confirms only that content), the confirmed
   * hash is recorded, and the record is read again — if the case moved on meanwhile, the new
   * content goes too. Content still changing after `MAX_SENDS_PER_CLAIM` sends is retried later.
   */
  private async converge(row: repo.ClaimedRow, log: Logger): Promise<RowOutcome> {
    let sentKey: string | null = null;
    for (let sends = 0; ; sends++) {
      const built = await buildRecord(this.db, row);
      this.validate(built);
      if ((await repo.lastDeliveredHash(this.db, built.entityKey)) === built.contentHash) {
        const status = sentKey ? 'delivered' : 'skipped';
        const settled = await repo.settle(this.db, {
          id: row.id,
          workerId: this.workerId,
          status,
          hash: built.contentHash,
          deliveryKey: sentKey,
          now: this.clock.now(),
        });
        if (status === 'skipped') log.debug('unchanged since last delivery; skipped');
        else log.info({ sends }, 'delivered to Liquid Logic');
        return !settled ? 'lost' : status;
      }
      if (sends >= MAX_SENDS_PER_CLAIM)
        throw new CaseRecordAdapterError('server_error', true, null, 'content_still_changing');
      sentKey = deliveryKey(row.idempotencyKey, built.contentHash);
      const receipt = await built.send(this.adapter, sentKey);
      if (receipt.replayed) log.info('Liquid Logic already held this content (answer replayed)');
      if (!(await this.confirmed(row, built, receipt.remoteId))) return 'lost';
    }
  }

  /** Records what Liquid Logic now holds for the entity (and, for a person, the id it gave). */
  private async confirmed(row: { id: number }, built: BuiltRecord, remoteId: string): Promise<boolean> {
    let hash = built.contentHash;
    if (built.entity === 'person' && remoteId && (await rememberRemotePersonId(this.db, built.childId, remoteId))) {
      this.personsLearned = true;
      // Liquid Logic now files this content under its own id: remember the hash of the record as
      // it will be built from now on, so an unchanged person is not resent just for the new id.
      hash = (await buildRecord(this.db, { ...built.row, entity: 'person' })).contentHash;
    }
    return repo.recordDelivered(this.db, {
      id: row.id,
      workerId: this.workerId,
      entityKey: built.entityKey,
      hash,
      now: this.clock.now(),
    });
  }

  /**
   * Before an Early Help record, the person it names: sent when Liquid Logic has never confirmed
   * it, or when its synced fields changed since (identifiers, household, involvements). Keyed by
   * the child and the content, so a lost answer is replayed, never doubled.
   */
  private syncPerson(row: repo.ClaimedRow): Promise<boolean> {
    return this.bringUpToDate(row, { ...row, entity: 'person' }, (built) => built.childId);
  }

  /**
   * Before a step (TAF, plan, review …), its episode as the hub holds it now — a TAF names the
   * lead practitioner, a later change may move the case — as long as no later episode row will
   * carry it (then the episode is sent as opened, so a closure never overtakes the steps).
   */
  private syncEpisode(row: repo.ClaimedRow): Promise<boolean> {
    return this.bringUpToDate(
      row,
      { ...row, entity: 'early_help_episode', eventKind: 'eha_opened' },
      () => `${row.idempotencyKey}:episode`,
    );
  }

  /** Sends `source`'s record until Liquid Logic holds it as built now; false when the claim was lost. */
  private async bringUpToDate(
    row: repo.ClaimedRow,
    source: repo.ClaimedRow,
    keyBase: (built: BuiltRecord) => string,
  ): Promise<boolean> {
    for (let sends = 0; sends < MAX_SENDS_PER_CLAIM; sends++) {
      const built = await buildRecord(this.db, source);
      if ((await repo.lastDeliveredHash(this.db, built.entityKey)) === built.contentHash) return true;
      this.validate(built);
      const receipt = await built.send(this.adapter, deliveryKey(keyBase(built), built.contentHash));
      if (!(await this.confirmed(row, built, receipt.remoteId))) return false;
    }
    throw new CaseRecordAdapterError('server_error', true, null, 'content_still_changing');
  }

  /** Refuses a record that breaks the SSD definitions before anything is sent (a permanent error). */
  private validate(built: BuiltRecord): void {
    const problems = this.validateRecord(built.entity, built.record);
    if (problems.length) throw new UnbuildableRecordError(problems.slice(0, 5).join('; '));
  }

  private async failed(row: repo.ClaimedRow, error: unknown, log: Logger): Promise<RowOutcome> {
    const permanent =
      error instanceof UnbuildableRecordError ||
      error instanceof PersonIdInUseError ||
      (error instanceof CaseRecordAdapterError && !error.retryable);
    const message =
      error instanceof CaseRecordAdapterError ||
      error instanceof UnbuildableRecordError ||
      error instanceof PersonIdInUseError
        ? error.message
        : 'internal_error';
    const now = this.clock.now();
    const dead = permanent || row.attempts >= this.settings.maxAttempts;
    const retryAt = dead ? null : new Date(now.getTime() + this.backoffMs(row.attempts));
    if (
      !(
        error instanceof CaseRecordAdapterError ||
        error instanceof UnbuildableRecordError ||
        error instanceof PersonIdInUseError
      )
    )
      log.error({ err: safeErrorFields(error) }, 'outbox delivery failed unexpectedly');
    const settled = await repo
      .fail(this.db, { id: row.id, workerId: this.workerId, error: message, retryAt, now })
      .catch(() => false);
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
    for (const change of page.changes) {
      try {
        await this.inbound.apply(change, 'poll');
      } catch (error) {
        // A change the hub refuses (a worker not provisioned yet) must not hold back every change after it.
        if (!(error instanceof BadUserInputError)) throw error;
        this.logger.warn(
          { messageId: change.id, type: change.type, field: error.field },
          'Liquid Logic change refused: a person must resolve it in Liquid Logic or the hub',
        );
      }
    }
    if (page.cursor !== since) await repo.writeCursor(this.db, CHANGES_CURSOR, page.cursor, this.clock.now());
    return page.changes.length;
  }

  /** Runs rounds until `stop()`; sleeps `idleMs` when idle. A woken worker starts its next round at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unlisten = this.notifications
      ? this.notifications
          .listen(CASE_EVENTS_CHANNEL, () => this.nudge())
          .catch((error: unknown) => {
            this.logger.warn(
              { err: errorCode(error), worker: this.workerId },
              'could not listen for changes; polling every idleMs',
            );
            return null;
          })
      : null;
    this.loop = (async () => {
      // Children whose Early Help records went out before person records followed every case.
      await repo.backfillPersons(this.db).then(
        (queued) => {
          if (queued > 0)
            this.logger.info(
              { queued, worker: this.workerId },
              'person records queued for children Liquid Logic has none for',
            );
        },
        (error: unknown) =>
          this.logger.warn(
            { err: errorCode(error), worker: this.workerId },
            'person backfill failed; the next start retries',
          ),
      );
      while (this.running) {
        this.nudged = false;
        let busy = false;
        try {
          busy = (await this.runOnce()).claimed > 0;
          if (
            this.inbound &&
            this.settings.changesPollMs > 0 &&
            Date.now() - this.lastPoll >= this.settings.changesPollMs
          ) {
            this.lastPoll = Date.now();
            busy = (await this.pollChanges()) > 0 || busy;
          }
          // Parked changes past their deadline go to review even when no person is learned.
          if (
            this.inbound?.releaseParked &&
            Date.now() - this.lastSweep >= (this.settings.changesPollMs || DEFAULT_WORKER_SETTINGS.changesPollMs)
          ) {
            this.lastSweep = Date.now();
            await this.inbound.releaseParked();
          }
        } catch (error) {
          this.logger.warn({ err: errorCode(error), worker: this.workerId }, 'outbox round failed; will retry');
        }
        if (!busy && this.running && !this.nudged)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.settings.idleMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
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
  return error instanceof CaseRecordAdapterError ? error.message : ((error as { code?: string })?.code ?? 'error');
}

function definedOnly(options: Partial<OutboxWorkerSettings>): Partial<OutboxWorkerSettings> {
  const keys = Object.keys(DEFAULT_WORKER_SETTINGS) as (keyof OutboxWorkerSettings)[];
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
}
