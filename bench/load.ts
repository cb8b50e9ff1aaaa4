/**
 * One load run against a server child process: closed-loop with autocannon (max throughput with N
 * connections), or open-loop at a constant arrival rate (k6's constant-arrival-rate). Latencies
 * are taken per response so p95 is exact; CPU seconds and SQL statements come from the server's
 * stats port, before and after.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { databaseCpuMicros } from './database-cpu';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  /** Body of the i-th request (vary the child, the record id …). */
  body(i: number): string;
  seconds: number;
  connections: number;
  /**
   * Requests per second at evenly spaced arrival times, on as many connections as are busy
   * (`connections` is ignored); absent: closed loop, as fast as `connections` are answered.
   */
  rate?: number;
  statsUrl: string;
}

export interface LoadResult {
  requests: number;
  throughputPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  statementsPerRequest: number;
  cpuSecondsPer1000Requests: number;
  /** The local PostgreSQL's processes, all of them (null: not measurable here). */
  databaseCpuSecondsPer1000Requests: number | null;
}

interface Stats {
  cpuMicros: number;
  statements: number;
  databaseCpuMicros?: number | null;
}

export async function stats(url: string): Promise<Stats> {
  const server = (await (await fetch(url)).json()) as Stats;
  return { ...server, databaseCpuMicros: databaseCpuMicros() };
}

export async function load(spec: LoadSpec): Promise<LoadResult> {
  return spec.rate ? constantRate(spec, spec.rate) : closedLoop(spec);
}

async function closedLoop(spec: LoadSpec): Promise<LoadResult> {
  let i = 0;
  const latencies: number[] = [];
  const before = await stats(spec.statsUrl);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...spec.headers },
            setupRequest: (req) => ({ ...req, body: spec.body(i++) }),
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    });
  });
  const after = await stats(spec.statsUrl);
  return summarise(spec, latencies, before, after, result.errors + result.timeouts, result.non2xx);
}

/**
 * Open loop: request k is due at start + k/rate, whether or not earlier ones have been answered,
 * and its latency runs from that due time (so a stall is charged to every request it delays: no
 * coordinated omission). autocannon's `overallRate` is not this: each connection sends its share
 * back to back at the top of every second, a closed-loop burst.
 */
async function constantRate(spec: LoadSpec, rate: number): Promise<LoadResult> {
  // LIFO keeps the few sockets a steady rate needs hot: with FIFO every socket a burst opened is
  // cycled through, sits idle past the server's keep-alive timeout and may be reused as it closes.
  const agent = new Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  const target = new URL(spec.url);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const inFlight = new Set<Promise<void>>();
  const send = (i: number, due: number): void => {
    const body = spec.body(i);
    const done = new Promise<void>((resolve) => {
      const req = request(
        target,
        {
          agent,
          method: 'POST',
          timeout: 10_000,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...spec.headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) >= 300) non2xx++;
            latencies.push(performance.now() - due);
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const before = await stats(spec.statsUrl);
  const total = Math.round(rate * spec.seconds);
  const start = performance.now();
  const dueOf = (k: number): number => start + (k * 1000) / rate;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      for (; next < total && dueOf(next) <= now; next++) send(next, dueOf(next));
      if (next >= total) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, dueOf(next) - performance.now()));
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();
  const after = await stats(spec.statsUrl);
  return summarise(spec, latencies, before, after, errors, non2xx);
}

function summarise(
  spec: LoadSpec,
  latencies: number[],
  before: Stats,
  after: Stats,
  errors: number,
  non2xx: number,
): LoadResult {
  const done = latencies.length;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => round(latencies[Math.min(done - 1, Math.floor((p / 100) * done))] ?? 0);
  return {
    requests: done,
    throughputPerSecond: round(done / spec.seconds),
    latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: round(latencies[done - 1] ?? 0) },
    errors,
    non2xx,
    statementsPerRequest: round((after.statements - before.statements) / Math.max(done, 1)),
    cpuSecondsPer1000Requests: perThousand(after.cpuMicros - before.cpuMicros, done),
    databaseCpuSecondsPer1000Requests:
      after.databaseCpuMicros != null && before.databaseCpuMicros != null
        ? perThousand(after.databaseCpuMicros - before.databaseCpuMicros, done)
        : null,
  };
}

function perThousand(micros: number, requests: number): number {
  return round((micros / 1e6 / Math.max(requests, 1)) * 1000);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
