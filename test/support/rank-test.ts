/**
 * Mann–Whitney U (Wilcoxon rank-sum) for two independent samples: are timings of one kind of
 * request distinguishable from another's? Ranks, not means, so a few slow outliers (a GC pause,
 * a busy neighbour) cannot decide. Normal approximation with tie correction and continuity
 * correction, good for the hundreds of samples the timing tests take.
 */
export interface RankTest {
  /** U of the first sample. */
  u: number;
  /** P(a random timing of `a` > one of `b`) + half the ties: 0.5 when indistinguishable. */
  auc: number;
  /** Two-sided p-value of "same distribution". */
  p: number;
}

export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitney needs two non-empty samples');
  const all = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))].sort((x, y) => x.v - y.v);
  const n = all.length;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j + 2) / 2;
    const size = j - i + 1;
    tieTerm += size ** 3 - size;
    for (let k = i; k <= j; k++) if (all[k]!.first) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const z = variance > 0 ? Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance) : 0;
  return { u, auc: u / (n1 * n2), p: Math.min(1, 2 * (1 - normalCdf(z))) };
}

/** Φ(z), by the Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** What a timing comparison must show before it counts as a side door. */
export interface TimingMargins {
  /** Two-sided p below which the difference is not chance (default 0.001). */
  readonly alpha?: number;
  /** |AUC − 0.5| from which the difference is large enough to act on (default 0.2: AUC outside 0.3–0.7). */
  readonly effect?: number;
}

export interface TimingVerdict extends RankTest {
  /** Significant and large: one kind of request is reliably faster than the other. */
  readonly toldApart: boolean;
}

/**
 * Told apart only when the difference is both significant and large. With hundreds of samples a
 * rank test finds a 5% difference that no caller could use across a network (a row in a warmer
 * cache page, a GC landing on one side), and CI would fail on it; a refusal that skips a
 * statement is 1.5–2× faster, AUC beyond 0.85, and fails either way.
 */
export function timingVerdict(
  a: readonly number[],
  b: readonly number[],
  { alpha = 0.001, effect = 0.2 }: TimingMargins = {},
): TimingVerdict {
  const r = mannWhitney(a, b);
  return { ...r, toldApart: r.p < alpha && Math.abs(r.auc - 0.5) >= effect };
}
