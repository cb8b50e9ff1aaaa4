/**
 * The audit rows this process appended, by seq, with the content text their MAC covers, until the
 * checkpointer takes them in. Its own rows need not be read back, parsed and their MAC checked (it
 * computed that MAC): the leaf comes from the content as it was written, so a row altered in the
 * database in between no longer matches its leaf, and verification says so. Rows appended by
 * another instance, or dropped here for space, are read from the database and checked as before.
 */
import type { HashableAuditRow } from './audit-hash';

export interface AppendedRow {
  readonly row: HashableAuditRow;
  readonly content: string;
}

export class AppendedRows {
  private readonly rows = new Map<number, AppendedRow>();

  /** @param capacity rows kept at most (default 20,000: ten seconds of a busy hub), the oldest dropped first. */
  constructor(private readonly capacity = 20_000) {}

  remember(seq: number, row: HashableAuditRow, content: string): void {
    if (this.rows.size >= this.capacity) this.rows.delete(this.rows.keys().next().value as number);
    this.rows.set(seq, { row, content });
  }

  has(seq: number): boolean {
    return this.rows.has(seq);
  }

  /** The row appended at `seq`, forgotten as it is given. */
  take(seq: number): AppendedRow | undefined {
    const entry = this.rows.get(seq);
    if (entry) this.rows.delete(seq);
    return entry;
  }
}
