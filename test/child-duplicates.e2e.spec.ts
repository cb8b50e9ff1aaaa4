/**
 * Duplicate prevention: concurrent registrations of one new NHS number leave exactly
 * one record — the partial unique index decides, the losers get the winner's record (or, once it
 * has committed, are offered it as a probable match: a caller's number is an untraced lead). On Postgres
 * the requests also go through two hub instances sharing the database, as in production.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children } from '../schema';
import { openDatabase } from '../src/db';
import { syntheticNhsNumber, syntheticUpn } from '../seeds/synthetic';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const REGISTER = `mutation ($input: RegisterChildInput!) {
  registerChild(input: $input) { outcome childId matchedOn candidates { childId } }
}`;

describe('concurrent registrations of one child', () => {
  let first: TestHub;
  let second: TestHub | null = null;
  let tokens: { hub: TestHub; token: string }[] = [];

  beforeAll(async () => {
    first = await startTestHub();
    const council = await fixture(first.database.db).org('council', 'council_early_help');
    tokens = [{ hub: first, token: await first.token({ role: 'eh_das_screener', org: council }) }];
    if (first.database.url) {
      const shared = await openDatabase({ url: first.database.url, maxConnections: 10 });
      second = await startTestHub({ database: { ...shared, url: first.database.url, destroy: () => shared.close() } });
      tokens.push({ hub: second, token: await second.token({ role: 'eh_das_screener', org: council }) });
    }
  });
  afterAll(async () => {
    if (second) {
      await second.close();
      await second.database.destroy();
    }
    await first.close();
  });

  async function registerAll(n: number, input: Record<string, unknown>) {
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const { hub, token } = tokens[i % tokens.length]!;
        return hub.post(token, REGISTER, { input });
      }),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    return results.map(
      (r) =>
        r.data.registerChild as {
          outcome: string;
          childId: string | null;
          matchedOn: string | null;
          candidates: { childId: string }[];
        },
    );
  }

  // A caller's number is an untraced lead: a registration that finds the winner's record already
  // committed is offered it as a probable match; one that loses the race for the index gets it.
  it.each([2, 10])('%i at once with a new NHS number create exactly one record', async (n) => {
    const nhsNumber = syntheticNhsNumber(880_000 + n);
    const outcomes = await registerAll(n, {
      givenName: n === 2 ? 'Kian' : 'Milo',
      familyName: 'Oakhurst',
      dateOfBirth: '2014-02-02',
      postcode: 'LE5 3AB',
      nhsNumber,
    });
    const rows = await first.database.db.select().from(children).where(eq(children.nhsNumber, nhsNumber));
    expect(rows).toHaveLength(1);
    const id = rows[0]!.id;
    expect(outcomes.filter((o) => o.outcome === 'CREATED').map((o) => o.childId)).toEqual([id]);
    for (const o of outcomes.filter((o) => o.outcome !== 'CREATED')) {
      // The race's loser re-reads the winner by number; one that reads it during the scoring is linked by it.
      if (o.outcome === 'MATCHED') expect(o.matchedOn === 'NHS_NUMBER' || o.matchedOn === 'PROBABILISTIC').toBe(true);
      if (o.outcome === 'MATCHED') expect(o.childId).toBe(id);
      else expect(o).toMatchObject({ outcome: 'PROBABLE_MATCH', childId: null, candidates: [{ childId: id }] });
    }
  });

  it('10 at once with a new UPN and no NHS number create exactly one record', async () => {
    const upn = syntheticUpn(4321, 17, 99);
    const outcomes = await registerAll(10, {
      givenName: 'Lumi',
      familyName: 'Rowanby',
      dateOfBirth: '2013-07-07',
      postcode: 'LE3 1CD',
      upn,
    });
    const rows = await first.database.db.select().from(children).where(eq(children.upn, upn));
    expect(rows).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.childId))).toEqual(new Set([rows[0]!.id]));
  });

  it('runs across two hub instances on Postgres', () => {
    expect(tokens).toHaveLength(first.database.url ? 2 : 1);
  });
});
