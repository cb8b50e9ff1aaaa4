/**
 * The per-event half of a subscription (graphql-ws's `subscribe`). graphql-js would execute every
 * event with the one context of the subscription; here each event gets a FRESH context from
 * `contextFor`, so its access decisions (relationship, role, consent) are made at the moment of
 * that event and cached only for it. An event is delivered only when the subscriber still has a
 * relationship with the child, and only after its audit rows are written (audit before disclose).
 */
import { execute, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { ISA_PERMISSIONS } from '../access/permissions';
import type { Caller } from '../auth/caller';
import { ErrorCode } from '../errors';
import { isExpectedError } from '../server/errors-plugin';
import { contextFor } from '../server/authenticate';
import type { HubContext } from '../server/context';
import { isSubscriptionContext, type SubscriptionContext } from './subscription-context';
import { safeErrorFields } from '../shared/logger';

/** A source event names the child it is about; nothing else is assumed. */
interface ChildEvent {
  childId: string;
  seq?: number;
  /** Organisations with any involvement with the child, read once per instance (see case-event.repo.ts). */
  involvedOrganisationIds?: readonly string[];
}

/**
 * A cheap, conservative skip before the per-subscriber decision: a role with no relationship rule,
 * or an organisation-scoped role whose organisation has no involvement at all with the child,
 * cannot relate to it. It only ever withholds; every delivery is still decided by a fresh context.
 */
export function cannotRelate(caller: Caller, event: ChildEvent): boolean {
  const rule = ISA_PERMISSIONS[caller.role].relationship;
  if (!rule) return true;
  return rule.scope === 'organisation' && event.involvedOrganisationIds !== undefined
    && !event.involvedOrganisationIds.includes(caller.organisationId);
}

export async function subscribePerEvent(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const ctx = args.contextValue;
  if (!isSubscriptionContext(ctx) || !ctx.sourceStream) {
    return { errors: [new GraphQLError('Subscription was not authorised', { extensions: { code: ErrorCode.FORBIDDEN } })] };
  }
  return perEventResults(ctx.sourceStream[Symbol.asyncIterator]() as AsyncIterator<ChildEvent>, args, ctx);
}

/** An async generator by hand: `return()` must end the source at once, even while awaiting. */
function perEventResults(source: AsyncIterator<ChildEvent>, args: ExecutionArgs, ctx: SubscriptionContext): AsyncGenerator<ExecutionResult> {
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
    [Symbol.asyncIterator]() { return generator; },
  };
  return generator;
}

/** Decides, executes and audits one event for one subscriber; null when it is not theirs. */
async function deliver(event: ChildEvent, args: ExecutionArgs, ctx: SubscriptionContext): Promise<ExecutionResult | null> {
  const { services, caller, purpose } = ctx;
  if (cannotRelate(caller, event)) return null;
  const fresh: HubContext = { ...contextFor(services, caller, purpose), operation: 'subscription' };
  try {
    if (!(await fresh.access.hasRelationship(event.childId))) return null;
    const result = await execute({ ...args, rootValue: event, contextValue: fresh });
    if (fresh.audit.isEmpty) {
      // Only ids were selected: the delivery itself is still a disclosure about the child.
      fresh.audit.oversaw(event.childId, 'Subscription.caseChanged', 'subscription:event');
    }
    await services.audit.record({
      requestId: fresh.requestId,
      caller,
      purpose,
      operation: 'subscription',
      operationName: args.operationName ?? null,
      audit: fresh.audit,
    });
    return result.errors ? { ...result, errors: result.errors.map((e) => mask(e, fresh)) } : result;
  } catch (error) {
    services.logger.error({ requestId: fresh.requestId, seq: event.seq, err: safeErrorFields(error) }, 'subscription event withheld');
    return {
      errors: [new GraphQLError('This change could not be checked and audited, so it is not shown', {
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: fresh.requestId },
      })],
    };
  }
}

function mask(error: GraphQLError, ctx: HubContext): GraphQLError {
  if (isExpectedError(error.extensions?.code)) return error;
  const original = error.originalError;
  ctx.services.logger.error({ requestId: ctx.requestId, err: safeErrorFields(original), path: error.path }, 'unexpected error');
  return new GraphQLError('Internal server error', { path: error.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: ctx.requestId } });
}
