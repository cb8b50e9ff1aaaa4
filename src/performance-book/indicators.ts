/**
 * The partnership's full performance book: every indicator with its default
 * owner. Owners and narratives can be set per period; the numbers always come from the hub's data.
 */
export const INDICATORS = {
  contacts_requesting_targeted_early_help: {
    title: 'Contacts requesting targeted Early Help (by source: the kind of the referring organisation)',
    owner: 'Head of Early Help (EH DAS)',
    unit: 'count',
  },
  early_help_casework: {
    title:
      'Early Help casework: EHAs open at the end of the period (targeted support accepted in the period as the breakdown)',
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
} as const;

export type IndicatorKey = keyof typeof INDICATORS;
export const INDICATOR_KEYS = Object.keys(INDICATORS) as IndicatorKey[];

/** Primary: under 11 on the last day of the period; secondary: 11 and over. */
export const SECONDARY_FROM_AGE = 11;
