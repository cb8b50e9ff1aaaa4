/**
 * Group commit for the audit. The batcher keeps at most one append in flight per process, and
 * rows arriving meanwhile go together in the next one — one INSERT for many requests, where
 * one per request would cost a round trip and a commit each. Each caller still awaits the
 * commit of its own rows before its response leaves (audit before disclose).
 */
import type { Db } from '../db';
import { appendAuditRows, type MacedAuditRow } from './audit.repo';
import { auditBatchRows, auditCommitSeconds } from '../observability/metrics';

interface Pending {
  rows: MacedAuditRow[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class AuditBatcher {
  private queue: Pending[] = [];
  private flushing = false;

  /**
   * @param maxRows rows per append (default 2,000): bounds one statement's JSON parameter and
   *   how long the batch's requests wait on it.
   */
  constructor(
    private readonly db: Db,
    /** Told of each committed append's rows and the seqs they were given. */
    private readonly onAppended: (rows: MacedAuditRow[], appended: { seq: number; mac: string }[]) => void,
    private readonly maxRows = 2000,
  ) {}

  /** Resolves when the rows are committed; rejects if that append failed. */
  append(rows: MacedAuditRow[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch: Pending[] = [];
        let count = 0;
        while (this.queue.length > 0 && (batch.length === 0 || count + this.queue[0]!.rows.length <= this.maxRows)) {
          const next = this.queue.shift()!;
          batch.push(next);
          count += next.rows.length;
        }
        try {
          const committed = auditCommitSeconds.startTimer();
          const rows = batch.flatMap((p) => p.rows);
          const appended = await appendAuditRows(this.db, rows);
          committed();
          this.onAppended(rows, appended);
          auditBatchRows.observe(count);
          for (const p of batch) p.resolve();
        } catch (error) {
          // One failed append fails every request in it: none of them may disclose.
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
