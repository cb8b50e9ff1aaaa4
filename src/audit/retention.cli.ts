/**
 * `npm run audit:retention -- --dry-run` shows what the retention sweep would delete (counts per
 * table, progress as it goes); `-- --delete` deletes it, each child's deletion audited. The same
 * sweep runs on a schedule in the hub and the worker (RETENTION_SWEEP_INTERVAL_MS). Exit status
 * 0 when done, 2 on bad arguments, 1 on failure.
 */
import 'reflect-metadata';
import { loadConfigOrExit } from '../config/config';
import { openDatabase } from '../db';
import { systemClock } from '../shared/clock';
import { auditKeysFromConfig } from './audit-keys';
import { AuditService } from './audit.service';
import { parseRetentionArgs, RETENTION_USAGE, runRetention } from './retention-run';
import { RetentionService } from './retention.service';

async function main(): Promise<number> {
  const options = parseRetentionArgs(process.argv.slice(2));
  if ('error' in options) {
    console.error(`${options.error}\n${RETENTION_USAGE}`);
    return 2;
  }
  const config = loadConfigOrExit();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDataDir: config.PGLITE_DATA_DIR,
    maxConnections: 2,
    connectTimeoutSeconds: config.DATABASE_CONNECT_TIMEOUT_SECONDS,
  });
  try {
    const keys = auditKeysFromConfig(config);
    const retention = new RetentionService({
      db: database.db,
      clock: systemClock,
      audit: new AuditService({ db: database.db, clock: systemClock, keys }),
    });
    await runRetention(retention, options, {
      progress: (line) => process.stderr.write(`${line}\n`),
      result: (text) => process.stdout.write(`${text}\n`),
    });
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Retention sweep failed: ${error.message}`);
    process.exit(1);
  },
);
