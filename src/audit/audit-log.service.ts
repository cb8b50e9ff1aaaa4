/**
 * The audit's Merkle log and its checkpointer. Appends take no lock: a row commits with its seq
 * and a queue entry (trigger). The checkpointer — one at a time across instances, by advisory
 * lock — gives queued rows their leaf index in seq order, hashes them (RFC 9162), and signs a
 * checkpoint of the new tree that it publishes outside the database. Run every second, that is
 * the log's maximum merge delay: a row is in a signed checkpoint at most ~1 s after it commits.
 *
 * At start the checkpointer rebuilds the tree from the database and checks it against the last
 * checkpoint published outside: entries removed (even the last ones, even across a restart),
 * changed or reordered since show as a mismatch, and it then refuses to sign anything more.
 */
import { setImmediate } from 'node:timers/promises';
import type { Db, Tx } from '../db';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { auditEntry, auditLeafHash, contentLeafHash, verifiedLeafHash, type HashableAuditRow } from './audit-hash';
import type { AppendedRows } from './appended-rows';
import type { AuditKeys } from './audit-keys';
import * as repo from './audit-log.repo';
import { openCheckpoint, signCheckpoint, type Checkpoint } from './checkpoint';
import type { CheckpointStore } from './checkpoint-store';
import type { WitnessPublisher } from './witness-client';
import { CompactRange, consistencyProof, inclusionProof, type Hash } from './merkle';

export interface AuditLogOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  keys: AuditKeys;
  /** Where checkpoints are published (outside the database). */
  store: CheckpointStore;
  /** Queued rows integrated per transaction [5000]. */
  batchSize?: number;
  /** A witness each published checkpoint is sent to, with a consistency proof (AUDIT_WITNESS_URL). */
  witness?: WitnessPublisher;
  /**
   * Called inside the integrate transaction with the rows just given a leaf: it runs once per row
   * (the checkpointer's advisory lock, and the queue entries it deletes in the same transaction),
   * off the request path, and what it writes commits or rolls back with the leaves. What it
   * returns runs once they have committed (what the follow-up may remember of them).
   */
  onIntegrated?: (tx: Tx, rows: IntegratedAuditRow[]) => Promise<(() => void) | undefined>;
  /** The rows this process appended, taken in without reading them back (see appended-rows.ts). */
  appended?: AppendedRows;
}

/** A row given its leaf: its content and seq. */
export type IntegratedAuditRow = HashableAuditRow & { seq: number };

export interface SignedCheckpoint extends Checkpoint {
  note: string;
}

export interface LogReport {
  ok: boolean;
  /** Entries whose content was re-hashed (the window's), plus the tree checked against the checkpoint. */
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  /** The published checkpoint the database was checked against, if any. */
  checkpoint: SignedCheckpoint | null;
  /** Size of the checkpoint verified before, from which this check started (0: the whole log). */
  fromTreeSize: number;
  /** Log entries (leaf and row) read from the database by the check from the last verified checkpoint. */
  leavesRead: number;
}

/** Rows checked (MAC and leaf hash) between turns of the event loop: about 10 ms of work. */
const YIELD_EVERY = 250;

