/**
 * MASP outcomes over HTTP: "MASP outcomes: resources agreed; stepped up to Child in Need; stepped
 * down to Early Help/CIN; progress to Child Protection; refer to LARP". LARP is a placement
 * recommendation, not a step up: Early Help carries on where it was and no step up is counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, caseIn, Q, type World } from './workflow-support';

const STEP_UPS = `{ performanceIndicators(from: "2027-03-01", to: "2027-03-31") { total { stepUps } } }`;

describe('MASP outcomes', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
  });
  afterAll(() => w.t.close());

  const outcome = async (o: string) => {
    const k = await caseIn(w, 'at_masp');
    const res = await w.ok(w.token.maspChair, Q.maspOutcome, { id: k.ehaId, v: k.version, o });
    return res.recordMaspOutcome as { status: string };
  };

  it('a referral to LARP leaves Early Help going where it was, and is no step up', async () => {
    const before = (await w.ok(w.token.fsm, STEP_UPS)).performanceIndicators.total.stepUps;
    expect(await outcome('refer_to_larp')).toMatchObject({ status: 'plan_in_place' });
    expect((await w.ok(w.token.fsm, STEP_UPS)).performanceIndicators.total.stepUps).toBe(before);
  });

  it('stepped up to Child in Need and progress to Child Protection hand the lead to social care', async () => {
    const before = (await w.ok(w.token.fsm, STEP_UPS)).performanceIndicators.total.stepUps;
    expect(await outcome('stepped_up_child_in_need')).toMatchObject({ status: 'stepped_up_awaiting_outcome' });
    expect(await outcome('progress_to_child_protection')).toMatchObject({ status: 'stepped_up_awaiting_outcome' });
    expect((await w.ok(w.token.fsm, STEP_UPS)).performanceIndicators.total.stepUps).toBe(before + 2);
  });

  it('resources agreed and stepped down to Early Help carry on', async () => {
    expect(await outcome('resources_agreed')).toMatchObject({ status: 'plan_in_place' });
    expect(await outcome('stepped_down_early_help')).toMatchObject({ status: 'plan_in_place' });
  });
});
