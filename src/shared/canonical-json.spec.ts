import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

/** The definition, written plainly: the fast version must give exactly this text. */
function reference(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function generator(seed: number) {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const keys = ['a', 'b', 'Z', 'é', 'a b', '"q"', '10', '2', 'childId', 'category'];
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.35) {
      const leaf = [
        null,
        undefined,
        true,
        false,
        0,
        -1.5,
        1e21,
        Number.NaN,
        '',
        'text',
        'line\nbreak',
        '"quoted"',
        'ü\u2028',
        new Date(Date.UTC(2026, 10, 26, 9, 30)),
      ];
      return leaf[Math.floor(next() * leaf.length)];
    }
    if (r < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(next() * 5) }, () => [keys[Math.floor(next() * keys.length)]!, value(depth + 1)]),
    );
  };
  return value;
}

describe('canonicalJson', () => {
  it('gives exactly the reference text for 2,000 generated values', () => {
    const value = generator(20261126);
    for (let i = 0; i < 2000; i++) {
      const v = value(0);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('sorts keys at every depth, drops undefined members, keeps null, writes dates as ISO strings', () => {
    expect(canonicalJson({ b: [{ d: 1, c: undefined, a: null }], a: new Date('2026-11-26T09:00:00Z') })).toBe(
      '{"a":"2026-11-26T09:00:00.000Z","b":[{"a":null,"d":1}]}',
    );
    expect(canonicalJson([undefined, () => 1])).toBe('[null,null]');
  });
});
