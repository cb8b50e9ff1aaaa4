/**
 * The data protection officer's view of the audit: the access log, the subject-access export,
 * chain verification, overrides awaiting review, and anomaly flags. The DPO reads audit data
 * only (their role has no case categories); every read here is itself audited, per child, with
 * the purpose the DPO stated (audit or subject_access).
 */
import type { OverrideReview } from '../../schema/tables/consent';
import type { AccessDecider } from '../access/access-decider';
import { DATA_CATEGORIES, type DataCategory } from '../access/categories';
import type { Purpose } from '../access/purposes';
import { PURPOSE_HEADER } from '../access/purposes';
import { Capability, requireCapability } from '../access/capabilities';
import type { Db } from '../db';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import type { Clock } from '../shared/clock';
import { requireOneOf, requireText, requireUuid } from '../shared/validate';
import type { AuditCollector } from './audit-collector';
import type { AuditLog, LogReport } from './audit-log.service';
import * as repo from './audit.repo';
import type { AuditRow } from './audit.repo';
import * as overrides from './override-review.repo';
import * as sar from './subject-access.repo';

/** Options of the DPO service; defaults in brackets. */
export interface DpoServiceOptions {
  db: Db;
  clock: Clock;
  /** Child records one caller may touch in a clock hour before it is flagged [200]. */
  volumeThresholdPerHour?: number;
  /** The audit's Merkle log. */
  log: AuditLog;
}

export interface AccessLogQuery {
  childId?: string | null;
  organisationId?: string | null;
  /** The caller's token subject (a practitioner or a service account). */
  subject?: string | null;
  from: Date;
  to: Date;
  first: number;
  /** Decoded cursor: the seq of the last row of the previous page. */
  after: string | null;
}

