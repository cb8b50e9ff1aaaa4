/**
 * Hostile documents (not a test): what a refusal costs the hub, and what one caller flooding
 * refusals at its rate limit does to another caller.
 *
 *  1. CPU per refusal: each hostile document (fragment bomb, fragment cycle, aliased meta fields,
 *     repeated fields graphql-js would compare pairwise, a document at the token limit …) is sent
 *     `--requests` times by one caller; the server's CPU per request, less the CPU of the smallest
 *     refusal (`{ nope }`), divided by the document's size, is its cost per KB. The worst is the
 *     headline: it must stay linear (a few hundredths of a ms per KB), not grow with the document's
 *     expanded size.
 *  2. Fairness: another caller's p99 at a steady rate, idle, then while the attacker sends the
 *     costliest refusal at exactly its rate limit (RATE_LIMIT_CALLER_PER_MINUTE, default 600/min).
 *     Target: p99 under flood within 2× of idle.
 *
 *   npx tsx bench/hostile.ts [--requests 40] [--seconds 30] [--rate 8] [--caller-per-minute 600]
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/hostile.ts   (default: in-memory PGlite)
 *
 * The hub runs in a child process (this file, BENCH_HOSTILE_SERVER=1) so its CPU is measured
 * alone. Prints one JSON object on stdout.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HOSTILE_DOCUMENTS } from './hostile-documents';
import { load, stats } from './load';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '30' },
    // Under the victim's own caller budget (600/min = 10/s): it must not be refused itself.
    rate: { type: 'string', default: '8' },
    'caller-per-minute': { type: 'string', default: '600' },
  },
});

const FLOOR = '{ me { role } }';
/** The smallest refusal: what every refused request costs whatever its size (token, parse, error response). */
const SMALLEST_REFUSAL = '{ nope }';

interface Ready {
  port: number;
  statsPort: number;
  tokens: string[];
}

async function server(): Promise<void> {
  const { loadDevIssuer } = await import('../src/auth/dev-issuer');
  const { trustRegistry } = await import('../src/auth/trust-registry');
  const { createTokenVerifier } = await import('../src/auth/verify-token');
  const { openDatabase } = await import('../src/db');
  const { createHub } = await import('../src/server/hub');
  const { createServices } = await import('../src/server/services');
  const { systemClock } = await import('../src/shared/clock');
  const { silentLogger } = await import('../src/shared/logger');
  const { fixture } = await import('../test/support/fixtures');
  const { serveStats } = await import('./servers/stats');
  const database = await openDatabase(
    process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL } : { pgliteDataDir: 'memory://' },
  );
  await database.migrate();
  const f = fixture(database.db);
  const [attackers, victims] = [
    await f.org('bench-hostile-attacker', 'school'),
    await f.org('bench-hostile-victim', 'school'),
  ];
  const issuer = await loadDevIssuer(null, 'urn:early-help-hub:bench');
  const verifyToken = createTokenVerifier({ registry: trustRegistry([issuer.trusted]), audience: 'early-help-hub' });
  const services = createServices({ database, clock: systemClock, logger: silentLogger });
  const hub = await createHub({
    services,
    verifyToken,
    // Production settings; both callers share the loopback address, so the address limit is lifted.
    hardening: {
      introspection: false,
      rateLimits: { callerPerMinute: Number(process.env.BENCH_CALLER_PER_MINUTE), addressPerMinute: 1e9 },
    },
  });
  const port = Number(new URL(await hub.listen(0)).port);
  const statsPort = port + 1;
  process.env.STATS_PORT = String(statsPort);
  serveStats(() => 0);
  // One measuring caller per document (each within its own budget), the attacker, the victim.
  const subjects = [...Object.keys(HOSTILE_DOCUMENTS), 'floor', 'smallest-refusal', 'attacker'];
  const tokens = await Promise.all([
    ...subjects.map((sub) =>
      issuer.sign({
        role: 'school_dsl',
        org: attackers,
        sub: `bench-${sub}`,
        audience: 'early-help-hub',
        expiresIn: '2h',
      }),
    ),
    issuer.sign({ role: 'school_dsl', org: victims, sub: 'bench-victim', audience: 'early-help-hub', expiresIn: '2h' }),
  ]);
  process.send?.({ port, statsPort, tokens } satisfies Ready);
  process.on('SIGTERM', () => process.exit(0));
}

