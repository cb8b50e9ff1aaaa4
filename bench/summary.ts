/** The Markdown summary of one bench run: the side-by-side ratios first, then every scenario. */
import type { Measured } from './rounds';

interface Run {
  label: string;
  at: string;
  machine: Record<string, unknown>;
  data: Record<string, unknown>;
  settings: { seconds: number; connections: number; rate: number; rounds: number };
  results: Record<string, Measured | unknown>;
  ratiosPerRound?: {
    hubOverPostgraphile: number[];
    hubOverRaw: number[];
    hubOverPostgraphileAudited?: number[];
    hubOverRawAudited?: number[];
    hubOverPostgraphileSameWork?: number[];
  };
}

const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : 'n/a');
/** A server whose sampled responses carried errors is not answering the read: no ratio against it. */
const valid = (m: Measured | undefined) => (m && m.badInSample === 0 ? m : undefined);

const databaseCpu = (m: Measured | undefined) => m?.max.databaseCpuSecondsPer1000Requests ?? undefined;
const totalCpu = (m: Measured | undefined) =>
  m && databaseCpu(m) !== undefined ? m.max.cpuSecondsPer1000Requests + databaseCpu(m)! : undefined;

export function summaryMarkdown(run: Run): string {
  const r = run.results as Record<string, Measured>;
  const hub = r['school.hub'];
  const pgl = valid(r['school.postgraphile']);
  const raw = valid(r['school.raw']);
  const pglAudited = valid(r['school.postgraphile-audited']);
  const rawAudited = valid(r['school.raw-audited']);
  const pglSameWork = valid(r['school.postgraphile-rls']);
  const perRound = (values: number[] | undefined) =>
    values && run.settings.rounds > 1 ? ` (rounds ${values.join(', ')})` : '';
  const lines = [
    `# Bench ${run.label} — ${run.at}`,
    '',
    `Machine: ${JSON.stringify(run.machine)}`,
    `Data: ${JSON.stringify(run.data)}`,
    `Settings: ${run.settings.seconds} s per measurement, ${run.settings.connections} connections (max); fixed-rate runs at a constant ${run.settings.rate} req/s; ${run.settings.rounds} round(s), every number the median over rounds (errors summed).`,
    '',
  ];
  if (hub) {
    lines.push(
      '## School lookup side by side (headline: ratios)',
      '',
      `- throughput hub ÷ PostGraphile: **${ratio(hub.max.throughputPerSecond, pgl?.max.throughputPerSecond)}** (target ≥ 0.8; stretch ≥ 1)`,
      `- throughput hub ÷ raw SQL: **${ratio(hub.max.throughputPerSecond, raw?.max.throughputPerSecond)}** (no target: raw SQL writes no audit)`,
      ...(run.ratiosPerRound && run.settings.rounds > 1
        ? [
            `- per round: hub ÷ PostGraphile ${run.ratiosPerRound.hubOverPostgraphile.join(', ')}; hub ÷ raw ${run.ratiosPerRound.hubOverRaw.join(', ')}`,
          ]
        : []),
      `- CPU per request hub ÷ PostGraphile: ${ratio(hub.max.cpuSecondsPer1000Requests, pgl?.max.cpuSecondsPer1000Requests)}; hub ÷ raw: ${ratio(hub.max.cpuSecondsPer1000Requests, raw?.max.cpuSecondsPer1000Requests)}`,
      `- database CPU per request (the local PostgreSQL's processes) hub ÷ PostGraphile: ${ratio(databaseCpu(hub), databaseCpu(pgl))}; hub ÷ raw: ${ratio(databaseCpu(hub), databaseCpu(raw))}`,
      `- server + database CPU per request hub ÷ PostGraphile: ${ratio(totalCpu(hub), totalCpu(pgl))}; hub ÷ raw: ${ratio(totalCpu(hub), totalCpu(raw))}`,
      `- hub p99 at ${run.settings.rate} req/s: ${hub.atRate.latencyMs.p99} ms (target < 25 ms)`,
      ...(valid(r['school.hub-node22'])
        ? [
            `- on Node 22 like PostGraphile: throughput hub ÷ PostGraphile ${ratio(r['school.hub-node22']!.max.throughputPerSecond, pgl?.max.throughputPerSecond)}, CPU per request ${ratio(r['school.hub-node22']!.max.cpuSecondsPer1000Requests, pgl?.max.cpuSecondsPer1000Requests)}`,
          ]
        : []),
      ...(valid(r['school.hub-apollo'])
        ? [
            `- the same registered lookup through Apollo's pipeline (no trusted-operations path): throughput trusted ÷ Apollo ${ratio(hub.max.throughputPerSecond, r['school.hub-apollo']!.max.throughputPerSecond)}, CPU per request ${ratio(hub.max.cpuSecondsPer1000Requests, r['school.hub-apollo']!.max.cpuSecondsPer1000Requests)}; Apollo ÷ PostGraphile ${ratio(r['school.hub-apollo']!.max.throughputPerSecond, pgl?.max.throughputPerSecond)}`,
          ]
        : []),
      ...(pglAudited || rawAudited
        ? [
            `- against the same references keeping the hub's audit rule (its row committed before each answer; no other check): throughput hub ÷ PostGraphile with audit **${ratio(hub.max.throughputPerSecond, pglAudited?.max.throughputPerSecond)}**${perRound(run.ratiosPerRound?.hubOverPostgraphileAudited)} (target ≥ 1.3), hub ÷ raw with audit **${ratio(hub.max.throughputPerSecond, rawAudited?.max.throughputPerSecond)}**${perRound(run.ratiosPerRound?.hubOverRawAudited)} (target ≥ 0.6)`,
            `- what the audit costs the references: PostGraphile with ÷ without ${ratio(pglAudited?.max.throughputPerSecond, pgl?.max.throughputPerSecond)}, raw with ÷ without ${ratio(rawAudited?.max.throughputPerSecond, raw?.max.throughputPerSecond)}`,
          ]
        : []),
      ...(pglSameWork
        ? [
            `- against PostGraphile doing the same work (row-level security policies for relationship, consent and override, the caller's token and purpose, and the audit): throughput hub ÷ PostGraphile same work **${ratio(hub.max.throughputPerSecond, pglSameWork.max.throughputPerSecond)}**${perRound(run.ratiosPerRound?.hubOverPostgraphileSameWork)} (target ≥ 2); CPU per request ${ratio(hub.max.cpuSecondsPer1000Requests, pglSameWork.max.cpuSecondsPer1000Requests)}, database CPU per request ${ratio(databaseCpu(hub), databaseCpu(pglSameWork))}`,
            `- what the policies cost PostGraphile with the audit: with ÷ without ${ratio(pglSameWork.max.throughputPerSecond, pglAudited?.max.throughputPerSecond)}`,
          ]
        : []),
      ...(r['school.hub-serial-audit']
        ? [
            `- audit group commit: throughput with ÷ without (one append per request): ${ratio(hub.max.throughputPerSecond, r['school.hub-serial-audit'].max.throughputPerSecond)}`,
          ]
        : []),
      '',
    );
  }
  lines.push(
    '| scenario | mode | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | bad in sample | SQL stmts/req | server CPU s / 1000 req | database CPU s / 1000 req |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const [name, m] of Object.entries(r)) {
    if (!m || typeof m !== 'object' || !('max' in m)) continue;
    for (const [mode, x] of [
      ['max', m.max],
      [`${run.settings.rate}/s`, m.atRate],
    ] as const) {
      lines.push(
        `| ${name} | ${mode} | ${x.throughputPerSecond} | ${x.latencyMs.p50} | ${x.latencyMs.p95} | ${x.latencyMs.p99} | ${x.errors} | ${x.non2xx} | ${m.badInSample} | ${x.statementsPerRequest} | ${x.cpuSecondsPer1000Requests} | ${x.databaseCpuSecondsPer1000Requests ?? 'n/a'} |`,
      );
    }
  }
  if (run.results.subscriptions)
    lines.push(
      '',
      `Subscriptions (bench/subscriptions.ts, 50 dashboards, 200 events): \`${JSON.stringify(run.results.subscriptions)}\``,
    );
  const hostile = run.results.hostile as
    | {
        worstRefusal: { document: string; cpuMsPerKb: number };
        fairness: { idleP99Ms: number; floodP99Ms: number; ratio: number; attackerDocument: string };
      }
    | undefined;
  if (hostile) {
    lines.push(
      '',
      `Hostile documents (bench/hostile.ts): worst refusal ${hostile.worstRefusal.cpuMsPerKb} ms CPU per KB beyond the smallest refusal (${hostile.worstRefusal.document}); ` +
        `another caller's p99 ${hostile.fairness.idleP99Ms} ms idle, ${hostile.fairness.floodP99Ms} ms while one caller floods ${hostile.fairness.attackerDocument} at its rate limit (${hostile.fairness.ratio}×, target ≤ 2×).`,
    );
  }
  return `${lines.join('\n')}\n`;
}
