/**
 * Audit before disclose: the request's audit rows are written in one batched insert in
 * `willSendResponse`, which Apollo awaits before the body is sent. If the write fails the body is
 * replaced by an error: the caller gets no child data.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../errors';
import type { HubContext } from './context';
import { safeErrorFields } from '../shared/logger';

export function auditPlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operation, operationName }) {
          if (contextValue.audit.isEmpty) return;
          try {
            await contextValue.services.audit.record({
              requestId: contextValue.requestId,
              caller: contextValue.caller,
              purpose: contextValue.purpose,
              operation: operation?.operation ?? 'unknown',
              operationName: operationName ?? null,
              audit: contextValue.audit,
            });
          } catch (error) {
            contextValue.services.logger.error({ requestId: contextValue.requestId, err: safeErrorFields(error) }, 'audit write failed; response withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [{ message: 'The access audit could not be written, so no data is returned', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: contextValue.requestId } }],
              };
            }
            response.http.status = 503;
          }
        },
      };
    },
  };
}
