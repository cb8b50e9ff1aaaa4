/**
 * Audit before disclose: the request's audit rows are written in one batched insert in
 * `willSendResponse`, which Apollo awaits before the body is sent. If the write fails the body is
 * replaced by an error: the caller gets no child data.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { ErrorCode } from '../errors';
import type { HubContext } from './context';
import { safeErrorFields } from '../shared/logger';

/**
 * Writes the request's audit rows; resolves to `false` (and logs) when the write failed, in which
 * case the caller must withhold the data and answer `auditFailedResult` with status 503.
 */
export async function auditBeforeDisclosure(context: HubContext, operation: string, operationName: string | null): Promise<boolean> {
  if (context.audit.isEmpty) return true;
  try {
    await context.services.audit.record({
      requestId: context.requestId, caller: context.caller, purpose: context.purpose, operation, operationName, audit: context.audit,
    });
    return true;
  } catch (error) {
    context.services.logger.error({ requestId: context.requestId, err: safeErrorFields(error) }, 'audit write failed; response withheld');
    return false;
  }
}

export function auditFailedResult(requestId: string): FormattedExecutionResult {
  return { errors: [{ message: 'The access audit could not be written, so no data is returned', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } }] };
}

export function auditPlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operation, operationName }) {
          if (await auditBeforeDisclosure(contextValue, operation?.operation ?? 'unknown', operationName ?? null)) return;
          if (response.body.kind === 'single') response.body.singleResult = auditFailedResult(contextValue.requestId);
          response.http.status = 503;
        },
      };
    },
  };
}
