/** Counting queries of the full performance book beyond the workflow's own (src/performance). */
import { and, asc, between, desc, eq, gte, lt, sql } from 'drizzle-orm';
import {
  actionPlans,
  children,
  ehaReviews,
  ehas,
  indicatorFigures,
  missingEpisodes,
  organisations,
  referrals,
  performanceNarratives,
  policeIncidentChildren,
  policeIncidents,
  policeNotifications,
  schoolAttendance,
  workflowTransitions,
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

/**
 * Referrals accepted in the period (the date of the accept transition, as `early_help_casework`
 * counts them), and of those, the ones whose child had another EHA closed on or before the
 * referral date and no more than 12 calendar months before it.
 */
export async function reReferrals(
  db: DbOrTx,
  from: string,
  to: string,
): Promise<{ accepted: number; reReferred: number }> {
  const result = await db.execute(sql`
    select count(*)::int as accepted,
      count(*) filter (where exists (
        select 1 from ${ehas} e
        where e.child_id = r.child_id and e.id is distinct from r.eha_id
          and e.closed_on <= r.referral_date
          and e.closed_on >= (r.referral_date - interval '12 months')::date
      ))::int as re_referred
    from ${workflowTransitions} t join ${referrals} r on r.id = t.entity_id
    where t.machine = 'referral' and t.action = 'accept' and t.on_date between ${from} and ${to}`);
  const r = rowsOf<{ accepted: number; re_referred: number }>(result)[0];
  return { accepted: Number(r?.accepted ?? 0), reReferred: Number(r?.re_referred ?? 0) };
}

/**
 * EHAs open on some day of the period with a plan agreed by its end: each with the dates its review
 * clock restarts (every plan agreed and every review held), its closure date, and the spans it
 * spent suspended — at MASP or stepped up awaiting social care's outcome — when no review can be held.
 */
export async function reviewClocks(
  db: DbOrTx,
  from: string,
  to: string,
): Promise<{ ehaId: string; closedOn: string | null; restarts: string[]; suspended: Suspension[] }[]> {
  // string_agg rather than array_agg: both drivers hand back text the same way.
  const result = await db.execute(sql`
    select e.id, e.closed_on::text as closed_on,
      (select string_agg(p.agreed_on::text, ',') from ${actionPlans} p where p.eha_id = e.id) as plans,
      (select string_agg(v.held_on::text, ',') from ${ehaReviews} v where v.eha_id = e.id) as reviews,
      (select string_agg(t.on_date::text || ' ' || t.to_state, ',' order by t.at, t.id)
        from ${workflowTransitions} t where t.machine = 'eha' and t.entity_id = e.id) as moves
    from ${ehas} e
    where (e.closed_on is null or e.closed_on > ${from})
      and exists (select 1 from ${actionPlans} p where p.eha_id = e.id and p.agreed_on <= ${to})`);
  return rowsOf<{
    id: string;
    closed_on: string | null;
    plans: string | null;
    reviews: string | null;
    moves: string | null;
  }>(result).map((r) => ({
    ehaId: r.id,
    closedOn: r.closed_on,
    restarts: [...new Set([...(r.plans?.split(',') ?? []), ...(r.reviews?.split(',') ?? [])])].sort(),
    suspended: suspensions((r.moves?.split(',') ?? []).map((m) => m.split(' ') as [string, string])),
  }));
}

/** From `from` until `until` (null: still suspended) the EHA could not be reviewed. */
export interface Suspension {
  from: string;
  until: string | null;
}

const SUSPENDED_STATES: ReadonlySet<string> = new Set(['at_masp', 'stepped_up_awaiting_outcome']);

function suspensions(moves: [onDate: string, toState: string][]): Suspension[] {
  const spans: Suspension[] = [];
  let open: Suspension | null = null;
  for (const [onDate, toState] of moves) {
    if (SUSPENDED_STATES.has(toState)) {
      if (!open) spans.push((open = { from: onDate, until: null }));
    } else if (open) {
      open.until = onDate;
      open = null;
    }
  }
  return spans;
}

/**
 * EHAs that began with a step down to an EHA in the period: when their first TAF was due, and when
 * it was held. A step down to Family Support Work has no TAF (its first comes if it becomes an EHA).
 */
export async function stepDownFirstTafs(
  db: DbOrTx,
  from: string,
  to: string,
): Promise<{ firstTafDueBy: string | null; firstTafOn: string | null }[]> {
  return db
    .select({ firstTafDueBy: ehas.firstTafDueBy, firstTafOn: ehas.firstTafOn })
    .from(ehas)
    .where(
      and(
        eq(ehas.origin, 'step_down'),
        eq(ehas.stepDownSupport, 'early_help_assessment'),
        between(ehas.startedOn, from, to),
      ),
    );
}

/**
 * Missing episodes whose young person returned between two instants (the caller widens the
 * period by a day each side and keeps those whose London date of return is in it).
 */
export async function returnsBetween(
  db: DbOrTx,
  fromInstant: Date,
  beforeInstant: Date,
): Promise<{ returnedAt: Date; interviewOfferedAt: Date | null; interviewCompletedAt: Date | null }[]> {
  const rows = await db
    .select({
      returnedAt: missingEpisodes.returnedAt,
      interviewOfferedAt: missingEpisodes.interviewOfferedAt,
      interviewCompletedAt: missingEpisodes.interviewCompletedAt,
    })
    .from(missingEpisodes)
    .where(and(gte(missingEpisodes.returnedAt, fromInstant), lt(missingEpisodes.returnedAt, beforeInstant)));
  return rows.map((r) => ({ ...r, returnedAt: r.returnedAt! }));
}

/** Operation Encompass notifications whose deadline falls between two instants (widened as above). */
export async function encompassDeadlinesBetween(
  db: DbOrTx,
  fromInstant: Date,
  beforeInstant: Date,
): Promise<{ route: string; deadline: Date; acknowledgedAt: Date | null }[]> {
  return db
    .select({
      route: policeNotifications.route,
      deadline: policeNotifications.deadline,
      acknowledgedAt: policeNotifications.acknowledgedAt,
    })
    .from(policeNotifications)
    .where(and(gte(policeNotifications.deadline, fromInstant), lt(policeNotifications.deadline, beforeInstant)));
}

/** The two ways the hub sees a child go to social care: an EHA stepped up, or a referral passed on at screening. */
export const STEP_UP_ROUTES = ['eha_step_up', 'referral_to_social_care'] as const;
export type StepUpRoute = (typeof STEP_UP_ROUTES)[number];

/**
 * Children stepped up to social care in the period, by route — an EHA stepped up (`step_up`,
 * `masp_step_up`: what `step_up` counts) or a referral passed to social care's front door at
 * screening — whose earlier EHA closed with needs met on or before the step up and no more than 12
 * calendar months before it. A child counts once in the total, once per route in the breakdown.
 */
export async function steppedUpAfterClosure(
  db: DbOrTx,
  from: string,
  to: string,
): Promise<{ children: number; byRoute: { route: StepUpRoute; children: number }[] }> {
  const result = await db.execute(sql`
    with steps as (
      select t.child_id, t.entity_id, t.on_date,
        case when t.machine = 'eha' then 'eha_step_up' else 'referral_to_social_care' end as route
      from ${workflowTransitions} t
      where t.on_date between ${from} and ${to}
        and ((t.machine = 'eha' and t.action in ('step_up', 'masp_step_up'))
          or (t.machine = 'referral' and t.action = 'refer_to_social_care'))
    ), counted as (
      select s.child_id, s.route from steps s
      where exists (
        select 1 from ${ehas} e
        where e.child_id = s.child_id and e.id <> s.entity_id and e.closure_outcome = 'needs_met'
          and e.closed_on <= s.on_date
          and e.closed_on >= (s.on_date - interval '12 months')::date
      )
    )
    select route, count(distinct child_id)::int as n from counted group by route
    union all
    select 'all', count(distinct child_id)::int from counted`);
  const rows = rowsOf<{ route: string; n: number }>(result);
  const n = (route: string) => Number(rows.find((r) => r.route === route)?.n ?? 0);
  return {
    children: n('all'),
    byRoute: STEP_UP_ROUTES.map((route) => ({ route, children: n(route) })),
  };
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
