/**
 * `npm run bench`: the four front doors against a seeded city, and the school lookup side by side
 * with PostGraphile v5 and a raw postgres.js handler — same machine, same Postgres, same data, one
 * run; and with PostGraphile doing the same work (row-level security policies for the access
 * rule, and the audit: `same-work`). Servers run one at a time in child processes (so they never share the 2 cores with each
 * other); the load generator runs here.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ehh_bench_100k npm run -s bench -- \
 *     [--seconds 15] [--connections 10] [--rate 200] [--rounds 3] [--label 100k]
 *     [--only school,hub-apollo,hub-node22,audited-references,same-work,floor,health,dpo,subscriptions,serial-audit,hostile]
 *
 * Seed first: `createdb ehh_bench_100k && DATABASE_URL=… npm run seed -- --children 100000`.
 * Writes bench/results/<label>-<time>.json and bench/results/<label>-summary.md.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus, tmpdir, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { load } from './load';
import { loadConfig } from '../src/config/config';
import { postgresSocket } from '../src/db/database';
import { HEALTH_LEVELS } from '../src/feeds/health.service';
import { medianOverRounds, ratiosPerRound, type RoundResults } from './rounds';
import { teardownRls } from './servers/rls-policies';
import { summaryMarkdown } from './summary';

const USAGE = `usage: BENCH_DATABASE_URL=postgres://… npm run -s bench -- [options]
  Drives the hub's front doors (and PostGraphile, a raw handler) against a seeded PostgreSQL city.
  Seed first: createdb ehh_bench_100k && DATABASE_URL=… npm run seed -- --children 100000
  --seconds N       length of each measurement (default 15)
  --connections N   concurrent connections for the throughput runs (default 10)
  --rate N          requests per second for the latency runs (default 200)
  --rounds N        rounds, every server in turn; medians reported (default 3)
  --only a,b,…      school,hub-apollo,hub-node22,audited-references,same-work,floor,health,dpo,subscriptions,
                    serial-audit,hostile (default: all)
  --label NAME      results file name: bench/results/<label>-<time>.json (default bench)
  --help            this text`;

function cliOptions() {
  try {
    return parseArgs({
      options: {
        seconds: { type: 'string', default: '15' },
        connections: { type: 'string', default: '10' },
        rate: { type: 'string', default: '200' },
        rounds: { type: 'string', default: '3' },
        only: {
          type: 'string',
          default:
            'school,hub-apollo,hub-node22,audited-references,same-work,floor,health,dpo,subscriptions,serial-audit,hostile',
        },
        label: { type: 'string', default: 'bench' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`bench: ${(error as Error).message.split('\n')[0]}\n${USAGE}`);
    process.exit(2);
  }
}
const values = cliOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ehh_bench_100k';
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const RATE = Number(values.rate);
const ROUNDS = Number(values.rounds);
const ONLY = new Set(values.only!.split(','));
const PORT = 5900 + Math.floor(Math.random() * 50) * 2;
const STATS = `http://127.0.0.1:${PORT + 1}/`;
const HEALTH_TRUST_SUBJECT = 'svc-health-system';

const SCHOOL_QUERY = `query PupilOpenEha($upn: String!) { child(upn: $upn) { id givenName familyName dateOfBirth upn
  openEha { id status nextReviewDue leadPractitioner { name organisationName email phone } planActions { description dueDate status } } } }`;
const POSTGRAPHILE_QUERY = `query PupilOpenEha($upn: String!, $org: UUID!) { allChildren(condition: { upn: $upn }, first: 1) { nodes { rowId givenName familyName dateOfBirth upn
  ehasByChildId(first: 3) { nodes { rowId status nextReviewDue practitionerByLeadPractitionerId { displayName email phone organisationByOrganisationId { name } }
    actionPlansByEhaId(orderBy: REVISION_DESC, first: 1) { nodes { planActionsByPlanId(condition: { owningOrganisationId: $org }) { nodes { description dueDate status } } } } } } } } }`;
// The same lookup with row-level security: the policies give the school only its own actions, so no condition on them.
const POSTGRAPHILE_RLS_QUERY = `query PupilOpenEha($upn: String!) { allChildren(condition: { upn: $upn }, first: 1) { nodes { rowId givenName familyName dateOfBirth upn
  ehasByChildId(first: 3) { nodes { rowId status nextReviewDue practitionerByLeadPractitionerId { displayName email phone organisationByOrganisationId { name } }
    actionPlansByEhaId(orderBy: REVISION_DESC, first: 1) { nodes { planActionsByPlanId { nodes { description dueDate status } } } } } } } } }`;

const FLOOR_QUERY = 'query Me { me { role } }';
// The school MIS is an allow-listed service account, as deployed (README "Persisted operations"):
// its two operations are registered, so the hub answers them on its trusted-operations path.
const PERSISTED_OPERATIONS_FILE = join(mkdtempSync(join(tmpdir(), 'ehh-bench-')), 'persisted-operations.json');
writeFileSync(PERSISTED_OPERATIONS_FILE, JSON.stringify({ 'school-mis': [SCHOOL_QUERY, FLOOR_QUERY] }));

interface Server {
  proc: ChildProcess;
  tokens: string[];
}

async function start(
  script: string,
  tokens: unknown[] = [],
  env: Record<string, string> = {},
  execPath = process.execPath,
): Promise<Server> {
  const proc = fork(script, [], {
    execPath,
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: {
      ...process.env,
      DATABASE_URL: URL_,
      PORT: String(PORT),
      STATS_PORT: String(PORT + 1),
      BENCH_TOKENS: JSON.stringify(tokens),
      BENCH_PERSISTED_OPERATIONS_FILE: PERSISTED_OPERATIONS_FILE,
      NODE_ENV: 'production',
      GRAPHILE_ENV: 'production',
      // Production names its audit signing key: the one the seeder signed the history with.
      AUDIT_SIGNING_KEY_FILE: SEEDER_AUDIT_KEY,
      ...env,
    },
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
async function check(
  url: string,
  headers: Record<string, string>,
  bodies: string[],
  ok: (json: any) => boolean,
): Promise<number> {
  let bad = 0;
  for (const body of bodies) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const json: any = await res.json().catch(() => null);
    if (!res.ok || !json || json.errors || !ok(json)) bad++;
  }
  return bad;
}

interface Scenario {
  name: string;
  url: string;
  headers: (tokens: string[]) => Record<string, string>;
  /** A fresh body factory per pass (writes must not repeat a record id across passes). */
  body: () => (i: number) => string;
  samples: number[];
  ok: (json: any) => boolean;
}
interface ServerRun {
  script: string;
  tokens?: unknown[];
  env?: Record<string, string>;
  execPath?: string;
  scenarios: Scenario[];
}

