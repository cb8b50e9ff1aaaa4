/**
 * PostGraphile v5 (benchmark only) over the same database: the Amber preset exposes the tables as
 * they are, with no consent, no relationship check and no audit — the reference for "what does a
 * generic GraphQL layer over these tables cost". Counts its SQL statements by wrapping
 * pg.Client#query; `/__stats` on STATS_PORT reports them with the process's CPU time.
 *
 *   DATABASE_URL=… PORT=… STATS_PORT=… tsx bench/servers/postgraphile.ts
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { serveStats } from './stats';

let statements = 0;
const query = pg.Client.prototype.query;
if (process.env.BENCH_COUNT_SQL) {
  pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
    statements++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
}

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL!, schemas: ['public'], poolConfig: { max: Number(process.env.BENCH_POOL ?? 10) } } as never)],
  grafast: { explain: false },
};
const pgl = postgraphile(preset as never);
const serv = pgl.createServ(grafserv);
const server = createServer();
await serv.addTo(server);
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ ready: true }));
serveStats(() => statements);
// Exit normally on SIGTERM so --cpu-prof (BENCH_CPU_PROF) writes its profile.
process.on('SIGTERM', () => process.exit(0));
