/**
 * The manager's queue of EHAs that have run past about 12 months, over HTTP: open EHAs started 12
 * calendar months ago or more (the day itself counts), oldest first; closed ones never; the
 * council's Early Help roles only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedCase, buildWorld, caseIn, Q, type World } from './workflow-support';

const QUEUE = `query ($m: Int) { longRunningEhas(months: $m) { id startedOn status } }`;

describe('longRunningEhas', () => {
  let w: World;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    w = await buildWorld('2026-01-06T10:00:00Z');
    ids.oldest = (await acceptedCase(w)).ehaId;
    const closed = await caseIn(w, 'plan_in_place');
    await w.ok(w.token.fsm, Q.close, { id: closed.ehaId, v: closed.version, o: 'needs_met', r: 'Met', s: ['Library'] });
    ids.closed = closed.ehaId;
    w.clock.set('2026-01-07T10:00:00Z');
    ids.dayAfter = (await acceptedCase(w)).ehaId;
    w.clock.set('2027-01-06T10:00:00Z');
  });
  afterAll(() => w.t.close());

  it('lists open EHAs of 12 months or more, the anniversary included, and never a closed one', async () => {
    const { longRunningEhas } = await w.ok(w.token.fsm, QUEUE, {});
    expect(longRunningEhas.map((e: { id: string }) => e.id)).toEqual([ids.oldest]);
    expect(longRunningEhas[0]).toMatchObject({ startedOn: '2026-01-06', status: 'awaiting_first_taf' });
    w.clock.set('2027-01-07T10:00:00Z');
    const later = await w.ok(w.token.fsm, QUEUE, {});
    expect(later.longRunningEhas.map((e: { id: string }) => e.id)).toEqual([ids.oldest, ids.dayAfter]);
    const sixMonths = await w.ok(w.token.fsm, QUEUE, { m: 6 });
    expect(sixMonths.longRunningEhas.map((e: { id: string }) => e.id)).not.toContain(ids.closed);
  });

  it('refuses a period outside 1–60 months naming months, and a school', async () => {
    const bad = await w.t.post(w.token.fsm, QUEUE, { m: 0 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'months' });
    const school = await w.t.post(w.token.school, QUEUE, {});
    expect(school.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
