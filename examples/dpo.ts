/**
 * A data protection officer's script: who accessed a child's (or an organisation's) records in the
 * last day, on what basis and with what redacted; then the subject-access report for the child and
 * a check of the audit chain. `npm run example:dpo -- [CHILD_ID]` (or CHILD_ID; ORGANISATION_ID
 * for an organisation, default the demo Central Primary; HOURS, default 24).
 */
import { AccessLogDocument, SubjectAccessReportDocument, VerifyAuditChainDocument } from '../src/client';
import { connect, demoPersona, run } from './support';

const PERSONA = 'demo-dpo';

run('example:dpo', async () => {
  const hub = await connect(PERSONA, 'audit');
  const hours = Number(process.env.HOURS ?? 24);
  const to = new Date(Date.now() + 60_000).toISOString();
  const from = new Date(Date.now() - hours * 3_600_000).toISOString();
  const childId = process.argv[2] ?? process.env.CHILD_ID ?? null;
  const organisationId = childId
    ? null
    : (process.env.ORGANISATION_ID ?? (await demoPersona('demo-school-dsl')).organisationId);
  const { accessLog } = await hub.request(AccessLogDocument, { from, to, childId, organisationId, first: 200 });
  console.log(
    `dpo: access log for ${childId ? `child ${childId}` : `organisation ${organisationId}`}, last ${hours} h: ${accessLog.count} entr${accessLog.count === 1 ? 'y' : 'ies'}${accessLog.pageInfo.hasNextPage ? ' (more pages)' : ''}`,
  );
  for (const e of accessLog.nodes.slice(-5)) {
    const basis = e.basis.map((b) => `${b.category}:${b.basis}`).join(' ') || '-';
    const redacted = e.fieldsRedacted.map((r) => `${r.field}(${r.code})`).join(' ') || 'none';
    console.log(
      `  #${e.seq} ${e.occurredAt} ${e.callerRole} ${e.callerSubject} ${e.operation} ${e.operationName ?? ''} purpose ${e.purpose ?? '-'} child ${e.childId} basis ${basis} redacted ${redacted}`,
    );
  }
  // A child something was disclosed about: a refused lookup of an identifier the hub does not hold
  // is logged under a stand-in id, which no report can be drawn for.
  const subject = childId ?? accessLog.nodes.filter((e) => e.categoriesReturned.length > 0).at(-1)?.childId;
  if (!subject) throw new Error('no access in the period, so no child for a subject-access report');
  const { subjectAccessReport } = await hub.request(
    SubjectAccessReportDocument,
    { childId: subject },
    { purpose: 'subject_access' },
  );
  const report = subjectAccessReport as {
    childId: string;
    records: Record<string, unknown[]>;
    accessHistory: unknown[];
  };
  const tables = Object.entries(report.records)
    .map(([table, rows]) => `${table} ${rows.length}`)
    .join(', ');
  console.log(
    `dpo: subject-access report for child ${report.childId}: records (${tables}); access history ${report.accessHistory.length} entries`,
  );
  const { verifyAuditChain: chain } = await hub.request(VerifyAuditChainDocument, { from, to });
  console.log(
    `dpo: audit chain ${chain.ok ? 'intact' : `BROKEN at #${chain.firstBrokenSeq}: ${chain.reason}`} (${chain.checked} rows checked)`,
  );
  if (!chain.ok) process.exitCode = 1;
});
