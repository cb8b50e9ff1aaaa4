/**
 * Apollo over HTTP as a transport of the gateway. Apollo parses, validates and executes the
 * operation itself, so the gateway's steps are plugged into its hooks rather than called around
 * it: admission through `parseOptions`, the shape rule and the cost plugin (src/hardening) and the
 * context from `admitCaller`; the run's mask as `formatError`, its audit-before-disclosure in
 * `willSendResponse`, which Apollo awaits before the body is sent.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { withInputCode } from '../../hardening/input-text';
import { requestLogPlugin } from '../../hardening/request-log';
import { formattedWithoutSuggestions } from '../../hardening/suggestions';
import type { HubContext } from '../../server/context';
import type { Logger } from '../../shared/logger';
import { requestLogOf } from '../admit';
import { AUDIT_FAILED_STATUS, auditBeforeDisclosure, auditFailedResult } from '../disclose';
import { isUnavailableResult, logUnexpectedErrors, maskError, withRequestId } from '../mask';

/** Every error Apollo sends, validation or not (variable coercion suggests enum values and input fields). */
export function apolloFormatError(
  hideSuggestions: boolean,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return hideSuggestions
    ? (formatted, error) => maskError(formattedWithoutSuggestions(withInputCode(formatted, error)), error)
    : (formatted, error) => maskError(withInputCode(formatted, error), error);
}

/** The gateway's plugins, in the order they must run: errors logged, then the audit written, then the request log. */
export function apolloGatewayPlugins(logger: Logger): ApolloServerPlugin<HubContext>[] {
  return [errorLoggingPlugin(logger), auditPlugin(), requestLogPlugin<HubContext>(requestLogOf)];
}

function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          logUnexpectedErrors(logger, contextValue.requestId, errors, contextValue.services?.database.health);
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          withRequestId(result, contextValue.requestId);
          if (isUnavailableResult(result)) {
            response.http.status = 503;
            response.http.headers.set(
              'retry-after',
              String(contextValue.services?.database.health.retryAfterSeconds ?? 1),
            );
          }
        },
      };
    },
  };
}

function auditPlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName }) {
          contextValue.audit.operationName = operationName ?? null;
        },
        async willSendResponse({ response, contextValue, operation, operationName }) {
          if (await auditBeforeDisclosure(contextValue, operation?.operation ?? 'unknown', operationName ?? null))
            return;
          if (response.body.kind === 'single') response.body.singleResult = auditFailedResult(contextValue.requestId);
          response.http.status = AUDIT_FAILED_STATUS;
        },
      };
    },
  };
}
