/**
 * The Information Sharing Agreement as data: for each role, which relationship to a child counts,
 * which data categories it may read and write, and on what basis. The README's permission table
 * is rendered from this object (`npm run -s permissions:table`), so what a DPO reads is what runs.
 *
 * Read basis:
 *  - `isa`: shareable without consent, on the legal basis named in `ISA_LEGAL_BASES`;
 *  - `consent`: needs consent in force for the caller's organisation, category and purpose, or a
 *    safeguarding override in force.
 * A category a role does not list is refused with FORBIDDEN whatever the consent.
 */
import type { DataCategory } from './categories';
import type { Purpose } from './purposes';
import type { Role } from './roles';
import type { InvolvementKind } from './relationship-kinds';

export type ReadBasis = 'isa' | 'consent';

export interface RolePermission {
  /** Who the role is: shown in the rendered table. */
  readonly description: string;
  /** Involvement kinds that make a child "theirs", and whether the organisation's or the person's. */
  readonly relationship: {
    readonly kinds: readonly InvolvementKind[];
    readonly scope: 'organisation' | 'practitioner';
  } | null;
  readonly read: Partial<Record<DataCategory, ReadBasis>>;
  readonly write: readonly DataCategory[];
  /** May declare a safeguarding override (seeking consent would increase the risk of harm). */
  readonly mayDeclareOverride: boolean;
  /** The statute an `isa` read rests on when it is not the role's own (ISA_LEGAL_BASES). */
  readonly legalBasis?: string;
}

/** Statutory bases the ISA relies on where consent is not the basis. */
export const ISA_LEGAL_BASES: Partial<Record<Role, string>> = {
  school_dsl: 'Education Act 2002 s175; KCSIE: own pupil record',
  school_staff: 'Education Act 2002 s175: own pupil record',
  health_visitor: 'Health and Social Care Act 2012: own patient record',
  school_nurse: 'Health and Social Care Act 2012: own patient record',
  health_system: 'Health and Social Care Act 2012: own patient record',
  police_officer: 'Police Act 1996 / Children Act 2004 s11: own incident record',
  police_system: 'Children Act 2004 s11; Operation Encompass statutory duty',
  social_worker: 'Children Act 1989 s17/s47: statutory social care',
  eh_das_screener: 'Children Act 2004 s10: screening of a consented referral',
  family_support_manager: 'Children Act 2004 s10: allocated Early Help case',
  lead_practitioner: 'Children Act 2004 s10: lead practitioner of the EHA',
  masp_chair: 'Children Act 2004 s10: Multi Agency Support Panel referral',
  vcs_worker: 'Consent of the family (no statutory basis)',
  eha_coordinator: 'Children Act 2004 s10: the register of consented Early Help Assessments',
  family_support_facilitator: 'Children Act 2004 s10: allocated Early Help case',
  family_support_worker: 'Children Act 2004 s10: allocated Early Help case',
  education_welfare_officer: 'Education Act 1996 ss444–447 (school attendance); Education Act 2002 s175',
  midwife: 'Health and Social Care Act 2012: own patient record',
  youth_justice_worker:
    "Crime and Disorder Act 1998 s39; Children Act 2004 s11: youth justice service at the child's TAF",
  adult_services_worker: 'Consent of the family (no statutory basis)',
  work_coach: 'Consent of the family (no statutory basis)',
};

/**
 * Partners at a child's Team Around the Family who work with the parents, not the child: they read
 * only what the family consented to share with their kind of organisation, and never social care or
 * police information, whatever the consent.
 */
const PARENTS_PARTNER_READ: RolePermission['read'] = {
  identity: 'consent',
  contact: 'consent',
  early_help: 'consent',
  family: 'consent',
};

const CASE_CATEGORIES: readonly DataCategory[] = [
  'identity',
  'identifiers',
  'contact',
  'education',
  'health',
  'police',
  'social_care',
  'early_help',
  'family',
];

