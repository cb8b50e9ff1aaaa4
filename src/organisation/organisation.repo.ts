import { eq } from 'drizzle-orm';
import { organisations } from '../../schema';
import type { DbOrTx } from '../db';

export type OrganisationRow = typeof organisations.$inferSelect;

export async function findOrganisation(db: DbOrTx, id: string): Promise<OrganisationRow | null> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row ?? null;
}

export async function countOrganisations(db: DbOrTx): Promise<number> {
  return (await db.$count(organisations));
}
