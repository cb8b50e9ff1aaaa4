/** The EHA a TAF view is about (child and referral only). */
import { eq } from 'drizzle-orm';
import { ehas } from '../../schema';
import type { DbOrTx } from '../db';

export async function findEhaById(
  db: DbOrTx,
  id: string,
): Promise<{ id: string; childId: string; referralId: string | null } | null> {
  const [row] = await db
    .select({ id: ehas.id, childId: ehas.childId, referralId: ehas.referralId })
    .from(ehas)
    .where(eq(ehas.id, id));
  return row ?? null;
}
