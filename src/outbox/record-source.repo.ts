/**
 * SQL that loads, at delivery time, the current state an outbox row's record is built from:
 * the child (following merges), involvements, household, and the workflow's EHA, TAF, plan and
 * review rows by the ids the case event carried.
 */
import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  actionPlans,
  childMerges,
  children,
  ehaReviews,
  ehas,
  householdLinks,
  involvements,
  missingEpisodes,
  organisations,
  outbox,
  planActions,
  practitioners,
  referrals,
  tafMeetings,
} from '../../schema';
import { personIdOf, type InvolvementSource, type PersonSource } from '../../adapters/liquid-logic/mapping';
import { resolveLiveId } from '../child/child.repo';
import type { DbOrTx } from '../db';
import { partnershipDate } from '../shared/clock';

export type ChildRow = typeof children.$inferSelect;
export type EhaRow = typeof ehas.$inferSelect;

export async function liveChild(db: DbOrTx, childId: string): Promise<ChildRow | null> {
  const liveId = await resolveLiveId(db, childId);
  if (!liveId) return null;
  const [row] = await db.select().from(children).where(eq(children.id, liveId));
  return row ?? null;
}

export async function childById(db: DbOrTx, childId: string): Promise<ChildRow | null> {
  const [row] = await db.select().from(children).where(eq(children.id, childId));
  return row ?? null;
}

export async function involvementSources(db: DbOrTx, childId: string, kinds?: string[]): Promise<InvolvementSource[]> {
  const rows = await db
    .select({
      id: involvements.id,
      kind: involvements.kind,
      startedOn: involvements.startedOn,
      endedOn: involvements.endedOn,
      organisationId: involvements.organisationId,
      organisationName: organisations.name,
      pId: practitioners.id,
      pSubject: practitioners.subject,
      pName: practitioners.displayName,
      pRoles: practitioners.roles,
    })
    .from(involvements)
    .innerJoin(organisations, eq(organisations.id, involvements.organisationId))
    .leftJoin(practitioners, eq(practitioners.id, involvements.practitionerId))
    .where(and(eq(involvements.childId, childId), kinds ? inArray(involvements.kind, kinds as never[]) : undefined))
    .orderBy(asc(involvements.id));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    startedOn: r.startedOn,
    endedOn: r.endedOn,
    organisationId: r.organisationId,
    organisationName: r.organisationName,
    practitioner: r.pId ? { id: r.pId, subject: r.pSubject!, displayName: r.pName!, roles: r.pRoles ?? [] } : null,
  }));
}

export async function personSource(db: DbOrTx, child: ChildRow): Promise<PersonSource> {
  const merged = await db
    .select({ id: childMerges.fromChildId, at: childMerges.mergedAt })
    .from(childMerges)
    // An undone merge's record is its own person again.
    .where(and(eq(childMerges.intoChildId, child.id), isNull(childMerges.undoneAt)))
    .orderBy(asc(childMerges.mergedAt), asc(childMerges.fromChildId));
  const household = await db
    .select({
      relation: householdLinks.relation,
      familyMemberId: householdLinks.familyMemberId,
      siblingId: householdLinks.siblingChildId,
      siblingLl: children.liquidLogicPersonId,
      siblingNumber: children.ssdPersonNumber,
    })
    .from(householdLinks)
    .leftJoin(children, eq(children.id, householdLinks.siblingChildId))
    .where(eq(householdLinks.childId, child.id))
    .orderBy(asc(householdLinks.id));
  // Contacts and missing episodes of every record merged into this one belong to the person too.
  const ids = [child.id, ...merged.map((m) => m.id)];
  const contacts = await db
    .select({
      id: referrals.id,
      referralDate: referrals.referralDate,
      status: referrals.status,
      kind: organisations.kind,
    })
    .from(referrals)
    .innerJoin(organisations, eq(organisations.id, referrals.referrerOrganisationId))
    .where(inArray(referrals.childId, ids))
    .orderBy(asc(referrals.referralDate), asc(referrals.id));
  const missing = await db
    .select({
      id: missingEpisodes.id,
      startedAt: missingEpisodes.startedAt,
      returnedAt: missingEpisodes.returnedAt,
      interviewOfferedAt: missingEpisodes.interviewOfferedAt,
      interviewAcceptedAt: missingEpisodes.interviewAcceptedAt,
      interviewDeclinedAt: missingEpisodes.interviewDeclinedAt,
    })
    .from(missingEpisodes)
    .where(inArray(missingEpisodes.childId, ids))
    .orderBy(asc(missingEpisodes.startedAt), asc(missingEpisodes.id));
  return {
    child,
    mergedIds: merged.map((m) => ({ id: m.id, mergedOn: partnershipDate(m.at) })),
    involvements: await involvementSources(db, child.id),
    household: household.map((h) => ({
      relation: h.relation,
      familyMemberId: h.familyMemberId,
      siblingPersonId: h.siblingId
        ? personIdOf({ id: h.siblingId, liquidLogicPersonId: h.siblingLl, ssdPersonNumber: h.siblingNumber! })
        : null,
    })),
    contacts: contacts.map((c) => ({
      id: c.id,
      referralDate: c.referralDate,
      status: c.status,
      referrerOrganisationKind: c.kind,
    })),
    missing,
  };
}

