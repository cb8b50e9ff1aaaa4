/** SQL of the directory, case signposts and Advice Point contact counts. */
import { and, asc, eq, gte, ilike, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { advicePointContacts, caseSignposts, directoryEntries } from '../../schema';
import type { DbOrTx } from '../db';

export type DirectoryEntryRow = typeof directoryEntries.$inferSelect;
export type SignpostRow = typeof caseSignposts.$inferSelect & { entryName: string };

export async function insertEntry(tx: DbOrTx, row: typeof directoryEntries.$inferInsert): Promise<DirectoryEntryRow> {
  const [created] = await tx.insert(directoryEntries).values(row).returning();
  return created!;
}

export async function searchEntries(
  db: DbOrTx,
  filter: { kind?: string | null; level?: string | null; cluster?: string | null; text?: string | null },
): Promise<DirectoryEntryRow[]> {
  const where: (SQL | undefined)[] = [
    filter.kind ? eq(directoryEntries.kind, filter.kind) : undefined,
    filter.level ? eq(directoryEntries.level, filter.level) : undefined,
    // A locality search also finds city-wide entries.
    filter.cluster ? or(eq(directoryEntries.cluster, filter.cluster), isNull(directoryEntries.cluster)) : undefined,
    filter.text
      ? or(
          ilike(directoryEntries.name, `%${escapeLike(filter.text)}%`),
          ilike(directoryEntries.description, `%${escapeLike(filter.text)}%`),
        )
      : undefined,
  ];
  return db
    .select()
    .from(directoryEntries)
    .where(and(...where))
    .orderBy(asc(directoryEntries.kind), asc(directoryEntries.name), asc(directoryEntries.id))
    .limit(200);
}

export async function entriesByIds(db: DbOrTx, ids: string[]): Promise<DirectoryEntryRow[]> {
  if (!ids.length) return [];
  return db.select().from(directoryEntries).where(inArray(directoryEntries.id, ids));
}

export async function insertSignposts(tx: DbOrTx, rows: (typeof caseSignposts.$inferInsert)[]): Promise<void> {
  if (rows.length) await tx.insert(caseSignposts).values(rows);
}

export async function signpostsOf(db: DbOrTx, childId: string): Promise<SignpostRow[]> {
  const rows = await db
    .select({ s: caseSignposts, entryName: directoryEntries.name })
    .from(caseSignposts)
    .innerJoin(directoryEntries, eq(directoryEntries.id, caseSignposts.entryId))
    .where(eq(caseSignposts.childId, childId))
    .orderBy(asc(caseSignposts.signpostedOn), asc(directoryEntries.name));
  return rows.map((r) => ({ ...r.s, entryName: r.entryName }));
}

export async function insertContact(tx: DbOrTx, row: typeof advicePointContacts.$inferInsert): Promise<void> {
  await tx.insert(advicePointContacts).values(row);
}

export async function contactCounts(
  db: DbOrTx,
  from: string,
  to: string,
): Promise<{ advicePointId: string; name: string; cluster: string | null; topic: string; contacts: number }[]> {
  const rows = await db
    .select({
      advicePointId: directoryEntries.id,
      name: directoryEntries.name,
      cluster: directoryEntries.cluster,
      topic: advicePointContacts.topic,
      contacts: sql<number>`count(*)::int`,
    })
    .from(advicePointContacts)
    .innerJoin(directoryEntries, eq(directoryEntries.id, advicePointContacts.advicePointId))
    .where(and(gte(advicePointContacts.contactedOn, from), lte(advicePointContacts.contactedOn, to)))
    .groupBy(directoryEntries.id, directoryEntries.name, directoryEntries.cluster, advicePointContacts.topic)
    .orderBy(asc(directoryEntries.name), asc(advicePointContacts.topic));
  return rows.map((r) => ({ ...r, contacts: Number(r.contacts) }));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
