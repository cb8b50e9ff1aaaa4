/**
 * The second half of every way in: execute an admitted request with its context, mask every
 * unexpected error with the one mask, and let the result go only once its audit rows are written.
 * Transports (transports/*) turn the outcome into their protocol's answer; Apollo runs the same
 * steps through its hooks (transports/apollo.ts), since it executes the operation itself.
 */
import type { GraphQLError } from 'graphql';
import type { HubContext } from '../server/context';
import { AuditWriteFailed, auditBeforeDisclosure, recordAudit } from './disclose';
import { maskGraphQLError } from './mask';

export interface RunRequest {
  /** Recorded in the audit: `query`, `subscription`, `download`… */
  readonly operation: string;
  readonly operationName: string | null;
}

export interface RunOptions<R> {
  /** Last look at the result before the audit is written (a subscription event records its delivery). */
  readonly beforeAudit?: (result: R) => void;
  /**
   * `withhold` (default): a failed audit write is logged and nothing disclosed. `throw`: it is
   * thrown as AuditWriteFailed, to a transport that may retry the whole run.
   */
  readonly onAuditFailure?: 'withhold' | 'throw';
}

export type RunOutcome<R> = { readonly disclosed: true; readonly result: R } | { readonly disclosed: false };

/** What an execution yields: a value and possibly the errors graphql-js collected on the way. */
export interface Executed {
  readonly errors?: readonly GraphQLError[];
}

export async function run<R extends object>(
  context: HubContext,
  request: RunRequest,
  execute: () => Promise<R>,
  options: RunOptions<R> = {},
): Promise<RunOutcome<R>> {
  const executed = await execute();
  const { logger, database } = context.services;
  const { errors } = executed as Executed;
  const result = errors
    ? { ...executed, errors: errors.map((e) => maskGraphQLError(e, context.requestId, logger, database.health)) }
    : executed;
  options.beforeAudit?.(result);
  if (options.onAuditFailure === 'throw') {
    try {
      await recordAudit(context, request.operation, request.operationName);
    } catch (error) {
      throw new AuditWriteFailed(error);
    }
    return { disclosed: true, result };
  }
  if (!(await auditBeforeDisclosure(context, request.operation, request.operationName))) return { disclosed: false };
  return { disclosed: true, result };
}
