/**
 * What a role may do inside an operation it is allowed to call: the rules the operation table
 * (`operation-permissions.ts`) cannot state because they depend on the case, the field or the
 * moment (who reads the whole EHA plan, who moves an EHA on, who records a locality meeting's
 * decision). Services and resolvers ask `requireCapability(caller, Capability.X)` — never a role —
 * so this table, rendered into docs/permissions.md, is the whole truth about role rules.
 */
import { ForbiddenError } from '../errors';
import type { Role } from './roles';

export const Capability = {
  ReadWholeEhaPlan: 'readWholeEhaPlan',
  WorkEha: 'workEha',
  CloseEha: 'closeEha',
  StepUp: 'stepUp',
  RecordMaspOutcome: 'recordMaspOutcome',
  RecordSingleAssessmentOutcome: 'recordSingleAssessmentOutcome',
  StepDown: 'stepDown',
  OpenHealthLedEha: 'openHealthLedEha',
  RecordOutcomesAfterClosure: 'recordOutcomesAfterClosure',
  ScreenReferral: 'screenReferral',
  SeeMatchCandidates: 'seeMatchCandidates',
  DecidePriorityList: 'decidePriorityList',
  ReportMissingAsPolice: 'reportMissingAsPolice',
  OverseeAccess: 'overseeAccess',
  ChairFirstTaf: 'chairFirstTaf',
  DoFamilySupportWork: 'doFamilySupportWork',
  BeAllocatedReferral: 'beAllocatedReferral',
  TakeSteppedUpCase: 'takeSteppedUpCase',
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];

export interface CapabilityRule {
  roles: readonly Role[];
  /** What it allows, as docs/permissions.md states it. */
  description: string;
  /** The FORBIDDEN message when a caller without it asks. */
  refusal: string;
}

const CASE_WORKERS: readonly Role[] = ['family_support_manager', 'family_support_facilitator', 'lead_practitioner'];

