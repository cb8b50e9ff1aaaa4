/**
 * Error masking at the edge (graphql-yoga's maskError, for Apollo): typed hub errors and the
 * GraphQL validation/parse errors pass; anything else becomes INTERNAL_SERVER_ERROR carrying only
 * the request id, and the original is logged (safeErrorFields: name, code, scrubbed message,
 * stack frames) — never a driver's `detail`, drizzle's `params`/query text, or values quoted in
 * a driver message. Errors thrown while building the context are masked in src/hardening/harden.ts.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors';
import { safeErrorFields, type Logger } from '../shared/logger';
import type { HubContext } from './context';

const PASSING_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  'REQUEST_TIMEOUT',
]);

export function isExpectedError(code: unknown): boolean {
  return typeof code === 'string' && PASSING_CODES.has(code);
}

export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (isExpectedError(formatted.extensions?.code)) return formatted;
  // Only the request id survives (set when the context could not be built, see harden.ts).
  const requestId = typeof formatted.extensions?.requestId === 'string' ? formatted.extensions.requestId : undefined;
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
  };
}

/** Logs each unexpected error (safe fields only) with the request id; expected ones are the caller's business. */
export function logUnexpectedErrors(logger: Logger, requestId: string, errors: readonly GraphQLError[]): void {
  for (const error of errors) {
    if (isExpectedError(error.extensions?.code)) continue;
    logger.error({ requestId, err: safeErrorFields(unwrapResolverError(error)), path: error.path }, 'unexpected error');
  }
}

/** The response carries its request id, and so does a masked error, to quote when reporting the failure. */
export function withRequestId(result: FormattedExecutionResult, requestId: string): void {
  result.extensions = { ...result.extensions, requestId };
  result.errors = result.errors?.map((e) =>
    e.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR ? { ...e, extensions: { ...e.extensions, requestId } } : e);
}

export function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          logUnexpectedErrors(logger, contextValue.requestId, errors);
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') withRequestId(response.body.singleResult, contextValue.requestId);
        },
      };
    },
  };
}
