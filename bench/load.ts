/**
 * One load run with autocannon against a server child process: closed-loop (max throughput with
 * N connections) or open-loop at a fixed overall rate. Latencies are taken per response so p95 is
 * exact; CPU seconds and SQL statements come from the server's stats port, before and after.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  /** Body of the i-th request (vary the child, the record id …). */
  body(i: number): string;
  seconds: number;
  connections: number;
  /** Requests per second across all connections; absent: as fast as the server answers. */
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
}

interface Stats { cpuMicros: number; statements: number }

export async function stats(url: string): Promise<Stats> {
  return (await fetch(url)).json() as Promise<Stats>;
}

export async function load(spec: LoadSpec): Promise<LoadResult> {
  let i = 0;
  const latencies: number[] = [];
  const before = await stats(spec.statsUrl);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: spec.url,
      connections: spec.connections,
      duration: spec.seconds,
      ...(spec.rate ? { overallRate: spec.rate } : {}),
      requests: [{ method: 'POST', headers: { 'content-type': 'application/json', ...spec.headers }, setupRequest: (req) => ({ ...req, body: spec.body(i++) }) }],
    }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => { latencies.push(responseTime); });
  });
  const after = await stats(spec.statsUrl);
  const done = latencies.length;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => round(latencies[Math.min(done - 1, Math.floor((p / 100) * done))] ?? 0);
  return {
    requests: done,
    throughputPerSecond: round(done / spec.seconds),
    latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: round(latencies[done - 1] ?? 0) },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statementsPerRequest: round((after.statements - before.statements) / Math.max(done, 1)),
    cpuSecondsPer1000Requests: round(((after.cpuMicros - before.cpuMicros) / 1e6 / Math.max(done, 1)) * 1000),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
