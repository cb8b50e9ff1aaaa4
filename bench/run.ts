/**
 * `npm run bench`: the four front doors against a seeded city, and the school lookup side by side
 * with PostGraphile v5 and a raw postgres.js handler — same machine, same Postgres, same data, one
 * run. Servers run one at a time in child processes (so they never share the 2 cores with each
 * other); the load generator runs here.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ehh_bench_100k npm run -s bench -- \
 *     [--seconds 15] [--connections 10] [--rate 200] [--only school,hub-node22,health,dpo,subscriptions,serial-audit] [--label 100k]
 *
 * Seed first: `createdb ehh_bench_100k && DATABASE_URL=… npm run seed -- --children 100000`.
 * Writes bench/results/<label>-<time>.json and bench/results/<label>-summary.md.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { load, type LoadResult } from './load';
import { postgresSocket } from '../src/db/database';
import { summaryMarkdown } from './summary';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    only: { type: 'string', default: 'school,hub-node22,health,dpo,subscriptions,serial-audit' },
    label: { type: 'string', default: 'bench' },
  },
});
const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ehh_bench_100k';
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const RATE = Number(values.rate);
const ONLY = new Set(values.only!.split(','));
const PORT = 5900 + Math.floor(Math.random() * 50) * 2;
const STATS = `http://127.0.0.1:${PORT + 1}/`;
const HEALTH_TRUST_SUBJECT = 'svc-health-system';

const SCHOOL_QUERY = `query PupilOpenEha($upn: String!) { child(upn: $upn) { id givenName familyName dateOfBirth upn
  openEha { id status nextReviewDue leadPractitioner { name organisationName email phone } planActions { description dueDate status } } } }`;
const POSTGRAPHILE_QUERY = `query PupilOpenEha($upn: String!, $org: UUID!) { allChildren(condition: { upn: $upn }, first: 1) { nodes { rowId givenName familyName dateOfBirth upn
  ehasByChildId(first: 3) { nodes { rowId status nextReviewDue practitionerByLeadPractitionerId { displayName email phone organisationByOrganisationId { name } }
    actionPlansByEhaId(orderBy: REVISION_DESC, first: 1) { nodes { planActionsByPlanId(condition: { owningOrganisationId: $org }) { nodes { description dueDate status } } } } } } } } }`;

interface Server { proc: ChildProcess; tokens: string[] }

async function start(script: string, tokens: unknown[] = [], env: Record<string, string> = {}, execPath = process.execPath): Promise<Server> {
  const proc = fork(script, [], {
    execPath,
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: { ...process.env, DATABASE_URL: URL_, PORT: String(PORT), STATS_PORT: String(PORT + 1), BENCH_TOKENS: JSON.stringify(tokens), GRAPHILE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ tokens?: string[] }>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as { tokens?: string[] }));
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  await new Promise((r) => setTimeout(r, 300));
  return { proc, tokens: ready.tokens ?? [] };
}

async function stop(server: Server): Promise<void> {
  const exited = new Promise((r) => server.proc.once('exit', r));
  server.proc.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  if (server.proc.exitCode === null) server.proc.kill('SIGKILL');
}

/** A few requests by fetch first: the body must carry the data and no errors, or the numbers mean nothing. */
async function check(url: string, headers: Record<string, string>, bodies: string[], ok: (json: any) => boolean): Promise<number> {
  let bad = 0;
  for (const body of bodies) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const json: any = await res.json().catch(() => null);
    if (!res.ok || !json || json.errors || !ok(json)) bad++;
  }
  return bad;
}

async function measure(url: string, headers: Record<string, string>, body: (i: number) => string): Promise<{ max: LoadResult; atRate: LoadResult }> {
  await load({ url, headers, body, seconds: 3, connections: CONNECTIONS, statsUrl: STATS }); // warm-up: JIT, pools, plans
  const max = await load({ url, headers, body, seconds: SECONDS, connections: CONNECTIONS, statsUrl: STATS });
  const atRate = await load({ url, headers, body, seconds: SECONDS, connections: CONNECTIONS, rate: RATE, statsUrl: STATS });
  return { max, atRate };
}

