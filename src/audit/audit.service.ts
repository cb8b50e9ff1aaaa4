/**
 * Turns a request's audit collector into chained audit rows, written in one batched insert
 * before the response leaves (audit before disclose).
 */
import type { Caller } from '../auth/caller';
import type { Db, Tx } from '../db';
import type { Clock } from '../shared/clock';
import { basisLabel } from '../access/decision';
import type { AuditCollector, ChildAccessRecord } from './audit-collector';
import type { HashableAuditRow } from './audit-hash';
import { appendAuditRows, appendAuditRowsInTransaction } from './audit.repo';
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
  /** Share one append among concurrent requests (default true; false: one append per request, for the benchmark's comparison). */
  groupCommit?: boolean;
}

export class AuditService {
  private readonly db: Db;
  private readonly clock: Clock;
  /** Concurrent requests' rows share one chained append (group commit; see audit-batcher.ts). */
  private readonly batcher: AuditBatcher | null;

  constructor({ db, clock, groupCommit = true }: AuditServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.batcher = groupCommit ? new AuditBatcher(db) : null;
  }

  /**
   * Writes one row per child touched; throws when the write fails, so nothing is disclosed.
   * Given a transaction, the rows commit with it (deletions that must not go unrecorded).
   */
  async record(request: AuditedRequest, tx?: Tx): Promise<void> {
    if (request.audit.isEmpty) return;
    const occurredAt = this.clock.now();
    const rows: HashableAuditRow[] = request.audit.records().map((rec) => {
      const flags: string[] = [];
      if (rec.deniedRelationship) flags.push('no_relationship');
      if ([...rec.granted.values()].some((b) => b.kind === 'override')) flags.push('override_used');
      return {
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
        fieldsRedacted: [...rec.fieldsRedacted.entries()].sort(([a], [b]) => a.localeCompare(b))
          .map(([field, r]) => ({ field, category: r.category, code: r.code })),
        basis: basisOf(rec),
        changes: rec.changes,
        flags,
      };
    });
    if (tx) await appendAuditRowsInTransaction(tx, rows);
    else if (this.batcher) await this.batcher.append(rows);
    else await appendAuditRows(this.db, rows);
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
