/**
 * Turns a request's audit collector into chained audit rows, written in one batched insert
 * before the response leaves (audit before disclose).
 */
import type { Caller } from '../auth/caller';
import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { basisLabel } from '../access/decision';
import type { AuditCollector } from './audit-collector';
import type { HashableAuditRow } from './audit-hash';
import { appendAuditRows } from './audit.repo';

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
}

export class AuditService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: AuditServiceOptions) {
    this.db = db;
    this.clock = clock;
  }

  /** Writes one row per child touched; throws when the write fails, so nothing is disclosed. */
  async record(request: AuditedRequest): Promise<void> {
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
        categoriesReturned: [...rec.granted.keys()].sort(),
        fieldsReturned: [...rec.fieldsReturned].sort(),
        fieldsRedacted: [...rec.fieldsRedacted.entries()].sort(([a], [b]) => a.localeCompare(b))
          .map(([field, r]) => ({ field, category: r.category, code: r.code })),
        basis: Object.fromEntries([...rec.granted.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, b]) => [c, basisLabel(b)])),
        changes: rec.changes,
        flags,
      };
    });
    await appendAuditRows(this.db, rows);
  }
}
