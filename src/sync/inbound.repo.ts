/** SQL for what Liquid Logic sends back: processed message ids, person lookup by LL id, social care status rows, allocations, parked changes. */
import { and, asc, count, eq, isNull, lte, sql } from 'drizzle-orm';
import {
  children,
  involvements,
  organisations,
  practitioners,
  socialCareStatuses,
  syncInboundMessages,
  syncParkedMessages,
} from '../../schema';
import { resolveLiveId } from '../child/child.repo';
import type { DbOrTx } from '../db';
import { isUuid } from '../shared/validate';
import { HUB_PERSON_ID, LEGACY_HUB_PERSON_ID } from '../../adapters/liquid-logic/mapping';

export type SocialCareStatusRow = typeof socialCareStatuses.$inferSelect;

/** Records a message as processed; false when it had been already (a replay). */
export async function markProcessed(
  db: DbOrTx,
  messageId: string,
  kind: string,
  via: string,
  at: Date,
): Promise<boolean> {
  const rows = await db
    .insert(syncInboundMessages)
    .values({ messageId, kind, via, receivedAt: at })
    .onConflictDoNothing()
    .returning({ id: syncInboundMessages.messageId });
  return rows.length > 0;
}

export async function wasProcessed(db: DbOrTx, messageId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: syncInboundMessages.messageId })
    .from(syncInboundMessages)
    .where(eq(syncInboundMessages.messageId, messageId));
  return Boolean(row);
}

/** The live child Liquid Logic means by a person id: its own id, or the hub's it was first sent (short, or a full UUID). */
export async function childIdForPerson(db: DbOrTx, personId: string): Promise<string | null> {
  const [byLl] = await db
    .select({ id: children.id })
    .from(children)
    .where(and(eq(children.liquidLogicPersonId, personId), isNull(children.mergedInto)));
  if (byLl) return byLl.id;
  const [anyLl] = await db
    .select({ id: children.id })
    .from(children)
    .where(eq(children.liquidLogicPersonId, personId))
    .limit(1);
  if (anyLl) return resolveLiveId(db, anyLl.id);
  const number = HUB_PERSON_ID.exec(personId)?.[1];
  if (number) {
    // The hub's own short id, sent before Liquid Logic numbered the person.
    const [row] = await db
      .select({ id: children.id })
      .from(children)
      .where(eq(children.ssdPersonNumber, Number(number)));
    return row ? resolveLiveId(db, row.id) : null;
  }
  if (LEGACY_HUB_PERSON_ID.test(personId)) {
    // The short id sent before persons were numbered (a cut of the UUID): one match or none.
    const prefix = personId.slice(3).toLowerCase();
    const rows = await db
      .select({ id: children.id })
      .from(children)
      .where(sql`replace(${children.id}::text, '-', '') like ${`${prefix}%`}`)
      .limit(2);
    return rows.length === 1 ? resolveLiveId(db, rows[0]!.id) : null;
  }
  return isUuid(personId) ? resolveLiveId(db, personId) : null;
}

export async function upsertSocialCareStatus(
  db: DbOrTx,
  row: Omit<typeof socialCareStatuses.$inferInsert, 'id'>,
): Promise<SocialCareStatusRow> {
  const [saved] = await db
    .insert(socialCareStatuses)
    .values(row)
    .onConflictDoUpdate({
      target: [socialCareStatuses.kind, socialCareStatuses.remoteEpisodeId],
      set: {
        childId: row.childId,
        status: row.status,
        startedOn: row.startedOn,
        endedOn: row.endedOn,
        endReason: row.endReason,
        updatedAt: row.updatedAt,
      },
    })
    .returning();
  return saved!;
}

export async function socialCareStatusesOf(db: DbOrTx, childId: string): Promise<SocialCareStatusRow[]> {
  return db
    .select()
    .from(socialCareStatuses)
    .where(eq(socialCareStatuses.childId, childId))
    .orderBy(sql`${socialCareStatuses.kind}, ${socialCareStatuses.startedOn}`);
}

