/**
 * A side port on every benchmarked server: GET / → { cpuMicros, statements } of this process, so
 * the harness reads CPU seconds and SQL statements per request the same way for all three.
 */
import { createServer } from 'node:http';

export function serveStats(statements: () => number): void {
  createServer((_req, res) => {
    const cpu = process.cpuUsage();
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        cpuMicros: cpu.user + cpu.system,
        statements: statements(),
        rssBytes: process.memoryUsage().rss,
      }),
    );
  }).listen(Number(process.env.STATS_PORT), '127.0.0.1');
}
