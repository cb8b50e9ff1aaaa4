/**
 * The retention sweep and legal holds. The sweep finds children whose records are past their
 * retention date (see retention.ts), skips any under a legal hold, and — unless `dryRun` —
 * deletes their case data, one transaction per child, with an audit row recording what was
 * deleted (table names and counts). The access audit itself is never deleted.
 */
import { randomUUID } from 'node:crypto';
import type { AccessDecider } from '../access/access-decider';
import type { Caller } from '../auth/caller';
import type { Db } from '../db';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { addMonths } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireText, requireUuid } from '../shared/validate';
import { AuditCollector } from './audit-collector';
import type { AuditService } from './audit.service';
import { mergeGroup } from './audit.repo';
import { DPO_AUDIT_BASIS, OVERSIGHT_PURPOSES, requireDpo } from './dpo.service';
import {
  DEFAULT_RETENTION,
  defaultClassifier,
  minimumRetentionYears,
  retentionOf,
  type Classifier,
  type RecordType,
  type RetentionPolicy,
} from './retention';
import * as repo from './retention.repo';

/** Options of the retention service; defaults in brackets. */
export interface RetentionServiceOptions {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** Retention per record type [DEFAULT_RETENTION]. */
  policy?: Partial<RetentionPolicy>;
  /** Which record types a child has [defaultClassifier]. */
  classify?: Classifier;
  /** Children examined per query [500]. */
  pageSize?: number;
}

export interface SweepEntry {
  childId: string;
  mergedChildIds: string[];
  recordType: RecordType;
  retainUntil: string;
  /** Rows per table (dry run: that would be deleted; otherwise: deleted). */
  rows: Record<string, number>;
}

export interface SweepReport {
  dryRun: boolean;
  asOf: string;
  policy: RetentionPolicy;
  /** Past retention and not held: deleted, or to be deleted. */
  due: SweepEntry[];
  /** Past retention but under a legal hold: kept. */
  held: SweepEntry[];
}

export interface SweepProgress {
  /** Children old enough to be due, examined so far. */
  examined: number;
  due: number;
  held: number;
  done: boolean;
}

/** The party recorded in the audit for deletions made by the sweep. */
export const RETENTION_ACTOR: Caller = {
  subject: 'system:retention-sweep',
  organisationId: '00000000-0000-0000-0000-000000000000',
  role: 'admin',
  clientId: null,
  issuer: 'urn:early-help-hub:system',
};

export class RetentionService {
  readonly policy: RetentionPolicy;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly audit: AuditService;
  private readonly classify: Classifier;
  private readonly pageSize: number;

  constructor({
    db,
    clock,
    audit,
    policy = {},
    classify = defaultClassifier,
    pageSize = 500,
  }: RetentionServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.audit = audit;
    this.policy = { ...DEFAULT_RETENTION, ...policy };
    this.classify = classify;
    this.pageSize = pageSize;
  }

  /**
   * `onProgress` hears after each page of children examined (and once at the end), so a long
   * sweep run by hand shows it is moving; it gets counts only, never a child.
   */
  async sweep({
    dryRun = true,
    actor = RETENTION_ACTOR,
    onProgress,
  }: {
    dryRun?: boolean;
    actor?: Caller;
    onProgress?: (p: SweepProgress) => void;
  } = {}): Promise<SweepReport> {
    const today = partnershipDate(this.clock.now());
    // Nobody younger than the shortest retention can be due: skip them in SQL.
    const bornBy = addMonths(today, -12 * minimumRetentionYears(this.policy));
    const report: SweepReport = { dryRun, asOf: today, policy: this.policy, due: [], held: [] };
    let after: string | null = null;
    let examined = 0;
    for (;;) {
      const page = await repo.candidates(this.db, bornBy, after, this.pageSize);
      for (const child of page) {
        examined++;
        const entry = await this.review(child, today);
        if (!entry) continue;
        if (await repo.hasActiveHold(this.db, [entry.childId, ...entry.mergedChildIds])) report.held.push(entry);
        else if (dryRun) report.due.push(entry);
        else {
          const done = await this.deleteOne(entry, actor);
          (done ? report.due : report.held).push(done ?? entry);
        }
      }
      onProgress?.({ examined, due: report.due.length, held: report.held.length, done: page.length < this.pageSize });
      if (page.length < this.pageSize) break;
      after = page[page.length - 1]!.id;
    }
    return report;
  }

