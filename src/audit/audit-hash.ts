/** The audit chain's hash: SHA-256 over the previous hash and a canonical form of the row. */
import { createHash } from 'node:crypto';

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

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
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
