/**
 * One LISTEN per hub instance on the case-event channel, turned into DOM events: each NOTIFY
 * carries a sequence number, the row is read from the database once per instance (not once per
 * subscriber) and dispatched as a `caseEvent` CustomEvent whose `detail` is the row. Plugged into
 * `createPubSub({ eventTarget })`, so every instance sees every committed change, whichever
 * instance (or worker) made it.
 *
 * LISTEN starts lazily with the first subscriber (`ensureListening`, awaited before a subscription
 * counts as active, so nothing committed after that is missed) and stops with `stop()`.
 *
 * When the LISTEN connection is lost (the backend terminated, the server restarted) the NOTIFYs
 * sent until it is back are lost too: once listening again, the events recorded since the last
 * one seen are read from the table and dispatched, each sequence number once.
 */
import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import type { Database } from '../db';
import { CASE_EVENTS_CHANNEL, type CaseEventRow } from '../events/case-events';
import { safeErrorFields, type Logger } from '../shared/logger';
import { caseEventSeqsAfter, findCaseEventsBySeq, involvedOrganisations, latestCaseEventSeq } from './case-event.repo';

export const CASE_EVENT_TOPIC = 'caseEvent';

/** A case event as dispatched: the row, plus the organisations involved with the child (a prefilter only). */
export type LiveCaseEvent = CaseEventRow & { readonly involvedOrganisationIds: readonly string[] };

/**
 * How far below the highest sequence number seen a catch-up starts: a transaction that took its
 * number earlier can commit later, so the numbers just below the highest may not all be heard yet.
 */
const CATCH_UP_OVERLAP = 200;
/** Sequence numbers remembered as dispatched (so a catch-up repeats none), and read per catch-up. */
const REMEMBERED = 2_000;
const CATCH_UP_LIMIT = 5_000;
/** Longest wait between attempts to read notified events while the database does not answer. */
const READ_RETRY_MAX_MS = 2_000;

export type CaseEventPubSub = PubSub<{ [CASE_EVENT_TOPIC]: [LiveCaseEvent] }>;

export interface CaseEventSourceOptions {
  database: Database;
  logger: Logger;
}

export class CaseEventSource extends EventTarget {
  /** The library pub/sub over this target: `subscribe('caseEvent')` yields case event rows. */
  readonly pubSub: CaseEventPubSub;
  private readonly database: Database;
  private readonly logger: Logger;
  private listening: Promise<() => Promise<void>> | undefined;
  private stopped = false;
  private listeners = 0;
  /** Sequence numbers heard but not yet read; read in batches, dispatched in NOTIFY (commit) order. */
  private pending: number[] = [];
  private draining: Promise<void> | undefined;
  /** Highest sequence number dispatched, or recorded when listening began. */
  private lastSeq = 0;
  private readonly dispatched = new Set<number>();

  constructor({ database, logger }: CaseEventSourceOptions) {
    super();
    this.database = database;
    this.logger = logger;
    this.pubSub = createPubSub({ eventTarget: this as never });
    // One listener per subscriber is expected: many dashboards per instance is not a leak.
    setMaxListeners(0, this);
  }

  /** Subscribers currently attached on this instance. */
  get subscriberCount(): number {
    return this.listeners;
  }

  ensureListening(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('case event source stopped'));
    this.listening ??= this.database
      .listen(
        CASE_EVENTS_CHANNEL,
        (payload) => this.heard(payload),
        () => {
          void this.catchUp();
        },
      )
      .then(async (unlisten) => {
        this.lastSeq = Math.max(this.lastSeq, await latestCaseEventSeq(this.database.db).catch(() => 0));
        return unlisten;
      });
    this.listening.catch(() => {
      this.listening = undefined;
    });
    return this.listening.then(() => undefined);
  }

  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    if (args[0] === CASE_EVENT_TOPIC && args[1]) this.listeners++;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    if (args[0] === CASE_EVENT_TOPIC && args[1]) this.listeners = Math.max(0, this.listeners - 1);
    super.removeEventListener(...args);
  }

  /** Stops listening; waits for reads in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    const unlisten = await this.listening?.catch(() => null);
    this.listening = undefined;
    await unlisten?.().catch((error: Error) => this.logger.warn({ err: safeErrorFields(error) }, 'unlisten failed'));
    await this.draining;
  }

  private heard(payload: string): void {
    const seq = Number(payload);
    if (!Number.isSafeInteger(seq) || seq <= 0) {
      this.logger.warn({ channel: CASE_EVENTS_CHANNEL }, 'ignored a malformed case event notification');
      return;
    }
    this.enqueue([seq]);
  }

  private enqueue(seqs: readonly number[]): void {
    this.pending.push(...seqs);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async catchUp(): Promise<void> {
    for (let failures = 0; !this.stopped; failures++) {
      try {
        const seqs = await caseEventSeqsAfter(
          this.database.db,
          Math.max(0, this.lastSeq - CATCH_UP_OVERLAP),
          CATCH_UP_LIMIT,
        );
        const missed = seqs.filter((seq) => !this.dispatched.has(seq));
        this.logger.warn(
          { channel: CASE_EVENTS_CHANNEL, events: missed.length },
          'listening again after the connection was lost; catching up',
        );
        this.enqueue(missed);
        return;
      } catch (error) {
        if (failures === 0)
          this.logger.warn({ err: safeErrorFields(error) }, 'could not catch up on case events yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(READ_RETRY_MAX_MS, 50 * 2 ** failures)));
      }
    }
  }

  private remember(seq: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.dispatched.add(seq);
    if (this.dispatched.size > REMEMBERED) this.dispatched.delete(this.dispatched.values().next().value!);
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (this.pending.length > 0 && !this.stopped) {
      const seqs = this.pending;
      this.pending = [];
      let rows: CaseEventRow[];
      let organisations: Map<string, string[]>;
      try {
        rows = await findCaseEventsBySeq(this.database.db, seqs);
        organisations = await involvedOrganisations(
          this.database.db,
          rows.map((r) => r.childId),
        );
        failures = 0;
      } catch (error) {
        // The events are committed: read them again once the database answers (its connection
        // was lost, or it is away), rather than drop them.
        if (failures++ === 0)
          this.logger.warn(
            { err: safeErrorFields(error), events: seqs.length },
            'could not read notified case events; retrying',
          );
        this.pending = [...seqs, ...this.pending];
        await new Promise((r) => setTimeout(r, Math.min(READ_RETRY_MAX_MS, 50 * 2 ** failures)));
        continue;
      }
      const bySeq = new Map(rows.map((r) => [r.seq, r]));
      for (const seq of seqs) {
        const row = bySeq.get(seq);
        if (!row || this.stopped || this.dispatched.has(seq)) continue;
        this.remember(seq);
        const detail: LiveCaseEvent = { ...row, involvedOrganisationIds: organisations.get(row.childId) ?? [] };
        this.dispatchEvent(new CustomEvent(CASE_EVENT_TOPIC, { detail }));
      }
    }
  }
}
