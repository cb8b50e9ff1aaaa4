/**
 * Error masking at the edge (graphql-yoga's maskError, for Apollo): typed hub errors and the
 * GraphQL validation/parse errors pass; anything else becomes INTERNAL_SERVER_ERROR carrying only
 * the request id, and the original is logged — name, message, code and stack, never a driver's
 * `detail`, which can hold row values.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors';
import type { Logger } from '../shared/logger';
import type { HubContext } from './context';

const PASSING_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

export function isExpectedError(code: unknown): boolean {
  return typeof code === 'string' && PASSING_CODES.has(code);
}

export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (isExpectedError(formatted.extensions?.code)) return formatted;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

export function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isExpectedError(error.extensions?.code)) continue;
            const original = unwrapResolverError(error) as Error & { code?: string };
            logger.error({
              requestId: contextValue.requestId,
              err: { name: original?.name, message: original?.message, code: original?.code, stack: original?.stack },
              path: error.path,
            }, 'unexpected error');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, requestId: contextValue.requestId };
          }
        },
      };
    },
  };
}
