/**
 * The feed inbox: submissions the hub answers at once and matches and applies afterwards (health
 * updates, police incidents). The request only stores the submission, audits its receipt and
 * answers RECEIVED, so a known child and an unknown one cost the request the same work and take
 * the same time; whether the child matched is worked out here, off the request path.
 *
 * Each inboxed submission is applied or held exactly once: in one transaction the row is locked
 * (SKIP LOCKED, so a second processor passes it by), the feed's apply step runs, its changes are
 * audited under the request that sent it, and the row leaves the inbox. A crash or a failed apply
 * rolls all of that back, and the row is taken again: after every commit (`kick`), on start and
 * every `intervalMs` (`start`), by any hub on the database.
 */
import { AuditCollector, type AuditOrigin } from '../audit/audit-collector';
import type { AuditService } from '../audit/audit.service';
import type { Db } from '../db';
import type { Logger } from '../shared/logger';
import type { AuditChange, FeedWork } from './submission';
import { clearInbox, inboxed, lockInboxed } from './submissions.repo';

/** What the inbox keeps of a submission until it is applied. */
export interface InboxEntry {
  payload: unknown;
  origin: AuditOrigin & { operationName: string | null };
}

/** A feed's step after the receipt: match the child(ren) and apply, or hold for review. */
export type InboxHandler = (
  work: FeedWork,
  submission: { id: string; organisationId: string },
  payload: unknown,
  audit: AuditCollector,
) => Promise<void>;

export interface FeedInboxOptions {
  db: Db;
  audit: Pick<AuditService, 'recordChanges'>;
  logger: Logger;
  identifierKey: string;
  /** How long after its request answers a submission is left alone (default 100 ms). */
  answerHoldMs?: number;
}

const BATCH = 50;
const AFTER_ANSWER_MS_DEFAULT = 100;
/** How long a request that stopped before answering (it failed) keeps its submission held. */
const UNANSWERED_HOLD_MS = 60_000;

