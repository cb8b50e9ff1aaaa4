/**
 * Configuration from environment variables, validated once at start-up. A wrong value stops the
 * process with one line naming the variable (see `formatConfigError`).
 */
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Unset: embedded PGlite. Set: a PostgreSQL server through postgres.js. */
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// URL')
    .optional(),
  /**
   * Seconds to wait for PostgreSQL to accept a connection. Short, so that while the server is
   * unreachable requests fail fast (503 with Retry-After) instead of queueing.
   */
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  /** Where embedded PGlite keeps its files; `memory://` keeps nothing. */
  PGLITE_DATA_DIR: z.string().min(1).default('./.data/pglite'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` (one object per line, for collectors) or `pretty` (coloured lines, for a developer; needs the pino-pretty dev dependency). */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /** `aud` every token must carry. */
  JWT_AUDIENCE: z.string().min(1).default('early-help-hub'),
  /** JSON file listing trusted issuers: `[{ issuer, jwksUri | jwks, organisations }]`. */
  TRUST_REGISTRY_FILE: z.string().min(1).optional(),
  /** Development issuer: the hub signs its own dev tokens with a key kept here. Off in production. */
  DEV_KEYS_DIR: z.string().min(1).default('./.data/keys'),
  DEV_ISSUER: z.string().min(1).default('urn:early-help-hub:dev'),
  /** Load the demo city when the database holds no organisations. Default: on, except in production (where it cannot be on). */
  SEED_DEMO: bool.optional(),
  /**
   * Apply pending migrations at start (default: on, except in production). Off: migrations are their own step (`npm run migrate`, run
   * by a role that owns the schema) and the hub refuses to start while any is pending.
   */
  MIGRATE_ON_START: bool.optional(),
  /** How long SIGTERM waits for in-flight requests before closing connections. */
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  /**
   * While draining, how long a keep-alive connection idle when SIGTERM came may still bring one
   * request (answered with Connection: close) before it is closed, ms.
   */
  SHUTDOWN_IDLE_GRACE_MS: positiveInt.default(1_000),

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
  MAX_QUERY_TOKENS: positiveInt.default(2_000),
  /** Accept a JSON array of operations in one request (off: one operation per request). */
  ALLOW_BATCHED_REQUESTS: bool.default('false'),
  /** Largest JSON body accepted (bytes, or an express size like `1mb`). */
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'must be a size such as 1mb or 500kb')
    .default('1mb'),
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
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  /** Tolerated clock difference with token issuers, seconds (bounded to 60). */
  JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
  /** Longest token lifetime accepted (exp − iat, or exp − now without iat), seconds; default 24 h. */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(24 * 3600),
  /**
   * Reverse proxies in front of the hub whose X-Forwarded-For is believed (Express `trust proxy`):
   * `false` (default: none), a hop count such as `1`, or a comma-separated list of addresses and
   * subnets (`loopback`, `10.0.0.0/8`). Decides the client address the per-address rate limit uses.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const value = v.trim();
      if (value === 'false' || value === '0' || value === '') return false;
      if (/^\d+$/.test(value)) return Number(value);
      const list = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (list.some((s) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(s))) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: 'must be false, a hop count, or addresses/subnets (loopback, 10.0.0.0/8, …)',
        });
        return z.NEVER;
      }
      return list;
    }),
  // ── Audit log (README: The access audit) ──
  /** Ed25519 key (PKCS#8 PEM) that signs audit checkpoints. Required in production; elsewhere default `<DEV_KEYS_DIR>/audit-ed25519.pem`, created if missing. */
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** The log's name: the origin line of its checkpoints and the name in its verifier key. */
  AUDIT_LOG_NAME: z
    .string()
    .regex(/^[^\s+]+$/, 'must have no spaces or "+"')
    .default('early-help-hub/audit'),
  /** Directory where signed checkpoints are published, outside the database. Required in production; elsewhere default beside the PGlite data (in memory with a database in memory). */
  AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  /** Base URL of a witness (`npm run audit:witness`) each checkpoint is sent to with a consistency proof. Optional. */
  AUDIT_WITNESS_URL: z.string().url().optional(),
  /**
   * Key of the keyed hash (HMAC-SHA256) under which an attempt on an identifier the hub does not hold
   * is audited, so the audit never stores such an identifier. At least 32 characters. Required in
   * production; elsewhere default `<DEV_KEYS_DIR>/audit-identifier.key`, created if missing.
   */
  AUDIT_IDENTIFIER_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How often the checkpointer integrates new rows and signs (the log's maximum merge delay), ms. */
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** How often the hub and the worker verify the audit log from the last verified checkpoint, ms; 0: never on a schedule. */
  AUDIT_VERIFY_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  /** How often the retention sweep deletes case data past its retention date, ms; 0: never on a schedule (run `npm run audit:retention`). */
  RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(604_800_000).default(86_400_000),
  /** How long a service-account revocation may take to reach every instance (cache of the list), ms. */
  REVOCATION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),

  // ── Traces (OpenTelemetry; off unless an endpoint is set) ──
  /** OTLP/HTTP collector base URL, e.g. `http://otel-collector:4318`; spans go to `<url>/v1/traces`. Unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s):// URL')
    .optional(),
  /** The `service.name` of the hub's spans. */
  OTEL_SERVICE_NAME: z.string().min(1).default('early-help-hub'),

  // ── NHS number tracing (adapters/pds) ──
  /** Base URL of the PDS FHIR R4 API (or `npm run pds-sim`: http://127.0.0.1:4200). Unset: `traceNhsNumber` answers SERVICE_UNAVAILABLE. */
  PDS_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s):// URL')
    .optional(),
  /** Per-attempt timeout of a PDS request, ms; timeouts, dropped connections and 5xx are retried twice with backoff. */
  PDS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),

  // ── Consent givers (age on the day the consent was given) ──
  /** Youngest a young person may consent for themselves, and then only with a recorded competence assessment. */
  CONSENT_YOUNG_PERSON_MIN_AGE: z.coerce.number().int().min(0).max(25).default(12),
  /** From this age a young person consents for themselves without a competence assessment. */
  CONSENT_YOUNG_PERSON_UNASSISTED_AGE: z.coerce.number().int().min(0).max(25).default(16),
});