/** Parks a change about a person the hub does not know yet; false when it is parked already. */
export async function park(db: DbOrTx, row: typeof syncParkedMessages.$inferInsert): Promise<boolean> {
  const rows = await db
    .insert(syncParkedMessages)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: syncParkedMessages.messageId });
  return rows.length > 0;
}

export type ParkedRow = typeof syncParkedMessages.$inferSelect;

/** Parked changes still waiting for their person, oldest first, locked for the caller's transaction. */
export async function parkedWaiting(db: DbOrTx, limit: number): Promise<ParkedRow[]> {
  return db
    .select()
    .from(syncParkedMessages)
    .where(eq(syncParkedMessages.status, 'parked'))
    .orderBy(asc(syncParkedMessages.parkedAt), asc(syncParkedMessages.messageId))
    .limit(limit);
}

/** Takes one parked change for applying; null when another instance took it first. */
export async function takeParked(db: DbOrTx, messageId: string): Promise<ParkedRow | null> {
  const [row] = await db
    .delete(syncParkedMessages)
    .where(and(eq(syncParkedMessages.messageId, messageId), eq(syncParkedMessages.status, 'parked')))
    .returning();
  return row ?? null;
}

/** Parked changes that waited past their deadline go to the review queue; returns how many. */
export async function sendOverdueToReview(db: DbOrTx, now: Date): Promise<number> {
  const rows = await db
    .update(syncParkedMessages)
    .set({ status: 'review' })
    .where(and(eq(syncParkedMessages.status, 'parked'), lte(syncParkedMessages.reviewAfter, now)))
    .returning({ id: syncParkedMessages.messageId });
  return rows.length;
}

export async function parkedCounts(db: DbOrTx): Promise<{ parked: number; review: number }> {
  const rows = await db
    .select({ status: syncParkedMessages.status, n: count() })
    .from(syncParkedMessages)
    .groupBy(syncParkedMessages.status);
  const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { parked: of('parked'), review: of('review') };
}

/** The social worker Liquid Logic names by staff id (the subject the hub sends as `prof_staff_id`), in a social care organisation. */
export async function socialWorkerByStaffId(
  db: DbOrTx,
  staffId: string,
): Promise<{ id: string; organisationId: string } | null> {
  const [row] = await db
    .select({ id: practitioners.id, organisationId: practitioners.organisationId })
    .from(practitioners)
    .innerJoin(organisations, eq(organisations.id, practitioners.organisationId))
    .where(
      and(
        eq(practitioners.subject, staffId),
        eq(organisations.kind, 'social_care'),
        sql`'social_worker' = any(${practitioners.roles})`,
      ),
    );
  return row ?? null;
}

/**
 * Records Liquid Logic's allocation of a worker to a child: a new allocation starts an involvement
 * (unless that worker's is already open); an ended one ends the open involvement, or is kept as
 * history when the hub never saw it open. False when the hub already held exactly this.
 */
export async function recordAllocation(
  db: DbOrTx,
  a: {
    childId: string;
    organisationId: string;
    practitionerId: string;
    startedOn: string;
    endedOn: string | null;
    assertedBySubject: string;
  },
): Promise<boolean> {
  const held = await db
    .select({
      id: involvements.id,
      startedOn: involvements.startedOn,
      endedOn: involvements.endedOn,
      endsAt: involvements.endsAt,
    })
    .from(involvements)
    .where(
      and(
        eq(involvements.childId, a.childId),
        eq(involvements.practitionerId, a.practitionerId),
        eq(involvements.kind, 'allocated_social_worker'),
      ),
    );
  const open = held.find((r) => r.endedOn === null && r.endsAt === null);
  if (open) {
    if (!a.endedOn) return false;
    await db.update(involvements).set({ endedOn: a.endedOn }).where(eq(involvements.id, open.id));
    return true;
  }
  if (a.endedOn && held.some((r) => r.startedOn === a.startedOn)) return false;
  await db.insert(involvements).values({
    childId: a.childId,
    organisationId: a.organisationId,
    practitionerId: a.practitionerId,
    kind: 'allocated_social_worker',
    startedOn: a.startedOn,
    endedOn: a.endedOn,
    source: 'liquid_logic',
    assertedBySubject: a.assertedBySubject,
  });
  return true;
}
