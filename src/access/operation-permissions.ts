/**
 * Which roles may call each root field: the shield's rule tree is built from this table, and any
 * root field not listed is denied (fallbackRule deny). Field-level access to a child's data is
 * decided separately, per category, by the category guard.
 */
import type { Role } from './roles';

const PRACTITIONERS: readonly Role[] = [
  'school_dsl', 'school_staff', 'health_visitor', 'school_nurse', 'police_officer', 'vcs_worker',
  'lead_practitioner', 'eh_das_screener', 'family_support_manager', 'social_worker', 'masp_chair',
];
const SYSTEMS: readonly Role[] = ['health_system', 'police_system'];
/** Everyone who may read case content; never the DPO or admin. */
export const CASE_READERS: readonly Role[] = [...PRACTITIONERS, ...SYSTEMS];
export const EVERY_ROLE: readonly Role[] = [...CASE_READERS, 'dpo', 'admin'];

export type OperationPermissions = Record<'Query' | 'Mutation' | 'Subscription', Record<string, readonly Role[]>>;

export const OPERATION_PERMISSIONS: OperationPermissions = {
  Query: {
    me: EVERY_ROLE,
    child: CASE_READERS,
    children: CASE_READERS,
  },
  Mutation: {
    registerChild: ['eh_das_screener', 'family_support_manager', 'social_worker', 'lead_practitioner', 'admin'],
    mergeChildren: ['eh_das_screener', 'admin'],
  },
  Subscription: {},
};