/**
 * One round of a server. In its first round, a short counting pass before: SQL statements per
 * request, counted by the server (postgres.js `debug` makes every query capture a stack trace,
 * which would weigh on the measured numbers); the counts are kept in `counts` for later rounds.
 * Then the measured pass, counting off: warm-up, max throughput, constant rate.
 */
async function runServer(run: ServerRun, counts: Map<string, number>): Promise<RoundResults> {
  if (run.scenarios.some((sc) => !counts.has(sc.name))) {
    const counting = await start(run.script, run.tokens, { ...run.env, BENCH_COUNT_SQL: '1' }, run.execPath);
    try {
      for (const sc of run.scenarios) {
        const counted = await load({
          url: sc.url,
          headers: sc.headers(counting.tokens),
          body: sc.body(),
          seconds: 2,
          connections: CONNECTIONS,
          statsUrl: STATS,
        });
        counts.set(sc.name, counted.statementsPerRequest);
      }
    } finally {
      await stop(counting);
    }
  }
  const out: RoundResults = {};
  const server = await start(run.script, run.tokens, run.env, run.execPath);
  try {
    for (const sc of run.scenarios) {
      const headers = sc.headers(server.tokens);
      const body = sc.body();
      const bad = await check(sc.url, headers, sc.samples.map(body), sc.ok);
      await load({ url: sc.url, headers, body, seconds: 3, connections: CONNECTIONS, statsUrl: STATS }); // warm-up: JIT, pools, plans
      const max = await load({
        url: sc.url,
        headers,
        body,
        seconds: SECONDS,
        connections: CONNECTIONS,
        statsUrl: STATS,
      });
      const atRate = await load({
        url: sc.url,
        headers,
        body,
        seconds: SECONDS,
        connections: CONNECTIONS,
        rate: RATE,
        statsUrl: STATS,
      });
      max.statementsPerRequest = atRate.statementsPerRequest = counts.get(sc.name)!;
      out[sc.name] = { badInSample: bad, max, atRate };
    }
  } finally {
    await stop(server);
  }
  return out;
}

