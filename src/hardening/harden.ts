/**
 * Everything the hardening adds to the hub, assembled in one place so hub.ts only inserts it:
 * Apollo settings and plugins, express middleware before and after `/graphql`, the context
 * wrapper (rate limits, masking of unexpected errors, log fields) and the revocation check.
 */
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { VerifyToken } from '../auth/verify-token';
import { ErrorCode } from '../errors';
import { isExpectedError } from '../server/errors-plugin';
import type { HubContext } from '../server/context';
import type { HubServices } from '../server/services';
import { safeErrorFields } from '../shared/logger';
import { costLimitPlugin } from './cost.plugin';
import { bodyErrors, cors, requestTimeout, securityHeaders, sendGraphQLError } from './http-guards';
import { resolveHardening, type HardeningOptions, type HardeningOverrides } from './limits';

export type { HardeningOptions, HardeningOverrides };
import { operationShapeRule } from './operation-shape.rule';
import { loadPersistedOperationsFile, persistedOperationsPlugin, type PersistedOperations } from './persisted-operations';
import { RateLimitedError, RateLimiter } from './rate-limit';
import { noteCaller, noteErrorCodes, requestLogger, requestLogPlugin, requestLogRecord, type RequestLogRecord } from './request-log';
import { RevocationList, withRevocation } from './revocation';

export interface Hardening {
  readonly options: HardeningOptions;
  /** Spread into the ApolloServer constructor. */
  readonly apollo: Pick<ApolloServerOptions<BaseContext>, 'introspection' | 'allowBatchedHttpRequests' | 'hideSchemaDetailsFromClientErrors' | 'parseOptions' | 'validationRules' | 'persistedQueries'>;
  readonly plugins: ApolloServerPlugin<HubContext>[];
  /** Before every route (after the request id is set). */
  readonly before: RequestHandler[];
  /** After `/graphql`: JSON errors for unreadable bodies. */
  readonly after: ErrorRequestHandler[];
  readonly revocations: RevocationList;
  /** The registered operations of allow-listed clients (PERSISTED_OPERATIONS_FILE), if any. */
  readonly persistedOperations: PersistedOperations | null;
  /** The rate limits' buckets, shared with the WebSocket endpoint: one budget per caller. */
  readonly limiter: RateLimiter;
  verifyToken(verify: VerifyToken): VerifyToken;
  /** Wraps the context function: caller rate limits, masked unexpected errors, log fields. */
  context<A extends { res: Response }>(build: (args: A) => Promise<HubContext>): (args: A) => Promise<HubContext>;
}

export interface HardeningDependencies {
  services: HubServices;
  overrides?: HardeningOverrides;
  /** Overrides the file named in options (tests). */
  persistedOperations?: PersistedOperations;
}

export function createHardening({ services, overrides, persistedOperations }: HardeningDependencies): Hardening {
  const options = resolveHardening(overrides);
  const { limits, rateLimits } = options;
  const limiter = new RateLimiter({ ...rateLimits, clock: undefined });
  const revocations = new RevocationList({ db: services.db, clock: services.clock, cacheMs: options.revocationCacheMs });
  const registry = persistedOperations ?? (options.persistedOperationsFile ? loadPersistedOperationsFile(options.persistedOperationsFile) : null);
  // On the context itself (Apollo shallow-copies the context per operation, keeping own keys).
  const REQUEST_LOG = Symbol('requestLog');
  type Logged = HubContext & { [REQUEST_LOG]?: RequestLogRecord };
  const logger = services.logger;

  const plugins: ApolloServerPlugin<HubContext>[] = [
    costLimitPlugin(limits.maxCost, logger) as ApolloServerPlugin<HubContext>,
    requestLogPlugin<HubContext>((ctx) => (ctx as Logged)[REQUEST_LOG]),
  ];
  if (!options.introspection) plugins.push(ApolloServerPluginDisableSuggestions() as ApolloServerPlugin<HubContext>);
  if (registry) plugins.push(persistedOperationsPlugin(registry));

  const addressLimit: RequestHandler = (req, res, next) => {
    try {
      limiter.checkAddress(req.ip ?? req.socket.remoteAddress ?? 'unknown');
      next();
    } catch (error) {
      const e = error as RateLimitedError;
      res.setHeader('Retry-After', String(e.retryAfterSeconds));
      noteErrorCodes(requestLogRecord(res), [ErrorCode.RATE_LIMITED]);
      sendGraphQLError(res, 429, e.message, { code: ErrorCode.RATE_LIMITED, scope: e.scope, retryAfterSeconds: e.retryAfterSeconds });
    }
  };

  return {
    options,
    apollo: {
      introspection: options.introspection,
      allowBatchedHttpRequests: options.allowBatchedRequests,
      hideSchemaDetailsFromClientErrors: !options.introspection,
      parseOptions: { maxTokens: limits.maxTokens },
      validationRules: [operationShapeRule(limits)],
      // Apollo's automatic persisted queries would let any caller register documents in memory;
      // hash-only requests are served from the allow-list instead (persisted-operations.ts).
      persistedQueries: false,
    },
    plugins,
    before: [
      securityHeaders({ hsts: options.hsts }),
      cors(options.corsOrigins),
      requestLogger(logger),
      requestTimeout(options.requestTimeoutMs),
      addressLimit,
    ],
    after: [bodyErrors(options.bodyLimit)],
    revocations,
    persistedOperations: registry,
    limiter,
    verifyToken: (verify) => withRevocation(verify, revocations),
    context: (build) => async (args) => {
      const record = requestLogRecord(args.res);
      let context: HubContext;
      try {
        context = await build(args);
      } catch (error) {
        const code = (error as GraphQLError).extensions?.code;
        if (error instanceof GraphQLError && isExpectedError(code)) {
          noteErrorCodes(record, [code]);
          throw error;
        }
        // e.g. the database is down during the organisation lookup: mask, log without detail.
        logger.error({ requestId: record.requestId, err: safeErrorFields(error) }, 'context creation failed');
        noteErrorCodes(record, [ErrorCode.INTERNAL_SERVER_ERROR]);
        throw new GraphQLError('Internal server error', {
          extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: record.requestId, http: { status: 500 } },
        });
      }
      noteCaller(record, context.caller);
      (context as Logged)[REQUEST_LOG] = record;
      try {
        limiter.checkCaller(context.caller);
      } catch (error) {
        noteErrorCodes(record, [ErrorCode.RATE_LIMITED]);
        throw error;
      }
      return context;
    },
  };
}
