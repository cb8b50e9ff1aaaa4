/**
 * The demo city shows the wider Early Help offer: read over HTTP as the demo personas.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ehas, referrals } from '../schema';
import { orgId, seedDemoCity } from '../seeds/demo-city';
import { isHealthLedPartnershipPlus } from '../src/partnership-plus/partnership-plus.rule';
import { fixedClock, startTestHub, type TestHub } from './support/hub';

describe('demo city: the wider Early Help offer', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ clock: fixedClock('2026-09-01T12:00:00Z') });
    await seedDemoCity(t.database.db);
  });
  afterAll(() => t.close());

  it('has a health-led Partnership Plus case, partners around the waiting referral, missing episodes and referrer feedback', async () => {
    const db = t.database.db;
    const led = await db.select({ id: ehas.id }).from(ehas).where(eq(ehas.cluster, 'east'));
    const flags = await Promise.all(led.map((e) => isHealthLedPartnershipPlus(db, e.id)));
    expect(flags).toContain(true);

    const screener = await t.token({ role: 'eh_das_screener', org: orgId('council-early-help'), sub: 'demo-screener' });
    const [waiting] = await db.select().from(referrals).where(eq(referrals.status, 'submitted'));
    const who = await t.post(
      screener,
      `query ($r: ID) { whoElseIsInvolved(referralId: $r) { earlyHelp { relationship } socialCare { relationship } } }`,
      { r: waiting!.id },
      'screening',
    );
    expect(who.data.whoElseIsInvolved.earlyHelp.map((e: { relationship: string }) => e.relationship)).toContain(
      'screening',
    );

    const overdue = await t.post(
      screener,
      `query { overdueReturnInterviews { id returnInterviewStatus } }`,
      {},
      'direct_support',
    );
    expect(overdue.errors).toBeUndefined();
    expect(overdue.data.overdueReturnInterviews).toEqual([
      expect.objectContaining({ returnInterviewStatus: 'offered' }),
    ]);

    const fsm = await t.token({ role: 'family_support_manager', org: orgId('council-early-help'), sub: 'demo-fsm' });
    const clusters = await t.post(
      fsm,
      `query { clusterDistanceTravelled(from: "2025-01-01", to: "2026-12-31") { cluster families meanDistanceTravelled } }`,
      {},
    );
    expect(clusters.data.clusterDistanceTravelled[0]).toMatchObject({ cluster: 'central' });
    expect(clusters.data.clusterDistanceTravelled[0].meanDistanceTravelled).toBeGreaterThan(0);

    const [reviewed] = await t.database.db.select().from(ehas).where(eq(ehas.status, 'under_review'));
    const plan = await t.post(
      fsm,
      `query ($e: ID!) { familyPlan(ehaId: $e) { revision voiceOfChild { point } } }`,
      { e: reviewed!.id },
      'direct_support',
    );
    expect(plan.data.familyPlan).toEqual({ revision: 1, voiceOfChild: [{ point: 'assessment' }, { point: 'review' }] });

    const points = await t.post(fsm, `query { directory(kind: advice_point) { cluster phone } }`, {});
    expect(points.data.directory).toHaveLength(6);
    const counts = await t.post(
      fsm,
      `query { advicePointContactCounts(from: "2026-08-01", to: "2026-09-01") { contacts } }`,
      {},
    );
    expect(counts.data.advicePointContactCounts.reduce((n: number, c: { contacts: number }) => n + c.contacts, 0)).toBe(
      33,
    );

    const pcl = await t.post(
      screener,
      `query { priorityList(cluster: east) { status decision } }`,
      {},
      'direct_support',
    );
    expect(pcl.data.priorityList).toHaveLength(3);

    const qa = await t.post(
      fsm,
      `query { qaTrend(fromMonth: "2026-01", toMonth: "2026-12", cluster: central) { month audited goodOrBetterPercent } }`,
      {},
    );
    expect(qa.data.qaTrend).toHaveLength(2);
    expect(qa.data.qaTrend[1].goodOrBetterPercent).toBeGreaterThan(qa.data.qaTrend[0].goodOrBetterPercent);

    const book = await t.post(
      fsm,
      `query { performanceBook(from: "2025-09-01", to: "2026-09-01") { indicators { key value numerator denominator narrative } } }`,
      {},
    );
    const distance = book.data.performanceBook.indicators.find((i: { key: string }) => i.key === 'distance_travelled');
    expect(distance.value).toBeGreaterThan(0);
    expect(distance.narrative).toContain('Families closed');
    // The strategy's further indicators have something to show: each rate rests on cases of the demo city.
    const figure = (key: string) => book.data.performanceBook.indicators.find((i: { key: string }) => i.key === key);
    for (const key of [
      're_referrals_within_12_months',
      'ehas_reviewed_within_3_months',
      'step_down_first_taf_within_21_days',
      'return_interviews_within_72_hours',
      'encompass_acknowledged_by_deadline',
      'ehas_closed_outcomes_met',
    ]) {
      expect(figure(key).denominator, key).toBeGreaterThan(0);
      expect(figure(key).value, key).not.toBeNull();
    }
    // DEMO-OE-2 acknowledged before the school day, DEMO-OE-1 never: some in time, some not.
    expect(figure('encompass_acknowledged_by_deadline').value).toBeGreaterThan(0);
    expect(figure('encompass_acknowledged_by_deadline').value).toBeLessThan(100);
    expect(figure('stepped_up_within_12_months_of_closure').value).toBe(0);

    const dsl = await t.token({ role: 'school_dsl', org: orgId('school-central-primary'), sub: 'demo-school-dsl' });
    const mine = await t.post(
      dsl,
      `query { myReferralOutcomes(from: "2025-01-01") { outcome } }`,
      {},
      'direct_support',
    );
    expect(new Set(mine.data.myReferralOutcomes.map((r: { outcome: string }) => r.outcome))).toEqual(
      new Set(['awaiting_screening', 'declined', 'accepted']),
    );
  });
});
