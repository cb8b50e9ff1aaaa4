/** Roles the partnership's identity providers may put in a token's `role` claim. */
export const ROLES = [
  'school_dsl',
  'school_staff',
  'health_visitor',
  'school_nurse',
  'health_system',
  'police_officer',
  'police_system',
  'vcs_worker',
  'lead_practitioner',
  'eh_das_screener',
  'family_support_manager',
  'social_worker',
  'masp_chair',
  'eha_coordinator',
  'family_support_facilitator',
  'family_support_worker',
  'education_welfare_officer',
  'midwife',
  'youth_justice_worker',
  'adult_services_worker',
  'work_coach',
  'dpo',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
