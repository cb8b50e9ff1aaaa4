/**
 * Outcomes — distance travelled over HTTP: Rickter Scale scores (0–10) per life
 * area at start, review and closure; distance travelled per family and per cluster; headline
 * outcomes at the start, achieved, and sustained 6 months after closure measured from the closure
 * date (closure on 31 August 2027 → from 29 February 2028, a leap year; 28 February is too early).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, headlineOutcomes, rickterAssessments } from '../schema';
import { caseIn, Q, type Case, type World, buildWorld } from './workflow-support';

const VIEW = `assessments { point assessedOn scores { area score } } distanceByArea { area start latest change } distanceTravelled latestPoint
  headlineOutcomes { outcome achievedOn sustainmentDueOn sustainmentCheckedOn sustained }`;
const ASSESS = `mutation ($input: RecordRickterAssessmentInput!) { recordRickterAssessment(input: $input) { distanceTravelled latestPoint } }`;
const AT_START = `mutation ($e: ID!, $o: [NeedCategory!]!) { recordHeadlineOutcomesAtStart(ehaId: $e, outcomes: $o) { headlineOutcomes { outcome } } }`;
const PROGRESS = `mutation ($input: RecordHeadlineOutcomeProgressInput!) { recordHeadlineOutcomeProgress(input: $input) { headlineOutcomes { outcome achievedOn sustainmentDueOn sustainmentCheckedOn sustained } } }`;
const READ = `query ($e: ID!) { familyOutcomes(ehaId: $e) { ehaId childId ${VIEW} } }`;
const CLUSTERS = `query ($from: String, $to: String) { clusterDistanceTravelled(from: $from, to: $to) { cluster families improvedFamilies meanStartTotal meanLatestTotal meanDistanceTravelled } }`;

describe('outcomes: distance travelled and headline outcomes', () => {
  let w: World;
  let k: Case;
  const assess = (point: string, assessedOn: string, scores: [string, number][]) =>
    w.t.post(w.token.fsm, ASSESS, {
      input: { ehaId: k.ehaId, point, assessedOn, scores: scores.map(([area, score]) => ({ area, score })) },
    });

  beforeAll(async () => {
    w = await buildWorld('2027-06-01T09:00:00Z');
    k = await caseIn(w, 'plan_in_place');
  });
  afterAll(() => w.t.close());

  it('records scores at start, review and closure; distance travelled per area and in total', async () => {
    expect(
      (
        await assess('start', '2027-06-01', [
          ['money_and_debt', 2],
          ['safety', 5],
          ['emotional_wellbeing', 3],
        ])
      ).errors,
    ).toBeUndefined();
    w.clock.set('2027-08-31T09:00:00Z');
    expect(
      (
        await assess('review', '2027-07-15', [
          ['money_and_debt', 4],
          ['safety', 5],
          ['emotional_wellbeing', 4],
        ])
      ).data.recordRickterAssessment,
    ).toEqual({ distanceTravelled: 3, latestPoint: 'review' });
    const closure = await assess('closure', '2027-08-31', [
      ['money_and_debt', 7],
      ['safety', 4],
      ['emotional_wellbeing', 6],
    ]);
    expect(closure.data.recordRickterAssessment).toEqual({ distanceTravelled: 7, latestPoint: 'closure' });
    const read = await w.ok(w.token.fsm, READ, { e: k.ehaId }, 'direct_support');
    expect(read.familyOutcomes.distanceByArea).toEqual([
      { area: 'money_and_debt', start: 2, latest: 7, change: 5 },
      { area: 'safety', start: 5, latest: 4, change: -1 },
      { area: 'emotional_wellbeing', start: 3, latest: 6, change: 3 },
    ]);
    expect(read.familyOutcomes.assessments.map((a: { point: string }) => a.point)).toEqual([
      'start',
      'review',
      'closure',
    ]);
    const events = await w.t.database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, k.childId), eq(caseEvents.kind, 'outcome_scores_recorded')));
    expect(events).toHaveLength(3);
  });

  it('refuses a second start, a score outside 0–10, a repeated area and a future date — storing nothing', async () => {
    const before = await w.t.database.db.$count(rickterAssessments);
    expect((await assess('start', '2027-08-01', [['safety', 5]])).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await assess('review', '2027-08-01', [['safety', 11]])).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'scores[0].score',
    });
    expect(
      (
        await assess('review', '2027-08-01', [
          ['safety', 5],
          ['safety', 6],
        ])
      ).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scores[1].area' });
    expect((await assess('review', '2027-09-01', [['safety', 5]])).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'assessedOn',
    });
    expect(await w.t.database.db.$count(rickterAssessments)).toBe(before);
  });

  it('per cluster: mean distance travelled over families assessed in the period', async () => {
    const res = await w.ok(w.token.screener, CLUSTERS, { from: '2027-01-01', to: '2027-12-31' });
    expect(res.clusterDistanceTravelled).toEqual([
      {
        cluster: 'central',
        families: 1,
        improvedFamilies: 1,
        meanStartTotal: 10,
        meanLatestTotal: 17,
        meanDistanceTravelled: 7,
      },
    ]);
    expect(
      (await w.ok(w.token.screener, CLUSTERS, { from: '2026-01-01', to: '2026-12-31' })).clusterDistanceTravelled,
    ).toEqual([]);
  });

  it('headline outcomes: at start, achieved, and sustained only from closure + 6 months (31 Aug → 29 Feb in a leap year)', async () => {
    const start = await w.ok(w.token.fsm, AT_START, { e: k.ehaId, o: ['good_education', 'financial_stability'] });
    expect(start.recordHeadlineOutcomesAtStart.headlineOutcomes.map((h: { outcome: string }) => h.outcome)).toEqual([
      'financial_stability',
      'good_education',
    ]);
    expect(
      (await w.t.post(w.token.fsm, AT_START, { e: k.ehaId, o: ['secure_housing'] })).errors?.[0]?.extensions?.code,
    ).toBe('CONFLICT');
    await w.ok(w.token.fsm, PROGRESS, {
      input: { ehaId: k.ehaId, outcome: 'good_education', achievedOn: '2027-08-20' },
    });
    // Still open: sustainment cannot be checked yet.
    const open = await w.t.post(w.token.fsm, PROGRESS, {
      input: { ehaId: k.ehaId, outcome: 'good_education', sustainmentCheckedOn: '2027-08-31', sustained: true },
    });
    expect(open.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    await w.ok(w.token.fsm, Q.close, {
      id: k.ehaId,
      v: k.version,
      o: 'needs_met',
      r: 'Needs met',
      s: ["Universal: children's centre"],
    });
    w.clock.set('2028-03-01T09:00:00Z');
    const early = await w.t.post(w.token.fsm, PROGRESS, {
      input: { ehaId: k.ehaId, outcome: 'good_education', sustainmentCheckedOn: '2028-02-28', sustained: true },
    });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sustainmentCheckedOn' });
    // The case team's involvement ended at closure: the council's Family Support Manager records the
    // check as the closed case's owner, but reads the case back only with a relationship.
    const onTime = await w.ok(
      w.token.fsm,
      `mutation ($input: RecordHeadlineOutcomeProgressInput!) { recordHeadlineOutcomeProgress(input: $input) { ehaId } }`,
      { input: { ehaId: k.ehaId, outcome: 'good_education', sustainmentCheckedOn: '2028-02-29', sustained: true } },
    );
    expect(onTime.recordHeadlineOutcomeProgress.ehaId).toBe(k.ehaId);
    const [row] = await w.t.database.db
      .select()
      .from(headlineOutcomes)
      .where(and(eq(headlineOutcomes.ehaId, k.ehaId), eq(headlineOutcomes.outcome, 'good_education')));
    expect(row).toMatchObject({ achievedOn: '2027-08-20', sustainmentCheckedOn: '2028-02-29', sustained: true });
    const dsl = await w.ok(w.token.school, READ, { e: k.ehaId }, 'direct_support');
    expect(dsl.familyOutcomes.headlineOutcomes).toContainEqual({
      outcome: 'good_education',
      achievedOn: '2027-08-20',
      sustainmentDueOn: '2028-02-29',
      sustainmentCheckedOn: '2028-02-29',
      sustained: true,
    });
    // Another organisation's Family Support Manager is not the owner.
    const elsewhere = await w.f.org('other-eh', 'council_early_help');
    await w.f.practitioner(elsewhere, 'out-other-fsm', 'family_support_manager');
    const otherFsm = await w.t.token({ role: 'family_support_manager', org: elsewhere, sub: 'out-other-fsm' });
    const refused = await w.t.post(otherFsm, PROGRESS, {
      input: { ehaId: k.ehaId, outcome: 'good_education', sustainmentCheckedOn: '2028-02-29', sustained: false },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const notAchieved = await w.t.post(w.token.fsm, PROGRESS, {
      input: { ehaId: k.ehaId, outcome: 'financial_stability', sustainmentCheckedOn: '2028-02-29', sustained: true },
    });
    expect(notAchieved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sustained' });
    const unknown = await w.t.post(w.token.fsm, PROGRESS, {
      input: { ehaId: k.ehaId, outcome: 'secure_housing', achievedOn: '2027-08-20' },
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'outcome' });
  });

  it('relationship and consent: the school reads with early_help consent for its purpose; others are refused', async () => {
    const dsl = await w.t.post(w.token.school, READ, { e: k.ehaId }, 'direct_support');
    expect(dsl.errors).toBeUndefined();
    expect(dsl.data.familyOutcomes.distanceTravelled).toBe(7);
    const wrongPurpose = await w.t.post(w.token.school, READ, { e: k.ehaId }, 'safeguarding');
    // Without early_help for this purpose the EHA's very existence is withheld: the same answer as another school's.
    expect(wrongPurpose.data?.familyOutcomes ?? null).toBeNull();
    expect(wrongPurpose.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const other = await w.t.post(w.token.otherSchool, READ, { e: k.ehaId }, 'direct_support');
    expect(other.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const write = await w.t.post(w.token.school, ASSESS, {
      input: { ehaId: k.ehaId, point: 'review', assessedOn: '2027-08-01', scores: [{ area: 'safety', score: 5 }] },
    });
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
