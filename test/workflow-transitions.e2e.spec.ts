/**
 * The Early Help state machine over HTTP: every state × every action, legal moves land where the
 * transition table says, illegal ones are refused with INVALID_TRANSITION and change nothing.
 * The partnership's Early Help protocol: "EH DAS screens every referral → declined … → accepted …"; "Reviews every 3 months
 * … until needs are met"; "Closure: needs met → closed … Needs not met → … refer to Duty and Advice
 * (DAS); otherwise refer to the Multi Agency Support Panel (MASP)"; "Step up: an open EHA stays
 * open until social care's Single Assessment outcome is known".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ehas } from '../schema';
import { eq } from 'drizzle-orm';
import {
  EHA_ACTIONS,
  EHA_STATES,
  EHA_TRANSITIONS,
  REFERRAL_ACTIONS,
  REFERRAL_STATES,
  REFERRAL_TRANSITIONS,
  RESUME,
  type EhaAction,
  type EhaState,
} from '../src/workflow/transitions';
import {
  acceptedCase,
  buildWorld,
  caseIn,
  Q,
  tafInput,
  planInput,
  threeNeeds,
  addDaysIso,
  type Case,
  type World,
} from './workflow-support';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(() => w.t.close());

/** Performs `action` on the case with valid input, as the role that may perform it. */
async function perform(k: Case, action: EhaAction) {
  const base = { id: k.ehaId, v: k.version };
  const input = (extra: Record<string, unknown>) => ({
    input: { ...extra, ehaId: k.ehaId, expectedVersion: k.version },
  });
  const today = w.today();
  switch (action) {
    case 'record_taf':
      return w.t.post(w.token.fsm, Q.taf, input(tafInput(w)));
    case 'set_plan':
      return w.t.post(w.token.fsm, Q.plan, {
        input: planInput(w, k.ehaId, k.version, addDaysIso(today, 30), addDaysIso(today, 20)),
      });
    case 'record_review': {
      // Progress for every action of the current plan (none when there is no plan: the move is illegal anyway).
      const r = await w.t.post(w.token.fsm, Q.eha, { id: k.ehaId });
      const progress = (r.data?.eha?.planActions ?? []).map((a: { id: string }) => ({
        actionId: a.id,
        status: 'done',
        note: 'Done',
      }));
      return w.t.post(
        w.token.fsm,
        Q.review,
        input({ heldOn: today, nextReviewDate: addDaysIso(today, 60), levelOfNeed: 'early_help', progress }),
      );
    }
    case 'close_needs_met':
      return w.t.post(w.token.fsm, Q.close, { ...base, o: 'needs_met', r: 'Needs met', s: ['Universal services'] });
    case 'step_up':
      return w.t.post(w.token.fsm, Q.stepUp, { ...base, sw: w.person.socialWorker });
    case 'refer_to_masp':
      return w.t.post(w.token.fsm, Q.masp, { ...base, c: ['no_improvement', 'escalation'] });
    case 'masp_continue':
      return w.t.post(w.token.maspChair, Q.maspOutcome, { ...base, o: 'resources_agreed' });
    case 'masp_step_up':
      return w.t.post(w.token.maspChair, Q.maspOutcome, { ...base, o: 'stepped_up_child_in_need' });
    case 'sa_continue_early_help':
      return w.t.post(w.token.socialWorker, Q.sa, { ...base, o: 'continue_early_help' });
    case 'sa_social_care_leads':
      return w.t.post(w.token.socialWorker, Q.sa, { ...base, o: 'social_care_leads' });
    case 'escalate_to_eha':
      return w.t.post(w.token.fsm, Q.escalate, base);
  }
}

