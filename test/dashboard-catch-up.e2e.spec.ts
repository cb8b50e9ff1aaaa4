/**
 * No dashboard misses a change while the hub's LISTEN connection is down: every subscriber of an
 * instance receives every committed case event exactly once, across a terminated LISTEN backend
 * (PostgreSQL: pg_terminate_backend on this test's own database only) or a lost listener
 * (PGlite has no backend to terminate: the listener is dropped and re-established instead).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { recordCaseEvent } from '../src/events/case-events';
import type { Database } from '../src/db';
import { rowsOf } from '../src/db';
import { CASE_EVENT_TOPIC, CaseEventSource, type LiveCaseEvent } from '../src/pubsub/case-event-source';
import { memoryLogger } from './support/memory-logger';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';

let database: TestDatabase;
let childId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  childId = (await fixture(database.db).child()).id;
});
afterAll(async () => {
  await database.destroy();
});

/** PGlite's listener cannot lose its connection: this one can be made to, and to come back. */
function droppableListener(db: Database) {
  let dropped = false;
  let relisten: (() => void) | undefined;
  const wrapped: Database = {
    ...db,
    listen: (channel, onPayload, onListen) => {
      relisten = onListen;
      return db.listen(
        channel,
        (payload) => {
          if (!dropped) onPayload(payload);
        },
        onListen,
      );
    },
  };
  return {
    wrapped,
    drop: () => {
      dropped = true;
    },
    restore: () => {
      dropped = false;
      relisten?.();
    },
  };
}

async function terminateListenBackend(db: Database): Promise<number> {
  const rows = rowsOf<{ pid: number }>(
    await db.db.execute(sql`
    select pid from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen%'`),
  );
  for (const { pid } of rows) await db.db.execute(sql`select pg_terminate_backend(${pid})`);
  return rows.length;
}

const event = () =>
  database.db.transaction((tx) =>
    recordCaseEvent(tx, {
      childId,
      kind: 'vcs_contact',
      categories: ['early_help'],
      changedFields: ['vcsContacts'],
      actor: { subject: 'catch-up-test', organisationId: '00000000-0000-4000-8000-000000000001' },
      at: new Date(),
    }),
  );

describe('dashboards after the LISTEN connection is lost', () => {
  it('terminate the LISTEN backend during a burst: every subscriber receives every event, once, and it is logged', async () => {
    const drop = database.url ? null : droppableListener(database);
    const log = memoryLogger();
    const source = new CaseEventSource({ database: drop?.wrapped ?? database, logger: log.logger });
    await source.ensureListening();
    const received: number[][] = [[], [], []];
    const iterators = received.map((into) => {
      const it = source.pubSub.subscribe(CASE_EVENT_TOPIC);
      void (async () => {
        for await (const e of it as AsyncIterable<LiveCaseEvent>) if (e.childId === childId) into.push(e.seq);
      })();
      return it;
    });
    const written: number[] = [];
    try {
      for (let i = 0; i < 20; i++) written.push((await event()).seq);
      if (drop) drop.drop();
      else expect(await terminateListenBackend(database)).toBeGreaterThan(0);
      // The burst goes on while the listener is gone.
      for (let i = 0; i < 20; i++) written.push((await event()).seq);
      if (drop) drop.restore();
      for (let i = 0; i < 20; i++) written.push((await event()).seq);
      const deadline = Date.now() + 15_000;
      while (received.some((r) => r.length < written.length) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 25));
      for (const r of received) {
        expect([...r].sort((a, b) => a - b)).toEqual(written);
        expect(new Set(r).size).toBe(r.length);
      }
      expect(log.text()).toContain('listening again after the connection was lost; catching up');
    } finally {
      await Promise.all(iterators.map((it) => it.return?.(undefined)));
      await source.stop();
    }
  });
});
