/**
 * `npm run worker`: the outbox delivery worker on its own (any number, on any machine, share the
 * queue through FOR UPDATE SKIP LOCKED). Needs DATABASE_URL (a PostgreSQL server; embedded PGlite
 * is one process's database) and LIQUID_LOGIC_URL. SIGTERM finishes the current row and stops.
 * It also runs the audit's scheduled jobs (verification, retention sweep; src/audit/audit-schedule.ts)
 * against the checkpoints the hub publishes in AUDIT_CHECKPOINT_DIR.
 */
import 'reflect-metadata';
import { HttpCaseRecordAdapter } from '../../adapters/liquid-logic/http-adapter';
import { ChildService } from '../child/child.service';
import { loadConfigOrExit } from '../config/config';
import { openDatabase } from '../db';
import { createLogger } from '../shared/logger';
import { systemClock } from '../shared/clock';
import { InboundService } from '../sync/inbound.service';
import { loadSyncConfig, workerSettings } from './outbox.config';
import { OutboxWorker } from './worker';
import { AuditService } from '../audit/audit.service';
import { AuditLog } from '../audit/audit-log.service';
import { auditKeysFromConfig } from '../audit/audit-keys';
import { AuditSchedule } from '../audit/audit-schedule';
import { checkpointStoreFromConfig } from '../audit/checkpoint-store';
import { RetentionService } from '../audit/retention.service';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const sync = loadSyncConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (!sync.LIQUID_LOGIC_URL) throw new Error('LIQUID_LOGIC_URL is required for a standalone worker');
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDataDir: config.PGLITE_DATA_DIR,
    maxConnections: 3,
    connectTimeoutSeconds: config.DATABASE_CONNECT_TIMEOUT_SECONDS,
  });
  // With MIGRATE_ON_START off (the default in production) the migrations are their own deployment step (README: Deployment).
  if (config.MIGRATE_ON_START ?? config.NODE_ENV !== 'production') await database.migrate();
  const clock = systemClock;
  const worker = new OutboxWorker({
    db: database.db,
    clock,
    logger,
    notifications: database,
    adapter: new HttpCaseRecordAdapter({
      baseUrl: sync.LIQUID_LOGIC_URL,
      timeoutMs: sync.LIQUID_LOGIC_TIMEOUT_MS,
      apiKey: sync.LIQUID_LOGIC_API_KEY,
    }),
    inbound: new InboundService({
      db: database.db,
      clock,
      logger,
      children: new ChildService({ db: database.db, clock }),
    }),
    ...workerSettings(sync),
  });
  worker.start();
  logger.info({ worker: worker.workerId }, 'outbox worker running');
  // Read-only towards the log: verification never signs, so it needs the keys but not the checkpointer.
  const keys = auditKeysFromConfig(config);
  const schedule = new AuditSchedule({
    log: new AuditLog({ db: database.db, clock, logger, keys, store: checkpointStoreFromConfig(config) }),
    retention: new RetentionService({
      db: database.db,
      clock,
      audit: new AuditService({ db: database.db, clock, keys }),
    }),
    logger,
    verifyIntervalMs: config.AUDIT_VERIFY_INTERVAL_MS,
    retentionIntervalMs: config.RETENTION_SWEEP_INTERVAL_MS,
  });
  schedule.start();
  const stop = async () => {
    await schedule.stop();
    await worker.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: Error) => {
  console.error(`Outbox worker failed to start: ${error.message}`);
  process.exit(1);
});
