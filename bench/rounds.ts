/**
 * Rounds: the side-by-side servers run in turn, several times, and each number reported is the
 * median over the rounds. On a shared 2-core machine the speed of the whole box swings by a third
 * within minutes; one pass per server let a slow minute land on one server only and move the
 * ratio with it. Per-round ratios are kept so the spread is visible.
 */
import type { LoadResult } from './load';

export interface Measured {
  badInSample: number;
  max: LoadResult;
  atRate: LoadResult;
}
export type RoundResults = Record<string, Measured>;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round(((sorted[mid - 1]! + sorted[mid]!) / 2) * 100) / 100;
};

function medianLoad(results: LoadResult[]): LoadResult {
  const of = (pick: (r: LoadResult) => number) => median(results.map(pick));
  return {
    requests: of((r) => r.requests),
    throughputPerSecond: of((r) => r.throughputPerSecond),
    latencyMs: {
      p50: of((r) => r.latencyMs.p50),
      p95: of((r) => r.latencyMs.p95),
      p99: of((r) => r.latencyMs.p99),
      max: of((r) => r.latencyMs.max),
    },
    // Errors are summed, not averaged away: one failed request in any round shows.
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    statementsPerRequest: of((r) => r.statementsPerRequest),
    cpuSecondsPer1000Requests: of((r) => r.cpuSecondsPer1000Requests),
    databaseCpuSecondsPer1000Requests: results.every((r) => r.databaseCpuSecondsPer1000Requests != null)
      ? of((r) => r.databaseCpuSecondsPer1000Requests!)
      : null,
  };
}

/** Per scenario, the median of each number over the rounds that measured it. */
export function medianOverRounds(rounds: RoundResults[]): RoundResults {
  const names = [...new Set(rounds.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(
    names.map((name) => {
      const runs = rounds.map((r) => r[name]).filter((m): m is Measured => m !== undefined);
      return [
        name,
        {
          badInSample: runs.reduce((n, m) => n + m.badInSample, 0),
          max: medianLoad(runs.map((m) => m.max)),
          atRate: medianLoad(runs.map((m) => m.atRate)),
        },
      ];
    }),
  );
}

/** `a ÷ b` of max throughput in each round that measured both. */
export function ratiosPerRound(rounds: RoundResults[], a: string, b: string): number[] {
  return rounds.flatMap((r) =>
    r[a] && r[b] && r[b].badInSample === 0
      ? [Math.round((r[a].max.throughputPerSecond / r[b].max.throughputPerSecond) * 100) / 100]
      : [],
  );
}
