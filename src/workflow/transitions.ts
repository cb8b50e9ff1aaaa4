/**
 * The Early Help workflow as data: every state, every action, and the one table saying which
 * action is legal in which state and where it leads. Services never set a status themselves; they
 * ask `nextEhaState` / `nextReferralState`, which refuse an illegal move with INVALID_TRANSITION.
 *
 * The partnership's Early Help protocol: "EH DAS screens every referral → declined … → accepted … allocated to a Family
 * Support Manager"; TAF → action plan → reviews every 3 months → closure (needs met) or, needs not
 * met, step up to Duty and Advice or referral to MASP; "an open EHA stays open until social care's
 * Single Assessment outcome is known".
 */
import { EHA_STATUSES, REFERRAL_STATUSES } from '../../schema/tables/workflow';
import { InvalidTransitionError, invariant } from '../errors';

/** The states are the database enums' values (schema/tables/workflow.ts); only the moves are declared here. */
export const REFERRAL_STATES = REFERRAL_STATUSES;
export type ReferralState = (typeof REFERRAL_STATES)[number];
export const REFERRAL_ACTIONS = ['accept', 'decline', 'single_agency_response', 'refer_to_social_care'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

export const REFERRAL_TRANSITIONS: Readonly<Record<ReferralState, Partial<Record<ReferralAction, ReferralState>>>> = {
  submitted: {
    accept: 'accepted',
    decline: 'declined',
    single_agency_response: 'single_agency_response',
    refer_to_social_care: 'referred_to_social_care',
  },
  accepted: {},
  declined: {},
  single_agency_response: {},
  referred_to_social_care: {},
};

export const EHA_STATES = EHA_STATUSES;
export type EhaState = (typeof EHA_STATES)[number];

export const EHA_ACTIONS = [
  'record_taf',
  'set_plan',
  'record_review',
  'close_needs_met',
  'step_up',
  'refer_to_masp',
  'masp_continue',
  'masp_step_up',
  'sa_continue_early_help',
  'sa_social_care_leads',
  'escalate_to_eha',
] as const;
export type EhaAction = (typeof EHA_ACTIONS)[number];

/** Go back to the state the EHA was in before it went to MASP or stepped up. */
export const RESUME = 'resume' as const;
type Target = EhaState | typeof RESUME;

/** States from which the case is suspended while a panel or social care decides. */
const SUSPENDED: readonly EhaState[] = ['at_masp', 'stepped_up_awaiting_outcome'];

/**
 * state × action → next state. An absent entry is an illegal move. Safeguarding is never blocked
 * by the workflow: step up is legal from every open state that is not already stepped up.
 */
export const EHA_TRANSITIONS: Readonly<Record<EhaState, Partial<Record<EhaAction, Target>>>> = {
  awaiting_first_taf: { record_taf: 'taf_held', step_up: 'stepped_up_awaiting_outcome' },
  taf_held: { record_taf: 'taf_held', set_plan: 'plan_in_place', step_up: 'stepped_up_awaiting_outcome' },
  plan_in_place: {
    record_taf: 'plan_in_place',
    set_plan: 'plan_in_place',
    record_review: 'under_review',
    close_needs_met: 'closed',
    step_up: 'stepped_up_awaiting_outcome',
    refer_to_masp: 'at_masp',
  },
  under_review: {
    record_taf: 'under_review',
    set_plan: 'under_review',
    record_review: 'under_review',
    close_needs_met: 'closed',
    step_up: 'stepped_up_awaiting_outcome',
    refer_to_masp: 'at_masp',
  },
  at_masp: {
    masp_continue: RESUME,
    masp_step_up: 'stepped_up_awaiting_outcome',
    step_up: 'stepped_up_awaiting_outcome',
  },
  stepped_up_awaiting_outcome: { sa_continue_early_help: RESUME, sa_social_care_leads: 'closed' },
  closed: {},
  // Single-agency work after a step down: no TAF, plan or review of the EHA's kind; it ends with
  // the family's needs met, becomes an EHA when they need more than one agency, or steps up.
  family_support_work: {
    escalate_to_eha: 'awaiting_first_taf',
    close_needs_met: 'closed',
    step_up: 'stepped_up_awaiting_outcome',
  },
};

export interface EhaPosition {
  status: EhaState;
  /** Where a suspended EHA returns to; null unless suspended. */
  resumeStatus: EhaState | null;
}

/** The position after `action`, or INVALID_TRANSITION(from, action). */
export function nextEhaState(from: EhaPosition, action: EhaAction): EhaPosition {
  const target = EHA_TRANSITIONS[from.status][action];
  if (!target) throw new InvalidTransitionError(from.status, action);
  if (target === RESUME) {
    invariant(from.resumeStatus, `a suspended EHA (${from.status}) records where it resumes`);
    return { status: from.resumeStatus, resumeStatus: null };
  }
  if (target === 'closed') return { status: 'closed', resumeStatus: null };
  if (SUSPENDED.includes(target)) {
    // Entering a suspension remembers where to come back to; moving between suspensions keeps it.
    return { status: target, resumeStatus: SUSPENDED.includes(from.status) ? from.resumeStatus : from.status };
  }
  return { status: target, resumeStatus: null };
}

export function nextReferralState(from: ReferralState, action: ReferralAction): ReferralState {
  const target = REFERRAL_TRANSITIONS[from][action];
  if (!target) throw new InvalidTransitionError(from, action);
  return target;
}

export function isOpen(status: EhaState): boolean {
  return status !== 'closed';
}
