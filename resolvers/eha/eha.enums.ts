/** GraphQL enums of the Early Help workflow; the values are the ones stored and used by the services. */
import { registerEnumType } from 'type-graphql';
import { NEED_CATEGORIES } from '../../src/workflow/needs';

export enum NeedCategory {
  good_education = 'good_education', early_years_development = 'early_years_development',
  mental_physical_health = 'mental_physical_health', substance_use = 'substance_use',
  family_relationships = 'family_relationships', safe_from_abuse_exploitation = 'safe_from_abuse_exploitation',
  crime_prevention = 'crime_prevention', safe_from_domestic_abuse = 'safe_from_domestic_abuse',
  secure_housing = 'secure_housing', financial_stability = 'financial_stability',
}
registerEnumType(NeedCategory, {
  name: 'NeedCategory',
  description: 'The ten Supporting Families headline outcomes: the fixed list of needs a referral and a plan name.',
  valuesConfig: Object.fromEntries(Object.entries(NEED_CATEGORIES).map(([k, description]) => [k, { description }])),
});

export enum EhaStatus {
  awaiting_first_taf = 'awaiting_first_taf', taf_held = 'taf_held', plan_in_place = 'plan_in_place',
  under_review = 'under_review', at_masp = 'at_masp', stepped_up_awaiting_outcome = 'stepped_up_awaiting_outcome', closed = 'closed',
}
registerEnumType(EhaStatus, { name: 'EhaStatus', description: 'Where an Early Help Assessment is in the workflow. Illegal moves are refused with INVALID_TRANSITION.' });

export enum EhaOrigin { referral = 'referral', step_down = 'step_down' }
registerEnumType(EhaOrigin, { name: 'EhaOrigin', description: 'An accepted referral, or a step down from social care.' });

export enum ReferralStatus { submitted = 'submitted', accepted = 'accepted', declined = 'declined' }
registerEnumType(ReferralStatus, { name: 'ReferralStatus' });

export enum ScreeningDecision { accept = 'accept', decline = 'decline' }
registerEnumType(ScreeningDecision, { name: 'ScreeningDecision', description: 'The EH DAS screener\'s decision; the eligibility rule is only a recommendation.' });

export enum EligibilityRecommendation { early_help_assessment = 'early_help_assessment', single_agency_response = 'single_agency_response' }
registerEnumType(EligibilityRecommendation, { name: 'EligibilityRecommendation', description: '3 or more needs: an EHA; 2 or fewer: a single agency response.' });

export enum ActionStatus { not_started = 'not_started', in_progress = 'in_progress', done = 'done', no_longer_needed = 'no_longer_needed' }
registerEnumType(ActionStatus, { name: 'ActionStatus' });

export enum CloseOutcome { needs_met = 'needs_met', needs_not_met_step_up = 'needs_not_met_step_up', needs_not_met_masp = 'needs_not_met_masp' }
registerEnumType(CloseOutcome, {
  name: 'CloseOutcome',
  description: 'Needs met: closed and signposted. Needs not met: step up to Duty and Advice (immediate safeguarding) or refer to MASP.',
});

export enum MaspCriterion {
  no_improvement = 'no_improvement', escalation = 'escalation', high_cost = 'high_cost',
  history_of_re_referrals = 'history_of_re_referrals', at_risk_of_becoming_accommodated = 'at_risk_of_becoming_accommodated',
}
registerEnumType(MaspCriterion, { name: 'MaspCriterion', description: 'Why a case goes to the Multi Agency Support Panel.' });

export enum MaspOutcome {
  resources_agreed = 'resources_agreed', stepped_up_child_in_need = 'stepped_up_child_in_need',
  stepped_down_early_help = 'stepped_down_early_help', progress_to_child_protection = 'progress_to_child_protection', refer_to_larp = 'refer_to_larp',
}
registerEnumType(MaspOutcome, { name: 'MaspOutcome', description: 'Resources agreed or stepped down: Early Help continues. Otherwise social care leads and the EHA waits for the Single Assessment outcome.' });

export enum SingleAssessmentOutcome { social_care_leads = 'social_care_leads', continue_early_help = 'continue_early_help' }
registerEnumType(SingleAssessmentOutcome, { name: 'SingleAssessmentOutcome', description: 'Social care leads (the EHA closes), or Early Help continues where it was.' });

export enum HouseholdRelationInput { parent = 'parent', carer = 'carer' }
registerEnumType(HouseholdRelationInput, { name: 'ReferralFamilyRelation', description: 'A parent or carer named in a referral.' });
