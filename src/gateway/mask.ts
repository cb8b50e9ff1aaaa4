/**
 * The one error mask of every way in (graphql-yoga's maskError, for every transport): typed hub
 * errors and the GraphQL parse/validation errors pass; anything else becomes INTERNAL_SERVER_ERROR
 * carrying only the request id — or SERVICE_UNAVAILABLE when the database was lost — and the
 * original is logged (safeErrorFields: name, code, scrubbed message, stack frames), never a
 * driver's `detail`, drizzle's `params`/query text, or values quoted in a driver message.
 */
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable, type DatabaseHealth } from '../db/health';
import { ErrorCode } from '../errors';
import { safeErrorFields, type Logger } from '../shared/logger';

/** The only wording an unexpected failure is ever given, whichever way the request came in. */
const INTERNAL_ERROR_MESSAGE = 'Internal server error';
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable; retry later';

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

/**
 * `error` is the original (Apollo's second argument): a lost or refused database connection is
 * SERVICE_UNAVAILABLE (retry later), not an internal error.
 */
export function maskError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  if (isExpectedError(formatted.extensions?.code)) return formatted;
  // Only the request id survives (set when the context could not be built, see admit.ts).
  const requestId = typeof formatted.extensions?.requestId === 'string' ? formatted.extensions.requestId : undefined;
  const unavailable = error !== undefined && isDatabaseUnavailable(unwrapResolverError(error));
  return {
    message: unavailable ? DATABASE_UNAVAILABLE_MESSAGE : INTERNAL_ERROR_MESSAGE,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: {
      code: unavailable ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_SERVER_ERROR,
      ...(requestId ? { requestId } : {}),
    },
  };
}

/**
 * The mask for transports that hand graphql-js errors on as errors (WebSocket subscribe and
 * events): an unexpected one is logged and replaced, keeping its path and the request id.
 */
export function maskGraphQLError(
  error: GraphQLError,
  requestId: string,
  logger: Logger,
  health?: DatabaseHealth,
  logMessage = 'unexpected error',
): GraphQLError {
  if (isExpectedError(error.extensions?.code)) return error;
  health?.noteError(unwrapResolverError(error));
  logger.error({ requestId, err: safeErrorFields(unwrapResolverError(error)), path: error.path }, logMessage);
  const masked = maskError({ message: error.message, extensions: { requestId } }, error);
  return new GraphQLError(masked.message, { path: error.path, extensions: masked.extensions });
}

/** An error thrown outside graphql-js (building a context, a download), masked, with the HTTP status it is sent with. */
export interface MaskedThrow {
  readonly status: number;
  readonly error: GraphQLFormattedError;
  /** Set when the database was lost: the client retries after this many seconds. */
  readonly retryAfterSeconds?: number;
}

const STATUS_OF_CODE: Partial<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.RATE_LIMITED]: 429,
};

export function maskThrown(
  error: unknown,
  requestId: string,
  logger: Logger,
  health: DatabaseHealth | undefined,
  logMessage: string,
): MaskedThrow {
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  if (error instanceof GraphQLError && isExpectedError(code)) {
    const { http, ...extensions } = error.extensions as Record<string, unknown>;
    const status = (http as { status?: unknown } | undefined)?.status;
    return {
      status: typeof status === 'number' ? status : (STATUS_OF_CODE[code as string] ?? 400),
      error: { message: error.message, extensions: { ...extensions, requestId } },
    };
  }
  logger.error({ requestId, err: safeErrorFields(error) }, logMessage);
  if (health?.noteError(error)) {
    return {
      status: 503,
      retryAfterSeconds: health.retryAfterSeconds,
      error: { message: DATABASE_UNAVAILABLE_MESSAGE, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, requestId } },
    };
  }
  return {
    status: 500,
    error: { message: INTERNAL_ERROR_MESSAGE, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } },
  };
}

/**
 * Logs each unexpected error (safe fields only) with the request id; expected ones are the
 * caller's business. A lost database connection is also told to `health` (it probes the server).
 */
export function logUnexpectedErrors(
  logger: Logger,
  requestId: string,
  errors: readonly GraphQLError[],
  health?: DatabaseHealth,
): void {
  for (const error of errors) {
    if (isExpectedError(error.extensions?.code)) continue;
    health?.noteError(unwrapResolverError(error));
    logger.error({ requestId, err: safeErrorFields(unwrapResolverError(error)), path: error.path }, 'unexpected error');
  }
}

/** The response carries its request id, and so does a masked error, to quote when reporting the failure. */
export function withRequestId(result: FormattedExecutionResult, requestId: string): void {
  result.extensions = { ...result.extensions, requestId };
  result.errors = result.errors?.map((e) =>
    e.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR || e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE
      ? { ...e, extensions: { ...e.extensions, requestId } }
      : e,
  );
}

/**
 * A response that shows nothing (every root field null) because the database was away is a 503
 * with Retry-After, as the gate would have answered, so clients and proxies retry it as such.
 */
export function isUnavailableResult(result: FormattedExecutionResult): boolean {
  return (
    Boolean(result.errors?.some((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) &&
    (result.data == null || Object.values(result.data).every((v) => v === null))
  );
}
