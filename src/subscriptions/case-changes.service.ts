/**
 * `caseChanged`: who may follow which cases, and the stream of case events that match a
 * subscriber's filter. The subscribe-time check (purpose, relationship with a followed child) is
 * only the first gate: every event is decided again for each subscriber when it is delivered
 * (src/gateway/transports/websocket-events.ts), because relationships and consents change while a dashboard stays open.
 */
import type { AccessDecider } from '../access/access-decider';
import type { AuditCollector } from '../audit/audit-collector';
import type { ChildService } from '../child/child.service';
import type { DbOrTx } from '../db';
import { BadUserInputError, NoRelationshipError } from '../errors';
import type { CaseEventRow } from '../events/case-events';
import { caseEventsAfter } from '../pubsub/case-event.repo';
import { CASE_EVENT_TOPIC, type CaseEventSource } from '../pubsub/case-event-source';
import { BoundedQueue, type EventBudget } from './bounded-queue';

export interface CaseChangedArgs {
  childId?: string | null;
  cluster?: string | null;
  /** The id of the last change the subscriber received: the changes after it are replayed first. */
  after?: string | null;
}

/** A subscriber's filter with the child id resolved through merges to the live record. */
export interface CaseChangeFilter {
  childId: string | null;
  cluster: string | null;
  /** Replay the matching changes after this sequence number before the live ones. */
  after: number | null;
}

export interface CaseChangesServiceOptions {
  children: ChildService;
  source: CaseEventSource;
  db: DbOrTx;
}

export class CaseChangesService {
  private readonly children: ChildService;
  private readonly source: CaseEventSource;
  private readonly db: DbOrTx;

  constructor({ children, source, db }: CaseChangesServiceOptions) {
    this.children = children;
    this.source = source;
    this.db = db;
  }

  /**
   * Subscribe-time authorisation: a purpose is stated, and a followed child is one the caller has
   * a relationship with (same NO_RELATIONSHIP for a missing and an unrelated child). A cluster
   * filter needs no relationship up front: each of its events is still decided per child.
   */
  async authorise(args: CaseChangedArgs, access: AccessDecider, audit: AuditCollector): Promise<CaseChangeFilter> {
    access.requirePurpose();
    const after = args.after == null ? null : changeId(args.after);
    let childId: string | null = null;
    if (args.childId != null) {
      childId = await this.children.resolveLookup({ id: args.childId });
      if (!childId || !(await access.hasRelationship(childId))) {
        if (childId) audit.refused(childId);
        throw new NoRelationshipError();
      }
    }
    return { childId, cluster: args.cluster ?? null, after };
  }

  /**
   * The events matching a filter, buffered in a bounded queue drawing on the connection's budget.
   * Resolves once this instance is listening, so every change committed afterwards is seen.
   *
   * With `after`, the changes committed since that one are replayed first (a dashboard that lost
   * its connection misses nothing). Listening starts before the history is read, so a change
   * committed meanwhile is in the history, live, or both — sent once, by sequence number, not by
   * comparing numbers (a lower one can commit later). The replay fits in the connection's queue
   * or is refused: further behind, re-reading the cases is cheaper than replaying them.
   */
  async stream(filter: CaseChangeFilter, budget: EventBudget): Promise<AsyncIterableIterator<CaseEventRow>> {
    await this.source.ensureListening();
    const upstream = this.source.pubSub.subscribe(CASE_EVENT_TOPIC);
    const queue = new BoundedQueue<CaseEventRow>(budget, () => {
      void upstream.return(undefined);
    });
    let replaying = filter.after !== null;
    const heldDuringReplay: CaseEventRow[] = [];
    const replayed = new Set<number>();
    // Drain the library's iterator eagerly so events wait only in the bounded queue.
    void (async () => {
      try {
        for await (const row of upstream) {
          followMerge(row, filter);
          if (!matches(row, filter)) continue;
          if (replaying) heldDuringReplay.push(row);
          else if (!replayed.has(row.seq)) queue.push(row); // a full or ended queue returns the upstream
        }
      } catch (error) {
        queue.fail(error);
      }
    })();
    if (filter.after === null) return queue;
    const room = budget.limit - budget.pending;
    let history: CaseEventRow[];
    try {
      history = await caseEventsAfter(this.db, filter.after, filter, room + 1);
    } catch (error) {
      await queue.return();
      throw error;
    }
    if (history.length > room) {
      await queue.return();
      throw new BadUserInputError(
        'after',
        `more than ${room} changes have followed it: re-read the cases you follow, then subscribe without after`,
      );
    }
    for (const row of history) {
      replayed.add(row.seq);
      queue.push(row);
    }
    replaying = false;
    for (const row of heldDuringReplay.splice(0)) if (!replayed.has(row.seq)) queue.push(row);
    return queue;
  }

  async subscribe(
    args: CaseChangedArgs,
    access: AccessDecider,
    audit: AuditCollector,
    budget: EventBudget,
  ): Promise<AsyncIterableIterator<CaseEventRow>> {
    return this.stream(await this.authorise(args, access, audit), budget);
  }
}

/**
 * A followed child merged into another (a duplicate record resolved) lives on as the survivor:
 * the subscription follows it there, starting with the merge itself, instead of going silent.
 * Each of the survivor's events is still decided for the subscriber when it is delivered.
 */
function followMerge(row: CaseEventRow, filter: CaseChangeFilter): void {
  if (row.kind !== 'child_merged' || filter.childId === null) return;
  const refs = row.refs as Record<string, string | undefined>;
  if (refs.fromChildId === filter.childId && refs.intoChildId) filter.childId = refs.intoChildId;
}

/** A change's id is its sequence number, as `CaseChange.id` gives it. */
function changeId(value: string): number {
  const seq = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seq)) throw new BadUserInputError('after', 'must be the id of a change you received');
  return seq;
}

export function matches(row: CaseEventRow, filter: Pick<CaseChangeFilter, 'childId' | 'cluster'>): boolean {
  if (filter.childId && row.childId !== filter.childId) return false;
  if (filter.cluster && row.cluster !== filter.cluster) return false;
  return true;
}
