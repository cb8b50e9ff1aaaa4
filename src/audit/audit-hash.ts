/**
 * What the audit log commits to for one row. The entry is the canonical JSON of the row's seq and
 * content; its Merkle leaf hash is RFC 9162's SHA-256(0x00 ‖ entry). The row's MAC, taken with a
 * key the database never holds, is what tells a row the hub wrote from one inserted behind its
 * back: only rows with a valid MAC are integrated into the log.
 *
 * The offline verifier (audit-verify.cli.ts) uses `auditEntry` and `leafHash` on an export:
 * change either and every published checkpoint stops verifying.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';
import { leafHash, type Hash } from './merkle';

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

/** The row's content, and only it, in a fixed shape (a row read back carries more columns). */
export function auditContent(row: HashableAuditRow): HashableAuditRow {
  return {
    requestId: row.requestId,
    occurredAt: row.occurredAt,
    callerSubject: row.callerSubject,
    callerOrganisationId: row.callerOrganisationId,
    callerRole: row.callerRole,
    clientId: row.clientId,
    purpose: row.purpose,
    operation: row.operation,
    operationName: row.operationName,
    childId: row.childId,
    categoriesReturned: row.categoriesReturned,
    fieldsReturned: row.fieldsReturned,
    fieldsRedacted: row.fieldsRedacted,
    basis: row.basis,
    changes: row.changes,
    flags: row.flags,
  };
}

/** The log entry of a stored row: its seq and content, canonical JSON. */
export function auditEntry(seq: number, row: HashableAuditRow): string {
  return canonicalJson({ seq, ...auditContent(row) });
}

export function auditLeafHash(seq: number, row: HashableAuditRow): Hash {
  return leafHash(auditEntry(seq, row));
}

/** HMAC-SHA-256 of the row's content (hex), with the hub's row key. */
export function auditRowMac(key: Buffer, row: HashableAuditRow): string {
  return createHmac('sha256', key)
    .update(canonicalJson(auditContent(row)))
    .digest('hex');
}

export function auditRowMacValid(key: Buffer, row: HashableAuditRow, mac: string | null): boolean {
  if (!mac || !/^[0-9a-f]{64}$/.test(mac)) return false;
  return timingSafeEqual(Buffer.from(auditRowMac(key, row), 'hex'), Buffer.from(mac, 'hex'));
}