export async function ehaById(db: DbOrTx, id: string): Promise<EhaRow | null> {
  const [row] = await db.select().from(ehas).where(eq(ehas.id, id));
  return row ?? null;
}

export async function referralNeedCategories(db: DbOrTx, referralId: string | null): Promise<string[]> {
  if (!referralId) return [];
  const [row] = await db.select({ needs: referrals.needs }).from(referrals).where(eq(referrals.id, referralId));
  return (row?.needs ?? []).map((n) => n.category);
}

export async function organisationNameOfPractitioner(db: DbOrTx, practitionerId: string): Promise<string | null> {
  const [row] = await db
    .select({ name: organisations.name })
    .from(practitioners)
    .innerJoin(organisations, eq(organisations.id, practitioners.organisationId))
    .where(eq(practitioners.id, practitionerId));
  return row?.name ?? null;
}

/** The meeting an event names, or the EHA's latest. */
export async function tafMeeting(db: DbOrTx, ehaId: string, meetingId: string | undefined) {
  const [row] = await db
    .select()
    .from(tafMeetings)
    .where(meetingId ? eq(tafMeetings.id, meetingId) : eq(tafMeetings.ehaId, ehaId))
    .orderBy(desc(tafMeetings.recordedAt))
    .limit(1);
  return row ?? null;
}

export async function actionPlan(db: DbOrTx, ehaId: string, planId: string | undefined) {
  const [row] = await db
    .select()
    .from(actionPlans)
    .where(planId ? eq(actionPlans.id, planId) : eq(actionPlans.ehaId, ehaId))
    .orderBy(desc(actionPlans.revision))
    .limit(1);
  return row ?? null;
}

export async function planActionCount(db: DbOrTx, planId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(planActions).where(eq(planActions.planId, planId));
  return Number(row?.n ?? 0);
}

export async function ehaReview(db: DbOrTx, ehaId: string, reviewId: string | undefined) {
  const [row] = await db
    .select()
    .from(ehaReviews)
    .where(reviewId ? eq(ehaReviews.id, reviewId) : eq(ehaReviews.ehaId, ehaId))
    .orderBy(desc(ehaReviews.recordedAt))
    .limit(1);
  return row ?? null;
}

/** Whether a later outbox row of the same EHA's episode exists (it will carry the episode's later state). */
export async function laterEpisodeRowExists(db: DbOrTx, ehaId: string, afterId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.entity, 'early_help_episode'),
        sql`${outbox.refs} ->> 'ehaId' = ${ehaId}`,
        sql`${outbox.id} > ${afterId}`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Liquid Logic's person id, once it has given one: later records carry it. Null when the child
 * already has one; throws `PersonIdInUseError` when another record holds it (the ids are unique:
 * Liquid Logic reusing one is a fault to look at, never two children sharing a record).
 */
export async function rememberRemotePersonId(db: DbOrTx, childId: string, remoteId: string): Promise<boolean> {
  try {
    const rows = await db
      .update(children)
      .set({ liquidLogicPersonId: remoteId })
      .where(and(eq(children.id, childId), sql`${children.liquidLogicPersonId} is null`))
      .returning({ id: children.id });
    return rows.length > 0;
  } catch (error) {
    if (isUniqueViolation(error)) throw new PersonIdInUseError();
    throw error;
  }
}

export class PersonIdInUseError extends Error {
  constructor() {
    super('liquid_logic_person_id_in_use');
    this.name = 'PersonIdInUseError';
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 4; depth++, e = e.cause) if (e.code === '23505') return true;
  return false;
}
