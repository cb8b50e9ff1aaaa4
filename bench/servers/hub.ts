/**
 * The hub as benchmarked: consent, relationship checks, category guards and the audit write on
 * every request, exactly as in production (rate limits raised: one load generator sends them
 * all). The school MIS's operations are registered (BENCH_PERSISTED_OPERATIONS_FILE), as a
 * deployment registers them; BENCH_APOLLO_ONLY=1 sends them through Apollo instead. Tokens for
 * the harness come from a dev issuer made for the run and are sent over IPC.
 *
 *   DATABASE_URL=… PORT=… STATS_PORT=… BENCH_TOKENS='[{"role":…,"org":…,"sub":…}]' tsx bench/servers/hub.ts
 */
import 'reflect-metadata';
import { loadDevIssuer } from '../../src/auth/dev-issuer';
import { trustRegistry } from '../../src/auth/trust-registry';
import { createTokenVerifier } from '../../src/auth/verify-token';
import type { Role } from '../../src/access/roles';
import { AuditService } from '../../src/audit/audit.service';
import { auditKeysFromConfig, ephemeralAuditKeys } from '../../src/audit/audit-keys';
import { loadConfig } from '../../src/config/config';
import { openDatabase } from '../../src/db';
import { createHub } from '../../src/server/hub';
import { createServices } from '../../src/server/services';
import { systemClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { serveStats } from './stats';

const AUDIENCE = 'early-help-hub';
const ISSUER = 'urn:early-help-hub:bench';
let statements = 0;
const logSql = Boolean(process.env.BENCH_LOG_SQL);
// Counting hooks postgres.js `debug`, which costs every query a stack trace: only in the harness's counting pass.
const counting = Boolean(process.env.BENCH_COUNT_SQL) || logSql;
const database = await openDatabase({
  url: process.env.DATABASE_URL!,
  maxConnections: Number(process.env.BENCH_POOL ?? 10),
  onQuery: counting
    ? (s) => {
        statements++;
        if (logSql) process.stderr.write(`SQL ${s.length} ${s.slice(0, 120).replace(/\s+/g, ' ')}\n`);
      }
    : undefined,
});
// The seeded database may predate the latest migrations (new indexes): apply them first.
await database.migrate();
const issuer = await loadDevIssuer(null, ISSUER);
const verifyToken = createTokenVerifier({ registry: trustRegistry([issuer.trusted]), audience: AUDIENCE });
// The key the seeder MACed the audit history with (AUDIT_SIGNING_KEY_FILE), so the log takes it in.
const created = createServices({
  database,
  clock: systemClock,
  logger: silentLogger,
  auditKeys: auditKeysFromConfig(loadConfig()),
});
// BENCH_AUDIT_SERIAL=1: one audit append per request (before group commit), for the comparison.
const services = process.env.BENCH_AUDIT_SERIAL
  ? {
      ...created,
      audit: new AuditService({ db: database.db, clock: systemClock, keys: ephemeralAuditKeys(), groupCommit: false }),
    }
  : created;
const unlimited = { callerPerMinute: 1e9, organisationPerMinute: 1e9, addressPerMinute: 1e9 };
const hub = await createHub({
  services,
  verifyToken,
  trustedOperations: !process.env.BENCH_APOLLO_ONLY,
  hardening: { rateLimits: unlimited, persistedOperationsFile: process.env.BENCH_PERSISTED_OPERATIONS_FILE ?? null },
});
// The audit log's checkpointer runs as in production: its cost is part of what is measured.
await services.auditLog.open();
services.auditLog.start(Number(process.env.BENCH_CHECKPOINT_INTERVAL_MS ?? 1000));
await hub.listen(Number(process.env.PORT));
const wanted = JSON.parse(process.env.BENCH_TOKENS ?? '[]') as {
  role: Role;
  org: string;
  sub: string;
  clientId?: string;
}[];
const tokens = await Promise.all(wanted.map((c) => issuer.sign({ ...c, audience: AUDIENCE, expiresIn: '2h' })));
serveStats(() => statements);
process.send?.({ ready: true, tokens });
// Exit normally on SIGTERM so --cpu-prof (BENCH_CPU_PROF) writes its profile.
process.on('SIGTERM', () => process.exit(0));
