import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase, postgresSocket, rowsOf } from './database';
import { sql } from 'drizzle-orm';

describe('postgresSocket (libpq-style ?host=/dir in DATABASE_URL)', () => {
  it('turns a socket directory into the socket path and leaves the rest of the URL alone', () => {
    expect(postgresSocket('postgres://hub@localhost/ehh?host=/var/run/postgresql&sslmode=disable')).toEqual({
      url: 'postgres://hub@localhost/ehh?sslmode=disable',
      path: '/var/run/postgresql/.s.PGSQL.5432',
    });
    expect(postgresSocket('postgres://hub@localhost:5433/ehh?host=/tmp/')).toMatchObject({
      path: '/tmp/.s.PGSQL.5433',
    });
  });

  it('leaves TCP URLs as they are', () => {
    for (const url of ['postgres://postgres@127.0.0.1:5432/test', 'postgres://hub@db.internal/ehh?host=db2.internal']) {
      expect(postgresSocket(url)).toEqual({ url, path: undefined });
    }
  });

  const socketDir = '/var/run/postgresql';
  it.runIf(Boolean(process.env.TEST_DATABASE_URL) && existsSync(`${socketDir}/.s.PGSQL.5432`))(
    'connects through the socket',
    async () => {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.searchParams.set('host', socketDir);
      const database = await openDatabase({ url: url.toString(), maxConnections: 1 });
      try {
        // A socket connection has no client address.
        const [row] = rowsOf<{ addr: string | null }>(
          await database.db.execute(sql`select inet_client_addr() as addr`),
        );
        expect(row).toEqual({ addr: null });
      } finally {
        await database.close();
      }
    },
  );
});