export const CAPABILITIES: Readonly<Record<Capability, CapabilityRule>> = {
  readWholeEhaPlan: {
    roles: [
      ...CASE_WORKERS,
      'family_support_worker',
      'social_worker',
      'masp_chair',
      'eh_das_screener',
      'eha_coordinator',
    ],
    description:
      'read the whole EHA plan (`actionPlan`) and every action and its progress; anyone else reads only the actions their own organisation owns',
    refusal: 'Only the case team reads the whole plan; read planActions',
  },
  workEha: {
    roles: [...CASE_WORKERS, 'family_support_worker', 'social_worker'],
    description:
      'work an EHA: record TAF meetings, set the action plan, record reviews; turn Family Support Work into an EHA (`escalateToEha`)',
    refusal: 'Your role may not work this EHA',
  },
  closeEha: {
    roles: CASE_WORKERS,
    description: 'close an EHA or refer it to the Multi Agency Support Panel',
    refusal: 'Your role may not close this EHA',
  },
  stepUp: {
    roles: [...CASE_WORKERS, 'masp_chair'],
    description: 'step an open EHA up to social care',
    refusal: 'Your role may not step this EHA up',
  },
  recordMaspOutcome: {
    roles: ['masp_chair'],
    description: "record the Multi Agency Support Panel's outcome",
    refusal: 'Your role may not record a MASP outcome',
  },
  recordSingleAssessmentOutcome: {
    roles: ['social_worker'],
    description: "record the outcome of social care's single assessment",
    refusal: 'Your role may not record a single assessment outcome',
  },
  stepDown: {
    roles: ['social_worker'],
    description: 'step a social care case down to Early Help',
    refusal: 'Only social care steps a case down',
  },
  openHealthLedEha: {
    roles: ['health_visitor', 'school_nurse'],
    description:
      "open a health-led Universal Partnership Plus EHA for a child on their own caseload, leading it themselves (never through EH DAS; held out of Liquid Logic's Early Help module)",
    refusal: 'Only a health visitor or school nurse opens a health-led Partnership Plus case',
  },
  recordOutcomesAfterClosure: {
    roles: ['family_support_manager'],
    description:
      'record headline outcomes (achieved, sustained) after an EHA has closed — for a case their own organisation held, with write access to early_help',
    refusal: 'Your role may not record outcomes after closure',
  },
  screenReferral: {
    // The EHA Co-ordinator registers the EHAs that screening opens.
    roles: ['eh_das_screener', 'eha_coordinator'],
    description: 'screen a referral (accept or decline)',
    refusal: 'Only EH DAS screening screens referrals',
  },
  seeMatchCandidates: {
    roles: ['eh_das_screener'],
    description:
      'see and resolve matching candidates: held feed submissions and the records a referred child may be (`matchCandidateIds`); never the referrer',
    refusal: 'Only EH DAS screening sees match candidates',
  },
  decidePriorityList: {
    roles: ['eh_das_screener', 'family_support_manager', 'masp_chair'],
    description: "record a locality meeting's decision on a Priority Children's List entry",
    refusal: "Only the locality meeting's Early Help members record its decisions",
  },
  reportMissingAsPolice: {
    roles: ['police_officer', 'police_system'],
    description:
      'report a missing episode as the police (written under the police category; others write under early_help)',
    refusal: 'Only the police report as the police',
  },
  overseeAccess: {
    roles: ['dpo'],
    description: 'oversee access: the access log, anomalies, override reviews, subject-access exports',
    refusal: 'Only a data protection officer may do this',
  },
  // Held by the person named, not the caller: "first meeting chaired by the FSM / Family Support Facilitator".
  chairFirstTaf: {
    roles: ['family_support_manager', 'family_support_facilitator'],
    description:
      "be named chair of an EHA's first TAF meeting, or be allocated a stepped-down case (whose first TAF they chair): a practitioner holding one of these roles",
    refusal: 'the first Team Around the Family is chaired by a Family Support Manager or a Family Support Facilitator',
  },
  doFamilySupportWork: {
    roles: ['family_support_worker'],
    description:
      "be allocated a step down to single-agency Family Support Work (`stepDown`'s `familySupportWorkerId`): a practitioner holding one of these roles",
    refusal: 'is not a Family Support Worker',
  },
  beAllocatedReferral: {
    roles: ['family_support_manager'],
    description:
      "be allocated as Family Support Manager the EHA an accepted referral or a health-led opening starts (`screenReferral`'s and `openHealthLedEha`'s `familySupportManagerId`): a practitioner holding one of these roles",
    refusal: 'is not a Family Support Manager',
  },
  takeSteppedUpCase: {
    roles: ['social_worker'],
    description:
      "be allocated a case stepped up to social care (`stepUp`'s `socialWorkerId`): a practitioner holding one of these roles",
    refusal: 'is not a social worker',
  },
};

/** The roles holding a capability, for tables that list roles (operation permissions). */
export function capabilityRoles(capability: Capability): readonly Role[] {
  return CAPABILITIES[capability].roles;
}

export function hasCapability(caller: { role: Role }, capability: Capability): boolean {
  return CAPABILITIES[capability].roles.includes(caller.role);
}

/** Whether a practitioner named in a change (a chair, an allocated worker) holds the capability by one of their roles. */
export function practitionerHolds(practitioner: { roles: readonly string[] }, capability: Capability): boolean {
  const roles: readonly string[] = CAPABILITIES[capability].roles;
  return practitioner.roles.some((role) => roles.includes(role));
}

/** FORBIDDEN (with the table's refusal, or `refusal`) unless the caller's role holds the capability. */
export function requireCapability(
  caller: { role: Role },
  capability: Capability,
  refusal?: { message?: string; extensions?: Record<string, unknown> },
): void {
  if (!hasCapability(caller, capability))
    throw new ForbiddenError(refusal?.message ?? CAPABILITIES[capability].refusal, refusal?.extensions);
}