export type Config = Omit<z.infer<typeof configSchema>, 'SEED_DEMO'> & { SEED_DEMO: boolean };

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
  if (parsed.success) {
    if (parsed.data.CONSENT_YOUNG_PERSON_UNASSISTED_AGE < parsed.data.CONSENT_YOUNG_PERSON_MIN_AGE) {
      throw new ConfigError(
        'Invalid configuration: CONSENT_YOUNG_PERSON_UNASSISTED_AGE must not be below CONSENT_YOUNG_PERSON_MIN_AGE',
      );
    }
    const production = parsed.data.NODE_ENV === 'production';
    // The demo city is synthetic children in a live database: a production hub never loads it.
    if (production && parsed.data.SEED_DEMO)
      throw new ConfigError(
        'Invalid configuration: SEED_DEMO cannot be true when NODE_ENV=production (the demo city is synthetic data)',
      );
    return { ...parsed.data, SEED_DEMO: parsed.data.SEED_DEMO ?? !production };
  }
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0]);
  throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${JSON.stringify(picked[name])})`);
}

/**
 * Why a production hub must not start with these trusted issuers, in one line, or null. Without an
 * issuer nobody can call the API, and a hub that starts anyway looks healthy while refusing
 * everyone; the development issuer is never trusted in production.
 */
export function productionTrustRefusal(
  config: Pick<Config, 'NODE_ENV' | 'TRUST_REGISTRY_FILE'>,
  issuerCount: number,
): string | null {
  if (config.NODE_ENV !== 'production' || issuerCount > 0) return null;
  return config.TRUST_REGISTRY_FILE
    ? `Refusing to start: NODE_ENV=production and the trust registry ${config.TRUST_REGISTRY_FILE} lists no issuer; add the identity providers whose tokens the hub accepts`
    : 'Refusing to start: NODE_ENV=production needs TRUST_REGISTRY_FILE naming a trust registry with at least one issuer (the development issuer is off in production)';
}