export class FeedInbox {
  private readonly handlers = new Map<string, InboxHandler>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Received since the last drain began (`settled` starts it at once rather than waiting). */
  private due = false;
  /**
   * Requests of this process whose submissions are not applied yet, by request id, until when
   * (performance.now()). A drain started by another request's timer or the sweep would otherwise
   * apply a submission between its commit and its answer, and a known child's work would then
   * delay the answer that must not say whether the child is known.
   */
  private readonly holds = new Map<string, number>();
  private holdTimer: NodeJS.Timeout | null = null;
  private kickTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: FeedInboxOptions) {}

  handle(feed: string, handler: InboxHandler): void {
    this.handlers.set(feed, handler);
  }

  /** What a request keeps for the inbox: the payload and who sent it, for the audit. */
  entry(payload: unknown, audit: AuditCollector): InboxEntry {
    if (!audit.origin) throw new Error('this audit collector has no request to hand work on from');
    // Held from before its commit: no drain may take it while its request is still answering.
    this.holds.set(audit.origin.requestId, performance.now() + UNANSWERED_HOLD_MS);
    return { payload, origin: { ...audit.origin, operationName: audit.operationName } };
  }

  /**
   * After a commit: apply what was received shortly after, once the answer has left, so the work
   * on a known child neither holds up its own answer nor shares its event loop turns with it.
   */
  kick(audit: AuditCollector): void {
    const now = performance.now();
    const hold = this.options.answerHoldMs ?? AFTER_ANSWER_MS_DEFAULT;
    for (const [requestId, until] of this.holds) if (until <= now) this.holds.delete(requestId);
    if (audit.origin) this.holds.set(audit.origin.requestId, now + hold);
    if (this.stopped) return;
    this.due = true;
    // One timer for a burst of posts, not one each: the drain it starts passes by what is still
    // held, and `held` sets the timer for when the last hold ends.
    if (this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = null;
      if (this.due && !this.stopped) void this.drain();
    }, hold);
    this.kickTimer.unref();
  }

  /**
   * Applies everything in the inbox but what is held for a request still answering; a call while
   * a drain runs makes it look again when done.
   */
  drain(): Promise<void> {
    return this.drainWith(false);
  }

  private drainWith(ignoreHolds: boolean): Promise<void> {
    if (this.stopped) return this.running ?? Promise.resolve();
    this.due = false;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.drainOnce(ignoreHolds);
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * Applies what was received now, held or not, and resolves once this process has nothing of the
   * inbox in hand (tests, between requests: the effect of a post is there to read). A submission
   * that failed stays for the next sweep and does not hold this up.
   */
  async settled(): Promise<void> {
    for (;;) {
      if ((this.due || this.holds.size > 0) && !this.stopped) {
        this.holds.clear();
        void this.drainWith(true);
      }
      if (!this.running) return;
      await this.running;
    }
  }

  /** The backstop: drains now and every `intervalMs`, so nothing received is left behind. */
  start(intervalMs = 30_000): void {
    this.stopped = false;
    void this.drain();
    this.timer = setInterval(() => {
      void this.drain();
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.holdTimer) clearTimeout(this.holdTimer);
    if (this.kickTimer) clearTimeout(this.kickTimer);
    this.timer = null;
    this.holdTimer = null;
    this.kickTimer = null;
    while (this.running) await this.running;
  }

  private async drainOnce(ignoreHolds: boolean): Promise<void> {
    // Failed this round (left for the next sweep rather than retried in a loop), or held by
    // another processor (which applies it): not listed again in this drain.
    const passed: string[] = [];
    for (;;) {
      if (this.stopped) return;
      const ids = await inboxed(this.options.db, BATCH, passed).catch((error: Error) => {
        this.options.logger.error(
          { err: { name: error.name, message: error.message } },
          'feed inbox: listing the inbox failed',
        );
        return [];
      });
      if (ids.length === 0) return;
      for (const id of ids) {
        try {
          if (!(await this.applyOne(id, ignoreHolds))) passed.push(id);
        } catch (error) {
          passed.push(id);
          // The error's name and the submission id only: a message may carry what was sent.
          this.options.logger.error(
            { submissionId: id, err: { name: (error as Error).name } },
            'feed inbox: applying a submission failed; retried on the next sweep',
          );
        }
      }
    }
  }

  /** Applies one submission; false when it was done already, another processor holds it, or its request is answering. */
  private async applyOne(id: string, ignoreHolds: boolean): Promise<boolean> {
    return this.options.db.transaction(async (tx) => {
      const row = await lockInboxed(tx, id);
      if (!row) return false;
      const entry = row.inbox as InboxEntry;
      if (!ignoreHolds && this.held(entry.origin.requestId)) return false;
      const handler = this.handlers.get(row.feed);
      if (!handler) throw new Error(`Invariant failed: no inbox handler for feed ${row.feed}`);
      const { origin } = entry;
      const audit = new AuditCollector(
        (t, changes) =>
          this.options.audit.recordChanges(
            t,
            {
              requestId: origin.requestId,
              caller: origin.caller,
              purpose: origin.purpose,
              operation: 'mutation',
              operationName: origin.operationName,
            },
            changes,
          ),
        this.options.identifierKey,
        origin,
      );
      audit.operationName = origin.operationName;
      const changes: AuditChange[] = [];
      // Dated as received: a police notification's deadline counts from the hub's receipt.
      const work: FeedWork = {
        tx,
        caller: { ...origin.caller, requestId: origin.requestId },
        at: row.receivedAt,
        changes,
      };
      await handler(work, { id: row.id, organisationId: row.organisationId }, entry.payload, audit);
      await clearInbox(tx, id);
      await audit.changedIn(tx, changes);
      return true;
    });
  }

  /** Whether a request is still answering; if so, a drain is due when its hold ends. */
  private held(requestId: string): boolean {
    const until = this.holds.get(requestId);
    if (until === undefined) return false;
    const left = until - performance.now();
    if (left <= 0) {
      this.holds.delete(requestId);
      return false;
    }
    if (!this.holdTimer && !this.stopped) {
      this.holdTimer = setTimeout(() => {
        this.holdTimer = null;
        if (!this.stopped) void this.drain();
      }, Math.ceil(left) + 1);
      this.holdTimer.unref();
    }
    return true;
  }
}
