/**
 * Load check for live case changes (not a test): N dashboards hold `caseChanged` subscriptions
 * while case changes are committed; reports delivery latency percentiles (commit start → the
 * dashboard's socket has the event, i.e. after NOTIFY, the row read, the per-subscriber access
 * decision, execution and the audit write).
 *
 *   npm run -s bench:subscriptions -- --dashboards 50 --events 200 [--schools 10] [--concurrency 4]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run -s bench:subscriptions
 *
 * Without BENCH_DATABASE_URL it runs on in-memory PGlite. Prints one JSON object on stdout.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadDevIssuer } from '../src/auth/dev-issuer';
import { trustRegistry } from '../src/auth/trust-registry';
import { createTokenVerifier } from '../src/auth/verify-token';
import { openDatabase } from '../src/db';
import { recordCaseEvent } from '../src/events/case-events';
import { createHub } from '../src/server/hub';
import { createServices } from '../src/server/services';
import { systemClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';
import { fixture } from '../test/support/fixtures';

const { values } = parseArgs({
  options: {
    dashboards: { type: 'string', default: '50' },
    events: { type: 'string', default: '200' },
    schools: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    'queue-limit': { type: 'string', default: '1000' },
  },
});
const DASHBOARDS = Number(values.dashboards);
const EVENTS = Number(values.events);
const SCHOOLS = Math.max(1, Math.min(Number(values.schools), DASHBOARDS));
const CONCURRENCY = Math.max(1, Number(values.concurrency));
const AUDIENCE = 'early-help-hub';

const QUERY = 'subscription { caseChanged { id childId kind changedFields child { id givenName hasSend } } }';

async function main(): Promise<void> {
  const database = await openDatabase(
    process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL } : { pgliteDataDir: 'memory://' },
  );
  await database.migrate();
  const f = fixture(database.db);
  const schools: { id: string; children: string[] }[] = [];
  for (let s = 0; s < SCHOOLS; s++) {
    const id = await f.org(`bench-school-${s}`, 'school');
    const children: string[] = [];
    for (let c = 0; c < 2; c++) {
      const child = (await f.child()).id;
      await f.involve(child, id, 'on_roll');
      children.push(child);
    }
    schools.push({ id, children });
  }

  const issuer = await loadDevIssuer(null, 'urn:early-help-hub:bench');
  const verifyToken = createTokenVerifier({ registry: trustRegistry([issuer.trusted]), audience: AUDIENCE });
  const services = createServices({ database, clock: systemClock, logger: silentLogger });
  const hub = await createHub({ services, verifyToken, ws: { queueLimit: Number(values['queue-limit']) } });
  const url = `${(await hub.listen(0)).replace(/^http/, 'ws')}/graphql`;

  const startedAt = new Map<string, number>(); // seq → commit start (ms, monotonic)
  const latencies: number[] = [];
  let errors = 0;
  let closedEarly = 0;
  const clients = [];
  const perSchool = new Map<string, number>();
  for (let d = 0; d < DASHBOARDS; d++) {
    const school = schools[d % SCHOOLS]!;
    perSchool.set(school.id, (perSchool.get(school.id) ?? 0) + 1);
    const token = await issuer.sign({ role: 'school_dsl', org: school.id, sub: `bench-dsl-${d}`, audience: AUDIENCE });
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}`, 'x-purpose-of-use': 'direct_support' },
      on: {
        closed: () => {
          closedEarly++;
        },
      },
      onNonLazyError: () => {},
    });
    client.subscribe<{ caseChanged: { id: string } }>(
      { query: QUERY },
      {
        next: (result) => {
          const at = performance.now();
          if (result.errors?.length) errors++;
          const start = result.data?.caseChanged ? startedAt.get(result.data.caseChanged.id) : undefined;
          if (start !== undefined) latencies.push(at - start);
        },
        error: () => {
          errors++;
        },
        complete: () => {},
      },
    );
    clients.push(client);
  }
  await waitFor(() => hub.subscriptions!.subscribers >= DASHBOARDS, 60_000);

  let expected = 0;
  const began = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < EVENTS) {
      const i = next++;
      const school = schools[i % SCHOOLS]!;
      const childId = school.children[i % school.children.length]!;
      expected += perSchool.get(school.id) ?? 0;
      const t0 = performance.now();
      await database.db.transaction(async (tx) => {
        const row = await recordCaseEvent(tx, {
          childId,
          kind: 'attendance_flagged',
          categories: ['education'],
          changedFields: ['attendance'],
          actor: { subject: 'bench', organisationId: school.id },
          at: new Date(),
        });
        startedAt.set(String(row.seq), t0);
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const committed = performance.now();
  await waitFor(() => latencies.length + errors >= expected, 120_000).catch(() => {});
  const drained = performance.now();

  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies.length
      ? round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!)
      : null;
  const report = {
    driver: database.driver,
    dashboards: DASHBOARDS,
    schools: SCHOOLS,
    events: EVENTS,
    expectedDeliveries: expected,
    delivered: latencies.length,
    errors,
    closedEarly,
    commitMs: round(committed - began),
    drainMs: round(drained - began),
    deliveriesPerSecond: round(latencies.length / ((drained - began) / 1000)),
    latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: pct(100) },
  };
  console.log(JSON.stringify(report, null, 2));

  await Promise.all(clients.map((c) => c.dispose()));
  await hub.stop();
  await database.close();
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

async function waitFor(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.message}`);
  process.exit(1);
});
