/**
 * The floor: a minimal postgres.js HTTP handler doing the school lookup's reads in one prepared
 * statement (child by UPN → open EHA → lead practitioner and organisation → the school's actions
 * of the current plan). No GraphQL, no auth, no consent, no audit — or, with BENCH_AUDIT=1, the
 * hub's audit row committed before each answer (reference-audit.ts).
 *
 *   DATABASE_URL=… PORT=… STATS_PORT=… [BENCH_AUDIT=1 BENCH_AUDIT_ORG=…] tsx bench/servers/raw.ts   (POST / {"upn","org"})
 */
import { createServer } from 'node:http';
import postgres from 'postgres';
import { postgresSocket } from '../../src/db/database';
import { referenceAudit } from './reference-audit';
import { serveStats } from './stats';

let statements = 0;
const { url, path } = postgresSocket(process.env.DATABASE_URL!);
const sql = postgres(url, {
  max: Number(process.env.BENCH_POOL ?? 10),
  path,
  prepare: true,
  onnotice: () => {},
  ...(process.env.BENCH_COUNT_SQL
    ? {
        debug: () => {
          statements++;
        },
      }
    : {}),
});

const audit = await referenceAudit(
  process.env.BENCH_COUNT_SQL
    ? () => {
        statements++;
      }
    : undefined,
);

async function lookup(upn: string, org: string): Promise<{ id: string } | null> {
  const [row] = await sql<{ id: string }[]>`
    select c.id, c.given_name, c.family_name, c.date_of_birth, c.upn,
      e.id as eha_id, e.status, e.next_review_due,
      p.display_name as lead_name, p.email as lead_email, p.phone as lead_phone, o.name as lead_organisation,
      (select coalesce(json_agg(json_build_object('description', a.description, 'dueDate', a.due_date, 'status', a.status) order by a.position), '[]')
         from action_plans ap join plan_actions a on a.plan_id = ap.id
        where ap.eha_id = e.id and a.owning_organisation_id = ${org}
          and ap.revision = (select max(revision) from action_plans where eha_id = e.id)) as actions
    from children c
    left join ehas e on e.child_id = c.id and e.status <> 'closed'
    left join practitioners p on p.id = e.lead_practitioner_id
    left join organisations o on o.id = p.organisation_id
    where c.upn = ${upn} and c.merged_into is null`;
  return row ?? null;
}

createServer((req, res) => {
  let body = '';
  req.on('data', (d) => {
    body += d;
  });
  req.on('end', async () => {
    try {
      const { upn, org } = JSON.parse(body) as { upn: string; org: string };
      const data = await lookup(upn, org);
      await audit?.lookupAnswered(data?.id);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data }));
    } catch {
      res.statusCode = 500;
      res.end('{"error":"lookup failed"}');
    }
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ ready: true }));
serveStats(() => statements);
// Exit normally on SIGTERM so --cpu-prof (BENCH_CPU_PROF) writes its profile.
process.on('SIGTERM', () => process.exit(0));
