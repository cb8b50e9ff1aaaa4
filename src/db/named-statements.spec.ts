import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { rowsOf } from './database';
import { namedStatements } from './named-statements';

/** Statement texts this session has prepared (named statements show here; unnamed ones do not). */
const PREPARED = sql`select statement from pg_prepared_statements where statement like '%named-statements-spec%' order by statement`;

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('namedStatements (postgres.js under drizzle)', () => {
  it('names drizzle\'s parameterised statements, inside transactions and savepoints too, up to the limit', async () => {
    const client = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    const db = drizzle(namedStatements(client, { limit: 2 }));
    try {
      const first = await db.execute(sql`select ${1}::int + 1 as n /* named-statements-spec a */`);
      expect(rowsOf(first)).toEqual([{ n: 2 }]);
      const seen = await db.transaction(async (tx) => {
        await tx.execute(sql`select ${2}::int as n /* named-statements-spec b */`);
        await tx.transaction(async (savepoint) => { await savepoint.execute(sql`select ${3}::int as n /* named-statements-spec a */`); });
        // A third text is over the limit of two: it runs unnamed, as drizzle asked.
        await tx.execute(sql`select ${4}::int as n /* named-statements-spec c */`);
        return rowsOf<{ statement: string }>(await tx.execute(PREPARED)).map((r) => r.statement.match(/spec (\w)/)![1]);
      });
      expect(seen).toEqual(['a', 'b']);
    } finally {
      await client.end();
    }
  });

  it('leaves statements without parameters unnamed (they take one round trip anyway)', async () => {
    const client = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    const db = drizzle(namedStatements(client));
    try {
      await db.execute(sql`select 1 as n /* named-statements-spec plain */`);
      expect(rowsOf(await db.execute(PREPARED))).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
