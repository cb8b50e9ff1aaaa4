/**
 * `npm run migrate [-- --runtime-role <role>]` / `node dist/src/db/migrate.main.js`: applies pending
 * migrations and exits, as its own deployment step run by the role that owns the schema (README:
 * Deployment, Database roles). Given a runtime role, it (re)grants that role what the hub needs and
 * no more (src/audit/db-roles.ts). A failure is one line naming its cause, exit status 1.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config';
import { grantRuntimeRole } from '../audit/db-roles';
import { openDatabase } from './database';
import { pendingMigrations } from './migrations-status';
import { databaseStartFailure } from './start-failure';

const USAGE = 'usage: npm run migrate [-- --runtime-role <role>]';
let role: string | undefined;
try {
  const { values } = parseArgs({
    options: { 'runtime-role': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  role = values['runtime-role'];
} catch (error) {
  console.error(`migrate: ${(error as Error).message.split('\n')[0]}\n${USAGE}`);
  process.exit(2);
}
const config = loadConfigOrExit();
const database = await openDatabase({
  url: config.DATABASE_URL,
  pgliteDataDir: config.PGLITE_DATA_DIR,
  maxConnections: 1,
});
try {
  const pending = await pendingMigrations(database.db);
  await database.migrate();
  console.log(pending ? `Applied ${pending} migration(s).` : 'No pending migrations.');
  if (role) {
    if (database.driver !== 'postgres') throw new Error('--runtime-role needs a PostgreSQL server (DATABASE_URL)');
    await grantRuntimeRole(database.db, role);
    console.log(`runtime role ${role}: SELECT and INSERT on the audit tables, no DDL`);
  }
} catch (error) {
  console.error(`Migrations failed: ${databaseStartFailure(error, config.DATABASE_URL)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