/** A case in `state` that the MASP chair and the social worker are also involved with. */
async function involvedCase(state: EhaState): Promise<Case> {
  const k = await caseIn(w, state);
  await w.f.involve(k.childId, w.org.council, 'masp');
  await w.f.involve(k.childId, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
  return k;
}

async function storedStatus(ehaId: string) {
  const [row] = await w.t.database.db
    .select({ status: ehas.status, version: ehas.version })
    .from(ehas)
    .where(eq(ehas.id, ehaId));
  return row!;
}

describe('EHA state machine over HTTP: every state × every action', () => {
  for (const state of EHA_STATES) {
    const legal = EHA_ACTIONS.filter((a) => EHA_TRANSITIONS[state][a]);
    const illegal = EHA_ACTIONS.filter((a) => !EHA_TRANSITIONS[state][a]);

    if (illegal.length) {
      it(`${state}: refuses ${illegal.join(', ')} with INVALID_TRANSITION and changes nothing`, async () => {
        const k = await involvedCase(state);
        for (const action of illegal) {
          const res = await perform(k, action);
          expect(res.errors?.[0]?.extensions, `${state} × ${action}`).toMatchObject({
            code: 'INVALID_TRANSITION',
            from: state,
            action,
          });
          expect(await storedStatus(k.ehaId)).toEqual({ status: state, version: k.version });
        }
      });
    }

    for (const action of legal) {
      const target = EHA_TRANSITIONS[state][action]!;
      // The main path reaches MASP and step up from plan_in_place, so that is where they resume.
      const expected = target === RESUME ? 'plan_in_place' : target;
      it(`${state} × ${action} → ${expected}`, async () => {
        const k = await involvedCase(state);
        const res = await perform(k, action);
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        const payload = Object.values(res.data as object)[0] as { status: string; version: number };
        expect(payload).toMatchObject({ status: expected, version: k.version + 1 });
        expect(await storedStatus(k.ehaId)).toEqual({ status: expected, version: k.version + 1 });
      });
    }
  }

  it('a stale expectedVersion is refused with CONFLICT and changes nothing', async () => {
    const k = await caseIn(w, 'awaiting_first_taf');
    const res = await w.t.post(w.token.fsm, Q.taf, {
      input: { ...tafInput(w), ehaId: k.ehaId, expectedVersion: k.version + 5 },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: k.version });
    expect(await storedStatus(k.ehaId)).toEqual({ status: 'awaiting_first_taf', version: k.version });
  });

  it('resumes where it was: a step up from under_review returns to under_review when Early Help continues', async () => {
    const k = await involvedCase('under_review');
    const up = await w.ok(w.token.fsm, Q.stepUp, { id: k.ehaId, v: k.version, sw: w.person.socialWorker });
    expect(up.stepUp.status).toBe('stepped_up_awaiting_outcome');
    const back = await w.ok(w.token.socialWorker, Q.sa, {
      id: k.ehaId,
      v: up.stepUp.version,
      o: 'continue_early_help',
    });
    expect(back.recordSingleAssessmentOutcome.status).toBe('under_review');
  });

  it('a MASP step up waits for the Single Assessment outcome, then closes as stepped up', async () => {
    const k = await involvedCase('at_masp');
    const up = await w.ok(w.token.maspChair, Q.maspOutcome, {
      id: k.ehaId,
      v: k.version,
      o: 'progress_to_child_protection',
    });
    expect(up.recordMaspOutcome.status).toBe('stepped_up_awaiting_outcome');
    const closed = await w.ok(w.token.socialWorker, Q.sa, {
      id: k.ehaId,
      v: up.recordMaspOutcome.version,
      o: 'social_care_leads',
    });
    expect(closed.recordSingleAssessmentOutcome).toMatchObject({
      status: 'closed',
      closureOutcome: 'stepped_up_to_social_care',
    });
  });
});

describe('Referral state machine over HTTP', () => {
  async function submitted() {
    const c = await w.newChild();
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds },
    });
    return sub.submitReferral.referralId as string;
  }
  const screenVars = (id: string, version: number, d: string) =>
    d === 'accept'
      ? { id, v: version, d, r: 'Eligible', fsm: w.person.fsm, c: 'north', ocr: 'The family is moving across the city' }
      : d === 'refer_to_social_care'
        ? { id, v: version, d, r: 'Risk of significant harm', lvl: 'specialist' }
        : {
            id,
            v: version,
            d,
            r: 'Single agency response fits',
            lvl: 'universal',
            s: ['School nurse drop-in'],
            ...(d === 'single_agency_response' ? { tso: w.org.health } : {}),
          };
  /** The screening decision that reaches a state from submitted. */
  const reaching = (state: string) => REFERRAL_ACTIONS.find((a) => REFERRAL_TRANSITIONS.submitted[a] === state)!;

  for (const state of REFERRAL_STATES) {
    for (const action of REFERRAL_ACTIONS) {
      const target = REFERRAL_TRANSITIONS[state][action];
      it(`${state} × ${action} → ${target ?? 'INVALID_TRANSITION'}`, async () => {
        const id = await submitted();
        let version = 1;
        if (state !== 'submitted') {
          const first = await w.ok(w.token.screener, Q.screen, screenVars(id, 1, reaching(state)), 'screening');
          version = first.screenReferral.version;
        }
        const res = await w.t.post(w.token.screener, Q.screen, screenVars(id, version, action), 'screening');
        if (target) {
          expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
          expect(res.data.screenReferral.status).toBe(target);
        } else {
          expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', from: state, action });
        }
      });
    }
  }

  it('only an EH DAS screener screens (FORBIDDEN for a Family Support Manager)', async () => {
    const id = await submitted();
    const res = await w.t.post(w.token.fsm, Q.screen, screenVars(id, 1, 'accept'));
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('an accepted referral allocates the case: an EHA awaiting its first TAF in the chosen cluster', async () => {
    const k = await acceptedCase(w);
    const data = await w.ok(w.token.fsm, Q.eha, { id: k.ehaId });
    expect(data.eha).toMatchObject({ status: 'awaiting_first_taf', version: 1 });
  });
});
