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
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

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
