/**
 * The partnership's full performance book: every indicator with its default owner. Owners and
 * narratives can be set per period; the numbers come from the hub's data, or for the indicators
 * marked `submitted`, from the owner's latest submitted figure for the period.
 */
export const INDICATORS = {
  contacts_requesting_targeted_early_help: {
    title: 'Contacts requesting targeted Early Help (by source: the kind of the referring organisation)',
    owner: 'Head of Early Help (EH DAS)',
    unit: 'count',
  },
  early_help_casework: {
    title:
      'Early Help casework: EHAs open at the end of the period (EHAs accepted and Targeted Support started in the period as the breakdown)',
    owner: 'Early Help Service Manager',
    unit: 'count',
  },
  step_up: { title: 'Step up to social care', owner: 'Early Help Service Manager', unit: 'count' },
  step_down: { title: 'Step down from social care', owner: "Head of Children's Social Care", unit: 'count' },
  primary_persistent_absence: {
    title: 'Primary persistent absence (>10% of sessions missed)',
    owner: 'Education Welfare Lead',
    unit: 'percent',
  },
  secondary_persistent_absence: {
    title: 'Secondary persistent absence (>10% of sessions missed)',
    owner: 'Education Welfare Lead',
    unit: 'percent',
  },
  primary_fixed_period_exclusions: {
    title: 'Primary pupils with one or more fixed-period exclusions',
    owner: 'Inclusion Lead',
    unit: 'percent',
  },
  secondary_fixed_period_exclusions: {
    title: 'Secondary pupils with one or more fixed-period exclusions',
    owner: 'Inclusion Lead',
    unit: 'percent',
  },
  domestic_abuse_incidents_start_end: {
    title: 'Domestic abuse incidents at start and end of intervention (EHAs closed in the period)',
    owner: 'Domestic Abuse Partnership Lead',
    unit: 'count',
  },
  family_wellbeing_improvement: {
    title: 'Family wellbeing improvement (families with positive distance travelled)',
    owner: 'Supporting Families Lead',
    unit: 'percent',
  },
  distance_travelled: {
    title: 'Distance travelled (mean Rickter Scale change per family)',
    owner: 'Supporting Families Lead',
    unit: 'points',
  },
  re_referrals_within_12_months: {
    title:
      'Re-referrals: referrals accepted for an EHA in the period (the date of acceptance) for a child with an earlier EHA closed in the 12 months up to the referral date, as a share of all referrals accepted in the period',
    owner: 'Head of Early Help (EH DAS)',
    unit: 'percent',
  },
  ehas_reviewed_within_3_months: {
    title:
      'EHAs reviewed within 3 months: of the EHAs with a review due in the period (3 months after the plan was agreed or the last review, the EHA still open that day and not at MASP or stepped up awaiting social care), those whose every review due in the period was held by then',
    owner: 'Early Help Service Manager',
    unit: 'percent',
  },
  step_down_first_taf_within_21_days: {
    title:
      'Step downs whose first TAF met within 21 days: of the step downs to an EHA in the period (the date of step down; Family Support Work has no TAF), those whose first TAF was held by day 21 (step downs still inside their 21 days without a TAF are left out until they are due)',
    owner: 'Early Help Service Manager',
    unit: 'percent',
  },
  return_interviews_within_72_hours: {
    title:
      'Return interviews offered within 72 hours: of the missing-from-home episodes whose young person returned in the period (the London date of the return), those whose return interview was offered within 72 hours of the return (episodes still inside their 72 hours without an offer are left out until they are due)',
    owner: 'Head of Early Help (EH DAS)',
    unit: 'percent',
  },
  encompass_acknowledged_by_deadline: {
    title:
      'Operation Encompass notifications acknowledged by their deadline: of the notifications whose deadline (the start of the recipient’s next school day) fell in the period and has passed, those acknowledged at or before it',
    owner: 'Domestic Abuse Partnership Lead',
    unit: 'percent',
  },
  ehas_closed_outcomes_met: {
    title:
      'EHAs closed with their outcomes achieved: of the EHAs closed in the period (the closure date), those closed with needs met (the other closure reasons as the breakdown)',
    owner: 'Early Help Service Manager',
    unit: 'percent',
  },
  stepped_up_within_12_months_of_closure: {
    title:
      'Children stepped up to social care within 12 months of Early Help closing: children stepped up in the period (an EHA stepped up, or a referral passed to social care at screening) with an earlier EHA closed with needs met in the 12 months up to the step up',
    owner: "Head of Children's Social Care",
    unit: 'count',
  },
  // Submitted by their owners (submitIndicatorFigure): the hub holds no data for them.
  under_18_conceptions: {
    title: 'Under-18 conceptions (rate per 1,000 females aged 15–17)',
    owner: 'Director of Public Health',
    unit: 'rate per 1,000',
    submitted: true,
  },
  infant_mortality: {
    title: 'Infant mortality (deaths under 1 year per 1,000 live births)',
    owner: 'Director of Public Health',
    unit: 'rate per 1,000',
    submitted: true,
  },
  eyfs_good_level_of_development: {
    title: 'Children achieving a good level of development at the end of the Early Years Foundation Stage',
    owner: 'Head of Early Years',
    unit: 'percent',
    submitted: true,
  },
  first_time_entrants: {
    title: 'First-time entrants to the youth justice system (aged 10–17)',
    owner: 'Head of Youth Offending Service',
    unit: 'count',
    submitted: true,
  },
  homeless_16_17: {
    title: '16–17-year-olds presenting as homeless',
    owner: 'Head of Housing Options',
    unit: 'count',
    submitted: true,
  },
  neet_16_17: {
    title:
      '16–17-year-olds not in education, employment or training (NEET), as a share of the 16–17-year-olds the council tracks',
    owner: '14–19 / Participation Lead',
    unit: 'percent',
    submitted: true,
  },
} as const satisfies Record<string, { title: string; owner: string; unit: string; submitted?: true }>;

export type IndicatorKey = keyof typeof INDICATORS;
export const INDICATOR_KEYS = Object.keys(INDICATORS) as IndicatorKey[];
/** Indicators whose figures the owner submits rather than the hub computing them. */
export const SUBMITTED_INDICATOR_KEYS = INDICATOR_KEYS.filter((k) => 'submitted' in INDICATORS[k]);
export type SubmittedIndicatorKey = (typeof SUBMITTED_INDICATOR_KEYS)[number];

/** Primary: under 11 on the last day of the period; secondary: 11 and over. */
export const SECONDARY_FROM_AGE = 11;
