/**
 * The per-event half of a subscription (graphql-ws's `subscribe`). graphql-js would execute every
 * event with the one context of the subscription; here each event gets a FRESH context from
 * `contextFor`, so its access decisions (relationship, role, consent) are made at the moment of
 * that event and cached only for it. An event is delivered only when the subscriber still has a
 * relationship with the child, and only after its audit rows are written (audit before disclose).
 * A notification of access from outside the team is the exception: it goes only to those told of
 * such views (the lead practitioner, the responsible council team, the DPO).
 */
import { execute, GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { isDataCategory } from '../../access/categories';
import { ISA_PERMISSIONS } from '../../access/permissions';
import { ACCESSED_BY_OTHERS } from '../../audit/access-notifications.service';
import type { Caller } from '../../auth/caller';
import { ErrorCode } from '../../errors';
import type { HubContext } from '../../server/context';
import { safeErrorFields } from '../../shared/logger';
import { isSubscriptionContext, type SubscriptionContext } from '../../subscriptions/subscription-context';
import { contextFor } from '../authenticate';
import { AuditWriteFailed, auditFailedResult } from '../disclose';
import { maskThrown } from '../mask';
import { run } from '../run';

/** A source event names the child it is about; nothing else is assumed. */
interface ChildEvent {
  childId: string;
  kind?: string;
  seq?: number;
  /** Organisations with any involvement with the child, read once per instance (see case-event.repo.ts). */
  involvedOrganisationIds?: readonly string[];
  /** ISA categories whose data the change touched. */
  categories?: readonly string[];
}

/**
 * A cheap, conservative skip before the per-subscriber decision: a role with no relationship rule,
 * or an organisation-scoped role whose organisation has no involvement at all with the child,
 * cannot relate to it. It only ever withholds; every delivery is still decided by a fresh context.
 */
export function cannotRelate(caller: Caller, event: ChildEvent): boolean {
  const rule = ISA_PERMISSIONS[caller.role].relationship;
  if (!rule) return true;
  return (
    rule.scope === 'organisation' &&
    event.involvedOrganisationIds !== undefined &&
    !event.involvedOrganisationIds.includes(caller.organisationId)
  );
}

export async function subscribePerEvent(
  args: ExecutionArgs,
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const ctx = args.contextValue;
  if (!isSubscriptionContext(ctx) || !ctx.sourceStream) {
    return {
      errors: [new GraphQLError('Subscription was not authorised', { extensions: { code: ErrorCode.FORBIDDEN } })],
    };
  }
  return perEventResults(ctx.sourceStream[Symbol.asyncIterator]() as AsyncIterator<ChildEvent>, args, ctx);
}

/** An async generator by hand: `return()` must end the source at once, even while awaiting. */
function perEventResults(
  source: AsyncIterator<ChildEvent>,
  args: ExecutionArgs,
  ctx: SubscriptionContext,
): AsyncGenerator<ExecutionResult> {
  let finished = false;
  const end = async (): Promise<IteratorResult<ExecutionResult>> => {
    if (!finished) {
      finished = true;
      await source.return?.();
    }
    return { value: undefined, done: true };
  };

  const next = async (): Promise<IteratorResult<ExecutionResult>> => {
    while (!finished) {
      const step = await source.next();
      if (step.done || finished) return end();
      const { connection } = ctx;
      if (connection.expiresAt !== null && ctx.services.clock.now().getTime() >= connection.expiresAt) {
        connection.close(CloseCode.Forbidden, 'Forbidden: token expired');
        return end();
      }
      const result = await deliver(step.value, args, ctx);
      if (finished) break;
      if (result) return { value: result, done: false };
    }
    return { value: undefined, done: true };
  };

  const generator: AsyncGenerator<ExecutionResult> = {
    next,
    return: end,
    async throw(error: unknown) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return generator;
    },
  };
  return generator;
}

/** Attempts at one delivery while the database cannot be reached (waits of 0.1, 0.2, 0.4, 0.8, then 1 s). */
const DELIVERY_ATTEMPTS = 7;

