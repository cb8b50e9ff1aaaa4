/**
 * `npm run seed -- --children N`: loads the synthetic city into the configured database
 * (DATABASE_URL, or embedded PGlite under ./.data), with progress on stderr.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config';
import { openDatabase } from '../src/db';
import { countOrganisations } from '../src/organisation/organisation.repo';
import { seedDemoCity } from './demo-city';

const { values } = parseArgs({ options: { children: { type: 'string', default: '300' }, batch: { type: 'string', default: '1000' } } });
const total = Number(values.children);
if (!Number.isInteger(total) || total < 1) {
  console.error('--children must be a positive whole number');
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR });
await database.migrate();
if ((await countOrganisations(database.db)) > 0) {
  console.error('The database already holds a city; seed an empty database (e.g. a fresh PGLITE_DATA_DIR).');
  await database.close();
  process.exit(1);
}
const started = Date.now();
const summary = await seedDemoCity(database.db, { children: total, batchSize: Number(values.batch), onProgress: (m) => process.stderr.write(`${m}\n`) });
console.log(JSON.stringify({ ...summary, seconds: (Date.now() - started) / 1000 }));
await database.close();
