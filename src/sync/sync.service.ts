/**
 * The Liquid Logic sync as admins and the DPO see it: queue counts, the age of the oldest
 * undelivered change, the last error, the dead letters — and putting a dead letter back in the
 * queue (one, one child's, or all). No child data: ids, kinds, counts and error codes only.
 */
import type { Db } from '../db';
import { BadUserInputError, NotFoundError } from '../errors';
import * as outboxRepo from '../outbox/outbox.repo';
import type { Clock } from '../shared/clock';
import { isUuid } from '../shared/validate';
import * as inboundRepo from './inbound.repo';

export interface SyncStatusView {
  pending: number;
  inFlight: number;
  deadLettered: number;
  delivered: number;
  skippedUnchanged: number;
  blocked: number;
  parkedInbound: number;
  inboundForReview: number;
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
  /** Later rows of the same child held back until this one is re-driven. */
  blocking: number;
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
    const parked = await inboundRepo.parkedCounts(db);
    return {
      pending: counts.pending,
      inFlight: counts.inFlight,
      deadLettered: counts.dead,
      delivered: counts.delivered,
      skippedUnchanged: counts.skipped,
      blocked: counts.blocked,
      parkedInbound: parked.parked,
      inboundForReview: parked.review,
      oldestPendingAgeSeconds: counts.oldestPendingAt
        ? Math.max(0, Math.floor((clock.now().getTime() - counts.oldestPendingAt.getTime()) / 1000))
        : null,
      lastError: last?.error ?? null,
      lastErrorAt: last?.at ?? null,
      deadLetters: dead.map((r) => ({
        id: r.id,
        entity: r.entity,
        eventKind: r.eventKind,
        attempts: r.attempts,
        lastError: r.lastError,
        blocking: r.blocking,
        createdAt: r.createdAt,
        lastErrorAt: r.lastErrorAt,
      })),
    };
  }

  /** Requeues a dead letter with a fresh attempt budget. */
  async retryDeadLetter(id: string): Promise<number> {
    if (!/^\d{1,15}$/.test(id)) throw new BadUserInputError('id', 'must be an outbox entry id');
    const { db, clock } = this.options;
    if (!(await outboxRepo.requeueDead(db, { id: Number(id) }, clock.now())))
      throw new NotFoundError('Dead-lettered outbox entry');
    return Number(id);
  }

  /**
   * Requeues the dead letters of one child — named by its id as the outbox holds it, or as the
   * child of a given dead letter — or, with neither, all of them; each child's rows then go in
   * order. Returns how many were requeued.
   */
  async redriveDeadLetters(which: { childId: string | null; sameChildAs: string | null }): Promise<number> {
    const { db, clock } = this.options;
    if (which.childId !== null && which.sameChildAs !== null)
      throw new BadUserInputError('sameChildAs', 'give childId or sameChildAs, not both');
    if (which.childId !== null && !isUuid(which.childId)) throw new BadUserInputError('childId', 'must be a child id');
    if (which.sameChildAs !== null && !/^\d{1,15}$/.test(which.sameChildAs))
      throw new BadUserInputError('sameChildAs', 'must be an outbox entry id');
    const childId =
      which.sameChildAs !== null ? await outboxRepo.childOfEntry(db, Number(which.sameChildAs)) : which.childId;
    if (which.sameChildAs !== null && !childId) throw new NotFoundError('Outbox entry');
    return outboxRepo.requeueDead(db, childId === null ? 'all' : { childId }, clock.now());
  }
}
