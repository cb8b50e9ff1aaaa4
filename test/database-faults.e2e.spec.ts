/**
 * The hub under database faults, on a real PostgreSQL server (PGlite runs in the process: it has
 * no connections to lose). Its own test database's backends are terminated while requests and a
 * subscription are in flight: the process survives, every request is answered, and both the
 * pool and the LISTEN connection come back by themselves. Then the server "goes away" behind a
 * TCP proxy (connections reset, new ones refused): requests are shed at once with 503 and
 * Retry-After, /readyz says not ready, and once it is back not one request fails.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db';
import { recordCaseEvent } from '../src/events/case-events';
import { createTestDatabase, testServerUrl, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import { subscribe, until, type LiveSubscription } from './support/ws-client';

const CHILD_QUERY = 'query ($id: ID) { child(id: $id) { id postcode } }';
const CASE_CHANGED = 'subscription ($childId: ID) { caseChanged(childId: $childId) { id changedFields } }';

async function emit(db: Db, childId: string, field: string) {
  return db.transaction((tx) =>
    recordCaseEvent(tx, {
      childId,
      kind: 'attendance_flagged',
      categories: ['education'],
      changedFields: [field],
      refs: {},
      actor: { subject: 'test-actor', organisationId: '00000000-0000-4000-8000-000000000000' },
      at: new Date(),
    }),
  );
}

describe.runIf(testServerUrl)('PostgreSQL backends terminated under load', () => {
  let t: TestHub;
  let admin: postgres.Sql;
  let databaseName: string;
  let pupil: string;
  let token: string;
  let sub: LiveSubscription;
  /** What would have ended the process: an uncaught exception or an unhandled rejection. */
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => {
    uncaught.push(error);
  };

  /** Terminates every backend of this file's own database (never another's), but the caller's. */
  async function terminateBackends(): Promise<number> {
    const [row] = await admin<{ n: number }[]>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = ${databaseName} and pid <> pg_backend_pid()`;
    return row!.n;
  }

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    t = await startTestHub();
    databaseName = new URL(t.database.url!).pathname.slice(1);
    admin = postgres(testServerUrl!, { max: 1, onnotice: () => {} });
    const f = fixture(t.database.db);
    const school = await f.org('school', 'school');
    pupil = (await f.child()).id;
    await f.involve(pupil, school, 'on_roll');
    token = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-faults' });
    sub = subscribe(t.url, { token }, CASE_CHANGED, { childId: pupil });
    await until(() => t.hub.subscriptions!.subscribers > 0, 10_000, 'the subscription to be active');
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await sub?.dispose().catch(() => {});
    await t?.close();
    await admin?.end();
  });

  it('survives repeated terminations mid-request, answers every request, and recovers by itself', async () => {
    const statuses: number[] = [];
    let slowest = 0;
    let stop = false;
    const reader = async () => {
      while (!stop) {
        const started = Date.now();
        const res = await t.post(token, CHILD_QUERY, { id: pupil });
        slowest = Math.max(slowest, Date.now() - started);
        statuses.push(res.status);
      }
    };
    // Multi-statement transactions (a case event, its outbox row, its NOTIFY) on the hub's pool.
    // Paced and bounded: a connection may hold 100 undelivered events before it is closed as too
    // slow (rightly), and how many an unpaced writer commits depends on the machine's speed.
    const committed: number[] = [];
    const writer = async () => {
      for (let n = 0; n < 15 && !stop; n++) {
        await emit(t.database.db, pupil, 'underLoad').then(
          (row) => {
            committed.push(row.seq);
          },
          () => {},
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    let closedEarly: { code: number; reason: string } | null = null;
    void sub.closed.then((event) => {
      closedEarly = event;
    });
    const load = [...Array.from({ length: 6 }, reader), ...Array.from({ length: 4 }, writer)];
    let terminated = 0;
    for (let round = 0; round < 15; round++) {
      await new Promise((r) => setTimeout(r, 100));
      terminated += await terminateBackends();
    }
    stop = true;
    await Promise.all(load);

    expect(uncaught).toEqual([]);
    expect(terminated).toBeGreaterThan(15);
    expect(committed.length).toBeGreaterThan(0);
    // Every request was answered (200, or a clean 5xx while its connection died), none hung.
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.every((s) => s === 200 || s >= 500)).toBe(true);
    expect(slowest).toBeLessThan(15_000);

    // Recovered without help: reads succeed again and the LISTEN connection hears new changes.
    await until(
      async () => (await fetch(t.url.replace(/\/graphql$/, '/readyz'))).status === 200,
      15_000,
      'ready again',
    );
    const res = await t.post(token, CHILD_QUERY, { id: pupil });
    if (res.status !== 200) console.log(JSON.stringify(res));
    expect(res.status).toBe(200);
    expect(res.data.child.id).toBe(pupil);
    expect(closedEarly).toBeNull();
    const event = await emit(t.database.db, pupil, 'afterTermination');
    const heard = await sub.find((r) => r.data?.caseChanged?.id === String(event.seq), 15_000);
    expect(heard.data.caseChanged.changedFields).toEqual(['afterTermination']);
    // Every change committed while the LISTEN connection was being killed reached the subscriber:
    // shown, or (its audit could not be written) announced as withheld; none twice.
    const delivered = () => sub.results.map((r) => Number(r.data?.caseChanged?.id)).filter((seq) => !Number.isNaN(seq));
    const withheld = () =>
      sub.results.filter((r) =>
        ['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'].includes(r.errors?.[0]?.extensions?.code),
      ).length;
    await until(
      () => committed.filter((seq) => !delivered().includes(seq)).length <= withheld(),
      15_000,
      'every committed change to be delivered',
    );
    expect(new Set(delivered()).size).toBe(delivered().length);
    expect(uncaught).toEqual([]);
  });
});

describe.runIf(testServerUrl)('PostgreSQL refusing connections (behind a TCP proxy)', () => {
  let direct: TestDatabase;
  let proxy: TcpProxy;
  let t: TestHub;
  let pupil: string;
  let token: string;
  let sub: LiveSubscription;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => {
    uncaught.push(error);
  };
  const readyz = async () => (await fetch(t.url.replace(/\/graphql$/, '/readyz'))).status;

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    direct = await createTestDatabase();
    const server = new URL(testServerUrl!);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const url = proxy.urlFor(direct.url!);
    const proxied = await openDatabase({ url, maxConnections: 4, connectTimeoutSeconds: 2 });
    t = await startTestHub({ database: { ...proxied, url, destroy: () => proxied.close() } });
    const f = fixture(direct.db);
    const school = await f.org('school', 'school');
    pupil = (await f.child()).id;
    await f.involve(pupil, school, 'on_roll');
    token = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-outage' });
    sub = subscribe(t.url, { token }, CASE_CHANGED, { childId: pupil });
    await until(() => t.hub.subscriptions!.subscribers > 0, 10_000, 'the subscription to be active');
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await sub?.dispose().catch(() => {});
    await t?.close();
    await t?.database.destroy();
    await proxy?.close();
    await direct?.destroy();
  });

  async function timedRead() {
    const started = Date.now();
    const res = await fetch(t.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-purpose-of-use': 'direct_support',
      },
      body: JSON.stringify({ query: CHILD_QUERY, variables: { id: pupil } }),
    });
    const body = (await res.json()) as {
      data?: { child?: { id: string } | null } | null;
      errors?: { extensions?: Record<string, unknown> }[];
    };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body, ms: Date.now() - started };
  }

  it('sheds requests at once with 503 and Retry-After while it is away, and fails none once it is back', async () => {
    expect((await timedRead()).status).toBe(200);
    expect(await readyz()).toBe(200);

    await proxy.refuse();
    // The first requests meet the reset connections; each is still answered, and quickly.
    const first = await Promise.all(Array.from({ length: 4 }, timedRead));
    for (const r of first) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toMatch(/^\d+$/);
      expect(r.body.errors?.[0]?.extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        requestId: expect.any(String),
      });
      expect(r.ms).toBeLessThan(5_000);
    }
    await until(async () => (await readyz()) === 503, 5_000, 'not ready');
    const during = await Promise.all(Array.from({ length: 10 }, timedRead));
    for (const r of during) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toMatch(/^\d+$/);
      expect(r.body.errors?.[0]?.extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        requestId: expect.any(String),
      });
      expect(r.ms).toBeLessThan(1_000);
    }
    // A change committed meanwhile (another instance, straight to the server).
    const missed = await emit(direct.db, pupil, 'duringOutage');

    await proxy.reopen();
    await until(async () => (await readyz()) === 200, 10_000, 'ready again');
    const after = await Promise.all(Array.from({ length: 30 }, timedRead));
    expect(after.map((r) => r.status)).toEqual(after.map(() => 200));
    expect(after.every((r) => r.body.data?.child?.id === pupil)).toBe(true);

    // The LISTEN connection came back by itself and caught up on what it could not hear.
    expect(
      (await sub.find((r) => r.data?.caseChanged?.id === String(missed.seq), 15_000)).data.caseChanged.changedFields,
    ).toEqual(['duringOutage']);
    const later = await emit(direct.db, pupil, 'afterOutage');
    await sub.find((r) => r.data?.caseChanged?.id === String(later.seq), 15_000);
    expect(uncaught).toEqual([]);
  });
});
