import { describe, expect, it } from 'vitest';
import { ORGANISATION_KIND_ROLES, roleFitsOrganisationKind } from './organisation-roles';
import { ROLES } from './roles';

describe('roles each kind of organisation can hold', () => {
  it('gives every role a home, and case-content roles never the DPO or admin of a partner', () => {
    for (const role of ROLES)
      expect(
        Object.values(ORGANISATION_KIND_ROLES).some((roles) => roles.includes(role)),
        role,
      ).toBe(true);
    for (const kind of [
      'school',
      'health',
      'police',
      'voluntary',
      'other',
      'education_welfare',
      'youth_justice',
      'adult_services',
      'jobcentre_plus',
    ] as const) {
      expect(ORGANISATION_KIND_ROLES[kind]).not.toContain('dpo');
      expect(ORGANISATION_KIND_ROLES[kind]).not.toContain('admin');
      expect(ORGANISATION_KIND_ROLES[kind]).not.toContain('eh_das_screener');
    }
  });

  it.each([
    ['school_dsl', 'school', true],
    ['dpo', 'school', false],
    ['health_system', 'school', false],
    ['health_system', 'health', true],
    ['police_system', 'health', false],
    ['admin', 'council_early_help', true],
    ['lead_practitioner', 'voluntary', true],
    ['school_dsl', 'unknown-kind', false],
    ['eha_coordinator', 'council_early_help', true],
    ['eha_coordinator', 'school', false],
    ['family_support_facilitator', 'council_early_help', true],
    ['family_support_facilitator', 'voluntary', false],
    ['family_support_worker', 'council_early_help', true],
    ['family_support_worker', 'health', false],
    ['education_welfare_officer', 'education_welfare', true],
    ['education_welfare_officer', 'school', true],
    ['education_welfare_officer', 'police', false],
    ['midwife', 'health', true],
    ['midwife', 'council_early_help', false],
    ['youth_justice_worker', 'youth_justice', true],
    ['youth_justice_worker', 'police', false],
    ['lead_practitioner', 'youth_justice', true],
    ['adult_services_worker', 'adult_services', true],
    ['adult_services_worker', 'social_care', false],
    ['lead_practitioner', 'adult_services', false],
    ['work_coach', 'jobcentre_plus', true],
    ['work_coach', 'council_early_help', false],
    ['dpo', 'jobcentre_plus', false],
  ] as const)('%s in a %s organisation: %s', (role, kind, fits) => {
    expect(roleFitsOrganisationKind(role, kind)).toBe(fits);
  });
});
