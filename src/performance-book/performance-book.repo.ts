/** Counting queries of the full performance book beyond the workflow's own (src/performance). */
import { sql } from 'drizzle-orm';
import {
  children,
  ehas,
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