  /** The child's retention, or null while it is still to be kept. */
  private async review(child: repo.Candidate, today: string): Promise<SweepEntry | null> {
    const group = await mergeGroup(this.db, child.id);
    const ids = group?.ids ?? [child.id];
    const rows = await repo.countRows(this.db, ids);
    const types = this.classify({
      involvementKinds: await repo.involvementKinds(this.db, ids),
      tables: new Set(Object.keys(rows)),
    });
    const { recordType, retainUntil } = retentionOf(child.birthDate, types, this.policy);
    if (today < retainUntil) return null;
    return {
      childId: child.id,
      mergedChildIds: ids.filter((id) => id !== child.id),
      recordType,
      retainUntil,
      rows: { ...rows, children: ids.length },
    };
  }

  /** Deletes one child's case data and writes its audit row in the same transaction; null when held meanwhile. */
  private async deleteOne(entry: SweepEntry, actor: Caller): Promise<SweepEntry | null> {
    const ids = [entry.childId, ...entry.mergedChildIds];
    const deleted = await this.db.transaction(async (tx) => {
      // A hold placed since the sweep looked wins: re-check inside the transaction.
      if (await repo.hasActiveHold(tx, ids)) return null;
      const counts = await repo.deleteChildData(tx, ids);
      const collector = new AuditCollector();
      for (const id of ids) collector.changed(id, `retentionSweep:${entry.recordType}`, Object.keys(counts));
      await this.audit.record(
        {
          requestId: `retention-${randomUUID()}`,
          caller: actor,
          purpose: null,
          operation: 'retention',
          operationName: 'retentionSweep',
          audit: collector,
        },
        tx,
      );
      return counts;
    });
    return deleted ? { ...entry, rows: deleted } : null;
  }

  /** A legal hold suspends deletion of the child's case data until lifted. */
  async placeLegalHold(
    childId: string,
    reason: string,
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<repo.LegalHoldRow> {
    requireDpo(access, null);
    const id = requireUuid('childId', childId);
    const why = requireText('reason', reason, { min: 5, max: 2000 });
    const group = await mergeGroup(this.db, id);
    if (!group) throw new NotFoundError('Child');
    // No case event: a hold is records governance, and partners must not learn of an inquiry from it.
    return this.db.transaction(async (tx) => {
      const hold = await repo.insertHold(tx, {
        childId: group.liveId,
        reason: why,
        placedBySubject: access.caller.subject,
        placedByOrganisationId: access.caller.organisationId,
        placedAt: this.clock.now(),
      });
      await audit.changedIn(tx, [{ childId: group.liveId, action: 'placeLegalHold', fields: ['legalHold'] }]);
      return hold;
    });
  }

  async liftLegalHold(
    holdId: string,
    reason: string,
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<repo.LegalHoldRow> {
    requireDpo(access, null);
    const id = requireUuid('id', holdId);
    const why = requireText('reason', reason, { min: 5, max: 2000 });
    return this.db.transaction(async (tx) => {
      const lifted = await repo.liftHold(tx, id, { at: this.clock.now(), subject: access.caller.subject, reason: why });
      if (!lifted) {
        if (await repo.findHold(tx, id))
          throw new ConflictError('This legal hold has already been lifted', { field: 'id' });
        throw new NotFoundError('Legal hold');
      }
      await audit.changedIn(tx, [{ childId: lifted.childId, action: 'liftLegalHold', fields: ['legalHold'] }]);
      return lifted;
    });
  }

  /** Legal holds, oldest first, in pages: all children's or one child's (merged records included), in force or all. */
  async legalHolds(
    q: { childId: string | null; includeLifted: boolean; first: number; after: string | null },
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<{ rows: repo.LegalHoldRow[]; hasNextPage: boolean }> {
    requireDpo(access, OVERSIGHT_PURPOSES);
    if (!Number.isInteger(q.first) || q.first < 1 || q.first > 200)
      throw new BadUserInputError('first', 'must be between 1 and 200');
    const after = q.after === null ? null : parseHoldCursor(q.after);
    let childIds: string[] | null = null;
    if (q.childId !== null) {
      const group = await mergeGroup(this.db, requireUuid('childId', q.childId));
      childIds = group ? group.ids : [];
    }
    const rows =
      childIds?.length === 0
        ? []
        : await repo.listHolds(this.db, { childIds, includeLifted: q.includeLifted, after, limit: q.first + 1 });
    const page = rows.slice(0, q.first);
    for (const childId of new Set(page.map((r) => r.childId)))
      audit.oversaw(childId, 'Query.legalHolds', DPO_AUDIT_BASIS);
    return { rows: page, hasNextPage: rows.length > q.first };
  }
}

export function holdCursorKey(row: repo.LegalHoldRow): string {
  return `${row.placedAt.toISOString()}|${row.id}`;
}

function parseHoldCursor(key: string): { placedAt: Date; id: string } {
  const [at, id] = key.split('|');
  const placedAt = new Date(at ?? '');
  if (!id || Number.isNaN(placedAt.getTime())) throw new BadUserInputError('after', 'is not a cursor this API issued');
  return { placedAt, id: requireUuid('after', id) };
}
