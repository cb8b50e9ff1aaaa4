/**
 * PostGraphile v5 (benchmark only) over the same database: the Amber preset exposes the tables as
 * they are, with no consent, no relationship check and no audit — the reference for "what does a
 * generic GraphQL layer over these tables cost". With BENCH_AUDIT=1 it keeps the hub's audit rule:
 * each answer is held until the hub's audit row for it is committed (reference-audit.ts). Counts
 * its SQL statements by wrapping pg.Client#query; `/__stats` on STATS_PORT reports them with the
 * process's CPU time.
 *
 * With BENCH_RLS=1 it is the same-work reference: what a team would build instead of the hub.
 * Each request carries the hub's bearer token (verified as the hub verifies it) and purpose
 * header; PostGraphile switches to a reader role and sets the caller's organisation, role and
 * purpose in the request's transaction (pgSettings), and PostgreSQL's row-level security policies
 * (rls-policies.ts) decide relationship, consent and override on every row it reads. The policies
 * are created at start, checked against cases that must read nothing, and dropped on exit.
 *
 *   DATABASE_URL=… PORT=… STATS_PORT=… [BENCH_AUDIT=1 BENCH_AUDIT_ORG=…] [BENCH_RLS=1 BENCH_TOKENS=…]
 *     tsx bench/servers/postgraphile.ts
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { isPurpose, PURPOSE_HEADER } from '../../src/access/purposes';
import { mayStatePurpose } from '../../src/access/role-purposes';
import type { Role } from '../../src/access/roles';
import { loadDevIssuer } from '../../src/auth/dev-issuer';
import { trustRegistry } from '../../src/auth/trust-registry';
import { createTokenVerifier } from '../../src/auth/verify-token';
import { referenceAudit } from './reference-audit';
import { RLS_ROLE, RLS_SETTINGS, selfCheckRls, setupRls, teardownRls, upnOfAnotherSchoolsPupil } from './rls-policies';
import { serveStats } from './stats';

let statements = 0;
const query = pg.Client.prototype.query;
if (process.env.BENCH_COUNT_SQL) {
  pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
    statements++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
}

const databaseUrl = process.env.DATABASE_URL!;
const rls = Boolean(process.env.BENCH_RLS);
const AUDIENCE = 'early-help-hub';
const wanted = JSON.parse(process.env.BENCH_TOKENS ?? '[]') as {
  role: Role;
  org: string;
  sub: string;
  clientId?: string;
}[];
const issuer = await loadDevIssuer(null, 'urn:early-help-hub:bench');
const tokens = rls
  ? await Promise.all(wanted.map((c) => issuer.sign({ ...c, audience: AUDIENCE, expiresIn: '2h' })))
  : [];
const verifyToken = createTokenVerifier({ registry: trustRegistry([issuer.trusted]), audience: AUDIENCE });
let policiesUp = false;
async function dropPolicies(): Promise<void> {
  if (policiesUp) await teardownRls(databaseUrl);
  policiesUp = false;
}
if (rls) {
  const caller = wanted[0];
  if (!caller) throw new Error('BENCH_RLS needs the caller in BENCH_TOKENS');
  policiesUp = true;
  await setupRls(databaseUrl);
  await selfCheckRls(databaseUrl, caller.org, caller.role).catch(async (error: unknown) => {
    await dropPolicies();
    throw error;
  });
}

/** The request's caller and purpose as the policies read them; a refusal is an error before any SQL. */
async function rlsSettings(req: IncomingMessage | undefined): Promise<Record<string, string>> {
  const [scheme, token] = (req?.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) throw new Error('a bearer token is required');
  const caller = await verifyToken(token);
  const purpose = req?.headers[PURPOSE_HEADER];
  if (!isPurpose(purpose) || !mayStatePurpose(caller.role, purpose))
    throw new Error(`${PURPOSE_HEADER}: state a purpose your role may state`);
  return {
    role: RLS_ROLE,
    [RLS_SETTINGS.organisation]: caller.organisationId,
    [RLS_SETTINGS.role]: caller.role,
    [RLS_SETTINGS.purpose]: purpose,
  };
}

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: databaseUrl,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.BENCH_POOL ?? 10) },
    } as never),
  ],
  grafast: {
    explain: false,
    ...(rls
      ? {
          context: async (ctx: { node?: { req?: IncomingMessage } }) => ({
            pgSettings: await rlsSettings(ctx.node?.req),
          }),
        }
      : {}),
  },
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
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT), '127.0.0.1', resolve));
if (rls) await lookupOfAnotherSchoolsPupilIsEmpty(wanted[0]!.org, tokens[0]!);
process.send?.({ ready: true, tokens });
serveStats(() => statements);
// Exit normally on SIGTERM so --cpu-prof (BENCH_CPU_PROF) writes its profile; the policies go first.
process.on('SIGTERM', () => {
  dropPolicies().finally(() => process.exit(0));
});

/**
 * Through the GraphQL front door with the school's own token: a pupil on another school's roll
 * only reads as nothing (the harness checks the school's own pupils read in full).
 */
async function lookupOfAnotherSchoolsPupilIsEmpty(organisationId: string, token: string): Promise<void> {
  const upn = await upnOfAnotherSchoolsPupil(databaseUrl, organisationId);
  const res = await fetch(`http://127.0.0.1:${process.env.PORT}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      [PURPOSE_HEADER]: 'direct_support',
    },
    body: JSON.stringify({
      query: 'query ($upn: String!) { allChildren(condition: { upn: $upn }) { nodes { rowId } } }',
      variables: { upn },
    }),
  });
  const json = (await res.json()) as { data?: { allChildren?: { nodes?: unknown[] } } };
  if (json.data?.allChildren?.nodes?.length !== 0) {
    await dropPolicies();
    throw new Error(`self-check: another school's pupil read as ${JSON.stringify(json)}`);
  }
}
