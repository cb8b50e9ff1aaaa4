/** GraphQL enums of the Early Help workflow; the values are the ones stored and used by the services. */
import { registerEnumType } from 'type-graphql';
import { EHA_ORIGINS, EHA_STATUSES, LEVELS_OF_NEED, REFERRAL_STATUSES } from '../../schema/tables/workflow';
import { ACTION_STATUSES } from '../../src/eha/eha.service';
import {
  CLOSE_OUTCOMES,
  MASP_CRITERIA,
  MASP_OUTCOMES,
  SINGLE_ASSESSMENT_OUTCOMES,
  STEP_DOWN_MEETINGS,
  STEP_DOWN_SUPPORT,
} from '../../src/eha/escalation.service';
import { REFERRAL_FAMILY_RELATIONS } from '../../src/referral/referral.service';
import { ELIGIBILITY_RECOMMENDATIONS, NEED_CATEGORIES, NEED_CATEGORY_KEYS } from '../../src/workflow/needs';
import { REFERRAL_ACTIONS } from '../../src/workflow/transitions';
import { enumOf } from '../shared/enum-of';

export const NeedCategory = enumOf(NEED_CATEGORY_KEYS);
export type NeedCategory = (typeof NEED_CATEGORY_KEYS)[number];
registerEnumType(NeedCategory, {
  name: 'NeedCategory',
  description: 'The ten Supporting Families headline outcomes: the fixed list of needs a referral and a plan name.',
  valuesConfig: Object.fromEntries(Object.entries(NEED_CATEGORIES).map(([k, description]) => [k, { description }])),
});

export const EhaStatus = enumOf(EHA_STATUSES);
export type EhaStatus = (typeof EHA_STATUSES)[number];
registerEnumType(EhaStatus, {
  name: 'EhaStatus',
  description: 'Where an Early Help Assessment is in the workflow. Illegal moves are refused with INVALID_TRANSITION.',
});

export const EhaOrigin = enumOf(EHA_ORIGINS);
export type EhaOrigin = (typeof EHA_ORIGINS)[number];
registerEnumType(EhaOrigin, {
  name: 'EhaOrigin',
  description: 'An accepted referral, or a step down from social care.',
});

export const ReferralStatus = enumOf(REFERRAL_STATUSES);
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
registerEnumType(ReferralStatus, { name: 'ReferralStatus' });

export const ScreeningDecision = enumOf(REFERRAL_ACTIONS);
export type ScreeningDecision = (typeof REFERRAL_ACTIONS)[number];
registerEnumType(ScreeningDecision, {
  name: 'ScreeningDecision',
  description:
    "The EH DAS screener's decision. accept: an EHA (3 or more needs, or fewer with a recorded belowThresholdReason; level early_help). single_agency_response: one named agency meets the needs (signposting names it). decline: signposted to universal or targeted services. refer_to_social_care: may be at risk of significant harm — passed to children's social care's front door (Duty and Advice) now, level specialist, and followed up by EH DAS.",
});

export const LevelOfNeed = enumOf(LEVELS_OF_NEED);
export type LevelOfNeed = (typeof LEVELS_OF_NEED)[number];
registerEnumType(LevelOfNeed, {
  name: 'LevelOfNeed',
  description: "The protocol's levels of need: Universal, Early Help, Specialist (children's social care).",
});

export const EligibilityRecommendation = enumOf(ELIGIBILITY_RECOMMENDATIONS);
export type EligibilityRecommendation = (typeof ELIGIBILITY_RECOMMENDATIONS)[number];
registerEnumType(EligibilityRecommendation, {
  name: 'EligibilityRecommendation',
  description: '3 or more needs: an EHA; 2 or fewer: a single agency response.',
});

export const ActionStatus = enumOf(ACTION_STATUSES);
export type ActionStatus = (typeof ACTION_STATUSES)[number];
registerEnumType(ActionStatus, { name: 'ActionStatus' });

export const CloseOutcome = enumOf(CLOSE_OUTCOMES);
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];
registerEnumType(CloseOutcome, {
  name: 'CloseOutcome',
  description:
    'Needs met: closed and signposted. Needs not met: step up to Duty and Advice (immediate safeguarding) or refer to MASP.',
});

export const MaspCriterion = enumOf(MASP_CRITERIA);
export type MaspCriterion = (typeof MASP_CRITERIA)[number];
registerEnumType(MaspCriterion, {
  name: 'MaspCriterion',
  description: 'Why a case goes to the Multi Agency Support Panel.',
});

export const MaspOutcome = enumOf(MASP_OUTCOMES);
export type MaspOutcome = (typeof MASP_OUTCOMES)[number];
registerEnumType(MaspOutcome, {
  name: 'MaspOutcome',
  description:
    'Resources agreed, stepped down, or referred to LARP (a placement recommendation): Early Help continues. Stepped up to Child in Need or progressing to Child Protection: social care leads and the EHA waits for the Single Assessment outcome.',
});

export const SingleAssessmentOutcome = enumOf(SINGLE_ASSESSMENT_OUTCOMES);
export type SingleAssessmentOutcome = (typeof SINGLE_ASSESSMENT_OUTCOMES)[number];
registerEnumType(SingleAssessmentOutcome, {
  name: 'SingleAssessmentOutcome',
  description: 'Social care leads (the EHA closes), or Early Help continues where it was.',
});

export const HouseholdRelationInput = enumOf(REFERRAL_FAMILY_RELATIONS);
export type HouseholdRelationInput = (typeof REFERRAL_FAMILY_RELATIONS)[number];
registerEnumType(HouseholdRelationInput, {
  name: 'ReferralFamilyRelation',
  description: 'A parent or carer named in a referral.',
});

export const StepDownMeeting = enumOf(STEP_DOWN_MEETINGS);
export type StepDownMeeting = (typeof STEP_DOWN_MEETINGS)[number];
registerEnumType(StepDownMeeting, {
  name: 'StepDownMeeting',
  description: 'The social care meeting an EH DAS representative attended before step down.',
});

export const StepDownSupport = enumOf(STEP_DOWN_SUPPORT);
export type StepDownSupport = (typeof STEP_DOWN_SUPPORT)[number];
registerEnumType(StepDownSupport, {
  name: 'StepDownSupport',
  description:
    'What the stepped-down family is offered: an Early Help Assessment, or single-agency Family Support Work.',
});
