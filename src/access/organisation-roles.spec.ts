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
    for (const kind of ['school', 'health', 'police', 'voluntary', 'other'] as const) {
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
  ] as const)('%s in a %s organisation: %s', (role, kind, fits) => {
    expect(roleFitsOrganisationKind(role, kind)).toBe(fits);
  });
});
