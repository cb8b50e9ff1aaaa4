/** SQL of Early Help Assessments, their TAF meetings, action plans, actions and reviews. */
import { and, asc, desc, eq, inArray, lte, ne, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { actionPlans, ehaReviews, ehas, planActions, tafMeetings } from '../../schema';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { preparedOn, type DbOrTx } from '../db';
import type { PractitionerContactRow } from '../workflow/workflow.repo';

export type EhaRow = typeof ehas.$inferSelect;
export type NewEhaRow = typeof ehas.$inferInsert;
export type TafMeetingRow = typeof tafMeetings.$inferSelect;
export type ActionPlanRow = typeof actionPlans.$inferSelect;
export type PlanActionRow = typeof planActions.$inferSelect;
export type ReviewRow = typeof ehaReviews.$inferSelect;

export async function createEha(tx: DbOrTx, row: NewEhaRow): Promise<EhaRow> {
  const [created] = await tx.insert(ehas).values(row).returning();
  return created!;
}

export async function findEha(db: DbOrTx, id: string): Promise<EhaRow | null> {
  const [row] = await db.select().from(ehas).where(eq(ehas.id, id));
  return row ?? null;
}

export async function lockEha(tx: DbOrTx, id: string): Promise<EhaRow | null> {
  const [row] = await tx.select().from(ehas).where(eq(ehas.id, id)).for('update');
  return row ?? null;
}

/** Compare-and-set on the version: null when someone else changed the row first. */
export async function updateEha(
  tx: DbOrTx,
  id: string,
  version: number,
  set: Partial<NewEhaRow>,
  at: Date,
): Promise<EhaRow | null> {
  const [row] = await tx
    .update(ehas)
    .set({ ...set, updatedAt: at, version: sql`${ehas.version} + 1` })
    .where(and(eq(ehas.id, id), eq(ehas.version, version)))
    .returning();
  return row ?? null;
}

export async function openEhaOfChild(db: DbOrTx, childId: string): Promise<EhaRow | null> {
  const [row] = await db.select().from(ehas).where(openEhaOf(childId));
  return row ?? null;
}

export interface OpenEhaSummary {
  id: string;
  cluster: string;
  leadPractitionerId: string | null;
}

// Read by every feed record (health, attendance, police, VCS) inside its transaction: prepared, an index probe whatever the plan.
const openEhaSummaryQuery = preparedOn((db) =>
  db
    .select({ id: ehas.id, cluster: ehas.cluster, leadPractitionerId: ehas.leadPractitionerId })
    .from(ehas)
    .where(openEhaOf(sql.placeholder('childId')))
    .limit(1)
    .prepare('open_eha_summary_of_child'),
);

/** The child's open EHA as a feed needs it: which case to flag, its cluster and its lead practitioner. */
export async function openEhaSummaryOfChild(db: DbOrTx, childId: string): Promise<OpenEhaSummary | null> {
  const [row] = await openEhaSummaryQuery(db).execute({ childId });
  return row ?? null;
}

/** An open EHA with what a partner's view of it nearly always shows next. */
export interface OpenEhaWithParts {
  eha: EhaRow;
  leadContact: PractitionerContactRow | null;
  currentActions: PlanActionRow[];
}

/**
 * Each child's open EHA together with its lead practitioner's contact and the actions of its
 * current plan, in ONE statement: the school MIS lookup read these in three round trips
 * (EHA, then contact and plan actions). The subqueries are index probes (practitioner by id,
 * current plan by action_plans_eha_revision_uq, actions by plan_actions_plan_idx).
 */
export async function openEhasWithPartsOfChildren(
  db: DbOrTx,
  childIds: readonly string[],
): Promise<OpenEhaWithParts[]> {
  if (childIds.length === 0) return [];
  return openEhasWithPartsQuery(db).execute({ childIds: [...childIds] });
}

// Written with the table name: drizzle leaves columns of a one-table select unqualified.
const ehaColumn = (column: string) => sql`${ehas}.${sql.identifier(column)}`;

/**
 * The open EHA's parts as columns of any select that has `ehas` in its FROM: the front-door
 * lookup (child.repo) carries them too, so a school's `child(upn){ openEha {…} }` is one read.
 */
export const openEhaWithPartsFields = {
  eha: ehas,
  // The organisation's name by its key, not a join: the planner hashed the whole organisations
  // table for each lookup (132 rows at 100k children, ten times that at 1M).
  leadContact: sql<PractitionerContactRow | null>`(select json_build_object('id', p.id, 'organisationId', p.organisation_id,
      'displayName', p.display_name, 'email', p.email, 'phone', p.phone,
      'organisationName', (select o.name from organisations o where o.id = p.organisation_id))
    from practitioners p where p.id = ${ehaColumn('lead_practitioner_id')})`,
  currentActions: sql<
    PlanActionRow[]
  >`coalesce((select json_agg(json_build_object('id', a.id, 'planId', a.plan_id, 'ehaId', a.eha_id,
      'childId', a.child_id, 'position', a.position, 'description', a.description, 'owningOrganisationId', a.owning_organisation_id,
      'dueDate', a.due_date, 'frequencyOfContact', a.frequency_of_contact, 'status', a.status) order by a.position)
    from plan_actions a where a.plan_id = (select ap.id from action_plans ap where ap.eha_id = ${ehaColumn('id')} order by ap.revision desc limit 1)), '[]'::json)`,
};

const ehaIsOpen = ne(ehas.status, 'closed');

/** The child's open EHA (at most one, `ehas_one_open_per_child_uq`): a join condition, or a filter by id or placeholder. */
export const openEhaOf = (childId: AnyPgColumn | Placeholder | string): SQL =>
  and(eq(ehas.childId, childId), ehaIsOpen)!;

const openEhasWithPartsQuery = preparedOn((db) =>
  db
    .select(openEhaWithPartsFields)
    .from(ehas)
    .where(and(sql`${ehas.childId} = any(${sql.placeholder('childIds')}::uuid[])`, ehaIsOpen))
    .prepare('open_ehas_with_parts_of_children'),
);

export async function listEhasWhere(
  db: DbOrTx,
  where: SQL,
  order: 'review' | 'started' | 'firstTaf' = 'started',
): Promise<EhaRow[]> {
  const orderBy =
    order === 'review'
      ? [asc(ehas.nextReviewDue), asc(ehas.id)]
      : order === 'firstTaf'
        ? [asc(ehas.firstTafDueBy), asc(ehas.id)]
        : [asc(ehas.startedOn), asc(ehas.id)];
  return db
    .select()
    .from(ehas)
    .where(where)
    .orderBy(...orderBy)
    .limit(500);
}

export const dueForReview = (by: string): SQL =>
  and(inArray(ehas.status, ['plan_in_place', 'under_review']), lte(ehas.nextReviewDue, by))!;
/** "Day 21 on time, day 22 overdue": overdue once today is past the due date. */
export const firstTafOverdue = (today: string): SQL =>
  and(eq(ehas.status, 'awaiting_first_taf'), sql`${ehas.firstTafDueBy} < ${today}`)!;
export const isOpenEha = (): SQL => ne(ehas.status, 'closed');
/** Open EHAs started on or before `startedBy`. */
export const openSince = (startedBy: string): SQL => and(isOpenEha(), lte(ehas.startedOn, startedBy))!;

export async function insertTafMeeting(tx: DbOrTx, row: typeof tafMeetings.$inferInsert): Promise<TafMeetingRow> {
  const [created] = await tx.insert(tafMeetings).values(row).returning();
  return created!;
}

export async function tafMeetingsOf(db: DbOrTx, ehaIds: readonly string[]): Promise<TafMeetingRow[]> {
  if (ehaIds.length === 0) return [];
  return db
    .select()
    .from(tafMeetings)
    .where(inArray(tafMeetings.ehaId, [...ehaIds]))
    .orderBy(asc(tafMeetings.heldOn), asc(tafMeetings.recordedAt));
}

/** The latest meeting (TAF or review) of an EHA: a plan's review date is counted from it. */
export async function latestMeetingDate(db: DbOrTx, ehaId: string): Promise<string | null> {
  const [taf] = await db
    .select({ d: tafMeetings.heldOn })
    .from(tafMeetings)
    .where(eq(tafMeetings.ehaId, ehaId))
    .orderBy(desc(tafMeetings.heldOn))
    .limit(1);
  const [review] = await db
    .select({ d: ehaReviews.heldOn })
    .from(ehaReviews)
    .where(eq(ehaReviews.ehaId, ehaId))
    .orderBy(desc(ehaReviews.heldOn))
    .limit(1);
  const dates = [taf?.d, review?.d].filter((d): d is string => Boolean(d)).sort();
  return dates.at(-1) ?? null;
}

/** Each EHA's current plan: its latest revision. */
export async function currentPlans(db: DbOrTx, ehaIds: readonly string[]): Promise<ActionPlanRow[]> {
  if (ehaIds.length === 0) return [];
  return db
    .selectDistinctOn([actionPlans.ehaId])
    .from(actionPlans)
    .where(inArray(actionPlans.ehaId, [...ehaIds]))
    .orderBy(actionPlans.ehaId, desc(actionPlans.revision));
}

export async function currentPlan(db: DbOrTx, ehaId: string): Promise<ActionPlanRow | null> {
  const [row] = await currentPlans(db, [ehaId]);
  return row ?? null;
}

export async function insertPlan(
  tx: DbOrTx,
  plan: typeof actionPlans.$inferInsert,
  actions: Omit<typeof planActions.$inferInsert, 'planId'>[],
): Promise<ActionPlanRow> {
  const [created] = await tx.insert(actionPlans).values(plan).returning();
  if (actions.length) await tx.insert(planActions).values(actions.map((a) => ({ ...a, planId: created!.id })));
  return created!;
}

/** The organisation owning each plan action (any plan of the EHA, current or past). */
export async function actionOwners(
  db: DbOrTx,
  actionIds: readonly string[],
): Promise<{ id: string; owningOrganisationId: string }[]> {
  if (actionIds.length === 0) return [];
  return db
    .select({ id: planActions.id, owningOrganisationId: planActions.owningOrganisationId })
    .from(planActions)
    .where(inArray(planActions.id, [...actionIds]));
}

export async function actionsOfPlans(db: DbOrTx, planIds: readonly string[]): Promise<PlanActionRow[]> {
  if (planIds.length === 0) return [];
  return db
    .select()
    .from(planActions)
    .where(inArray(planActions.planId, [...planIds]))
    .orderBy(asc(planActions.position));
}

/** The actions of each EHA's current plan (latest revision), in one statement. */
export async function currentPlanActionsOf(db: DbOrTx, ehaIds: readonly string[]): Promise<PlanActionRow[]> {
  if (ehaIds.length === 0) return [];
  return currentPlanActionsQuery(db).execute({ ehaIds: [...ehaIds] });
}

const currentPlanActionsQuery = preparedOn((db) => {
  const ehaIds = sql`${sql.placeholder('ehaIds')}::uuid[]`;
  const currentPlanIds = db
    .selectDistinctOn([actionPlans.ehaId], { id: actionPlans.id })
    .from(actionPlans)
    .where(sql`${actionPlans.ehaId} = any(${ehaIds})`)
    .orderBy(actionPlans.ehaId, desc(actionPlans.revision));
  return db
    .select()
    .from(planActions)
    .where(and(sql`${planActions.ehaId} = any(${ehaIds})`, inArray(planActions.planId, currentPlanIds)))
    .orderBy(asc(planActions.position))
    .prepare('current_plan_actions_of_ehas');
});

export async function setActionStatus(tx: DbOrTx, actionId: string, status: string): Promise<void> {
  await tx.update(planActions).set({ status }).where(eq(planActions.id, actionId));
}

export async function insertReview(tx: DbOrTx, row: typeof ehaReviews.$inferInsert): Promise<ReviewRow> {
  const [created] = await tx.insert(ehaReviews).values(row).returning();
  return created!;
}

export async function reviewsOf(db: DbOrTx, ehaIds: readonly string[]): Promise<ReviewRow[]> {
  if (ehaIds.length === 0) return [];
  return db
    .select()
    .from(ehaReviews)
    .where(inArray(ehaReviews.ehaId, [...ehaIds]))
    .orderBy(asc(ehaReviews.heldOn), asc(ehaReviews.recordedAt));
}
