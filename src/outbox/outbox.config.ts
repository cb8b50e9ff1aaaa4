/**
 * Liquid Logic sync settings from the environment (validated like src/config/config.ts):
 *   LIQUID_LOGIC_URL            integration endpoint; unset in development → the demo starts the simulator
 *   LIQUID_LOGIC_API_KEY        bearer key for it (optional)
 *   LIQUID_LOGIC_TIMEOUT_MS     per-request timeout (default 10000)
 *   LIQUID_LOGIC_WEBHOOK_SECRET shared secret of the inbound webhook (dev default when the simulator runs)
 *   OUTBOX_WORKER               run the delivery worker inside the hub (default true)
 *   OUTBOX_MAX_ATTEMPTS         attempts before dead-letter (default 8)
 *   OUTBOX_BASE_BACKOFF_MS / OUTBOX_MAX_BACKOFF_MS / OUTBOX_LEASE_MS / OUTBOX_CHANGES_POLL_MS
 */
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  LIQUID_LOGIC_URL: z.string().url().optional(),
  LIQUID_LOGIC_API_KEY: z.string().min(1).optional(),
  LIQUID_LOGIC_TIMEOUT_MS: positiveInt.default(10_000),
  LIQUID_LOGIC_WEBHOOK_SECRET: z.string().min(16).optional(),
  OUTBOX_WORKER: bool.default('true'),
  OUTBOX_MAX_ATTEMPTS: positiveInt.default(8),
  OUTBOX_BASE_BACKOFF_MS: positiveInt.default(2_000),
  OUTBOX_MAX_BACKOFF_MS: positiveInt.default(600_000),
  OUTBOX_LEASE_MS: positiveInt.default(60_000),
  OUTBOX_CHANGES_POLL_MS: z.coerce.number().int().min(0).default(30_000),
});

export type SyncConfig = z.infer<typeof schema>;

export function loadSyncConfig(env: Record<string, string | undefined> = process.env): SyncConfig {
  const picked = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = schema.safeParse(picked);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
}

/** The worker settings a config gives. */
export function workerSettings(config: SyncConfig) {
  return {
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    baseBackoffMs: config.OUTBOX_BASE_BACKOFF_MS,
    maxBackoffMs: config.OUTBOX_MAX_BACKOFF_MS,
    leaseMs: config.OUTBOX_LEASE_MS,
    changesPollMs: config.OUTBOX_CHANGES_POLL_MS,
  };
}

/** The schema itself, for the .env.example check. */
export { schema as syncConfigSchema };