async function main(): Promise<void> {
  const sql = postgres(postgresSocket(URL_).url, { max: 1, path: postgresSocket(URL_).path, onnotice: () => {} });
  // PostGraphile exposes a backward relation only over an indexed foreign key; ehas(child_id) has
  // only the partial "one open EHA" index, so the bench database gets a full one for it.
  await sql`create index if not exists bench_ehas_child_idx on ehas (child_id)`;
  // … and filters (`condition`) only on indexed columns: children.upn has only the partial unique index.
  await sql`create index if not exists bench_children_upn_idx on children (upn)`;
  const [school] = await sql<{ org: string }[]>`
    select i.organisation_id as org from involvements i join ehas e on e.child_id = i.child_id and e.status <> 'closed'
    where i.kind = 'on_roll' group by 1 order by count(*) desc limit 1`;
  const upns = (await sql<{ upn: string }[]>`
    select c.upn from involvements i join children c on c.id = i.child_id join ehas e on e.child_id = c.id and e.status <> 'closed'
    where i.kind = 'on_roll' and i.organisation_id = ${school!.org} and c.upn is not null order by c.upn`).map((r) => r.upn);
  const nhsNumbers = (await sql<{ nhs: string }[]>`
    select c.nhs_number as nhs from involvements i join children c on c.id = i.child_id
    where i.kind = 'caseload' and i.organisation_id = (select id from organisations where external_code = 'RZZ') and c.nhs_number is not null
    order by c.id limit 2000`).map((r) => r.nhs);
  const orgs = (await sql<{ id: string }[]>`select id from organisations where kind = 'school' order by id`).map((r) => r.id);
  const [counts] = await sql<{ children: number; audit: number; ehas: number }[]>`
    select (select count(*)::int from children) as children, (select count(*)::int from access_audit) as audit, (select count(*)::int from ehas where status <> 'closed') as ehas`;
  const [versions] = await sql<{ pg: string }[]>`select current_setting('server_version') as pg`;
  await sql.end();
  const upnAt = (i: number) => upns[i % upns.length]!;
  const out: Record<string, unknown> = {
    label: values.label, at: new Date().toISOString(),
    machine: { nproc: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, postgres: versions!.pg },
    data: { ...counts, schoolPupilsWithOpenEha: upns.length },
    settings: { seconds: SECONDS, connections: CONNECTIONS, rate: RATE },
  };
  const results: Record<string, unknown> = {};
  out.results = results;

  for (const serial of ONLY.has('serial-audit') ? [false, true] : [false]) {
    if (!(ONLY.has('school') || ONLY.has('health') || ONLY.has('dpo'))) break;
    const tag = serial ? '.hub-serial-audit' : '.hub';
    const hub = await start('bench/servers/hub.ts', [
      { role: 'school_staff', org: school!.org, sub: 'mis-bench', clientId: 'school-mis' },
      { role: 'health_system', org: (await orgOf('health-trust')), sub: HEALTH_TRUST_SUBJECT, clientId: 'health-system' },
      { role: 'dpo', org: (await orgOf('council-early-help')), sub: 'demo-dpo' },
    ], serial ? { BENCH_AUDIT_SERIAL: '1' } : {});
    const url = `http://127.0.0.1:${PORT}/graphql`;
    const [schoolToken, healthToken, dpoToken] = hub.tokens;
    try {
      if (ONLY.has('school')) {
        const headers = { authorization: `Bearer ${schoolToken}`, 'x-purpose-of-use': 'direct_support' };
        const body = (i: number) => JSON.stringify({ query: SCHOOL_QUERY, variables: { upn: upnAt(i) } });
        const bad = await check(url, headers, [0, 1, 2, 3, 4].map(body), (j) => j.data?.child?.openEha?.status !== undefined);
        results['school' + tag] = { badInSample: bad, ...(await measure(url, headers, body)) };
        log('school' + tag, results['school' + tag]);
      }
      if (ONLY.has('health')) {
        const headers = { authorization: `Bearer ${healthToken}`, 'x-purpose-of-use': 'direct_support' };
        const run = Date.now().toString(36);
        const levels = ['UNIVERSAL', 'UNIVERSAL_PLUS', 'UNIVERSAL_PARTNERSHIP_PLUS'];
        const body = (i: number) => JSON.stringify({
          query: 'mutation Post($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { __typename } }',
          variables: { input: { recordId: `bench-${run}-${i}`, nhsNumber: nhsNumbers[i % nhsNumbers.length], level: levels[i % 3], effectiveDate: '2026-08-01', contactType: 'school nurse drop-in', summary: 'Synthetic contact' } },
        });
        const bad = await check(url, headers, [body(1_000_000_001)], () => true);
        results['health' + tag] = { badInSample: bad, ...(await measure(url, headers, body)) };
        log('health' + tag, results['health' + tag]);
      }
      if (ONLY.has('dpo')) {
        const headers = { authorization: `Bearer ${dpoToken}`, 'x-purpose-of-use': 'audit' };
        const body = (i: number) => JSON.stringify({
          query: 'query Log($org: ID!, $from: DateTime!, $to: DateTime!) { accessLog(organisationId: $org, from: $from, to: $to, first: 50) { nodes { seq childId operation } } }',
          variables: { org: orgs[i % orgs.length], from: '2026-06-01T00:00:00Z', to: '2026-09-01T00:00:00Z' },
        });
        const bad = await check(url, headers, [body(0), body(1)], (j) => Array.isArray(j.data?.accessLog?.nodes));
        results['dpo' + tag] = { badInSample: bad, ...(await measure(url, headers, body)) };
        log('dpo' + tag, results['dpo' + tag]);
      }
    } finally {
      await stop(hub);
    }
  }

  // The same school lookup with the hub on PostGraphile's Node 22: how much of the gap is the runtime.
  if (ONLY.has('school') && ONLY.has('hub-node22') && Number(process.versions.node.split('.')[0]) < 22) {
    const hub = await start('bench/servers/hub.ts', [{ role: 'school_staff', org: school!.org, sub: 'mis-bench', clientId: 'school-mis' }], {}, node22());
    try {
      const url = `http://127.0.0.1:${PORT}/graphql`;
      const headers = { authorization: `Bearer ${hub.tokens[0]}`, 'x-purpose-of-use': 'direct_support' };
      const body = (i: number) => JSON.stringify({ query: SCHOOL_QUERY, variables: { upn: upnAt(i) } });
      const bad = await check(url, headers, [0, 1, 2].map(body), (j) => j.data?.child?.openEha?.status !== undefined);
      results['school.hub-node22'] = { badInSample: bad, ...(await measure(url, headers, body)) };
      log('school.hub-node22', results['school.hub-node22']);
    } finally {
      await stop(hub);
    }
  }

  if (ONLY.has('school')) {
    const pgl = await start('bench/servers/postgraphile.ts', [], {}, node22());
    try {
      const url = `http://127.0.0.1:${PORT}/graphql`;
      const body = (i: number) => JSON.stringify({ query: POSTGRAPHILE_QUERY, variables: { upn: upnAt(i), org: school!.org } });
      const bad = await check(url, {}, [0, 1, 2].map(body), (j) => j.data?.allChildren?.nodes?.[0]?.ehasByChildId?.nodes !== undefined);
      results['school.postgraphile'] = { badInSample: bad, ...(await measure(url, {}, body)) };
      log('school.postgraphile', results['school.postgraphile']);
    } finally {
      await stop(pgl);
    }
    const raw = await start('bench/servers/raw.ts');
    try {
      const url = `http://127.0.0.1:${PORT}/`;
      const body = (i: number) => JSON.stringify({ upn: upnAt(i), org: school!.org });
      const bad = await check(url, {}, [0, 1, 2].map(body), (j) => j.data?.eha_id !== undefined);
      results['school.raw'] = { badInSample: bad, ...(await measure(url, {}, body)) };
      log('school.raw', results['school.raw']);
    } finally {
      await stop(raw);
    }
  }

  if (ONLY.has('subscriptions')) results.subscriptions = await subscriptionsBench();

  mkdirSync('bench/results', { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(`bench/results/${values.label}-${stamp}.json`, JSON.stringify(out, null, 2));
  writeFileSync(`bench/results/${values.label}-summary.md`, summaryMarkdown(out as never));
  process.stdout.write(summaryMarkdown(out as never));
}

/**
 * PostGraphile 5 needs Node ≥ 22 (on 20 every answer is an error). When this Node is older, the
 * PostGraphile server runs on Node 22 from the npm registry's platform package
 * (`node-<platform>-<arch>`), installed once under bench/.node22 (git-ignored), or on the
 * binary named by BENCH_NODE22. The hub and the raw handler stay on this Node (the hub once more
 * on Node 22 with `hub-node22`).
 */
function node22(): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  if (process.env.BENCH_NODE22) return process.env.BENCH_NODE22;
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = resolve('bench/.node22');
  const bin = join(dir, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    process.stderr.write(`installing ${pkg}@22 into bench/.node22 for PostGraphile …\n`);
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', dir, `${pkg}@22`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return bin;
}

async function orgOf(key: string): Promise<string> {
  const { orgId } = await import('../seeds/demo-city');
  return orgId(key);
}

/** bench/subscriptions.ts on a scratch database of its own (it builds its own schools and dashboards). */
async function subscriptionsBench(): Promise<unknown> {
  const admin = postgres(postgresSocket(URL_).url, { max: 1, path: postgresSocket(URL_).path, onnotice: () => {} });
  const name = `ehh_bench_subs_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${name}`);
  const u = new URL(URL_);
  u.pathname = `/${name}`;
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', 'bench/subscriptions.ts', '--dashboards', '50', '--events', '200'], { env: { ...process.env, BENCH_DATABASE_URL: u.toString() }, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      p.stdout.on('data', (d) => { text += d; });
      p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`subscriptions bench exited ${code}`))));
    });
    const result = JSON.parse(stdout.slice(stdout.indexOf('{')));
    log('subscriptions', result);
    return result;
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

function log(name: string, result: unknown): void {
  process.stderr.write(`${name}: ${JSON.stringify(result)}\n`);
}

await main();
