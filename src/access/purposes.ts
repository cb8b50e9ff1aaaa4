/**
 * Purposes of access (header `x-purpose-of-use`). Consent is given for purposes; the audit records
 * the purpose of every read.
 */
export const PURPOSES = [
  'direct_support', // working with the child and family (TAF, plan, review)
  'screening', // EH DAS screening of a referral
  'safeguarding', // responding to a safeguarding concern
  'operation_encompass', // police notification to a school
  'service_planning', // MASP, allocation, caseload management
  'system_sync', // partner system and Liquid Logic synchronisation
  'audit', // DPO oversight
  'subject_access', // answering a subject access request
] as const;
export type Purpose = (typeof PURPOSES)[number];

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

export const PURPOSE_HEADER = 'x-purpose-of-use';
