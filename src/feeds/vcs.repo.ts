/** SQL of the voluntary sector feed: contacts, and the consent that allows them. */
import { vcsContacts } from '../../schema';
import { consentsInForce } from '../access/access.repo';
import type { DbOrTx } from '../db';

export type VcsContactRow = typeof vcsContacts.$inferSelect;

export async function insertVcsContact(tx: DbOrTx, row: typeof vcsContacts.$inferInsert): Promise<VcsContactRow> {
  const [created] = await tx.insert(vcsContacts).values(row).returning();
  return created!;
}

/** A consent in force at `at` naming the organisation (or its kind) for a category; its id or null. */
export async function consentFor(
  tx: DbOrTx,
  childId: string,
  organisationId: string,
  organisationKind: string,
  category: string,
  at: Date,
): Promise<string | null> {
  const rows = await consentsInForce(tx, [childId], at);
  const found = rows.find(
    (c) =>
      c.startsAt <= at &&
      c.categories.includes(category) &&
      (c.organisationIds.includes(organisationId) || c.organisationKinds.includes(organisationKind)),
  );
  return found?.id ?? null;
}
