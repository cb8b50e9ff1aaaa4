/**
 * The hub's audit rule for the reference servers (BENCH_AUDIT=1): before a school lookup's answer
 * leaves, the row the hub writes for it is committed by the hub's own code (the group commit of
 * src/audit/audit-batcher.ts, the row MAC, the one-statement append, the log's queue trigger).
 * PostGraphile and the raw handler still decide nothing (no token, relationship, consent or
 * category check): this measures what the design's "audit before disclose" costs a server that
 * otherwise does the least, so the hub can be compared with servers that keep the same rule.
 */
import { randomUUID } from 'node:crypto';
import { AuditBatcher } from '../../src/audit/audit-batcher';
import { macedContent, type HashableAuditRow } from '../../src/audit/audit-hash';
import { ephemeralAuditKeys } from '../../src/audit/audit-keys';
import { openDatabase } from '../../src/db';

/** The row the hub writes for the school MIS lookup (fields, categories and basis as in its access_audit rows). */
function schoolLookupRow(childId: string, organisationId: string): HashableAuditRow {
  return {
    requestId: randomUUID(),
    occurredAt: new Date(),
    callerSubject: 'mis-reference',
    callerOrganisationId: organisationId,
    callerRole: 'school_staff',
    clientId: 'school-mis',
    purpose: 'direct_support',
    operation: 'query',
    operationName: 'PupilOpenEha',
    childId,
    categoriesReturned: ['early_help', 'identifiers', 'identity'],
    fieldsReturned: [
      'Child.dateOfBirth',
      'Child.familyName',
      'Child.givenName',
      'Child.openEha',
      'Child.upn',
      'Eha.leadPractitioner',
      'Eha.nextReviewDue',
      'Eha.planActions',
      'Eha.status',
      'PlanAction.description',
      'PlanAction.dueDate',
      'PlanAction.status',
    ],
    fieldsRedacted: [],
    basis: {
      identity: 'isa:Education Act 2002 s175: own pupil record',
      identifiers: 'isa:Education Act 2002 s175: own pupil record',
      early_help: 'consent:00000000-0000-4000-8000-000000000000',
    },
    changes: [],
    flags: [],
  };
}

export interface ReferenceAudit {
  /** Resolves once the child's row is committed; a lookup that found no child writes nothing. */
  lookupAnswered(childId: string | null | undefined): Promise<void>;
}

/**
 * Null unless BENCH_AUDIT is set. One connection: the batcher keeps one append in flight.
 * `onStatement` counts its statements with the server's own (the harness's counting pass).
 */
export async function referenceAudit(onStatement?: () => void): Promise<ReferenceAudit | null> {
  if (!process.env.BENCH_AUDIT) return null;
  const organisationId = process.env.BENCH_AUDIT_ORG;
  if (!organisationId) throw new Error('BENCH_AUDIT_ORG (the school organisation id) is required with BENCH_AUDIT');
  const database = await openDatabase({
    url: process.env.DATABASE_URL!,
    maxConnections: 1,
    onQuery: onStatement && (() => onStatement()),
  });
  const batcher = new AuditBatcher(database.db, () => {});
  const { rowMacKey } = ephemeralAuditKeys();
  return {
    lookupAnswered: async (childId) => {
      if (!childId) return;
      const row = schoolLookupRow(childId, organisationId);
      await batcher.append([{ ...row, ...macedContent(rowMacKey, row) }]);
    },
  };
}
