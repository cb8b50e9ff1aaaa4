/**
 * Verifies the audit chain over a time window: walks the rows in seq order, a page at a time (a
 * year of audit can be millions of rows), recomputes each row's hash from its content and the
 * previous row's stored hash, and reports the first link that does not hold.
 */
import type { DbOrTx } from '../db';
import { auditRowHash, GENESIS_HASH } from './audit-hash';
import { chainPage, hashBefore, seqRange } from './audit.repo';

/** The outcome of `verifyAuditChain`. */
export interface ChainReport {
  ok: boolean;
  /** Rows whose hash and link were checked (up to and including a broken one). */
  checked: number;
  firstBrokenSeq: number | null;
  /** Why that row breaks the chain; null when ok. */
  reason: string | null;
}

export interface VerifyChainOptions {
  /** Rows read per query (default 1000). */
  pageSize?: number;
}

export async function verifyChain(db: DbOrTx, from: Date, to: Date, { pageSize = 1000 }: VerifyChainOptions = {}): Promise<ChainReport> {
  const range = await seqRange(db, from, to);
  if (!range) return { ok: true, checked: 0, firstBrokenSeq: null, reason: null };
  // The window's first row must link to whatever row precedes it, however old.
  let prevHash = (await hashBefore(db, range.first)) ?? GENESIS_HASH;
  let after = range.first - 1;
  let checked = 0;
  for (;;) {
    const page = await chainPage(db, after, range.last, pageSize);
    for (const row of page) {
      checked++;
      if (row.prevHash !== prevHash) {
        return { ok: false, checked, firstBrokenSeq: row.seq, reason: 'prev_hash does not match the previous row: a row was removed, inserted or re-hashed' };
      }
      if (auditRowHash(prevHash, row) !== row.hash) {
        return { ok: false, checked, firstBrokenSeq: row.seq, reason: 'content does not match its hash: the row was altered' };
      }
      prevHash = row.hash;
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  return { ok: true, checked, firstBrokenSeq: null, reason: null };
}
