/** SQL of QA samples, case audits and the grading trend. */
import { and, asc, eq, gte, isNull, lte, or, gt, sql } from 'drizzle-orm';
import { ehas, qaCaseAudits, qaSamples } from '../../schema';
import { rowsOf, type DbOrTx } from '../db';

export type QaSampleRow = typeof qaSamples.$inferSelect;
export type QaAuditRow = typeof qaCaseAudits.$inferSelect;

/** EHAs of the cluster open at the end of the month, and those closed during it. */
export async function candidates(
  db: DbOrTx,
  cluster: string,
  monthStart: string,
  monthEnd: string,
): Promise<{ open: string[]; closed: string[] }> {
  const open = await db
    .select({ id: ehas.id })
    .from(ehas)
    .where(
      and(
        eq(ehas.cluster, cluster),
        lte(ehas.startedOn, monthEnd),
        or(isNull(ehas.closedOn), gt(ehas.closedOn, monthEnd)),
      ),
    )
    .orderBy(asc(ehas.id));
  const closed = await db
    .select({ id: ehas.id })
    .from(ehas)
    .where(and(eq(ehas.cluster, cluster), gte(ehas.closedOn, monthStart), lte(ehas.closedOn, monthEnd)))
    .orderBy(asc(ehas.id));
  return { open: open.map((r) => r.id), closed: closed.map((r) => r.id) };
}

export async function findSample(db: DbOrTx, cluster: string, month: string): Promise<QaSampleRow | null> {
  const [row] = await db
    .select()
    .from(qaSamples)
    .where(and(eq(qaSamples.cluster, cluster), eq(qaSamples.month, month)));
  return row ?? null;
}

export async function sampleById(db: DbOrTx, id: string): Promise<QaSampleRow | null> {
  const [row] = await db.select().from(qaSamples).where(eq(qaSamples.id, id));
  return row ?? null;
}

export async function insertSample(db: DbOrTx, row: typeof qaSamples.$inferInsert): Promise<QaSampleRow> {
  const [created] = await db.insert(qaSamples).values(row).returning();
  return created!;
}

export async function auditsOf(db: DbOrTx, sampleId: string): Promise<QaAuditRow[]> {
  return db
    .select()
    .from(qaCaseAudits)
    .where(eq(qaCaseAudits.sampleId, sampleId))
    .orderBy(asc(qaCaseAudits.auditedOn), asc(qaCaseAudits.ehaId));
}

export async function insertAudit(tx: DbOrTx, row: typeof qaCaseAudits.$inferInsert): Promise<QaAuditRow> {
  const [created] = await tx.insert(qaCaseAudits).values(row).returning();
  return created!;
}

export async function ehaChild(db: DbOrTx, ehaId: string): Promise<string | null> {
  const [row] = await db.select({ childId: ehas.childId }).from(ehas).where(eq(ehas.id, ehaId));
  return row?.childId ?? null;
}

export interface TrendRow {
  month: string;
  cluster: string;
  sampled: number;
  grade: string | null;
  n: number;
}

export async function trend(
  db: DbOrTx,
  fromMonth: string,
  toMonth: string,
  cluster: string | null,
): Promise<TrendRow[]> {
  const result = await db.execute(sql`
    select s.month, s.cluster, cardinality(s.eha_ids) as sampled, a.grade, count(a.id)::int as n
    from ${qaSamples} s left join ${qaCaseAudits} a on a.sample_id = s.id
    where s.month between ${fromMonth} and ${toMonth} ${cluster ? sql`and s.cluster = ${cluster}` : sql``}
    group by s.month, s.cluster, s.eha_ids, a.grade
    order by s.month, s.cluster, a.grade`);
  return rowsOf<{ month: string; cluster: string; sampled: number; grade: string | null; n: number }>(result).map(
    (r) => ({ month: r.month, cluster: r.cluster, sampled: Number(r.sampled), grade: r.grade, n: Number(r.n) }),
  );
}
