/**
 * Access audit history for the scale city: `rows` rows over the 90 days before the seed day, as
 * the live hub would have written them (schools reading pupils' open EHAs, the health system
 * posting levels, lead practitioners reading their cases), each with the hub's row MAC, so the
 * audit log's checkpointer takes them into the log and `verifyAuditChain` passes over them.
 */
import { accessAudit } from '../schema';
import { auditRowMac, type HashableAuditRow } from '../src/audit/audit-hash';
import type { BulkSink } from './bulk-sink';
import { childId, orgId, SEED_DAY } from './demo-city';
import { prng } from './synthetic';

const BATCH = 50_000;
const DAYS = 90;

export interface AuditHistoryOptions {
  children: number;
  rows: number;
  schools: { key: string }[];
  rowMacKey: Buffer;
  onProgress: (message: string) => void;
}

export async function seedAuditHistory(
  sink: BulkSink,
  { children, rows, schools, rowMacKey, onProgress }: AuditHistoryOptions,
): Promise<number> {
  if (rows <= 0) return 0;
  const random = prng(0xa0d17);
  const start = Date.parse(`${SEED_DAY}T00:00:00Z`) - DAYS * 86_400_000;
  const step = (DAYS * 86_400_000) / rows;
  for (let i = 0; i < rows; i += BATCH) {
    const batch: (HashableAuditRow & { mac: string })[] = [];
    for (let j = i; j < Math.min(rows, i + BATCH); j++) {
      const child = childId(Math.floor(random() * children));
      const kind = j % 10;
      const occurredAt = new Date(Math.floor(start + j * step));
      const row: HashableAuditRow =
        kind < 7
          ? {
              ...base(j, occurredAt, child),
              callerSubject: `mis-${j % 997}`,
              callerOrganisationId: orgId(schools[j % schools.length]!.key),
              callerRole: 'school_staff',
              clientId: 'school-mis',
              operationName: 'PupilOpenEha',
              categoriesReturned: ['early_help', 'identity'],
              fieldsReturned: ['Child.givenName', 'Child.openEha', 'Eha.status'],
              basis: { early_help: `consent:${child}`, identity: 'isa:Education Act 2002 s175: own pupil record' },
            }
          : kind < 9
            ? {
                ...base(j, occurredAt, child),
                operation: 'mutation',
                callerSubject: 'svc-health-system',
                callerOrganisationId: orgId('health-trust'),
                callerRole: 'health_system',
                clientId: 'health-system',
                operationName: 'PostHealthUpdate',
                changes: [{ action: 'postHealthUpdate', fields: ['healthLevel'] }],
              }
            : {
                ...base(j, occurredAt, child),
                callerSubject: `scale-lead-${j % 200}`,
                callerOrganisationId: orgId('council-early-help'),
                callerRole: 'lead_practitioner',
                operationName: 'Caseload',
                categoriesReturned: ['early_help'],
                fieldsReturned: ['Eha.status'],
                basis: { early_help: 'isa:Children Act 2004 s10: lead practitioner of the EHA' },
              };
      batch.push({ ...row, mac: auditRowMac(rowMacKey, row) });
    }
    await sink.write(accessAudit, batch);
    onProgress(`audit history ${Math.min(rows, i + BATCH)}/${rows} rows`);
  }
  return rows;
}

function base(j: number, occurredAt: Date, child: string): HashableAuditRow {
  return {
    requestId: `seed-${j}`,
    occurredAt,
    callerSubject: '',
    callerOrganisationId: '',
    callerRole: '',
    clientId: null,
    purpose: 'direct_support',
    operation: 'query',
    operationName: null,
    childId: child,
    categoriesReturned: [],
    fieldsReturned: [],
    fieldsRedacted: [],
    basis: {},
    changes: [],
    flags: [],
  };
}
