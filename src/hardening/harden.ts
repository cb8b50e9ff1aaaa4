/**
 * Everything the hardening adds to the hub, assembled in one place so hub.ts only inserts it:
 * Apollo settings and plugins, express middleware before and after `/graphql`, the rate limiter
 * and the revocation check. The gateway (src/gateway) applies them on every way in.
 */
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { VerifyToken } from '../auth/verify-token';
import { ErrorCode } from '../errors';
import type { HubContext } from '../server/context';
import type { HubServices } from '../server/services';
import { costLimitPlugin } from './cost.plugin';
import { unstorableTextPlugin, unstorableTextRule } from './input-text';
import { bodyErrors, cors, requestTimeout, securityHeaders, sendGraphQLError } from './http-guards';
import { resolveHardening, type HardeningOptions, type HardeningOverrides } from './limits';

export type { HardeningOptions, HardeningOverrides };
import { operationShapeRule } from './operation-shape.rule';
import {
  loadPersistedOperationsFile,
  persistedOperationsPlugin,
  type PersistedOperations,
} from './persisted-operations';
import { RateLimitedError, RateLimiter } from './rate-limit';
import { noteErrorCodes, requestLogger, requestLogRecord } from './request-log';
import { RevocationList, withRevocation } from './revocation';

export interface Hardening {
  readonly options: HardeningOptions;
  /** Spread into the ApolloServer constructor. */
  readonly apollo: Pick<
    ApolloServerOptions<BaseContext>,
    | 'introspection'
    | 'allowBatchedHttpRequests'
    | 'hideSchemaDetailsFromClientErrors'
    | 'parseOptions'
    | 'validationRules'
    | 'persistedQueries'
  >;
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
  const revocations = new RevocationList({
    db: services.db,
    clock: services.clock,
    cacheMs: options.revocationCacheMs,
  });
  const registry =
    persistedOperations ??
    (options.persistedOperationsFile ? loadPersistedOperationsFile(options.persistedOperationsFile) : null);
  const logger = services.logger;

  const plugins: ApolloServerPlugin<HubContext>[] = [
    unstorableTextPlugin() as ApolloServerPlugin<HubContext>,
    costLimitPlugin(limits.maxCost, logger) as ApolloServerPlugin<HubContext>,
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
      sendGraphQLError(res, 429, e.message, {
        code: ErrorCode.RATE_LIMITED,
        scope: e.scope,
        retryAfterSeconds: e.retryAfterSeconds,
      });
    }
  };

  return {
    options,
    apollo: {
      introspection: options.introspection,
      allowBatchedHttpRequests: options.allowBatchedRequests,
      hideSchemaDetailsFromClientErrors: !options.introspection,
      parseOptions: { maxTokens: limits.maxTokens },
      validationRules: [operationShapeRule(limits), unstorableTextRule],
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
  };
}
