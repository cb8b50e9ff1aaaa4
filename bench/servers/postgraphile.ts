/**
 * PostGraphile v5 (benchmark only) over the same database: the Amber preset exposes the tables as
 * they are, with no consent, no relationship check and no audit — the reference for "what does a
 * generic GraphQL layer over these tables cost". With BENCH_AUDIT=1 it keeps the hub's audit rule:
 * each answer is held until the hub's audit row for it is committed (reference-audit.ts). Counts
 * its SQL statements by wrapping pg.Client#query; `/__stats` on STATS_PORT reports them with the
 * process's CPU time.
 *
 *   DATABASE_URL=… PORT=… STATS_PORT=… [BENCH_AUDIT=1 BENCH_AUDIT_ORG=…] tsx bench/servers/postgraphile.ts
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { referenceAudit } from './reference-audit';
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
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL!,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.BENCH_POOL ?? 10) },
    } as never),
  ],
  grafast: { explain: false },
};
const pgl = postgraphile(preset as never);
const serv = pgl.createServ(grafserv);
const server = createServer();
await serv.addTo(server);
const audit = await referenceAudit(
  process.env.BENCH_COUNT_SQL
    ? () => {
        statements++;
      }
    : undefined,
);
if (audit) {
  // grafserv answers with writeHead, then one end(body): hold that end until the child's row is committed.
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (handlers.length !== 1) throw new Error(`expected grafserv's one request handler, found ${handlers.length}`);
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const end = res.end.bind(res) as (body?: Buffer | string) => ServerResponse;
    res.end = ((body?: Buffer | string) => {
      const childId = body
        ? (JSON.parse(body.toString()) as { data?: { allChildren?: { nodes?: { rowId?: string }[] } } }).data
            ?.allChildren?.nodes?.[0]?.rowId
        : null;
      audit.lookupAnswered(childId).then(
        () => end(body),
        (error: Error) => res.destroy(error),
      );
      return res;
    }) as typeof res.end;
    handlers[0]!(req, res);
  });
}
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ ready: true }));
serveStats(() => statements);
// Exit normally on SIGTERM so --cpu-prof (BENCH_CPU_PROF) writes its profile.
process.on('SIGTERM', () => process.exit(0));
