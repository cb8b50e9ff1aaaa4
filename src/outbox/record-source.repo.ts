/**
 * SQL that loads, at delivery time, the current state an outbox row's record is built from:
 * the child (following merges), involvements, household, and the workflow's EHA, TAF, plan and
 * review rows by the ids the case event carried.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  actionPlans, childMerges, children, ehaReviews, ehas, householdLinks, involvements, organisations, planActions, practitioners, referrals, tafMeetings,
} from '../../schema';
import type { InvolvementSource, PersonSource } from '../../adapters/liquid-logic/mapping';
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
  const rows = await db.select({
    id: involvements.id, kind: involvements.kind, startedOn: involvements.startedOn, endedOn: involvements.endedOn,
    organisationName: organisations.name,
    pId: practitioners.id, pSubject: practitioners.subject, pName: practitioners.displayName, pRoles: practitioners.roles,
  }).from(involvements)
    .innerJoin(organisations, eq(organisations.id, involvements.organisationId))
    .leftJoin(practitioners, eq(practitioners.id, involvements.practitionerId))
    .where(and(eq(involvements.childId, childId), kinds ? inArray(involvements.kind, kinds as never[]) : undefined))
    .orderBy(asc(involvements.id));
  return rows.map((r) => ({
    id: r.id, kind: r.kind, startedOn: r.startedOn, endedOn: r.endedOn, organisationName: r.organisationName,
    practitioner: r.pId ? { id: r.pId, subject: r.pSubject!, displayName: r.pName!, roles: r.pRoles ?? [] } : null,
  }));
}

export async function personSource(db: DbOrTx, child: ChildRow): Promise<PersonSource> {
  const merged = await db.select({ id: childMerges.fromChildId, at: childMerges.mergedAt }).from(childMerges)
    .where(eq(childMerges.intoChildId, child.id)).orderBy(asc(childMerges.mergedAt), asc(childMerges.fromChildId));
  const household = await db.select({
    relation: householdLinks.relation, familyMemberId: householdLinks.familyMemberId, siblingId: householdLinks.siblingChildId,
    siblingLl: children.liquidLogicPersonId,
  }).from(householdLinks).leftJoin(children, eq(children.id, householdLinks.siblingChildId))
    .where(eq(householdLinks.childId, child.id)).orderBy(asc(householdLinks.id));
  return {
    child,
    mergedIds: merged.map((m) => ({ id: m.id, mergedOn: partnershipDate(m.at) })),
    involvements: await involvementSources(db, child.id),
    household: household.map((h) => ({ relation: h.relation, familyMemberId: h.familyMemberId, siblingPersonId: h.siblingId ? (h.siblingLl ?? h.siblingId) : null })),
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
  const [row] = await db.select({ name: organisations.name }).from(practitioners)
    .innerJoin(organisations, eq(organisations.id, practitioners.organisationId)).where(eq(practitioners.id, practitionerId));
  return row?.name ?? null;
}

/** The meeting an event names, or the EHA's latest. */
export async function tafMeeting(db: DbOrTx, ehaId: string, meetingId: string | undefined) {
  const [row] = await db.select().from(tafMeetings)
    .where(meetingId ? eq(tafMeetings.id, meetingId) : eq(tafMeetings.ehaId, ehaId))
    .orderBy(desc(tafMeetings.recordedAt)).limit(1);
  return row ?? null;
}

export async function actionPlan(db: DbOrTx, ehaId: string, planId: string | undefined) {
  const [row] = await db.select().from(actionPlans)
    .where(planId ? eq(actionPlans.id, planId) : eq(actionPlans.ehaId, ehaId))
    .orderBy(desc(actionPlans.revision)).limit(1);
  return row ?? null;
}

export async function planActionCount(db: DbOrTx, planId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(planActions).where(eq(planActions.planId, planId));
  return Number(row?.n ?? 0);
}

export async function ehaReview(db: DbOrTx, ehaId: string, reviewId: string | undefined) {
  const [row] = await db.select().from(ehaReviews)
    .where(reviewId ? eq(ehaReviews.id, reviewId) : eq(ehaReviews.ehaId, ehaId))
    .orderBy(desc(ehaReviews.recordedAt)).limit(1);
  return row ?? null;
}

/** Liquid Logic's person id, once it has given one: later records carry it. */
export async function rememberRemotePersonId(db: DbOrTx, childId: string, remoteId: string): Promise<boolean> {
  const rows = await db.update(children).set({ liquidLogicPersonId: remoteId })
    .where(and(eq(children.id, childId), sql`${children.liquidLogicPersonId} is null`)).returning({ id: children.id });
  return rows.length > 0;
}
