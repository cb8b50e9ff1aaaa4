/**
 * Operation and traffic limits (OWASP GraphQL Cheat Sheet: depth, cost, aliases, batching, body
 * size, timeouts, rate limits). Every limit is configuration (see src/config/config.ts) with a
 * default generous enough for the partner clients and tight enough to stop a single request from
 * tying up the database.
 */
import type { Config } from '../config/config';

export interface OperationLimits {
  /** Deepest selection nesting, counted through fragments; introspection fields are not counted. Default 12. */
  maxDepth: number;
  /** Highest estimated cost: each field 1, a paged list field (`first`/`last`/`limit`) × its page size. Default 20 000. */
  maxCost: number;
  /** Aliased fields per operation. Default 30. */
  maxAliases: number;
  /** Top-level fields per operation. Default 15. */
  maxRootFields: number;
  /** Directives per operation. Default 50. */
  maxDirectives: number;
  /**
   * Parser token budget (graphql-js `maxTokens`). Default 2 000: eight times the largest document a
   * partner sends (the DPO page's, 256 tokens), and what a refusal of any size costs at most to parse.
   */
  maxTokens: number;
}

export interface RateLimits {
  /** Requests per minute per caller (issuer + subject). Default 600. */
  callerPerMinute: number;
  /** Requests per minute per organisation (all its callers together). Default 6 000. */
  organisationPerMinute: number;
  /** Requests per minute per client address, before authentication. Default 1 200. */
  addressPerMinute: number;
}

export interface HardeningOptions {
  limits: OperationLimits;
  rateLimits: RateLimits;
  /** Introspection and field suggestions in errors. Default: on (main.ts turns them off in production). */
  introspection: boolean;
  /** A JSON array of operations in one request. Default false. */
  allowBatchedRequests: boolean;
  /** express body-parser limit. Default `1mb`. */
  bodyLimit: string;
  /** A request not answered within this many ms gets 503 REQUEST_TIMEOUT. Default 30 000. */
  requestTimeoutMs: number;
  /** Browser origins allowed by CORS. Default none. */
  corsOrigins: readonly string[];
  /** Send Strict-Transport-Security (production, behind TLS). Default false. */
  hsts: boolean;
  /** client id → allowed operation hashes (see persisted-operations.ts). Default: no allow-lists. */
  persistedOperationsFile: string | null;
  /** How long a revocation may take to apply on every instance (revocation list cache), ms. Default 5 000. */
  revocationCacheMs: number;
  /**
   * Which reverse proxies' `X-Forwarded-For` to believe for the client address (the per-address
   * rate limit): Express `trust proxy` — false (none: the socket's peer, default), a number of
   * hops, or addresses/subnets (`loopback`, `10.0.0.0/8`, …). Behind a proxy with the default,
   * every partner shares the proxy's one address bucket.
   */
  trustProxy: boolean | number | string[];
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxCost: 20_000,
  maxAliases: 30,
  maxRootFields: 15,
  maxDirectives: 50,
  maxTokens: 2_000,
};

export const DEFAULT_RATE_LIMITS: RateLimits = {
  callerPerMinute: 600,
  organisationPerMinute: 6_000,
  addressPerMinute: 1_200,
};

export const DEFAULT_HARDENING: HardeningOptions = {
  limits: DEFAULT_LIMITS,
  rateLimits: DEFAULT_RATE_LIMITS,
  introspection: true,
  allowBatchedRequests: false,
  bodyLimit: '1mb',
  requestTimeoutMs: 30_000,
  corsOrigins: [],
  hsts: false,
  persistedOperationsFile: null,
  revocationCacheMs: 5_000,
  trustProxy: false,
};

/** Options partly given (tests, main.ts) completed with the defaults. */
export type HardeningOverrides = Partial<Omit<HardeningOptions, 'limits' | 'rateLimits'>> & {
  limits?: Partial<OperationLimits>;
  rateLimits?: Partial<RateLimits>;
};

export function resolveHardening(overrides: HardeningOverrides = {}): HardeningOptions {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return {
    ...DEFAULT_HARDENING,
    ...given,
    limits: { ...DEFAULT_LIMITS, ...overrides.limits },
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...overrides.rateLimits },
  };
}

/** The hardening settings main.ts derives from the environment. */
export function hardeningFromConfig(config: Config): HardeningOptions {
  const production = config.NODE_ENV === 'production';
  return {
    limits: {
      maxDepth: config.MAX_QUERY_DEPTH,
      maxCost: config.MAX_QUERY_COST,
      maxAliases: config.MAX_ALIASES,
      maxRootFields: config.MAX_ROOT_FIELDS,
      maxDirectives: config.MAX_DIRECTIVES,
      maxTokens: config.MAX_QUERY_TOKENS,
    },
    rateLimits: {
      callerPerMinute: config.RATE_LIMIT_CALLER_PER_MINUTE,
      organisationPerMinute: config.RATE_LIMIT_ORGANISATION_PER_MINUTE,
      addressPerMinute: config.RATE_LIMIT_ADDRESS_PER_MINUTE,
    },
    introspection: config.GRAPHQL_INTROSPECTION ?? !production,
    allowBatchedRequests: config.ALLOW_BATCHED_REQUESTS,
    bodyLimit: config.BODY_LIMIT,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    corsOrigins: config.CORS_ORIGINS,
    hsts: production,
    persistedOperationsFile: config.PERSISTED_OPERATIONS_FILE ?? null,
    revocationCacheMs: config.REVOCATION_CACHE_MS,
    trustProxy: config.TRUST_PROXY,
  };
}
