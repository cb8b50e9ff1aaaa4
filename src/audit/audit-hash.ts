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

/** The content's keys in canonicalJson's order (JavaScript's default sort), then the entry's seq. */
const CONTENT_KEYS = Object.keys(auditContent({} as HashableAuditRow)).sort() as (keyof HashableAuditRow)[];
const ENTRY_KEYS = [...CONTENT_KEYS, 'seq' as const].sort();

/**
 * canonicalJson of the row's content (with its seq, for a log entry), written out over the fixed,
 * sorted keys: every audit row is serialised twice (for its MAC when written; for its MAC check and
 * its leaf when the checkpointer takes it in), and the generic walk was a twentieth of the hub's
 * CPU. The text is the same byte for byte (audit-hash.spec.ts).
 */
function contentJson(row: HashableAuditRow, seq?: number): string {
  let out = '{';
  for (const key of seq === undefined ? CONTENT_KEYS : ENTRY_KEYS) {
    const value = key === 'seq' ? seq : row[key];
    if (value === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}"${key}":${memberJson(value)}`;
  }
  return `${out}}`;
}

function memberJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return JSON.stringify(value);
  return canonicalJson(value);
}

/** The log entry of a stored row: its seq and content, canonical JSON. */
export function auditEntry(seq: number, row: HashableAuditRow): string {
  return contentJson(row, seq);
}

export function auditLeafHash(seq: number, row: HashableAuditRow): Hash {
  return leafHash(auditEntry(seq, row));
}

/** HMAC-SHA-256 of the row's content (hex), with the hub's row key. */
export function auditRowMac(key: Buffer, row: HashableAuditRow): string {
  return macedContent(key, row).mac;
}

/** The row's MAC and the content text it covers, which gives the row's leaf once it has a seq (`contentLeafHash`). */
export function macedContent(key: Buffer, row: HashableAuditRow): { mac: string; content: string } {
  const content = contentJson(row);
  return { mac: createHmac('sha256', key).update(content).digest('hex'), content };
}

function macMatches(key: Buffer, content: string, mac: string | null): boolean {
  if (!mac || !/^[0-9a-f]{64}$/.test(mac)) return false;
  return timingSafeEqual(createHmac('sha256', key).update(content).digest(), Buffer.from(mac, 'hex'));
}

// `seq` sorts after every content key, so a log entry is the content's text with `seq` appended.
if (ENTRY_KEYS.at(-1) !== 'seq') throw new Error('Invariant failed: seq is the last key of a log entry');

/**
 * What the checkpointer needs of a stored row, from one serialisation: its leaf hash when its MAC
 * verifies (a row with no MAC predates the log and is taken as it is), else null.
 */
export function verifiedLeafHash(key: Buffer, seq: number, row: HashableAuditRow, mac: string | null): Hash | null {
  const content = contentJson(row);
  if (mac !== null && !macMatches(key, content, mac)) return null;
  return contentLeafHash(content, seq);
}

/** The leaf of the row whose content text is `content`, at `seq`: the same as `auditLeafHash`. */
export function contentLeafHash(content: string, seq: number): Hash {
  return leafHash(`${content.slice(0, -1)}${content.length > 2 ? ',' : ''}"seq":${memberJson(seq)}}`);
}