export const ISA_PERMISSIONS: Readonly<Record<Role, RolePermission>> = {
  school_dsl: {
    description: 'Designated safeguarding lead of a school',
    relationship: { kinds: ['on_roll'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      education: 'isa',
      contact: 'isa',
      early_help: 'consent',
      family: 'consent',
      health: 'consent',
      police: 'isa',
      social_care: 'consent',
    },
    write: ['education', 'early_help'],
    mayDeclareOverride: true,
  },
  school_staff: {
    description: 'School staff (teachers, pastoral staff, MIS plugin users)',
    relationship: { kinds: ['on_roll'], scope: 'organisation' },
    read: { identity: 'isa', identifiers: 'isa', education: 'isa', early_help: 'consent' },
    write: ['education'],
    mayDeclareOverride: false,
  },
  health_visitor: {
    description: 'Health visitor (0–5), community trust',
    relationship: { kinds: ['caseload'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      contact: 'isa',
      health: 'isa',
      early_help: 'consent',
      family: 'consent',
      education: 'consent',
    },
    write: ['health', 'early_help'],
    mayDeclareOverride: true,
  },
  school_nurse: {
    description: 'School nurse (5–19), community trust',
    relationship: { kinds: ['caseload'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      contact: 'isa',
      health: 'isa',
      early_help: 'consent',
      education: 'consent',
    },
    write: ['health', 'early_help'],
    mayDeclareOverride: true,
  },
  health_system: {
    description: 'Community trust system posting health levels (service account)',
    relationship: { kinds: ['caseload'], scope: 'organisation' },
    read: { identity: 'isa', identifiers: 'isa', health: 'isa' },
    write: ['health'],
    mayDeclareOverride: false,
  },
  police_officer: {
    description: 'Police officer (vulnerability / child abuse investigation)',
    relationship: { kinds: ['police_notification', 'operation_encompass'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      police: 'isa',
      contact: 'consent',
      early_help: 'consent',
      family: 'consent',
    },
    write: ['police'],
    mayDeclareOverride: true,
  },
  police_system: {
    description: 'Police system sending Operation Encompass notifications (service account)',
    relationship: { kinds: ['police_notification', 'operation_encompass'], scope: 'organisation' },
    read: { identity: 'isa', police: 'isa' },
    write: ['police'],
    mayDeclareOverride: false,
  },
  vcs_worker: {
    description: 'Voluntary and community sector worker',
    relationship: { kinds: ['vcs_support'], scope: 'organisation' },
    read: { identity: 'consent', contact: 'consent', early_help: 'consent', family: 'consent' },
    write: ['early_help'],
    mayDeclareOverride: false,
  },
  lead_practitioner: {
    description: 'Lead practitioner of an Early Help Assessment (any agency)',
    relationship: { kinds: ['lead_practitioner'], scope: 'practitioner' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      early_help: 'isa',
      contact: 'consent',
      education: 'consent',
      health: 'consent',
      police: 'consent',
      social_care: 'consent',
      family: 'consent',
    },
    write: ['early_help', 'family', 'contact'],
    mayDeclareOverride: true,
  },
  eh_das_screener: {
    description: 'Early Help Duty and Advice (EH DAS) screener',
    relationship: { kinds: ['screening'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      early_help: 'isa',
      contact: 'consent',
      education: 'consent',
      health: 'consent',
      police: 'consent',
      social_care: 'isa',
      family: 'consent',
    },
    write: ['early_help', 'identity', 'identifiers'],
    mayDeclareOverride: true,
  },
  family_support_manager: {
    description: 'Family Support Manager of a cluster',
    relationship: { kinds: ['allocated_family_support'], scope: 'practitioner' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      early_help: 'isa',
      contact: 'consent',
      education: 'consent',
      health: 'consent',
      police: 'consent',
      social_care: 'consent',
      family: 'consent',
    },
    write: ['early_help', 'family', 'contact'],
    mayDeclareOverride: true,
  },
  social_worker: {
    description: "Social worker (children's social care)",
    relationship: { kinds: ['allocated_social_worker'], scope: 'practitioner' },
    read: Object.fromEntries(CASE_CATEGORIES.map((c) => [c, 'isa' as const])),
    write: ['social_care', 'early_help', 'family', 'contact'],
    mayDeclareOverride: true,
  },
  masp_chair: {
    description: 'Chair of the Multi Agency Support Panel',
    relationship: { kinds: ['masp'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      early_help: 'isa',
      contact: 'consent',
      education: 'consent',
      health: 'consent',
      police: 'consent',
      social_care: 'consent',
      family: 'consent',
    },
    write: ['early_help'],
    mayDeclareOverride: true,
  },
  eha_coordinator: {
    description: "EHA Co-ordinator: keeps the council's register of Early Help Assessments; no social care information",
    relationship: { kinds: ['screening'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      early_help: 'isa',
      contact: 'consent',
      education: 'consent',
      health: 'consent',
      police: 'consent',
      family: 'consent',
    },
    write: ['early_help'],
    mayDeclareOverride: false,
  },
  family_support_facilitator: {
    description: 'Family Support Facilitator (council Early Help): chairs a first TAF, leads allocated cases',
    relationship: { kinds: ['allocated_family_support', 'lead_practitioner'], scope: 'practitioner' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      early_help: 'isa',
      contact: 'consent',
      education: 'consent',
      health: 'consent',
      police: 'consent',
      social_care: 'consent',
      family: 'consent',
    },
    write: ['early_help', 'family', 'contact'],
    mayDeclareOverride: true,
  },
  family_support_worker: {
    description:
      'Family Support Worker (council Early Help): single-agency family support, lead practitioner of allocated cases',
    relationship: { kinds: ['lead_practitioner', 'allocated_family_support'], scope: 'practitioner' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      early_help: 'isa',
      contact: 'consent',
      education: 'consent',
      health: 'consent',
      police: 'consent',
      social_care: 'consent',
      family: 'consent',
    },
    write: ['early_help', 'family', 'contact'],
    mayDeclareOverride: true,
  },
  education_welfare_officer: {
    description:
      "Education welfare officer: attendance and exclusions, in the council's education welfare service or a school",
    // At a school: its own pupils; in the council's service: the children whose TAF it sits on.
    relationship: { kinds: ['taf_member', 'on_roll'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      education: 'isa',
      contact: 'consent',
      early_help: 'consent',
      family: 'consent',
    },
    write: ['education', 'early_help'],
    mayDeclareOverride: true,
  },
  midwife: {
    description: 'Midwife (maternity): antenatal care of the unborn child and care of the newborn',
    relationship: { kinds: ['caseload', 'taf_member'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      contact: 'isa',
      health: 'isa',
      early_help: 'consent',
      family: 'consent',
    },
    write: ['health', 'early_help'],
    mayDeclareOverride: true,
  },
  youth_justice_worker: {
    description: 'Youth justice or targeted youth support worker (youth justice service)',
    relationship: { kinds: ['taf_member'], scope: 'organisation' },
    read: {
      identity: 'isa',
      identifiers: 'isa',
      contact: 'consent',
      education: 'consent',
      health: 'consent',
      police: 'consent',
      early_help: 'consent',
      family: 'consent',
    },
    write: ['early_help'],
    mayDeclareOverride: true,
  },
  adult_services_worker: {
    description:
      'Adult services worker (adult social care, adult mental health, substance misuse) working with the parents',
    relationship: { kinds: ['taf_member'], scope: 'organisation' },
    read: PARENTS_PARTNER_READ,
    write: [],
    mayDeclareOverride: false,
  },
  work_coach: {
    description: 'Jobcentre Plus work coach supporting the parents into work',
    relationship: { kinds: ['taf_member'], scope: 'organisation' },
    read: PARENTS_PARTNER_READ,
    write: [],
    mayDeclareOverride: false,
  },
  dpo: {
    description: 'Data protection officer: audit data, never case content',
    relationship: null,
    read: {},
    write: [],
    mayDeclareOverride: false,
  },
  admin: {
    description: 'Hub administrator: reference data, never case content',
    relationship: null,
    read: {},
    write: [],
    mayDeclareOverride: false,
  },
};

/**
 * Bases that hold for one purpose only. Under that purpose the role's permission is this one
 * instead of its own: the relationship is only the purpose's (so a child the role knows for other
 * work is not readable under it), reads rest on the statute named, and nothing is written.
 */
export type PurposePermission = Omit<RolePermission, 'write' | 'mayDeclareOverride' | 'legalBasis'> & {
  readonly legalBasis: string;
};

/** The Victims and Prisoners Act 2024 duty: police notify a child's education setting, or the designated team, of domestic abuse. */
const ENCOMPASS_DUTY =
  'Victims and Prisoners Act 2024 (Operation Encompass duty): a notification routed to this organisation, read for that purpose only';

export const PURPOSE_PERMISSIONS: Readonly<Partial<Record<Role, Partial<Record<Purpose, PurposePermission>>>>> = {
  // Home-educated children and 16–17-year-olds on no roll, and toddlers in no setting, are routed
  // to the council's Early Help team; it reads those notifications without consent.
  eh_das_screener: {
    operation_encompass: {
      description: 'Early Help team designated to receive Operation Encompass notifications for children on no roll',
      relationship: { kinds: ['encompass_recipient'], scope: 'organisation' },
      read: { identity: 'isa', police: 'isa' },
      legalBasis: ENCOMPASS_DUTY,
    },
  },
  // A child below reception age in no early years setting: the health visitor on the child's caseload.
  health_visitor: {
    operation_encompass: {
      description: 'Health visitor of a child below reception age in no early years setting',
      relationship: { kinds: ['encompass_recipient'], scope: 'organisation' },
      read: { identity: 'isa', police: 'isa' },
      legalBasis: ENCOMPASS_DUTY,
    },
  },
};

/** The permission a request works under: the purpose's own where one is stated for the role, else the role's. */
export function permissionFor(role: Role, purpose: Purpose | null): RolePermission {
  const special = purpose ? PURPOSE_PERMISSIONS[role]?.[purpose] : undefined;
  return special ? { ...special, write: [], mayDeclareOverride: false } : ISA_PERMISSIONS[role];
}
