/**
 * Collects, during one request (or one subscription event), what was disclosed, redacted and
 * changed for each child touched. Flushed as one batched audit insert before the response leaves.
 */
import type { AccessBasis } from '../access/decision';
import type { Caller } from '../auth/caller';
import type { DataCategory } from '../access/categories';
import type { Tx } from '../db';
import { attemptedChildId } from './attempt-id';

/** One change to one child's record: the action and the field names it changed (never values). */
export interface AuditChange {
  childId: string;
  action: string;
  fields: string[];
}

/**
 * Writes change rows inside the change's own transaction, with the request's identity bound in
 * (who, why, which operation). Given by the request context; a collector without one cannot
 * record a change, so an unaudited change cannot commit by mistake.
 */
export type ChangeWriter = (tx: Tx, changes: AuditChange[]) => Promise<void>;

/** The request a collector audits, kept with work done after its response (the feed inbox). */
export interface AuditOrigin {
  requestId: string;
  caller: Caller;
  purpose: string | null;
}

export interface ChildAccessRecord {
  childId: string;
  /** category → basis of the disclosure. */
  granted: Map<DataCategory, AccessBasis>;
  /** "Type.field" paths returned. */
  fieldsReturned: Set<string>;
  /** "Type.field" → denial code. */
  fieldsRedacted: Map<string, { category: DataCategory; code: string }>;
  /** Mutation actions and the field names they changed (never values). */
  changes: { action: string; fields: string[] }[];
  /** Access attempted without any relationship (anomaly flag for the DPO). */
  deniedRelationship: boolean;
  /**
   * Reads outside the category guard: a DPO reading the child's audit trail or subject-access
   * export, a lead practitioner reading who viewed the child. `basis` is the recorded reason.
   */
  oversight: { field: string; categories: DataCategory[]; basis: string }[];
}

export class AuditCollector {
  private readonly byChild = new Map<string, ChildAccessRecord>();
  /** The request's operation name, once known: change rows are written before the response. */
  operationName: string | null = null;

  /**
   * @param writeChanges how changes reach the audit inside their transaction (see `changedIn`).
   * @param identifierKey key of the hash that stands for an identifier the hub does not hold (`attempted`).
   * @param origin the request, for work it hands on to be done after its response.
   */
  constructor(
    private readonly writeChanges: ChangeWriter | null = null,
    private readonly identifierKey: string | null = null,
    readonly origin: AuditOrigin | null = null,
  ) {}

  private record(childId: string): ChildAccessRecord {
    let rec = this.byChild.get(childId);
    if (!rec) {
      rec = {
        childId,
        granted: new Map(),
        fieldsReturned: new Set(),
        fieldsRedacted: new Map(),
        changes: [],
        deniedRelationship: false,
        oversight: [],
      };
      this.byChild.set(childId, rec);
    }
    return rec;
  }

  disclosed(childId: string, category: DataCategory, field: string, basis: AccessBasis): void {
    const rec = this.record(childId);
    rec.granted.set(category, basis);
    rec.fieldsReturned.add(field);
  }

  redacted(childId: string, category: DataCategory, field: string, code: string): void {
    this.record(childId).fieldsRedacted.set(field, { category, code });
    if (code === 'NO_RELATIONSHIP') this.record(childId).deniedRelationship = true;
  }

  /** A lookup refused for want of a relationship (the child may or may not exist). */
  refused(childId: string): void {
    this.record(childId).deniedRelationship = true;
  }

  /**
   * A refused or unmatched lookup: under the child's id when the hub holds it, otherwise under a
   * keyed hash of what was asked for, so the audit records the attempt without becoming a register
   * of identifiers the hub was never given. Both write the same kind of row.
   */
  attempted(heldChildId: string | null, asked: readonly (string | null | undefined)[]): void {
    this.refused(heldChildId ?? this.standIn(asked));
  }

  /** The keyed hash, shaped as a child id, under which an attempt on `asked` is audited when the hub holds nothing for it. */
  standIn(asked: readonly (string | null | undefined)[]): string {
    if (!this.identifierKey)
      throw new Error('this audit collector cannot hash an identifier: it has no identifier key');
    return attemptedChildId(this.identifierKey, asked);
  }

  /**
   * A child named in an answer by its id alone (a list of ids, a match's candidates): no case
   * category is returned, but that the hub holds the child, and links it to the caller, is disclosed.
   */
  identified(childId: string, field: string): void {
    this.record(childId).fieldsReturned.add(field);
  }

  /** A read of data about the child that is not case content through a guarded field (see `oversight`). */
  oversaw(childId: string, field: string, basis: string, categories: readonly DataCategory[] = []): void {
    const rec = this.record(childId);
    rec.oversight.push({ field, categories: [...categories], basis });
    rec.fieldsReturned.add(field);
  }

  /**
   * Audits changes inside the transaction that makes them: the audit rows commit with the change
   * or roll back with it, so no change is ever committed unaudited (a crash, a failed audit
   * insert) and none is audited that did not happen. Call it last in the transaction's callback.
   */
  async changedIn(tx: Tx, changes: readonly AuditChange[]): Promise<void> {
    if (changes.length === 0) return;
    if (!this.writeChanges) throw new Error('this audit collector cannot record changes: it has no change writer');
    await this.writeChanges(
      tx,
      changes.map((c) => ({ childId: c.childId, action: c.action, fields: [...c.fields].sort() })),
    );
  }

  /**
   * Records a change in this collector only, written with the request's other rows. For callers
   * that write the collector's rows in the change's own transaction themselves (the retention sweep).
   */
  changed(childId: string, action: string, fields: string[]): void {
    this.record(childId).changes.push({ action, fields: [...fields].sort() });
  }

  get isEmpty(): boolean {
    return this.byChild.size === 0;
  }

  records(): ChildAccessRecord[] {
    return [...this.byChild.values()];
  }
}
