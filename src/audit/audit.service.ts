/**
 * Turns a request's audit collector into chained audit rows, written in one batched insert
 * before the response leaves (audit before disclose).
 */
import type { Caller } from '../auth/caller';
import type { Db, Tx } from '../db';
import type { Clock } from '../shared/clock';
import { basisLabel } from '../access/decision';
import type { AuditChange, AuditCollector, ChildAccessRecord } from './audit-collector';
import { macedContent, type HashableAuditRow } from './audit-hash';
import type { AppendedRows } from './appended-rows';
import { appendAuditRows, type MacedAuditRow } from './audit.repo';
import type { AuditKeys } from './audit-keys';
import { AuditBatcher } from './audit-batcher';

export interface AuditedRequest {
  requestId: string;
  caller: Caller;
  purpose: string | null;
  operation: string;
  operationName: string | null;
  audit: AuditCollector;
}

export interface AuditServiceOptions {
  db: Db;
  clock: Clock;
  /** Whose row MAC marks the rows as the hub's (see audit-hash.ts). */
  keys: AuditKeys;
  /** Share one append among concurrent requests (default true; false: one append per request, for the benchmark's comparison). */
  groupCommit?: boolean;
  /** Where the rows appended are kept for this process's checkpointer (see appended-rows.ts). */
  appended?: AppendedRows;
}

export class AuditService {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly macKey: Buffer;
  /** Concurrent requests' rows share one append (group commit; see audit-batcher.ts). */
  private readonly batcher: AuditBatcher | null;

  private readonly appended: AppendedRows | null;

  constructor({ db, clock, keys, groupCommit = true, appended }: AuditServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.macKey = keys.rowMacKey;
    this.appended = appended ?? null;
    this.batcher = groupCommit ? new AuditBatcher(db, (rows, seqs) => this.remember(rows, seqs)) : null;
  }

  /**
   * Writes one row per child touched; throws when the write fails, so nothing is disclosed.
   * Given a transaction, the rows commit with it (deletions that must not go unrecorded).
   */
  async record(request: AuditedRequest, tx?: Tx): Promise<void> {
    if (request.audit.isEmpty) return;
    const occurredAt = this.clock.now();
    const rows = request.audit.records().map((rec) => this.row(request, rec, occurredAt));
    if (this.batcher && !tx) await this.batcher.append(rows);
    else this.remember(rows, await appendAuditRows(tx ?? this.db, rows));
  }

  /**
   * Hands the appended rows to the checkpointer by seq (matched by MAC: rows with the same MAC have
   * the same content). Rows of a transaction that then rolls back are never queued, so never asked for.
   */
  private remember(rows: MacedAuditRow[], appended: { seq: number; mac: string }[]): void {
    if (!this.appended) return;
    const byMac = new Map(rows.map((r) => [r.mac, r]));
    for (const { seq, mac } of appended) {
      const row = byMac.get(mac);
      if (row) this.appended.remember(seq, row, row.content);
    }
  }

  /**
   * Writes one row per child changed, inside the change's transaction: it commits with the change
   * or not at all. The rows name the changes only; what the response then discloses is audited
   * by `record` before it leaves.
   */
  async recordChanges(tx: Tx, request: Omit<AuditedRequest, 'audit'>, changes: readonly AuditChange[]): Promise<void> {
    const byChild = new Map<string, ChildAccessRecord>();
    for (const c of changes) {
      let rec = byChild.get(c.childId);
      if (!rec) {
        rec = {
          childId: c.childId,
          granted: new Map(),
          fieldsReturned: new Set(),
          fieldsRedacted: new Map(),
          changes: [],
          deniedRelationship: false,
          oversight: [],
        };
        byChild.set(c.childId, rec);
      }
      rec.changes.push({ action: c.action, fields: c.fields });
    }
    const occurredAt = this.clock.now();
    const rows = [...byChild.values()].map((rec) => this.row(request, rec, occurredAt));
    this.remember(rows, await appendAuditRows(tx, rows));
  }

  private row(request: Omit<AuditedRequest, 'audit'>, rec: ChildAccessRecord, occurredAt: Date): MacedAuditRow {
    const flags: string[] = [];
    if (rec.deniedRelationship) flags.push('no_relationship');
    if ([...rec.granted.values()].some((b) => b.kind === 'override')) flags.push('override_used');
    const row: HashableAuditRow = {
      requestId: request.requestId,
      occurredAt,
      callerSubject: request.caller.subject,
      callerOrganisationId: request.caller.organisationId,
      callerRole: request.caller.role,
      clientId: request.caller.clientId,
      purpose: request.purpose,
      operation: request.operation,
      operationName: request.operationName,
      childId: rec.childId,
      categoriesReturned: [...new Set([...rec.granted.keys(), ...rec.oversight.flatMap((o) => o.categories)])].sort(),
      fieldsReturned: [...rec.fieldsReturned].sort(),
      fieldsRedacted: [...rec.fieldsRedacted.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([field, r]) => ({ field, category: r.category, code: r.code })),
      basis: basisOf(rec),
      changes: rec.changes,
      flags,
    };
    return { ...row, ...macedContent(this.macKey, row) };
  }
}

/**
 * category → basis label for each granted category; oversight reads add their basis under each
 * category they returned (never replacing a guarded grant), or under `oversight` when they
 * returned no case category (audit metadata only).
 */
function basisOf(rec: ChildAccessRecord): Record<string, string> {
  const basis: Record<string, string> = {};
  for (const [category, b] of rec.granted) basis[category] = basisLabel(b);
  for (const o of rec.oversight) {
    if (o.categories.length === 0) basis.oversight ??= o.basis;
    for (const c of o.categories) basis[c] ??= o.basis;
  }
  return Object.fromEntries(Object.entries(basis).sort(([a], [b]) => a.localeCompare(b)));
}
