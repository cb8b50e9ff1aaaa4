/** The audit chain's hash: SHA-256 over the previous hash and a canonical form of the row. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashableAuditRow {
  requestId: string;
  occurredAt: Date;
  callerSubject: string;
  callerOrganisationId: string;
  callerRole: string;
  clientId: string | null;
  purpose: string | null;
  operation: string;
  operationName: string | null;
  childId: string;
  categoriesReturned: string[];
  fieldsReturned: string[];
  fieldsRedacted: unknown;
  basis: unknown;
  changes: unknown;
  flags: string[];
}

export function auditRowHash(prevHash: string, row: HashableAuditRow): string {
  const content: HashableAuditRow = {
    requestId: row.requestId, occurredAt: row.occurredAt, callerSubject: row.callerSubject,
    callerOrganisationId: row.callerOrganisationId, callerRole: row.callerRole, clientId: row.clientId,
    purpose: row.purpose, operation: row.operation, operationName: row.operationName, childId: row.childId,
    categoriesReturned: row.categoriesReturned, fieldsReturned: row.fieldsReturned, fieldsRedacted: row.fieldsRedacted,
    basis: row.basis, changes: row.changes, flags: row.flags,
  };
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}
