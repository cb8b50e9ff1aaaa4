/**
 * What the family says and what keeps the child safe, over HTTP: the plan records protective
 * factors beside the family's strengths, and a case closed with its needs met keeps the family's
 * feedback on the help they had.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDaysIso, buildWorld, caseIn, planInput, Q, type World } from './workflow-support';

const READ = `query ($id: ID!) { eha(id: $id) { status familyFeedback actionPlan { familyStrengths protectiveFactors } } }`;
const CLOSE = `mutation ($id: ID!, $v: Int!, $o: CloseOutcome!, $f: String, $m: [MaspCriterion!]) {
  closeEha(id: $id, expectedVersion: $v, outcome: $o, rationale: "Reviewed", signposting: ["Children's centre"], maspCriteria: $m, familyFeedback: $f) { id status version familyFeedback } }`;

describe('protective factors in the plan; family feedback at closure', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
  });
  afterAll(() => w.t.close());

  it('records protective factors with the plan, and refuses a blank one naming it', async () => {
    const k = await caseIn(w, 'plan_in_place');
    const base = planInput(w, k.ehaId, k.version, addDaysIso(w.today(), 30), addDaysIso(w.today(), 20));
    const blank = await w.t.post(w.token.fsm, Q.plan, {
      input: { ...base, protectiveFactors: ['Grandmother nearby', ' '] },
    });
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'protectiveFactors[1]' });
    await w.ok(w.token.fsm, Q.plan, {
      input: { ...base, protectiveFactors: ['Grandmother nearby and involved', 'Settled at school'] },
    });
    const { eha } = await w.ok(w.token.fsm, READ, { id: k.ehaId });
    expect(eha.actionPlan.protectiveFactors).toEqual(['Grandmother nearby and involved', 'Settled at school']);
  });

  it('keeps the family’s feedback when the case closes with its needs met', async () => {
    const k = await caseIn(w, 'plan_in_place');
    const closed = await w.ok(w.token.fsm, CLOSE, {
      id: k.ehaId,
      v: k.version,
      o: 'needs_met',
      f: 'The parenting course helped; we talk more calmly now.',
    });
    expect(closed.closeEha).toMatchObject({
      status: 'closed',
      familyFeedback: 'The parenting course helped; we talk more calmly now.',
    });
    expect((await w.ok(w.token.fsm, READ, { id: k.ehaId })).eha.familyFeedback).toBe(
      'The parenting course helped; we talk more calmly now.',
    );
  });

  it('refuses feedback on a referral to MASP, naming familyFeedback, and changes nothing', async () => {
    const k = await caseIn(w, 'plan_in_place');
    const res = await w.t.post(w.token.fsm, CLOSE, {
      id: k.ehaId,
      v: k.version,
      o: 'needs_not_met_masp',
      m: ['no_improvement'],
      f: 'Not a closure',
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'familyFeedback' });
    expect((await w.ok(w.token.fsm, READ, { id: k.ehaId })).eha).toMatchObject({
      status: 'plan_in_place',
      familyFeedback: null,
    });
  });
});
