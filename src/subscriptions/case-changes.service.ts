/**
 * `caseChanged`: who may follow which cases, and the stream of case events that match a
 * subscriber's filter. The subscribe-time check (purpose, relationship with a followed child) is
 * only the first gate: every event is decided again for each subscriber when it is delivered
 * (event-execution.ts), because relationships and consents change while a dashboard stays open.
 */
import type { AccessDecider } from '../access/access-decider';
import type { AuditCollector } from '../audit/audit-collector';
import type { ChildService } from '../child/child.service';
import { NoRelationshipError } from '../errors';
import type { CaseEventRow } from '../events/case-events';
import { CASE_EVENT_TOPIC, type CaseEventSource } from '../pubsub/case-event-source';
import { BoundedQueue, type EventBudget } from './bounded-queue';

export interface CaseChangedArgs {
  childId?: string | null;
  cluster?: string | null;
}

/** A subscriber's filter with the child id resolved through merges to the live record. */
export interface CaseChangeFilter {
  childId: string | null;
  cluster: string | null;
}

export interface CaseChangesServiceOptions {
  children: ChildService;
  source: CaseEventSource;
}

export class CaseChangesService {
  private readonly children: ChildService;
  private readonly source: CaseEventSource;

  constructor({ children, source }: CaseChangesServiceOptions) {
    this.children = children;
    this.source = source;
  }

  /**
   * Subscribe-time authorisation: a purpose is stated, and a followed child is one the caller has
   * a relationship with (same NO_RELATIONSHIP for a missing and an unrelated child). A cluster
   * filter needs no relationship up front: each of its events is still decided per child.
   */
  async authorise(args: CaseChangedArgs, access: AccessDecider, audit: AuditCollector): Promise<CaseChangeFilter> {
    access.requirePurpose();
    let childId: string | null = null;
    if (args.childId != null) {
      childId = await this.children.resolveLookup({ id: args.childId });
      if (!childId || !(await access.hasRelationship(childId))) {
        if (childId) audit.refused(childId);
        throw new NoRelationshipError();
      }
    }
    return { childId, cluster: args.cluster ?? null };
  }

  /**
   * The events matching a filter, buffered in a bounded queue drawing on the connection's budget.
   * Resolves once this instance is listening, so every change committed afterwards is seen.
   */
  async stream(filter: CaseChangeFilter, budget: EventBudget): Promise<AsyncIterableIterator<CaseEventRow>> {
    await this.source.ensureListening();
    const upstream = this.source.pubSub.subscribe(CASE_EVENT_TOPIC);
    const queue = new BoundedQueue<CaseEventRow>(budget, () => { void upstream.return(undefined); });
    // Drain the library's iterator eagerly so events wait only in the bounded queue.
    void (async () => {
      try {
        for await (const row of upstream) {
          if (matches(row, filter)) queue.push(row); // a full or ended queue returns the upstream
        }
      } catch (error) {
        queue.fail(error);
      }
    })();
    return queue;
  }

  async subscribe(args: CaseChangedArgs, access: AccessDecider, audit: AuditCollector, budget: EventBudget): Promise<AsyncIterableIterator<CaseEventRow>> {
    return this.stream(await this.authorise(args, access, audit), budget);
  }
}

export function matches(row: CaseEventRow, filter: CaseChangeFilter): boolean {
  if (filter.childId && row.childId !== filter.childId) return false;
  if (filter.cluster && row.cluster !== filter.cluster) return false;
  return true;
}
