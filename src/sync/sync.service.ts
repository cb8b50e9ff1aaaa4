/**
 * The Liquid Logic sync as admins and the DPO see it: queue counts, the age of the oldest
 * undelivered change, the last error, the dead letters — and putting a dead letter back in the
 * queue. No child data: ids, kinds, counts and error codes only.
 */
import type { Db } from '../db';
import { BadUserInputError, NotFoundError } from '../errors';
import * as outboxRepo from '../outbox/outbox.repo';
import type { Clock } from '../shared/clock';

export interface SyncStatusView {
  pending: number;
  inFlight: number;
  deadLettered: number;
  delivered: number;
  skippedUnchanged: number;
  oldestPendingAgeSeconds: number | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  deadLetters: DeadLetterView[];
}

export interface DeadLetterView {
  id: number;
  entity: string;
  eventKind: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  lastErrorAt: Date | null;
}

export interface SyncServiceOptions {
  db: Db;
  clock: Clock;
}

export class SyncService {
  constructor(private readonly options: SyncServiceOptions) {}

  async status(deadLetterLimit = 50): Promise<SyncStatusView> {
    const { db, clock } = this.options;
    const counts = await outboxRepo.counts(db);
    const last = await outboxRepo.lastError(db);
    const dead = await outboxRepo.deadLetters(db, deadLetterLimit);
    return {
      pending: counts.pending,
      inFlight: counts.inFlight,
      deadLettered: counts.dead,
      delivered: counts.delivered,
      skippedUnchanged: counts.skipped,
      oldestPendingAgeSeconds: counts.oldestPendingAt ? Math.max(0, Math.floor((clock.now().getTime() - counts.oldestPendingAt.getTime()) / 1000)) : null,
      lastError: last?.error ?? null,
      lastErrorAt: last?.at ?? null,
      deadLetters: dead.map((r) => ({ id: r.id, entity: r.entity, eventKind: r.eventKind, attempts: r.attempts, lastError: r.lastError, createdAt: r.createdAt, lastErrorAt: r.lastErrorAt })),
    };
  }

  /** Requeues a dead letter with a fresh attempt budget. */
  async retryDeadLetter(id: string): Promise<number> {
    if (!/^\d{1,15}$/.test(id)) throw new BadUserInputError('id', 'must be an outbox entry id');
    const { db, clock } = this.options;
    if (!(await outboxRepo.requeueDead(db, Number(id), clock.now()))) throw new NotFoundError('Dead-lettered outbox entry');
    return Number(id);
  }
}
