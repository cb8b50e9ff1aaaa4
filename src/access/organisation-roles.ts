/**
 * Which roles can exist in each kind of organisation. A token's role must be one its
 * organisation's kind can hold, whoever issued it: a school's issuer cannot make a DPO, an EH DAS
 * screener or a health system out of a school account. Rendered into docs/permissions.md.
 */
import type { OrganisationKind } from '../../schema';
import type { Role } from './roles';

export type { OrganisationKind };

/** The council's roles: Early Help, social care and the partnership's DPO and administrator. */
const COUNCIL: readonly Role[] = [
  'eh_das_screener',
  'eha_coordinator',
  'family_support_manager',
  'family_support_facilitator',
  'family_support_worker',
  'lead_practitioner',
  'masp_chair',
  'social_worker',
  'dpo',
  'admin',
];

/**
 * A lead practitioner comes from any agency (the protocol); the relationship that role reads by is
 * the person's own lead-practitioner involvement, which only the case team records.
 */
export const ORGANISATION_KIND_ROLES: Readonly<Record<OrganisationKind, readonly Role[]>> = {
  // A school may employ its own education welfare (attendance) officer.
  school: ['school_dsl', 'school_staff', 'education_welfare_officer', 'lead_practitioner'],
  health: ['health_visitor', 'school_nurse', 'midwife', 'health_system', 'lead_practitioner'],
  police: ['police_officer', 'police_system'],
  voluntary: ['vcs_worker', 'lead_practitioner'],
  council_early_help: COUNCIL,
  social_care: COUNCIL,
  other: ['lead_practitioner'],
  // A college's and an early years setting's designated safeguarding lead receive Operation
  // Encompass notifications as a school's does, for the children on their roll.
  college: ['school_dsl', 'school_staff', 'lead_practitioner'],
  early_years: ['school_dsl', 'school_staff', 'lead_practitioner'],
  education_welfare: ['education_welfare_officer', 'lead_practitioner'],
  youth_justice: ['youth_justice_worker', 'lead_practitioner'],
  // Partners of the parents sit on the TAF; they do not lead a child's Early Help Assessment.
  adult_services: ['adult_services_worker'],
  jobcentre_plus: ['work_coach'],
};

/** Settings that hold children on a roll and receive Operation Encompass notifications for them. */
export const EDUCATION_SETTING_KINDS = [
  'school',
  'college',
  'early_years',
] as const satisfies readonly OrganisationKind[];
export type EducationSettingKind = (typeof EDUCATION_SETTING_KINDS)[number];

export function roleFitsOrganisationKind(role: Role, kind: string): boolean {
  return (ORGANISATION_KIND_ROLES as Record<string, readonly Role[] | undefined>)[kind]?.includes(role) ?? false;
}