export class AuditLog {
  private readonly range = new CompactRange();
  private published: SignedCheckpoint | null = null;
  /** Why the database no longer matches what was published; the checkpointer then stops signing. */
  private broken: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The tree of the last checkpoint `verifyIncremental` found the database to match, rows and all. */
  private verified: CompactRange | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private verifying: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AuditLogOptions) {}

  get verifierKey(): string {
    return this.options.keys.verifierKey;
  }

  /** The last checkpoint published outside the database, signature checked. */
  latestPublished(): SignedCheckpoint | null {
    const note = this.options.store.latest();
    if (!note) return null;
    return { ...openCheckpoint(note, this.verifierKey), note };
  }

  /** Rebuilds the tree from the database and checks it against the last published checkpoint. */
  async open(): Promise<void> {
    this.published = this.latestPublished();
    if (this.published) {
      await this.catchUp(this.published.treeSize);
      if (this.range.size < this.published.treeSize) {
        return this.fail(
          `the log holds ${this.range.size} entries but ${this.published.treeSize} were published: entries were removed`,
        );
      }
      if (!this.range.root().equals(this.published.rootHash)) {
        return this.fail(
          `the log does not match the checkpoint published at size ${this.published.treeSize}: entries were changed, removed or reordered`,
        );
      }
    }
    await this.catchUp(await repo.leafCount(this.options.db));
  }

  /** Integrates queued rows and signs a checkpoint when the tree grew. Serialised per process. */
  checkpoint(): Promise<SignedCheckpoint | null> {
    const run = this.running.then(() => this.integrateAndSign());
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Checkpoints every `intervalMs` (the maximum merge delay) until `stop`. */
  start(intervalMs = 1000): void {
    const tick = async () => {
      try {
        await this.checkpoint();
      } catch (error) {
        this.options.logger.error(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'audit checkpoint failed',
        );
      }
      if (this.timer) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private fail(reason: string): void {
    this.broken = reason;
    this.options.logger.error({ reason }, 'audit log does not match its published checkpoint; checkpoints stop');
  }

  /**
   * Appends to the in-memory tree the leaves below `target` that other instances (or earlier runs)
   * committed. Leaves a published checkpoint covers are checked by its root (see `open`); leaves
   * beyond it are checked one by one — the row is there, hashes to the leaf, and carries the hub's
   * MAC — so leaves written straight into the table are never signed.
   */
  private async catchUp(target: number): Promise<void> {
    const { db, keys } = this.options;
    const covered = this.published?.treeSize ?? 0;
    while (this.range.size < target && !this.broken) {
      const end = Math.min(
        target,
        this.range.size < covered ? covered : this.range.size + 2000,
        this.range.size + 10_000,
      );
      if (this.range.size < covered) {
        const page = await repo.leafHashes(db, this.range.size, end);
        if (page.length === 0) break;
        for (const h of page) this.range.append(Buffer.from(h, 'hex'));
        continue;
      }
      const page = await repo.entries(db, this.range.size, end);
      if (page.length === 0) break;
      for (const [i, e] of page.entries()) {
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await setImmediate();
        const sound =
          e.leafIndex === this.range.size &&
          e.row !== null &&
          verifiedLeafHash(keys.rowMacKey, e.auditSeq, e.row, e.row.mac)?.equals(Buffer.from(e.leafHash, 'hex')) ===
            true;
        if (!sound)
          return this.fail(
            `log entry ${e.leafIndex} was not written by the checkpointer: its row is missing, altered or forged`,
          );
        this.range.append(Buffer.from(e.leafHash, 'hex'));
      }
    }
  }

  private async integrateAndSign(): Promise<SignedCheckpoint | null> {
    if (this.broken) return null;
    const { db, clock, keys, store } = this.options;
    let committed: (() => void) | undefined;
    const added = await db.transaction(async (tx) => {
      if (!(await repo.tryCheckpointerLock(tx))) return null;
      const start = await repo.leafCount(tx);
      // Fewer leaves than this process has seen: some were deleted behind its back.
      if (start < this.range.size) return 'shrunk' as const;
      const queued = await repo.pendingSeqs(tx, this.options.batchSize ?? 5000);
      const appended = this.options.appended;
      const stored = await repo.auditRowsBySeq(
        tx,
        queued.filter((q) => !q.logged && !appended?.has(q.seq)).map((q) => q.seq),
      );
      const leaves: { leafIndex: number; auditSeq: number; leafHash: string }[] = [];
      const integrated: IntegratedAuditRow[] = [];
      const rejected: { seq: number; reason: string; rejectedAt: Date }[] = [];
      for (const [i, q] of queued.entries()) {
        // A backlog (after an outage, or another instance's rows to check) is thousands of MACs and
        // hashes: give the requests waiting on this event loop a turn between slices of it.
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await setImmediate();
        if (q.logged) continue;
        // This process wrote it: the leaf of the content it wrote, without reading it back.
        const own = appended?.take(q.seq);
        if (own) {
          leaves.push({
            leafIndex: start + leaves.length,
            auditSeq: q.seq,
            leafHash: contentLeafHash(own.content, q.seq).toString('hex'),
          });
          integrated.push({ ...own.row, seq: q.seq });
          continue;
        }
        const row = stored.get(q.seq);
        if (!row) continue;
        // A row without a MAC can only be one written before the log began (access_audit_mac_required).
        const leafHash = verifiedLeafHash(keys.rowMacKey, q.seq, row, row.mac);
        if (!leafHash) {
          rejected.push({
            seq: q.seq,
            reason: 'its MAC does not verify: the row was not written by the hub',
            rejectedAt: clock.now(),
          });
          continue;
        }
        leaves.push({
          leafIndex: start + leaves.length,
          auditSeq: q.seq,
          leafHash: leafHash.toString('hex'),
        });
        integrated.push(row);
      }
      await repo.insertLeaves(tx, leaves);
      await repo.insertRejected(tx, rejected);
      await repo.dequeue(
        tx,
        queued.map((q) => q.seq),
      );
      if (integrated.length && this.options.onIntegrated) committed = await this.afterIntegrate(tx, integrated);
      if (rejected.length)
        this.options.logger.error(
          { seqs: rejected.map((r) => r.seq) },
          'audit rows refused by the log: not written by the hub',
        );
      return { start, leaves };
    });
    committed?.();
    if (!added) return null;
    if (added === 'shrunk') {
      this.fail(`the log holds fewer entries than the ${this.range.size} already integrated: entries were removed`);
      return null;
    }
    await this.catchUp(added.start);
    if (this.broken) return null;
    if (this.range.size !== added.start) throw new Error('audit log changed under the checkpointer lock');
    for (const leaf of added.leaves) this.range.append(Buffer.from(leaf.leafHash, 'hex'));
    if (this.published && this.range.size <= this.published.treeSize) return null;
    const checkpoint: Checkpoint = {
      origin: keys.name,
      treeSize: this.range.size,
      rootHash: this.range.root(),
      time: clock.now(),
    };
    const note = signCheckpoint(checkpoint, keys);
    await repo.insertCheckpoint(db, {
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash.toString('hex'),
      note,
      signedAt: checkpoint.time,
    });
    if (!store.publish(note, checkpoint.treeSize)) return null;
    this.published = { ...checkpoint, note };
    await this.witness(this.published);
    return this.published;
  }

  /**
   * In a savepoint: what follows from the rows (notifications) must never stop the log being
   * signed. A failure is logged and those rows' follow-up is lost; their leaves still commit.
   */
  private async afterIntegrate(tx: Tx, rows: IntegratedAuditRow[]): Promise<(() => void) | undefined> {
    try {
      return await tx.transaction((savepoint) => this.options.onIntegrated!(savepoint, rows));
    } catch (error) {
      this.options.logger.error(
        { rows: rows.length, err: { name: (error as Error).name, message: (error as Error).message } },
        'audit rows logged; their follow-up (notify-on-access) failed',
      );
      return undefined;
    }
  }

  /** Witnessing never stops the log: a failure is logged by the publisher, and the next checkpoint tries again. */
  private async witness(checkpoint: SignedCheckpoint): Promise<void> {
    const { witness } = this.options;
    if (!witness) return;
    try {
      await witness.submit(
        checkpoint.note,
        checkpoint.treeSize,
        async (from, to) => (await this.consistencyProof(from, to))?.hashes ?? null,
      );
    } catch (error) {
      this.options.logger.warn(
        { err: { name: (error as Error).name, message: (error as Error).message } },
        'audit witness submission failed',
      );
    }
  }

  /** The witness's view, or null when none is configured. */
  witnessStatus(): ReturnType<WitnessPublisher['status']> | null {
    return this.options.witness?.status() ?? null;
  }

  /** The audit path of the row `seq` in the tree of `treeSize` entries (default: the latest checkpoint's). */
  async inclusionProof(
    seq: number,
    treeSize?: number,
  ): Promise<{ leafIndex: number; treeSize: number; leafHash: Hash; hashes: Hash[] } | null> {
    const leaf = await repo.leafOfSeq(this.options.db, seq);
    const size = treeSize ?? this.latestPublished()?.treeSize ?? 0;
    if (!leaf || leaf.leafIndex >= size) return null;
    const leaves = await this.leaves(size);
    return {
      leafIndex: leaf.leafIndex,
      treeSize: size,
      leafHash: Buffer.from(leaf.leafHash, 'hex'),
      hashes: inclusionProof(leaves, leaf.leafIndex, size),
    };
  }

  /** Proof that the tree of `fromSize` entries is a prefix of the tree of `toSize` (default: the latest checkpoint's). */
  async consistencyProof(
    fromSize: number,
    toSize?: number,
  ): Promise<{ fromSize: number; toSize: number; hashes: Hash[] } | null> {
    const size = toSize ?? this.latestPublished()?.treeSize ?? 0;
    if (fromSize < 0 || fromSize > size) return null;
    const leaves = await this.leaves(size);
    if (leaves.length < size) return null;
    return { fromSize, toSize: size, hashes: consistencyProof(leaves, fromSize, size) };
  }

  /**
   * The log's first `size` entries as NDJSON lines `{"leafIndex","entry"}` (entry: the row's seq
   * and content, what its leaf hash is taken over; null when the row is gone) — what
   * `npm run audit:verify` checks against a checkpoint, with no database and no hub code that writes.
   */
  async *exportLines(size: number): AsyncGenerator<string> {
    for (let at = 0; at < size; at += 2000) {
      const page = await repo.entries(this.options.db, at, Math.min(size, at + 2000));
      let out = '';
      for (const e of page)
        out += `{"leafIndex":${e.leafIndex},"entry":${e.row ? auditEntry(e.auditSeq, e.row) : 'null'}}\n`;
      yield out;
      if (page.length < Math.min(2000, size - at)) return;
    }
  }

  private async leaves(size: number): Promise<Hash[]> {
    return (await repo.leafHashes(this.options.db, 0, size)).map((h) => Buffer.from(h, 'hex'));
  }

  /**
   * Checks the database against the latest published checkpoint, starting from the last
   * checkpoint this process verified: reads only the log entries added since (leaf and row),
   * re-hashes each row to its leaf and checks its MAC, and appends the leaves to the compact range
   * kept from the verified checkpoint. The resulting root must be the new checkpoint's — the
   * consistency of the verified tree with the new one, proved from the verified tree's O(log n)
   * subtree roots (held in memory, not re-read from the database) and the new leaves. So a check
   * run every few minutes costs in proportion to what was logged since, not to the whole log.
   *
   * Not re-read: entries already verified. An old row (or its leaf) rewritten later is caught by
   * a full check — this method's first run in a process, the windowed `verify`, the checkpointer's
   * check at start, and the offline verifier over the DPO's export.
   */
  verifyIncremental({ full = false }: { full?: boolean } = {}): Promise<LogReport> {
    const run = this.verifying.then(() => this.verifyFromLastVerified(full));
    this.verifying = run.catch(() => undefined);
    return run;
  }

  private async verifyFromLastVerified(full: boolean): Promise<LogReport> {
    const { db, keys } = this.options;
    const checkpoint = this.latestPublished();
    const verified = !full && this.verified && this.verified.size <= (checkpoint?.treeSize ?? 0) ? this.verified : null;
    const fromTreeSize = verified?.size ?? 0;
    let leavesRead = 0;
    let checked = 0;
    const report = (ok: boolean, firstBrokenSeq: number | null, reason: string | null): LogReport => ({
      ok,
      checked,
      firstBrokenSeq,
      reason,
      checkpoint,
      fromTreeSize,
      leavesRead,
    });
    if (this.broken) return report(false, null, this.broken);
    if (!checkpoint) return report(true, null, null);
    const size = checkpoint.treeSize;
    const range = verified ? verified.clone() : new CompactRange();
    for (let at = fromTreeSize; at < size; at += 2000) {
      const page = await repo.entries(db, at, Math.min(size, at + 2000));
      for (const e of page) {
        leavesRead++;
        if (e.leafIndex !== range.size)
          return report(false, null, `log entry ${range.size} is missing: entries were removed`);
        checked++;
        const leaf = Buffer.from(e.leafHash, 'hex');
        if (e.row === null)
          return report(false, e.auditSeq, `the row of log entry ${e.leafIndex} is missing: it was deleted`);
        const sound = verifiedLeafHash(keys.rowMacKey, e.auditSeq, e.row, e.row.mac)?.equals(leaf) === true;
        if (!sound)
          return report(
            false,
            e.auditSeq,
            `log entry ${e.leafIndex}'s row does not match its leaf or its MAC: it was altered`,
          );
        range.append(leaf);
      }
      if (page.length < Math.min(2000, size - at)) break;
    }
    if (range.size < size)
      return report(
        false,
        null,
        `the log holds ${range.size} entries but ${size} were published: entries were removed`,
      );
    if (!range.root().equals(checkpoint.rootHash)) {
      return report(
        false,
        null,
        verified
          ? `the entries after the verified checkpoint of size ${fromTreeSize} do not give the checkpoint published at size ${size}: entries were changed, removed or reordered`
          : `the log does not match the checkpoint published at size ${size}: entries were changed, removed or reordered`,
      );
    }
    this.verified = range;
    return report(true, null, null);
  }

  /**
   * Checks the database against the last published checkpoint (`verifyIncremental`: from the last
   * verified checkpoint, or the whole log when `full`); then each row written in [from, to) must
   * re-hash to its leaf, and every such row must be in the log (or queued for it), none refused
   * as forged — a cost the window sets.
   */
  async verify(from: Date, to: Date, { full = false }: { full?: boolean } = {}): Promise<LogReport> {
    const { db } = this.options;
    const log = await this.verifyIncremental({ full });
    const report = (ok: boolean, checked: number, firstBrokenSeq: number | null, reason: string | null): LogReport => ({
      ...log,
      ok,
      checked,
      firstBrokenSeq,
      reason,
    });
    if (!log.ok) return report(false, 0, log.firstBrokenSeq, log.reason);
    let checked = 0;
    for (let after = 0; ; ) {
      const page = await repo.rowsWithLeaves(db, from, to, after, 2000);
      for (const { row, leafHash, rejected, pending } of page) {
        checked++;
        if (rejected) return report(false, checked, row.seq, `the row was refused by the log: ${rejected}`);
        if (pending) continue;
        if (leafHash === null)
          return report(false, checked, row.seq, "the row is not in the log: it was inserted behind the hub's back");
        if (!auditLeafHash(row.seq, row).equals(Buffer.from(leafHash, 'hex'))) {
          return report(false, checked, row.seq, 'the row does not match its log entry: it was altered');
        }
      }
      if (page.length < 2000) break;
      after = page.at(-1)!.row.seq;
    }
    return report(true, checked, null, null);
  }
}
