/** SQL for what Liquid Logic sends back: processed message ids, person lookup by LL id, social care status rows. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { children, socialCareStatuses, syncInboundMessages } from '../../schema';
import { resolveLiveId } from '../child/child.repo';
import type { DbOrTx } from '../db';
import { isUuid } from '../shared/validate';

export type SocialCareStatusRow = typeof socialCareStatuses.$inferSelect;

/** Records a message as processed; false when it had been already (a replay). */
export async function markProcessed(db: DbOrTx, messageId: string, kind: string, via: string, at: Date): Promise<boolean> {
  const rows = await db.insert(syncInboundMessages).values({ messageId, kind, via, receivedAt: at })
    .onConflictDoNothing().returning({ id: syncInboundMessages.messageId });
  return rows.length > 0;
}

export async function wasProcessed(db: DbOrTx, messageId: string): Promise<boolean> {
  const [row] = await db.select({ id: syncInboundMessages.messageId }).from(syncInboundMessages).where(eq(syncInboundMessages.messageId, messageId));
  return Boolean(row);
}

/** The live child Liquid Logic means by a person id: its own id, or the hub id it was first sent. */
export async function childIdForPerson(db: DbOrTx, personId: string): Promise<string | null> {
  const [byLl] = await db.select({ id: children.id }).from(children)
    .where(and(eq(children.liquidLogicPersonId, personId), isNull(children.mergedInto)));
  if (byLl) return byLl.id;
  const [anyLl] = await db.select({ id: children.id }).from(children).where(eq(children.liquidLogicPersonId, personId)).limit(1);
  if (anyLl) return resolveLiveId(db, anyLl.id);
  return isUuid(personId) ? resolveLiveId(db, personId) : null;
}

export async function upsertSocialCareStatus(db: DbOrTx, row: Omit<typeof socialCareStatuses.$inferInsert, 'id'>): Promise<SocialCareStatusRow> {
  const [saved] = await db.insert(socialCareStatuses).values(row)
    .onConflictDoUpdate({
      target: [socialCareStatuses.kind, socialCareStatuses.remoteEpisodeId],
      set: { childId: row.childId, status: row.status, startedOn: row.startedOn, endedOn: row.endedOn, endReason: row.endReason, updatedAt: row.updatedAt },
    }).returning();
  return saved!;
}

export async function socialCareStatusesOf(db: DbOrTx, childId: string): Promise<SocialCareStatusRow[]> {
  return db.select().from(socialCareStatuses).where(eq(socialCareStatuses.childId, childId)).orderBy(sql`${socialCareStatuses.kind}, ${socialCareStatuses.startedOn}`);
}