async function post(url: string, token: string, query: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Server CPU ms per request for `query`, sent `n` times one after another. */
async function cpuPerRequest(
  url: string,
  statsUrl: string,
  token: string,
  query: string,
  n: number,
): Promise<{ ms: number; statuses: number[] }> {
  // Warmed well: the first document measured otherwise carries the JIT's compiling of the refusal path.
  for (let i = 0; i < 10; i++) await post(url, token, query);
  const before = await stats(statsUrl);
  const statuses = new Set<number>();
  for (let i = 0; i < n; i++) statuses.add(await post(url, token, query));
  const after = await stats(statsUrl);
  return { ms: (after.cpuMicros - before.cpuMicros) / 1000 / n, statuses: [...statuses] };
}

async function harness(): Promise<void> {
  const n = Number(values.requests);
  const proc = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_HOSTILE_SERVER: '1', BENCH_CALLER_PER_MINUTE: values['caller-per-minute'] },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      proc.once('message', (m) => resolve(m as Ready));
      proc.once('exit', (code) => reject(new Error(`hostile bench server exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${ready.port}/graphql`;
    const statsUrl = `http://127.0.0.1:${ready.statsPort}/`;
    const names = Object.keys(HOSTILE_DOCUMENTS);
    const token = (name: string) => ready.tokens[names.indexOf(name)]!;
    const [floorToken, smallestToken, attackerToken, victimToken] = ready.tokens.slice(names.length) as [
      string,
      string,
      string,
      string,
    ];

    const floor = await cpuPerRequest(url, statsUrl, floorToken, FLOOR, n);
    const smallest = await cpuPerRequest(url, statsUrl, smallestToken, SMALLEST_REFUSAL, n);
    const refusals: Record<string, { kb: number; statuses: number[]; cpuMsPerRequest: number; cpuMsPerKb: number }> =
      {};
    for (const name of names) {
      const query = HOSTILE_DOCUMENTS[name]!;
      const kb = Buffer.byteLength(JSON.stringify({ query })) / 1024;
      const { ms, statuses } = await cpuPerRequest(url, statsUrl, token(name), query, n);
      refusals[name] = {
        kb: round(kb),
        statuses,
        cpuMsPerRequest: round(ms),
        cpuMsPerKb: round(Math.max(0, ms - smallest.ms) / kb),
      };
      process.stderr.write(`hostile ${name}: ${JSON.stringify(refusals[name])}\n`);
    }
    const [worstName, worst] = Object.entries(refusals).sort(([, a], [, b]) => b.cpuMsPerKb - a.cpuMsPerKb)[0]!;
    const [costliestName] = Object.entries(refusals).sort(([, a], [, b]) => b.cpuMsPerRequest - a.cpuMsPerRequest)[0]!;

    const seconds = Number(values.seconds);
    const rate = Number(values.rate);
    const victim = () =>
      load({
        url,
        headers: { authorization: `Bearer ${victimToken}` },
        body: () => JSON.stringify({ query: FLOOR }),
        seconds,
        connections: 1,
        rate,
        statsUrl,
      });
    const idle = await victim();
    // The attacker spends its burst first, then sends at exactly its sustained limit for the whole run.
    const perSecond = Number(values['caller-per-minute']) / 60;
    const flood = JSON.stringify({ query: HOSTILE_DOCUMENTS[costliestName]! });
    let attackerSent = 0;
    const attackerStatuses = new Map<number, number>();
    const attack = async (count: number) => {
      await Promise.all(
        Array.from({ length: count }, async () => {
          attackerSent++;
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${attackerToken}` },
            body: flood,
          });
          await res.arrayBuffer();
          attackerStatuses.set(res.status, (attackerStatuses.get(res.status) ?? 0) + 1);
        }),
      );
    };
    for (let burst = Number(values['caller-per-minute']); burst > 0; burst -= 20) await attack(Math.min(20, burst));
    const timer = setInterval(() => {
      void attack(1);
    }, 1000 / perSecond);
    const flooded = await victim().finally(() => clearInterval(timer));
    const result = {
      requestsPerDocument: n,
      floorCpuMsPerRequest: round(floor.ms),
      smallestRefusalCpuMsPerRequest: round(smallest.ms),
      refusals,
      worstRefusal: { document: worstName, cpuMsPerKb: worst.cpuMsPerKb, cpuMsPerRequest: worst.cpuMsPerRequest },
      fairness: {
        attackerDocument: costliestName,
        attackerPerSecond: perSecond,
        attackerSent,
        attackerStatuses: Object.fromEntries(attackerStatuses),
        victimPerSecond: rate,
        idleP99Ms: idle.latencyMs.p99,
        floodP99Ms: flooded.latencyMs.p99,
        ratio: round(flooded.latencyMs.p99 / idle.latencyMs.p99),
        withinTwiceIdle: flooded.latencyMs.p99 <= 2 * idle.latencyMs.p99,
        victimErrors: flooded.errors + flooded.non2xx,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    proc.kill('SIGTERM');
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

if (process.env.BENCH_HOSTILE_SERVER) await server();
else await harness();
