import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../shared/canonical-json';
import {
  auditContent,
  auditEntry,
  auditLeafHash,
  auditRowMac,
  verifiedLeafHash,
  type HashableAuditRow,
} from './audit-hash';
import { createHmac } from 'node:crypto';

/** Rows of every shape the audit writes: nulls, empty and long lists, nested and odd basis/changes objects. */
function rows(): HashableAuditRow[] {
  let seed = 11;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(values: T[]) => values[Math.floor(rand() * values.length)]!;
  const text = () => pick(['a', 'Zoë "quoted"', 'line\nbreak', '\u2028', 'emoji 🙂', '', 'x'.repeat(40)]);
  const list = () => Array.from({ length: Math.floor(rand() * 6) }, text);
  const nested = (): unknown =>
    pick([
      null,
      {},
      { z: 1, a: [text(), { y: null, b: true }], m: { k: text() } },
      [{ b: 2, a: 1 }],
      { category: 'identity', basis: 'consent', nothing: undefined },
      'plain',
    ]);
  return Array.from({ length: 300 }, () => ({
    requestId: text(),
    occurredAt: new Date(Math.floor(rand() * 2e12)),
    callerSubject: text(),
    callerOrganisationId: text(),
    callerRole: text(),
    clientId: pick([null, text()]),
    purpose: pick([null, text()]),
    operation: pick(['query', 'mutation']),
    operationName: pick([null, text()]),
    childId: text(),
    categoriesReturned: list(),
    fieldsReturned: list(),
    fieldsRedacted: nested(),
    basis: nested(),
    changes: pick([null, nested(), [text(), 3]]),
    flags: list(),
  }));
}

describe('audit row serialisation', () => {
  it('is canonicalJson of the content byte for byte, for the MAC and for the log entry', () => {
    const key = Buffer.alloc(32, 7);
    for (const [i, row] of rows().entries()) {
      const withExtra = { ...row, seq: 99, mac: 'not content' } as HashableAuditRow;
      expect(auditEntry(i, withExtra)).toBe(canonicalJson({ seq: i, ...auditContent(row) }));
      expect(auditRowMac(key, withExtra)).toBe(
        createHmac('sha256', key)
          .update(canonicalJson(auditContent(row)))
          .digest('hex'),
      );
    }
  });

  it("gives the checkpointer a row's leaf from one serialisation, only when its MAC verifies", () => {
    const key = Buffer.alloc(32, 9);
    for (const [i, row] of rows().entries()) {
      const mac = auditRowMac(key, row);
      expect(verifiedLeafHash(key, i * 7919, row, mac)?.equals(auditLeafHash(i * 7919, row))).toBe(true);
      // A row from before the log (no MAC) is taken as it is; a wrong or malformed MAC never is.
      expect(verifiedLeafHash(key, i, row, null)?.equals(auditLeafHash(i, row))).toBe(true);
      expect(verifiedLeafHash(key, i, row, auditRowMac(Buffer.alloc(32, 1), row))).toBeNull();
      expect(verifiedLeafHash(key, i, { ...row, callerRole: `${row.callerRole}x` }, mac)).toBeNull();
      expect(verifiedLeafHash(key, i, row, 'not hex')).toBeNull();
    }
  });
});
