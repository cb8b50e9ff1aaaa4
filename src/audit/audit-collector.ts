/**
 * Collects, during one request (or one subscription event), what was disclosed, redacted and
 * changed for each child touched. Flushed as one batched audit insert before the response leaves.
 */
import type { AccessBasis } from '../access/decision';
import type { DataCategory } from '../access/categories';

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

  private record(childId: string): ChildAccessRecord {
    let rec = this.byChild.get(childId);
    if (!rec) {
      rec = { childId, granted: new Map(), fieldsReturned: new Set(), fieldsRedacted: new Map(), changes: [], deniedRelationship: false, oversight: [] };
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

  /** A read of data about the child that is not case content through a guarded field (see `oversight`). */
  oversaw(childId: string, field: string, basis: string, categories: readonly DataCategory[] = []): void {
    const rec = this.record(childId);
    rec.oversight.push({ field, categories: [...categories], basis });
    rec.fieldsReturned.add(field);
  }

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
