/**
 * `npm run worker`: the outbox delivery worker on its own (any number, on any machine, share the
 * queue through FOR UPDATE SKIP LOCKED). Needs DATABASE_URL (a PostgreSQL server; embedded PGlite
 * is one process's database) and LIQUID_LOGIC_URL. SIGTERM finishes the current row and stops.
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

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const sync = loadSyncConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (!sync.LIQUID_LOGIC_URL) throw new Error('LIQUID_LOGIC_URL is required for a standalone worker');
  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR, maxConnections: 3 });
  await database.migrate();
  const clock = systemClock;
  const worker = new OutboxWorker({
    db: database.db, clock, logger, notifications: database,
    adapter: new HttpCaseRecordAdapter({ baseUrl: sync.LIQUID_LOGIC_URL, timeoutMs: sync.LIQUID_LOGIC_TIMEOUT_MS, apiKey: sync.LIQUID_LOGIC_API_KEY }),
    inbound: new InboundService({ db: database.db, clock, logger, children: new ChildService({ db: database.db, clock }) }),
    ...workerSettings(sync),
  });
  worker.start();
  logger.info({ worker: worker.workerId }, 'outbox worker running');
  const stop = async () => {
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