export const ANOMALY_KINDS = ['no_relationship', 'override_used', 'unusual_volume'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** The DPO's findings: every review status but the `pending` a review starts from. */
export const REVIEW_OUTCOMES = ['upheld', 'not_upheld'] as const satisfies readonly OverrideReview[];

export interface Anomaly {
  kind: AnomalyKind;
  seq: number | null;
  occurredAt: Date;
  callerSubject: string;
  callerOrganisationId: string;
  callerRole: string;
  childId: string | null;
  /** Child records touched in the hour (unusual_volume only). */
  count: number | null;
}

export const OVERSIGHT_PURPOSES: readonly Purpose[] = ['audit', 'subject_access'];
/** The basis recorded in the audit for a DPO's reads. */
export const DPO_AUDIT_BASIS = 'dpo:UK GDPR Art. 5(2) accountability: audit oversight';
export const DPO_SAR_BASIS = 'dpo:UK GDPR Art. 15 subject access';
const ANOMALY_LIMIT = 500;

export class DpoService {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly volumeThreshold: number;
  private readonly log: AuditLog;

  constructor({ db, clock, log, volumeThresholdPerHour = 200 }: DpoServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.volumeThreshold = volumeThresholdPerHour;
    this.log = log;
  }

  async accessLog(
    q: AccessLogQuery,
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<{ rows: AuditRow[]; hasNextPage: boolean }> {
    requireDpo(access, OVERSIGHT_PURPOSES);
    const given = [q.childId, q.organisationId, q.subject].filter((v) => v != null && v !== '');
    if (given.length !== 1)
      throw new BadUserInputError('childId', 'give exactly one of childId, organisationId or practitionerId');
    requireWindow(q.from, q.to);
    if (!Number.isInteger(q.first) || q.first < 1 || q.first > 200)
      throw new BadUserInputError('first', 'must be between 1 and 200');
    const afterSeq = q.after === null ? null : Number(q.after);
    if (afterSeq !== null && !Number.isSafeInteger(afterSeq))
      throw new BadUserInputError('after', 'is not a cursor this API issued');
    let filter: repo.AccessLogFilter;
    if (q.childId) {
      const group = await repo.mergeGroup(this.db, requireUuid('childId', q.childId));
      // An id the hub never held can still appear in the audit (a refused probe): search it as given.
      filter = { childIds: group ? group.ids : [q.childId.toLowerCase()] };
    } else if (q.organisationId) {
      filter = { organisationId: requireUuid('organisationId', q.organisationId) };
    } else {
      filter = { subject: requireText('practitionerId', q.subject, { max: 200 }) };
    }
    const rows = await repo.accessLogPage(this.db, filter, q.from, q.to, afterSeq, q.first + 1);
    const page = rows.slice(0, q.first);
    for (const childId of new Set(page.map((r) => r.childId)))
      audit.oversaw(childId, 'Query.accessLog', DPO_AUDIT_BASIS);
    return { rows: page, hasNextPage: rows.length > q.first };
  }

  /**
   * From the last verified checkpoint to the latest (cost: the entries logged since); with a
   * window, also every row written in it; `full` re-reads the whole log from its first entry.
   */
  async verifyAuditChain(from: Date | null, to: Date | null, full: boolean, access: AccessDecider): Promise<LogReport> {
    requireDpo(access, null);
    if ((from === null) !== (to === null))
      throw new BadUserInputError(from === null ? 'from' : 'to', 'give both from and to, or neither');
    if (from === null || to === null) return this.log.verifyIncremental({ full });
    requireWindow(from, to);
    return this.log.verify(from, to, { full });
  }

  /**
   * Everything the hub holds about the child (and records merged into it), plus its whole access
   * history, as plain JSON. The export itself is audited as a disclosure of every category.
   */
  async subjectAccessReport(
    childId: string,
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<Record<string, unknown>> {
    requireDpo(access, ['subject_access']);
    const id = requireUuid('childId', childId);
    const group = await repo.mergeGroup(this.db, id);
    if (!group) return this.reportAfterDeletion(id, audit);
    const records: Record<string, unknown[]> = { children: await sar.childRows(this.db, group.ids) };
    for (const [table, columns] of await sar.childIdColumns(this.db, { hubTablesOnly: true })) {
      const rows = await sar.rowsNaming(this.db, table, columns, group.ids);
      if (rows.length > 0) records[table] = rows;
    }
    const accessHistory: unknown[] = [];
    for await (const page of repo.auditRowsOfChildren(this.db, group.ids))
      accessHistory.push(...page.map(auditEntryJson));
    audit.oversaw(group.liveId, 'Query.subjectAccessReport', DPO_SAR_BASIS, DATA_CATEGORIES);
    return {
      generatedAt: this.clock.now().toISOString(),
      childId: group.liveId,
      mergedChildIds: group.ids.filter((id) => id !== group.liveId),
      records,
      accessHistory,
    };
  }

  /**
   * A child whose records the retention sweep deleted still has its access history (the audit
   * outlives the case record): the report then holds that history and when the records went.
   * An id the hub never held and the audit never named is NOT_FOUND as before.
   */
  private async reportAfterDeletion(id: string, audit: AuditCollector): Promise<Record<string, unknown>> {
    const deletion = await repo.retentionDeletion(this.db, id);
    if (!deletion) throw new NotFoundError('Child');
    const ids = deletion.childIds.includes(id) ? deletion.childIds : [id, ...deletion.childIds];
    const accessHistory: unknown[] = [];
    for await (const page of repo.auditRowsOfChildren(this.db, ids)) accessHistory.push(...page.map(auditEntryJson));
    audit.oversaw(id, 'Query.subjectAccessReport', DPO_SAR_BASIS, DATA_CATEGORIES);
    return {
      generatedAt: this.clock.now().toISOString(),
      childId: id,
      mergedChildIds: ids.filter((other) => other !== id),
      recordsDeleted: {
        at: deletion.deletedAt.toISOString(),
        byRetentionSweep: true,
        tables: [...new Set((deletion.changes as { fields?: string[] }[]).flatMap((c) => c.fields ?? []))],
      },
      records: {},
      accessHistory,
    };
  }

  /** Names of organisations a report mentions (for its printable forms). */
  organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
    return sar.organisationNames(this.db, ids);
  }

  async overridesAwaitingReview(
    first: number,
    after: string | null,
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<{ rows: overrides.OverrideRow[]; hasNextPage: boolean }> {
    requireDpo(access, OVERSIGHT_PURPOSES);
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw new BadUserInputError('first', 'must be between 1 and 200');
    const key = after === null ? null : parseOverrideCursor(after);
    const rows = await overrides.pendingOverrides(this.db, key, first + 1);
    const page = rows.slice(0, first);
    for (const row of page) audit.oversaw(row.childId, 'Query.overridesAwaitingReview', DPO_AUDIT_BASIS);
    return { rows: page, hasNextPage: rows.length > first };
  }

  /** UPHELD or NOT_UPHELD, with a note; an override is reviewed once (again → CONFLICT). */
  async reviewOverride(
    id: string,
    outcome: string,
    note: string,
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<overrides.OverrideRow> {
    requireDpo(access, null);
    const overrideId = requireUuid('id', id);
    const status = requireOneOf('outcome', outcome, REVIEW_OUTCOMES);
    const why = requireText('note', note, { max: 4000 });
    const at = this.clock.now();
    const reviewed = await this.db.transaction(async (tx) => {
      const row = await overrides.markReviewed(tx, overrideId, {
        status,
        subject: access.caller.subject,
        at,
        note: why,
      });
      if (!row) {
        if (await overrides.findOverride(tx, overrideId))
          throw new ConflictError('This override has already been reviewed', { field: 'id' });
        throw new NotFoundError('Safeguarding override');
      }
      await recordCaseEvent(tx, {
        // The override's categories: those who may read what it shared may hear of its review, no one else.
        childId: row.childId,
        kind: 'override_reviewed',
        categories: row.categories as DataCategory[],
        changedFields: REVIEW_FIELDS,
        refs: { overrideId: row.id },
        actor: access.caller,
        at,
      });
      await audit.changedIn(tx, [{ childId: row.childId, action: 'reviewOverride', fields: REVIEW_FIELDS }]);
      return row;
    });
    return reviewed;
  }

  /** Access attempts outside any relationship, override use, and unusual volume by one caller. */
  async anomalies(
    from: Date,
    to: Date,
    threshold: number | null,
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<Anomaly[]> {
    requireDpo(access, OVERSIGHT_PURPOSES);
    requireWindow(from, to);
    const perHour = threshold ?? this.volumeThreshold;
    if (!Number.isInteger(perHour) || perHour < 1)
      throw new BadUserInputError('volumeThresholdPerHour', 'must be a whole number of at least 1');
    const [refused, overridden, volume] = await Promise.all([
      repo.flaggedRows(this.db, 'no_relationship', from, to, ANOMALY_LIMIT),
      repo.flaggedRows(this.db, 'override_used', from, to, ANOMALY_LIMIT),
      repo.volumeAbove(this.db, perHour, from, to, ANOMALY_LIMIT),
    ]);
    const fromRow =
      (kind: AnomalyKind) =>
      (r: AuditRow): Anomaly => ({
        kind,
        seq: r.seq,
        occurredAt: r.occurredAt,
        callerSubject: r.callerSubject,
        callerOrganisationId: r.callerOrganisationId,
        callerRole: r.callerRole,
        childId: r.childId,
        count: null,
      });
    const found: Anomaly[] = [
      ...refused.map(fromRow('no_relationship')),
      ...overridden.map(fromRow('override_used')),
      ...volume.map((v) => ({
        kind: 'unusual_volume' as const,
        seq: null,
        occurredAt: v.hourStart,
        callerSubject: v.callerSubject,
        callerOrganisationId: v.callerOrganisationId,
        callerRole: v.callerRole,
        childId: null,
        count: v.count,
      })),
    ];
    for (const childId of new Set(found.flatMap((a) => (a.childId ? [a.childId] : []))))
      audit.oversaw(childId, 'Query.auditAnomalies', DPO_AUDIT_BASIS);
    return found.sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());
  }
}

const REVIEW_FIELDS = ['reviewNote', 'reviewStatus', 'reviewedAt', 'reviewedBySubject'];

/** Defence in depth behind the shield: DPO role, and for reads an oversight purpose. */
export function requireDpo(access: AccessDecider, purposes: readonly Purpose[] | null): void {
  requireCapability(access.caller, Capability.OverseeAccess);
  if (purposes && (!access.purpose || !purposes.includes(access.purpose))) {
    throw new BadUserInputError(PURPOSE_HEADER, `state the purpose of access: one of ${purposes.join(', ')}`);
  }
}

function requireWindow(from: Date, to: Date): void {
  if (Number.isNaN(from.getTime())) throw new BadUserInputError('from', 'must be a date-time');
  if (Number.isNaN(to.getTime())) throw new BadUserInputError('to', 'must be a date-time');
  if (from >= to) throw new BadUserInputError('to', 'must be after from');
}

export function overrideCursorKey(row: overrides.OverrideRow): string {
  return `${row.declaredAt.toISOString()}|${row.id}`;
}

function parseOverrideCursor(key: string): { declaredAt: Date; id: string } {
  const [at, id] = key.split('|');
  const declaredAt = new Date(at ?? '');
  if (!id || Number.isNaN(declaredAt.getTime()))
    throw new BadUserInputError('after', 'is not a cursor this API issued');
  return { declaredAt, id: requireUuid('after', id) };
}

/** An audit row as exported: ids, categories and field names — the audit never holds values. */
export function auditEntryJson(row: AuditRow): Record<string, unknown> {
  return {
    seq: row.seq,
    requestId: row.requestId,
    occurredAt: row.occurredAt.toISOString(),
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
