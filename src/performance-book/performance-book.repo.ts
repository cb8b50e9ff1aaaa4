/** Counting queries of the full performance book beyond the workflow's own (src/performance). */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import {
  children,
  ehas,
  indicatorFigures,
  organisations,
  referrals,
  performanceNarratives,
  policeIncidentChildren,
  policeIncidents,
  schoolAttendance,
} from '../../schema';
import { rowsOf, type DbOrTx } from '../db';

export type NarrativeRow = typeof performanceNarratives.$inferSelect;

/** Per child with an attendance return ending in the period: persistently absent in any of them, and date of birth. */
export async function attendanceByChild(
  db: DbOrTx,
  from: string,
  to: string,
): Promise<{ childId: string; dateOfBirth: string | null; persistent: boolean; exclusions: number }[]> {
  const result = await db.execute(sql`
    select a.child_id, c.date_of_birth::text as dob, bool_or(a.persistent_absence) as persistent, sum(a.fixed_period_exclusions)::int as exclusions
    from ${schoolAttendance} a join ${children} c on c.id = a.child_id
    where a.period_end between ${from} and ${to}
    group by a.child_id, c.date_of_birth`);
  return rowsOf<{ child_id: string; dob: string | null; persistent: boolean; exclusions: number }>(result).map((r) => ({
    childId: r.child_id,
    dateOfBirth: r.dob,
    persistent: Boolean(r.persistent),
    exclusions: Number(r.exclusions),
  }));
}

/** Referrals received in the period by their source: the kind of the referring organisation. */
export async function referralsBySource(
  db: DbOrTx,
  from: string,
  to: string,
): Promise<{ source: string; n: number }[]> {
  const result = await db.execute(sql`
    select o.kind::text as source, count(*)::int as n
    from ${referrals} r join ${organisations} o on o.id = r.referrer_organisation_id
    where r.referral_date between ${from} and ${to}
    group by o.kind order by o.kind`);
  return rowsOf<{ source: string; n: number }>(result).map((r) => ({ source: r.source, n: Number(r.n) }));
}

/**
 * For EHAs closed in the period: police (Operation Encompass) incidents involving the child in the
 * 3 months before the EHA started, and in the 3 months before it closed.
 */
export async function domesticAbuseAtStartAndEnd(
  db: DbOrTx,
  from: string,
  to: string,
): Promise<{ families: number; atStart: number; atEnd: number }> {
  const result = await db.execute(sql`
    select count(distinct e.id)::int as families,
      count(pi.id) filter (where pi.occurred_at >= (e.started_on - interval '3 months') and pi.occurred_at < e.started_on + interval '1 day')::int as at_start,
      count(pi.id) filter (where pi.occurred_at >= (e.closed_on - interval '3 months') and pi.occurred_at < e.closed_on + interval '1 day')::int as at_end
    from ${ehas} e
    left join ${policeIncidentChildren} pc on pc.child_id = e.child_id
    left join ${policeIncidents} pi on pi.id = pc.incident_id
    where e.closed_on between ${from} and ${to}`);
  const r = rowsOf<{ families: number; at_start: number; at_end: number }>(result)[0];
  return { families: Number(r?.families ?? 0), atStart: Number(r?.at_start ?? 0), atEnd: Number(r?.at_end ?? 0) };
}

export async function narratives(db: DbOrTx, from: string, to: string): Promise<NarrativeRow[]> {
  return db
    .select()
    .from(performanceNarratives)
    .where(sql`${performanceNarratives.periodFrom} = ${from} and ${performanceNarratives.periodTo} = ${to}`);
}

export async function upsertNarrative(
  db: DbOrTx,
  row: typeof performanceNarratives.$inferInsert,
): Promise<NarrativeRow> {
  const [saved] = await db
    .insert(performanceNarratives)
    .values(row)
    .onConflictDoUpdate({
      target: [performanceNarratives.indicator, performanceNarratives.periodFrom, performanceNarratives.periodTo],
      set: {
        owner: row.owner,
        narrative: row.narrative,
        updatedBySubject: row.updatedBySubject,
        updatedAt: row.updatedAt,
      },
    })
    .returning();
  return saved!;
}

export type FigureRow = typeof indicatorFigures.$inferSelect;

/** The latest version of each submitted figure for exactly this period. */
export async function latestFigures(db: DbOrTx, from: string, to: string): Promise<FigureRow[]> {
  const rows = await db
    .select()
    .from(indicatorFigures)
    .where(and(eq(indicatorFigures.periodFrom, from), eq(indicatorFigures.periodTo, to)))
    .orderBy(asc(indicatorFigures.indicator), desc(indicatorFigures.version));
  const latest = new Map<string, FigureRow>();
  for (const r of rows) if (!latest.has(r.indicator)) latest.set(r.indicator, r);
  return [...latest.values()];
}

/** Inserts the next version of a figure (the unique index settles two at once: one fails, retried by the caller). */
export async function insertFigure(
  tx: DbOrTx,
  row: Omit<typeof indicatorFigures.$inferInsert, 'version'>,
): Promise<FigureRow> {
  const [last] = await tx
    .select({ version: indicatorFigures.version })
    .from(indicatorFigures)
    .where(
      and(
        eq(indicatorFigures.indicator, row.indicator),
        eq(indicatorFigures.periodFrom, row.periodFrom),
        eq(indicatorFigures.periodTo, row.periodTo),
      ),
    )
    .orderBy(desc(indicatorFigures.version))
    .limit(1);
  const [created] = await tx
    .insert(indicatorFigures)
    .values({ ...row, version: (last?.version ?? 0) + 1 })
    .returning();
  return created!;
}