/** Decides, executes and audits one event for one subscriber; null when it is not theirs. */
async function deliver(
  event: ChildEvent,
  args: ExecutionArgs,
  ctx: SubscriptionContext,
): Promise<ExecutionResult | null> {
  // A notification of access is decided by who is told (below), not by the relationship the skip assumes.
  if (event.kind !== ACCESSED_BY_OTHERS && cannotRelate(ctx.caller, event)) return null;
  // A connection lost mid-delivery (the backend terminated, the server restarting) is retried
  // with a fresh decision, rather than the change withheld from a dashboard that stays open.
  for (let attempt = 1; ; attempt++) {
    const outcome = await deliverOnce(event, args, ctx, attempt < DELIVERY_ATTEMPTS);
    if (outcome !== RETRY) return outcome;
    await new Promise((r) => setTimeout(r, Math.min(1_000, 100 * 2 ** (attempt - 1))));
  }
}

const RETRY = Symbol('retry');

async function deliverOnce(
  event: ChildEvent,
  args: ExecutionArgs,
  ctx: SubscriptionContext,
  mayRetry: boolean,
): Promise<ExecutionResult | null | typeof RETRY> {
  const { services, caller, purpose } = ctx;
  const fresh: HubContext = { ...contextFor(services, caller, purpose), operation: 'subscription' };
  try {
    let basis = 'subscription:event';
    if (event.kind === ACCESSED_BY_OTHERS) {
      // Who outside the team looked is told to those who may ask recentAccessByOthers, and to no
      // one else: a relationship is not enough (the school on roll relates to the child, and the
      // viewer itself may), and the categories it names are the viewer's, not the subscriber's.
      const told = await services.accessNotifications.toldBasis(event.childId, caller);
      if (!told) return null;
      basis = told;
    } else {
      if (!(await fresh.access.hasRelationship(event.childId))) return null;
      // Even a redacted event tells when Early Help activity happens: send it only to a subscriber
      // it discloses at least one category to.
      if (!(await disclosesAny(fresh, event))) return null;
    }
    // The audit's failure is thrown here: a lost connection is retried, anything else withheld below.
    const outcome = await run(
      fresh,
      { operation: 'subscription', operationName: args.operationName ?? null },
      async () => execute({ ...args, rootValue: event, contextValue: fresh }),
      {
        onAuditFailure: 'throw',
        beforeAudit: () => {
          // Only ids were selected: the delivery itself is still a disclosure about the child.
          if (fresh.audit.isEmpty) fresh.audit.oversaw(event.childId, 'Subscription.caseChanged', basis);
        },
      },
    );
    return outcome.disclosed ? outcome.result : null;
  } catch (error) {
    const failedAudit = error instanceof AuditWriteFailed;
    const cause = failedAudit ? error.cause : error;
    if (mayRetry && services.database.health.noteError(cause)) return RETRY;
    if (failedAudit) {
      services.logger.error(
        { requestId: fresh.requestId, seq: event.seq, err: safeErrorFields(cause) },
        'audit write failed; event withheld',
      );
      return asExecutionResult(auditFailedResult(fresh.requestId).errors!);
    }
    return asExecutionResult([
      maskThrown(cause, fresh.requestId, services.logger, services.database.health, 'subscription event withheld')
        .error,
    ]);
  }
}

/** graphql-ws sends errors as GraphQLErrors (it calls their toJSON). */
function asExecutionResult(errors: readonly GraphQLFormattedError[]): ExecutionResult {
  return { errors: errors.map((e) => new GraphQLError(e.message, { extensions: e.extensions })) };
}

/** A change that names no category discloses none: it is sent to nobody rather than to everyone. */
async function disclosesAny(ctx: HubContext, event: ChildEvent): Promise<boolean> {
  const categories = (event.categories ?? []).filter(isDataCategory);
  if (categories.length === 0) return false;
  const decisions = await Promise.all(categories.map((category) => ctx.access.decide(event.childId, category)));
  return decisions.some((d) => d.allowed);
}
