/**
 * Audit before disclosure: a request's audit rows are written in one batched insert before
 * anything it read leaves the process. If the write fails the caller gets an error instead of the
 * data, on every transport.
 */
import type { FormattedExecutionResult } from 'graphql';
import { ErrorCode } from '../errors';
import type { HubContext } from '../server/context';
import { safeErrorFields } from '../shared/logger';

/** Writes the request's audit rows (nothing when it read nothing); throws when the write fails. */
export async function recordAudit(context: HubContext, operation: string, operationName: string | null): Promise<void> {
  if (context.audit.isEmpty) return;
  await context.services.audit.record({
    requestId: context.requestId,
    caller: context.caller,
    purpose: context.purpose,
    operation,
    operationName,
    audit: context.audit,
  });
}

/**
 * Writes the request's audit rows; resolves to `false` (and logs) when the write failed, in which
 * case the caller must withhold the data and answer `auditFailedResult` with status 503.
 */
export async function auditBeforeDisclosure(
  context: HubContext,
  operation: string,
  operationName: string | null,
): Promise<boolean> {
  try {
    await recordAudit(context, operation, operationName);
    return true;
  } catch (error) {
    context.services.logger.error(
      { requestId: context.requestId, err: safeErrorFields(error) },
      'audit write failed; response withheld',
    );
    return false;
  }
}

/** The audit could not be written: what the transport withholds, with the write's own error as the cause. */
export class AuditWriteFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('audit write failed');
  }
}

export const AUDIT_FAILED_STATUS = 503;

export function auditFailedResult(requestId: string): FormattedExecutionResult {
  return {
    errors: [
      {
        message: 'The access audit could not be written, so no data is returned',
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
      },
    ],
  };
}
