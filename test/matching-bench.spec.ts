/**
 * The matching benchmark, small and seeded (the full run is `npm run bench:matching`): 2,000
 * children and 1,000 noisy re-registrations must meet the targets at the chosen thresholds.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, generate, scoreAll } from '../bench/matching-sim';
import { DEFAULT_THRESHOLDS } from '../src/matching/score';

describe('probabilistic matching on a seeded synthetic city', () => {
  const population = generate(7, 2_000, 1_000);
  const { scored } = scoreAll(population);
  const figures = evaluate(scored, DEFAULT_THRESHOLDS);

  it('is deterministic for a seed', () => {
    const again = generate(7, 2_000, 1_000);
    expect(again.queries.map((q) => q.person)).toEqual(population.queries.map((q) => q.person));
    expect(evaluate(scoreAll(again).scored, DEFAULT_THRESHOLDS)).toEqual(figures);
  });

  it('covers every kind of noise, and twins', () => {
    const noise = new Set(population.queries.flatMap((q) => q.noise));
    for (const kind of [
      'exact',
      'nickname',
      'given_typo',
      'family_typo',
      'hyphenated',
      'moved',
      'swapped_date',
      'date_typo',
      'no_postcode',
      'no_sex',
      'names_swapped',
      'twin',
      'new_child',
    ])
      expect(noise).toContain(kind);
    expect(figures.twins).toBeGreaterThan(10);
  });

  it('meets the targets: auto-link precision ≥ 0.995, recall ≥ 0.95, no twins merged', () => {
    expect(figures.precisionAuto).toBeGreaterThanOrEqual(0.995);
    expect(figures.recall).toBeGreaterThanOrEqual(0.95);
    expect(figures.twinsMerged).toBe(0);
    expect(figures.autoLinks).toBeGreaterThan(0);
  });

  it('scores a match well within the time budget', () => {
    const mean = scored.reduce((sum, s) => sum + s.micros, 0) / scored.length / 1000;
    expect(mean).toBeLessThan(5);
  });
});
