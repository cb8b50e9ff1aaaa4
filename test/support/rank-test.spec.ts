import { describe, expect, it } from 'vitest';
import { mannWhitney, normalCdf, timingVerdict } from './rank-test';

describe('Mann–Whitney U', () => {
  it('matches a textbook example (U and the normal approximation)', () => {
    // Two samples with U = 3 for the first (every pair but three has b above a).
    const a = [1, 2, 3, 4, 5, 9];
    const b = [6, 7, 8, 10, 11, 12];
    const r = mannWhitney(a, b);
    expect(r.u).toBe(3);
    expect(r.auc).toBeCloseTo(3 / 36, 10);
    // z = (|3 − 18| − 0.5) / sqrt(36·13/12) = 14.5 / 6.245 = 2.3219 → p ≈ 0.0202
    expect(r.p).toBeCloseTo(0.0202, 3);
  });

  it('gives p = 1 and AUC 0.5 for identical samples, ties included', () => {
    const r = mannWhitney([5, 5, 5, 6], [5, 5, 5, 6]);
    expect(r.auc).toBe(0.5);
    expect(r.p).toBeCloseTo(1, 6);
  });

  it('separates two clearly different distributions and not two draws of one', () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const same1 = Array.from({ length: 300 }, () => 1 + rand());
    const same2 = Array.from({ length: 300 }, () => 1 + rand());
    const slower = Array.from({ length: 300 }, () => 1.5 + rand());
    expect(mannWhitney(same1, same2).p).toBeGreaterThan(0.001);
    expect(mannWhitney(same1, slower).p).toBeLessThan(1e-6);
    expect(mannWhitney(same1, slower).auc).toBeLessThan(0.35);
  });

  it('tells apart a path 1.5× slower under realistic noise, and not one 5% slower', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    // Request times: a floor, spread, and an occasional long tail (a GC pause, a busy neighbour).
    const timing = (floor: number) => floor * (1 + 0.3 * rand()) + (rand() < 0.05 ? 20 * rand() : 0);
    const base = Array.from({ length: 200 }, () => timing(6));
    const skipsAStatement = Array.from({ length: 200 }, () => timing(4));
    const slightlyWarmer = Array.from({ length: 200 }, () => timing(6.3));
    expect(timingVerdict(base, skipsAStatement).toldApart).toBe(true);
    expect(timingVerdict(skipsAStatement, base).toldApart).toBe(true);
    const small = timingVerdict(base, slightlyWarmer);
    expect(small.p).toBeLessThan(0.05); // detectable, but not a side door
    expect(small.toldApart).toBe(false);
  });

  it('has a standard normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 5);
  });
});
