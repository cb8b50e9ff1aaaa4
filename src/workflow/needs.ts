/**
 * The identified needs of a referral: the ten Supporting Families headline outcomes, a fixed list
 * so the performance book and the eligibility rule count the same things.
 */
export const NEED_CATEGORIES = {
  good_education: 'Getting a good education: attendance, engagement and progress at school or college',
  early_years_development: 'Good early years development: health, language and readiness for school',
  mental_physical_health: 'Improved mental and physical health of children and adults',
  substance_use: 'Promoting recovery and reducing harm from substance use',
  family_relationships: 'Improved family relationships: parenting, conflict and family functioning',
  safe_from_abuse_exploitation: 'Children safe from abuse and exploitation, inside and outside the home',
  crime_prevention: 'Crime prevention and tackling crime: offending and anti-social behaviour',
  safe_from_domestic_abuse: 'Safe from domestic abuse',
  secure_housing: 'Secure housing: no risk of homelessness, a safe and suitable home',
  financial_stability: 'Financial stability: income, debt and work',
} as const;

export type NeedCategory = keyof typeof NEED_CATEGORIES;
export const NEED_CATEGORY_KEYS = Object.keys(NEED_CATEGORIES) as NeedCategory[];

/** The partnership's eligibility rule: "3 or more needs … complex, beyond a single agency"; "two or fewer unmet needs = single agency response". */
export const ELIGIBILITY_RECOMMENDATIONS = ['early_help_assessment', 'single_agency_response'] as const;
export type EligibilityRecommendation = (typeof ELIGIBILITY_RECOMMENDATIONS)[number];

export function recommendFor(needCount: number): EligibilityRecommendation {
  return needCount >= EHA_NEEDS_THRESHOLD ? 'early_help_assessment' : 'single_agency_response';
}

/** The eligibility rule's threshold: an EHA below it needs a recorded reason. */
export const EHA_NEEDS_THRESHOLD = 3;

/** The levels of need are the database enum's values (schema/tables/workflow.ts). */
export { LEVELS_OF_NEED, type LevelOfNeed } from '../../schema/tables/workflow';
