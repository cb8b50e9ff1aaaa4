import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { rowsOf } from './database';
import { namedStatements } from './named-statements';

/** Statement texts this session has prepared (named statements show here; unnamed ones do not). */
const PREPARED = sql`select statement from pg_prepared_statements where statement like '%named-statements-spec%' order by statement`;

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('namedStatements (postgres.js under drizzle)', () => {
  async function session(limit?: number) {
    const client = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    const db = drizzle(namedStatements(client, { limit }));
    await db.execute(sql`create temporary table named_statements_probe (n int)`);
    return { client, db };
  }

  it("names drizzle's parameterised writes, inside transactions and savepoints too, up to the limit", async () => {
    const { client, db } = await session(2);
    try {
      await db.execute(sql`insert into named_statements_probe (n) values (${1}) /* named-statements-spec a */`);
      const seen = await db.transaction(async (tx) => {
        await tx.execute(sql`update named_statements_probe set n = ${2} where n = ${1} /* named-statements-spec b */`);
        await tx.transaction(async (savepoint) => {
          await savepoint.execute(
            sql`insert into named_statements_probe (n) values (${3}) /* named-statements-spec a */`,
          );
        });
        // A third text is over the limit of two: it runs unnamed, as drizzle asked.
        await tx.execute(sql`delete from named_statements_probe where n = ${4} /* named-statements-spec c */`);
        return rowsOf<{ statement: string }>(await tx.execute(PREPARED)).map((r) => r.statement.match(/spec (\w)/)![1]);
      });
      expect(seen).toEqual(['a', 'b']);
      expect(rowsOf(await db.execute(sql`select n from named_statements_probe order by n`))).toEqual([
        { n: 2 },
        { n: 3 },
      ]);
    } finally {
      await client.end();
    }
  });

  it('leaves reads unnamed, so each is planned for its own values (no generic plan for skewed data)', async () => {
    const { client, db } = await session();
    try {
      for (let i = 0; i < 7; i++)
        await db.execute(sql`select n from named_statements_probe where n > ${i} /* named-statements-spec read */`);
      await db.execute(
        sql`with x as (select ${1}::int as n) update named_statements_probe set n = x.n from x /* named-statements-spec with */`,
      );
      expect(rowsOf(await db.execute(PREPARED))).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('leaves statements without parameters unnamed (they take one round trip anyway)', async () => {
    const { client, db } = await session();
    try {
      await db.execute(sql`insert into named_statements_probe (n) values (1) /* named-statements-spec plain */`);
      expect(rowsOf(await db.execute(PREPARED))).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