/** Scenarios that bring their own scratch database: `--only` these needs no seeded city. */
const SCRATCH_SCENARIOS = new Set(['subscriptions', 'hostile']);

async function scratchScenarios(results: Record<string, unknown>): Promise<void> {
  if (ONLY.has('subscriptions'))
    results.subscriptions = await scratchBench('subscriptions', [
      'bench/subscriptions.ts',
      '--dashboards',
      '50',
      '--events',
      '200',
    ]);
  if (ONLY.has('hostile'))
    results.hostile = await scratchBench('hostile', ['bench/hostile.ts', '--seconds', String(Math.max(SECONDS, 30))]);
}

function writeResults(out: Record<string, unknown>): void {
  mkdirSync('bench/results', { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(`bench/results/${values.label}-${stamp}.json`, JSON.stringify(out, null, 2));
  writeFileSync(`bench/results/${values.label}-summary.md`, summaryMarkdown(out as never));
  process.stdout.write(summaryMarkdown(out as never));
}

async function main(): Promise<void> {
  if ([...ONLY].every((s) => SCRATCH_SCENARIOS.has(s))) {
    const results: Record<string, unknown> = {};
    await scratchScenarios(results);
    writeResults({
      label: values.label,
      at: new Date().toISOString(),
      machine: {
        nproc: cpus().length,
        cpu: cpus()[0]?.model,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      data: {},
      settings: { seconds: SECONDS, connections: CONNECTIONS, rate: RATE, rounds: ROUNDS },
      results,
    });
    return;
  }
  const sql = harnessSql();
  // PostGraphile exposes a backward relation only over an indexed foreign key; ehas(child_id) has
  // only the partial "one open EHA" index, so the bench database gets a full one for it.
  await sql`create index if not exists bench_ehas_child_idx on ehas (child_id)`;
  // … and filters (`condition`) only on indexed columns: children.upn has only the partial unique index.
  await sql`create index if not exists bench_children_upn_idx on children (upn)`;
  const [school] = await sql<{ org: string }[]>`
    select i.organisation_id as org from involvements i join ehas e on e.child_id = i.child_id and e.status <> 'closed'
    where i.kind = 'on_roll' group by 1 order by count(*) desc limit 1`;
  const upns = (
    await sql<{ upn: string }[]>`
    select c.upn from involvements i join children c on c.id = i.child_id join ehas e on e.child_id = c.id and e.status <> 'closed'
    where i.kind = 'on_roll' and i.organisation_id = ${school!.org} and c.upn is not null order by c.upn`
  ).map((r) => r.upn);
  const nhsNumbers = (
    await sql<{ nhs: string }[]>`
    select c.nhs_number as nhs from involvements i join children c on c.id = i.child_id
    where i.kind = 'caseload' and i.organisation_id = (select id from organisations where external_code = 'RZZ') and c.nhs_number is not null
    order by c.id limit 2000`
  ).map((r) => r.nhs);
  const orgs = (await sql<{ id: string }[]>`select id from organisations where kind = 'school' order by id`).map(
    (r) => r.id,
  );
  const [counts] = await sql<{ children: number; audit: number; ehas: number }[]>`
    select (select count(*)::int from children) as children, (select count(*)::int from access_audit) as audit, (select count(*)::int from ehas where status <> 'closed') as ehas`;
  const [versions] = await sql<{ pg: string }[]>`select current_setting('server_version') as pg`;
  // A seed just before leaves gigabytes of dirty pages; the checkpoint that writes them out would
  // stall the hub's audit commits in the middle of a measurement. Write them now (superuser only).
  await sql`checkpoint`.catch(() =>
    process.stderr.write('checkpoint refused (not a superuser): a recent seed may still be flushing\n'),
  );
  await sql.end();
  const upnAt = (i: number) => upns[i % upns.length]!;
  const out: Record<string, unknown> = {
    label: values.label,
    at: new Date().toISOString(),
    machine: {
      nproc: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      postgres: versions!.pg,
    },
    data: { ...counts, schoolPupilsWithOpenEha: upns.length },
    settings: { seconds: SECONDS, connections: CONNECTIONS, rate: RATE, rounds: ROUNDS },
  };
  const rounds: RoundResults[] = [];
  const statementCounts = new Map<string, number>();

  const schoolBody = (i: number) => JSON.stringify({ query: SCHOOL_QUERY, variables: { upn: upnAt(i) } });
  const schoolOk = (j: any) => j.data?.child?.openEha?.status !== undefined;
  const hubTokens = async () => [
    { role: 'school_staff', org: school!.org, sub: 'mis-bench', clientId: 'school-mis' },
    { role: 'health_system', org: await orgOf('health-trust'), sub: HEALTH_TRUST_SUBJECT, clientId: 'health-system' },
    { role: 'dpo', org: await orgOf('council-early-help'), sub: 'demo-dpo' },
  ];
  const hubUrl = `http://127.0.0.1:${PORT}/graphql`;
  const levels = HEALTH_LEVELS;
  let healthPass = 0;
  const hubScenarios = (tag: string, only: Set<string>): Scenario[] => [
    ...(only.has('school')
      ? [
          {
            name: `school${tag}`,
            url: hubUrl,
            ok: schoolOk,
            samples: [0, 1, 2, 3, 4],
            headers: (tokens: string[]) => ({
              authorization: `Bearer ${tokens[0]}`,
              'x-purpose-of-use': 'direct_support',
            }),
            body: () => schoolBody,
          },
        ]
      : []),
    // The hub's fixed cost: an authenticated operation that reads no child and writes no audit.
    ...(only.has('floor')
      ? [
          {
            name: `floor${tag}`,
            url: hubUrl,
            ok: (j: any) => j.data?.me?.role === 'school_staff',
            samples: [0],
            headers: (tokens: string[]) => ({ authorization: `Bearer ${tokens[0]}` }),
            body: () => () => JSON.stringify({ query: FLOOR_QUERY }),
          },
        ]
      : []),
    ...(only.has('health')
      ? [
          {
            name: `health${tag}`,
            url: hubUrl,
            ok: () => true,
            samples: [1_000_000_001],
            headers: (tokens: string[]) => ({
              authorization: `Bearer ${tokens[1]}`,
              'x-purpose-of-use': 'direct_support',
            }),
            // A new record id on every request of every pass: a repeated id would take the idempotent-retry path.
            body: () => {
              const run = `${Date.now().toString(36)}-${healthPass++}`;
              return (i: number) =>
                JSON.stringify({
                  query:
                    'mutation Post($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { __typename } }',
                  variables: {
                    input: {
                      recordId: `bench-${run}-${i}`,
                      nhsNumber: nhsNumbers[i % nhsNumbers.length],
                      level: levels[i % 3],
                      effectiveDate: '2026-08-01',
                      contactType: 'school nurse drop-in',
                      summary: 'Synthetic contact',
                    },
                  },
                });
            },
          },
        ]
      : []),
    ...(only.has('dpo')
      ? [
          {
            name: `dpo${tag}`,
            url: hubUrl,
            ok: (j: any) => Array.isArray(j.data?.accessLog?.nodes),
            samples: [0, 1],
            headers: (tokens: string[]) => ({ authorization: `Bearer ${tokens[2]}`, 'x-purpose-of-use': 'audit' }),
            body: () => (i: number) =>
              JSON.stringify({
                query:
                  'query Log($org: ID!, $from: DateTime!, $to: DateTime!) { accessLog(organisationId: $org, from: $from, to: $to, first: 50) { nodes { seq childId operation } } }',
                variables: { org: orgs[i % orgs.length], from: '2026-06-01T00:00:00Z', to: '2026-09-01T00:00:00Z' },
              }),
          },
        ]
      : []),
  ];

  const auditedEnv = { BENCH_AUDIT: '1', BENCH_AUDIT_ORG: school!.org };
  const postgraphileRun = (tag: string, env: Record<string, string> = {}): ServerRun => ({
    script: 'bench/servers/postgraphile.ts',
    execPath: node22(),
    env,
    scenarios: [
      {
        name: `school.postgraphile${tag}`,
        url: hubUrl,
        headers: () => ({}),
        samples: [0, 1, 2],
        ok: (j: any) => j.data?.allChildren?.nodes?.[0]?.ehasByChildId?.nodes !== undefined,
        body: () => (i: number) =>
          JSON.stringify({ query: POSTGRAPHILE_QUERY, variables: { upn: upnAt(i), org: school!.org } }),
      },
    ],
  });
  // What a team would build instead of the hub: PostGraphile with row-level security policies for
  // the access rule (bench/servers/rls-policies.ts), the hub's token and purpose header, and the audit.
  const sameWorkRun: ServerRun = {
    script: 'bench/servers/postgraphile.ts',
    execPath: node22(),
    tokens: [{ role: 'school_staff', org: school!.org, sub: 'mis-bench', clientId: 'school-mis' }],
    env: { ...auditedEnv, BENCH_RLS: '1' },
    scenarios: [
      {
        name: 'school.postgraphile-rls',
        url: hubUrl,
        headers: (tokens: string[]) => ({ authorization: `Bearer ${tokens[0]}`, 'x-purpose-of-use': 'direct_support' }),
        samples: [0, 1, 2, 3, 4],
        // Every pupil sampled is consented: its open EHA must come through the policies.
        ok: (j: any) =>
          j.data?.allChildren?.nodes?.[0]?.ehasByChildId?.nodes?.some(
            (e: { status?: string }) => e.status !== undefined && e.status !== 'closed',
          ) === true,
        body: () => (i: number) => JSON.stringify({ query: POSTGRAPHILE_RLS_QUERY, variables: { upn: upnAt(i) } }),
      },
    ],
  };
  const rawRun = (tag: string, env: Record<string, string> = {}): ServerRun => ({
    script: 'bench/servers/raw.ts',
    env,
    scenarios: [
      {
        name: `school.raw${tag}`,
        url: `http://127.0.0.1:${PORT}/`,
        headers: () => ({}),
        samples: [0, 1, 2],
        ok: (j: any) => j.data?.eha_id !== undefined,
        body: () => (i: number) => JSON.stringify({ upn: upnAt(i), org: school!.org }),
      },
    ],
  });

  const servers: ServerRun[] = [
    { script: 'bench/servers/hub.ts', tokens: await hubTokens(), scenarios: hubScenarios('.hub', ONLY) },
    ...(ONLY.has('serial-audit')
      ? [
          {
            script: 'bench/servers/hub.ts',
            tokens: await hubTokens(),
            env: { BENCH_AUDIT_SERIAL: '1' },
            scenarios: hubScenarios('.hub-serial-audit', new Set([...ONLY].filter((s) => s !== 'floor'))),
          },
        ]
      : []),
    // The same registered school lookup through Apollo's pipeline: what the trusted-operations path saves.
    ...(ONLY.has('school') && ONLY.has('hub-apollo')
      ? [
          {
            script: 'bench/servers/hub.ts',
            tokens: await hubTokens(),
            env: { BENCH_APOLLO_ONLY: '1' },
            scenarios: hubScenarios('.hub-apollo', new Set(['school'])),
          },
        ]
      : []),
    // The same school lookup with the hub on PostGraphile's Node 22: how much of the gap is the runtime.
    ...(ONLY.has('school') && ONLY.has('hub-node22') && Number(process.versions.node.split('.')[0]) < 22
      ? [
          {
            script: 'bench/servers/hub.ts',
            tokens: await hubTokens(),
            execPath: node22(),
            scenarios: hubScenarios('.hub-node22', new Set(['school'])),
          },
        ]
      : []),
    ...(ONLY.has('school') ? [postgraphileRun(''), rawRun('')] : []),
    // The same two with the hub's audit rule (the hub's row committed before each answer): what
    // the design's audit costs a server that otherwise checks nothing.
    ...(ONLY.has('school') && ONLY.has('audited-references')
      ? [postgraphileRun('-audited', auditedEnv), rawRun('-audited', auditedEnv)]
      : []),
    // Runs alone too (`--only same-work`); its ratio needs the hub's `school`.
    ...(ONLY.has('same-work') ? [sameWorkRun] : []),
  ];
  // Every server in turn, ROUNDS times; the no-group-commit comparison only in the first round.
  for (let round = 1; round <= ROUNDS; round++) {
    const results: RoundResults = {};
    for (const server of servers) {
      if (server.scenarios.length === 0 || (round > 1 && server.env?.BENCH_AUDIT_SERIAL)) continue;
      Object.assign(results, await runServer(server, statementCounts));
      for (const scenario of server.scenarios) log(`round ${round} ${scenario.name}`, results[scenario.name]);
    }
    rounds.push(results);
  }
  // The server drops its policies on exit; a server killed before it could must not leave them behind.
  if (ONLY.has('same-work')) await teardownRls(URL_);
  const results: Record<string, unknown> = medianOverRounds(rounds);
  out.results = results;
  out.rounds = rounds;
  out.ratiosPerRound = {
    hubOverPostgraphile: ratiosPerRound(rounds, 'school.hub', 'school.postgraphile'),
    hubOverRaw: ratiosPerRound(rounds, 'school.hub', 'school.raw'),
    hubOverPostgraphileAudited: ratiosPerRound(rounds, 'school.hub', 'school.postgraphile-audited'),
    hubOverRawAudited: ratiosPerRound(rounds, 'school.hub', 'school.raw-audited'),
    hubOverPostgraphileSameWork: ratiosPerRound(rounds, 'school.hub', 'school.postgraphile-rls'),
  };

  await scratchScenarios(results);
  writeResults(out);
}

/** The key `npm run seed` used (outside production: the configured file, else the one beside the development keys). */
const SEEDER_AUDIT_KEY = (() => {
  const config = loadConfig({ ...process.env, NODE_ENV: 'development' });
  return resolve(config.AUDIT_SIGNING_KEY_FILE ?? join(config.DEV_KEYS_DIR, 'audit-ed25519.pem'));
})();

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
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', dir, `${pkg}@22`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return bin;
}

/** The harness's own one-connection client, on the same URL (TCP or socket) as the servers. */
function harnessSql() {
  const { url, path } = postgresSocket(URL_);
  return postgres(url, { max: 1, path, onnotice: () => {} });
}

async function orgOf(key: string): Promise<string> {
  const { orgId } = await import('../seeds/demo-city');
  return orgId(key);
}

/** A bench script on a scratch database of its own (it builds its own organisations and callers). */
async function scratchBench(label: string, args: string[]): Promise<unknown> {
  const admin = harnessSql();
  const name = `ehh_bench_${label}_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${name}`);
  const u = new URL(URL_);
  u.pathname = `/${name}`;
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', ...args], {
        env: { ...process.env, BENCH_DATABASE_URL: u.toString() },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      p.stdout.on('data', (d) => {
        text += d;
      });
      p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${label} bench exited ${code}`))));
    });
    const result = JSON.parse(stdout.slice(stdout.indexOf('{')));
    log(label, result);
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
