/**
 * `npm run seed -- --children N`: loads the synthetic city into the configured database
 * (DATABASE_URL, or embedded PGlite under ./.data), with progress on stderr. Above
 * SCALE_THRESHOLD children the scale city is built in bulk (seeds/scale-city.ts, multi-row
 * INSERTs), with `--audit-rows N` of audit history (default: one per child).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../src/config/config';
import { openDatabase } from '../src/db';
import { count } from 'drizzle-orm';
import { auditLogPending } from '../schema';
import { auditKeysFromConfig } from '../src/audit/audit-keys';
import { createServices } from '../src/server/services';
import { systemClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';
import { countOrganisations } from '../src/organisation/organisation.repo';
import { seedDemoCity } from './demo-city';
import { seedScaleCity } from './scale-city';

/** Larger cities get schools, cases in every state and audit history in bulk. */
const SCALE_THRESHOLD = 5000;
const MAX_SCALE_CHILDREN = 2_000_000;
const MAX_AUDIT_ROWS = 100_000_000;

const USAGE = `usage: npm run seed -- [--children N] [--batch N] [--audit-rows N]
  Loads the synthetic city into an empty database: DATABASE_URL, or embedded PGlite at PGLITE_DATA_DIR.
  --children N     children to create, 1 to ${MAX_SCALE_CHILDREN} (default 300: the demo city; above ${SCALE_THRESHOLD}, the scale city in bulk)
  --batch N        rows per INSERT for the scale city, 1 to 4000 (default 1000)
  --audit-rows N   audit history rows for the scale city (default: one per child)
  --help           this text`;

function cliOptions() {
  try {
    return parseArgs({
      options: {
        children: { type: 'string', default: '300' },
        batch: { type: 'string', default: '1000' },
        'audit-rows': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`seed: ${(error as Error).message.split('\n')[0]}\n${USAGE}`);
    process.exit(2);
  }
}
const values = cliOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const total = Number(values.children);
if (!Number.isInteger(total) || total < 1 || total > MAX_SCALE_CHILDREN) {
  console.error(`--children must be a whole number from 1 to ${MAX_SCALE_CHILDREN}`);
  process.exit(2);
}
const batchSize = Number(values.batch);
// 14 parameters per child row; PostgreSQL takes at most 65535 per statement.
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 4000) {
  console.error('--batch must be a whole number from 1 to 4000');
  process.exit(2);
}
const auditRows = values['audit-rows'] === undefined ? undefined : Number(values['audit-rows']);
if (auditRows !== undefined && (!Number.isInteger(auditRows) || auditRows < 0 || auditRows > MAX_AUDIT_ROWS)) {
  console.error(`--audit-rows must be a whole number from 0 to ${MAX_AUDIT_ROWS}`);
  process.exit(2);
}
const config = loadConfigOrExit();
const database = await openDatabase({ url: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR });
await database.migrate();
if ((await countOrganisations(database.db)) > 0) {
  console.error('The database already holds a city; seed an empty database (e.g. a fresh PGLITE_DATA_DIR).');
  await database.close();
  process.exit(1);
}
const started = Date.now();
try {
  const onProgress = (m: string) => process.stderr.write(`${m}\n`);
  const summary =
    total > SCALE_THRESHOLD
      ? await seedScaleCity(database.db, {
          children: total,
          auditRows,
          auditRowMacKey: auditKeysFromConfig(config).rowMacKey,
          onProgress,
        })
      : await seedDemoCity(database.db, { children: total, batchSize, onProgress });
  // The audit history joins the log as a running hub's checkpointer would have taken it in, so a
  // hub started on this database begins with an integrated, signed log and no backlog.
  const services = createServices({
    database,
    clock: systemClock,
    logger: silentLogger,
    auditKeys: auditKeysFromConfig(config),
  });
  await services.auditLog.open();
  const pending = async () => (await database.db.select({ n: count() }).from(auditLogPending))[0]!.n;
  const backlog = await pending();
  for (let left = backlog; left > 0; ) {
    await services.auditLog.checkpoint();
    const now = await pending();
    if (now >= left) throw new Error('the audit log took in none of the seeded history (is another hub running?)');
    left = now;
    onProgress(`audit log ${backlog - left}/${backlog} rows integrated`);
  }
  console.log(JSON.stringify({ ...summary, seconds: (Date.now() - started) / 1000 }));
} catch (error) {
  // One line: the driver's error, never the failed statement with its thousands of row values.
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  console.error(`seed failed: ${cause?.message ?? (error as Error).message}${cause?.code ? ` (${cause.code})` : ''}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
