/**
 * Configuration from environment variables, validated once at start-up. A wrong value stops the
 * process with one line naming the variable (see `formatConfigError`).
 */
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Unset: embedded PGlite. Set: a PostgreSQL server through postgres.js. */
  DATABASE_URL: z.string().url().refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// URL').optional(),
  /** Where embedded PGlite keeps its files; `memory://` keeps nothing. */
  PGLITE_DATA_DIR: z.string().min(1).default('./.data/pglite'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `aud` every token must carry. */
  JWT_AUDIENCE: z.string().min(1).default('early-help-hub'),
  /** JSON file listing trusted issuers: `[{ issuer, jwksUri | jwks, organisations }]`. */
  TRUST_REGISTRY_FILE: z.string().min(1).optional(),
  /** Development issuer: the hub signs its own dev tokens with a key kept here. Off in production. */
  DEV_KEYS_DIR: z.string().min(1).default('./.data/keys'),
  DEV_ISSUER: z.string().min(1).default('urn:early-help-hub:dev'),
  /** Load the demo city when the database holds no organisations. */
  SEED_DEMO: bool.default('true'),
  /** How long SIGTERM waits for in-flight requests before closing connections. */
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),

  // ── Hardening (see src/hardening/limits.ts for what each limit guards against) ──
  /** Deepest selection nesting an operation may have. */
  MAX_QUERY_DEPTH: positiveInt.default(12),
  /** Highest estimated cost (each field 1, list fields × their page size). */
  MAX_QUERY_COST: positiveInt.default(20_000),
  /** Aliased fields per operation (alias floods multiply work). */
  MAX_ALIASES: positiveInt.default(30),
  /** Top-level fields per operation. */
  MAX_ROOT_FIELDS: positiveInt.default(15),
  /** Directives per operation (directive overloading). */
  MAX_DIRECTIVES: positiveInt.default(50),
  /** Lexical tokens the parser reads before giving up (huge documents). */
  MAX_QUERY_TOKENS: positiveInt.default(10_000),
  /** Accept a JSON array of operations in one request (off: one operation per request). */
  ALLOW_BATCHED_REQUESTS: bool.default('false'),
  /** Largest JSON body accepted (bytes, or an express size like `1mb`). */
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)?$/i, 'must be a size such as 1mb or 500kb').default('1mb'),
  /** A request still running after this long is answered with 503 REQUEST_TIMEOUT. */
  REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  /** Introspection and "did you mean" suggestions; default: on except in production. */
  GRAPHQL_INTROSPECTION: bool.optional(),
  /** Requests per minute per caller (token subject), per organisation and per client address. */
  RATE_LIMIT_CALLER_PER_MINUTE: positiveInt.default(600),
  RATE_LIMIT_ORGANISATION_PER_MINUTE: positiveInt.default(6_000),
  RATE_LIMIT_ADDRESS_PER_MINUTE: positiveInt.default(1_200),
  /** JSON file: client id → the only operations that client may send (persisted operations). */
  PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  /** Browser origins allowed to call the API (comma separated), e.g. the DPO page. Empty: none. */
  CORS_ORIGINS: z.string().default('').transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  /** Tolerated clock difference with token issuers, seconds (bounded to 60). */
  JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
  /** How long a service-account revocation may take to reach every instance (cache of the list), ms. */
  REVOCATION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/**
 * For command-line entry points: the validated config, or the one-line reason on stderr and exit
 * status 78 (EX_CONFIG), so every process of the hub fails the same way on a bad variable.
 */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked = Object.fromEntries(
    Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = configSchema.safeParse(picked);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0]);
  throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${JSON.stringify(picked[name])})`);
}
