import { describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { AccessDecider } from './access-decider';
import type { ChildAccessFacts } from './access.repo';
import type { DataCategory } from './categories';

const AT = new Date('2026-11-26T09:00:00Z');
const SCHOOL = '00000000-0000-4000-8000-000000000001';
const CHILD = '00000000-0000-4000-8000-0000000000c1';
const consent = (over: Partial<ChildAccessFacts['consents'][number]> = {}) => ({
  id: 'consent-1',
  startsAt: new Date('2026-01-01T00:00:00Z'),
  categories: ['early_help'],
  purposes: ['direct_support'],
  organisationIds: [],
  organisationKinds: ['school'],
  ...over,
});

/** A school's decider that must never touch the database: every fact comes primed. */
function schoolDecider(kindRead: { count: number }) {
  const noDb = new Proxy(
    {},
    {
      get: () => {
        throw new Error('the database was consulted');
      },
    },
  ) as Db;
  return new AccessDecider({
    db: noDb,
    purpose: 'direct_support',
    clock: { now: () => AT },
    caller: { subject: 'mis', organisationId: SCHOOL, role: 'school_staff', clientId: 'school-mis', issuer: 'test' },
    organisationKind: async () => {
      kindRead.count++;
      return 'school';
    },
  });
}

describe('AccessDecider.decideNow: the same rule as decide, without waiting once the facts are read', () => {
  const cases: { name: string; facts: ChildAccessFacts; category: DataCategory }[] = [
    {
      name: 'identity on ISA basis',
      facts: { childId: CHILD, related: true, consents: [], overrides: [] },
      category: 'identity',
    },
    {
      name: 'early help by consent to the organisation kind',
      facts: { childId: CHILD, related: true, consents: [consent()], overrides: [] },
      category: 'early_help',
    },
    {
      name: 'early help without consent',
      facts: { childId: CHILD, related: true, consents: [], overrides: [] },
      category: 'early_help',
    },
    {
      name: 'early help by override',
      facts: {
        childId: CHILD,
        related: true,
        consents: [],
        overrides: [{ id: 'o-1', categories: ['early_help'], recipientOrganisationIds: [SCHOOL] }],
      },
      category: 'early_help',
    },
    {
      name: 'an override naming other recipients',
      facts: {
        childId: CHILD,
        related: true,
        consents: [],
        overrides: [{ id: 'o-2', categories: ['early_help'], recipientOrganisationIds: [CHILD] }],
      },
      category: 'early_help',
    },
    {
      name: 'consent for another purpose',
      facts: { childId: CHILD, related: true, consents: [consent({ purposes: ['audit'] })], overrides: [] },
      category: 'early_help',
    },
    {
      name: 'no relationship',
      facts: { childId: CHILD, related: false, consents: [consent()], overrides: [] },
      category: 'identity',
    },
    {
      name: 'a category the role may not read',
      facts: { childId: CHILD, related: true, consents: [], overrides: [] },
      category: 'health',
    },
  ];

  for (const { name, facts, category } of cases) {
    it(name, async () => {
      const kindRead = { count: 0 };
      const primedOnly = schoolDecider(kindRead);
      primedOnly.primeFacts(facts);
      await primedOnly.scope(); // as a lookup does: starts reading the organisation kind
      await Promise.resolve();
      const now = primedOnly.decideNow(CHILD, category);
      const other = schoolDecider({ count: 0 });
      other.primeFacts(facts);
      const awaited = await other.decide(CHILD, category);
      expect(now).toEqual(awaited);
      expect(primedOnly.decideNow(CHILD, category)).toBe(now);
      expect(kindRead.count).toBeLessThanOrEqual(1);
    });
  }

  it('an override opens its categories only to the organisations it names', async () => {
    const OTHER = '00000000-0000-4000-8000-000000000002';
    const named = schoolDecider({ count: 0 });
    named.primeFacts({
      childId: CHILD,
      related: true,
      consents: [],
      overrides: [{ id: 'o-1', categories: ['early_help'], recipientOrganisationIds: [OTHER, SCHOOL] }],
    });
    expect(await named.decide(CHILD, 'early_help')).toMatchObject({
      allowed: true,
      basis: { kind: 'override', overrideId: 'o-1' },
    });
    const notNamed = schoolDecider({ count: 0 });
    notNamed.primeFacts({
      childId: CHILD,
      related: true,
      consents: [],
      overrides: [{ id: 'o-1', categories: ['early_help'], recipientOrganisationIds: [OTHER] }],
    });
    expect(await notNamed.decide(CHILD, 'early_help')).toMatchObject({ allowed: false, code: 'CONSENT_REQUIRED' });
  });

  it('answers undefined while a fact it needs has not been read', () => {
    const decider = schoolDecider({ count: 0 });
    expect(decider.decideNow(CHILD, 'identity')).toBeUndefined();
    decider.primeFacts({ childId: CHILD, related: true, consents: [consent()], overrides: [] });
    expect(decider.decideNow(CHILD, 'identity')).toMatchObject({ allowed: true });
    // A consent-based category also needs the caller's organisation kind, not read yet.
    expect(decider.decideNow(CHILD, 'early_help')).toBeUndefined();
    // A category the role may not read needs nothing.
    expect(decider.decideNow('another-child', 'police')).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  });
});
