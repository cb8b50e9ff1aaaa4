/**
 * Start-up database failures name their cause. The DNS and refused-port cases need no server; the
 * missing database and role need the PostgreSQL of TEST_DATABASE_URL; a wrong password cannot be
 * produced against a server that trusts local connections, so that one uses the driver's own error.
 */
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { databaseStartFailure } from './start-failure';
import { freePort } from '../../test/support/process';

async function failureOf(url: string): Promise<string> {
  const database = await openDatabase({ url, maxConnections: 1 });
  try {
    await database.migrate();
  } catch (error) {
    expect((error as Error).message).toMatch(/^Failed query/);
    return databaseStartFailure(error, url);
  } finally {
    await database.close();
  }
  throw new Error('migrate succeeded');
}

describe('database failures at start name their cause', () => {
  it('an unknown host', async () => {
    expect(await failureOf('postgres://hub:secret-pw@no-such-host.invalid:5432/hub')).toBe(
      'cannot use the database hub@no-such-host.invalid:5432/hub: host "no-such-host.invalid" is unknown (the name did not resolve)',
    );
  });

  it('a refused port, never showing the password', async () => {
    const port = await freePort();
    const line = await failureOf(`postgres://hub:secret-pw@127.0.0.1:${port}/hub`);
    expect(line).toBe(
      `cannot use the database hub@127.0.0.1:${port}/hub: connection refused on 127.0.0.1:${port} (is PostgreSQL running and listening on that port?)`,
    );
    expect(line).not.toContain('secret-pw');
  });

  const server = process.env.TEST_DATABASE_URL ? new URL(process.env.TEST_DATABASE_URL) : null;
  it.skipIf(!server)('a missing database, and a role the server does not know', async () => {
    const missing = new URL(server!);
    missing.pathname = '/ehh_no_such_database';
    expect(await failureOf(missing.toString())).toMatch(
      /: database "ehh_no_such_database" does not exist on the server \(create it, then run the migrations\)$/,
    );
    const stranger = new URL(server!);
    stranger.username = 'ehh_no_such_role';
    stranger.password = '';
    expect(await failureOf(stranger.toString())).toMatch(
      /: the server refused user "ehh_no_such_role" \(the role does not exist, or pg_hba\.conf does not allow it\)$/,
    );
  });

  it('a wrong password', () => {
    const wrapped = new Error('Failed query: CREATE SCHEMA IF NOT EXISTS drizzle', {
      cause: new postgres.PostgresError({
        code: '28P01',
        message: 'password authentication failed for user "hub"',
      } as never),
    });
    expect(databaseStartFailure(wrapped, 'postgres://hub:wrong@db.internal:5433/hub')).toBe(
      'cannot use the database hub@db.internal:5433/hub: password authentication failed for user "hub" (wrong password)',
    );
  });
});
