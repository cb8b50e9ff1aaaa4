/**
 * The purposes each role may state (`x-purpose-of-use`): a school DSL reads to support, to
 * safeguard or for Operation Encompass, never "for audit" or "subject access"; the DPO reads for
 * audit and subject access only; a system account synchronises. A read under a purpose the role
 * may not state is refused (BAD_USER_INPUT on the header) before anything is disclosed.
 * Rendered into docs/permissions.md.
 */
import type { Purpose } from './purposes';
import type { Role } from './roles';

const CASEWORK: readonly Purpose[] = ['direct_support', 'safeguarding'];

export const ROLE_PURPOSES: Readonly<Record<Role, readonly Purpose[]>> = {
  school_dsl: [...CASEWORK, 'operation_encompass'],
  school_staff: ['direct_support'],
  // A toddler in no early years setting: the health visitor on the child's caseload is notified.
  health_visitor: [...CASEWORK, 'operation_encompass'],
  school_nurse: CASEWORK,
  // The trust's system reads back its own caseload for its clinicians.
  health_system: ['system_sync', 'direct_support'],
  police_officer: [...CASEWORK, 'operation_encompass'],
  police_system: ['system_sync', 'operation_encompass'],
  vcs_worker: ['direct_support'],
  lead_practitioner: [...CASEWORK, 'service_planning'],
  // The council Early Help team also receives Operation Encompass notifications for children on no roll.
  eh_das_screener: ['screening', ...CASEWORK, 'service_planning', 'operation_encompass'],
  family_support_manager: [...CASEWORK, 'service_planning', 'screening'],
  social_worker: [...CASEWORK, 'service_planning'],
  masp_chair: ['service_planning', ...CASEWORK],
  // The EHA register is kept from screened referrals: screening, and the register's planning.
  eha_coordinator: ['screening', 'direct_support', 'service_planning'],
  family_support_facilitator: [...CASEWORK, 'service_planning'],
  family_support_worker: CASEWORK,
  education_welfare_officer: CASEWORK,
  midwife: CASEWORK,
  youth_justice_worker: CASEWORK,
  // Partners who work with the parents: support under the family's consent, nothing else.
  adult_services_worker: ['direct_support'],
  work_coach: ['direct_support'],
  dpo: ['audit', 'subject_access'],
  admin: ['system_sync', 'service_planning'],
};

export function mayStatePurpose(role: Role, purpose: Purpose): boolean {
  return ROLE_PURPOSES[role].includes(purpose);
}
