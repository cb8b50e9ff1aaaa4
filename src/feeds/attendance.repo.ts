/** SQL of the school attendance feed, and the persistent absence count for the performance book. */
import { and, countDistinct, gte, lte, sql } from 'drizzle-orm';
import { schoolAttendance } from '../../schema';
import type { DbOrTx } from '../db';

export type AttendanceRow = typeof schoolAttendance.$inferSelect;

export async function insertAttendance(tx: DbOrTx, row: typeof schoolAttendance.$inferInsert): Promise<AttendanceRow> {
  const [created] = await tx.insert(schoolAttendance).values(row).returning();
  return created!;
}

export interface PersistentAbsenceCount {
  /** Distinct pupils with attendance reported for a period overlapping [from, to]. */
  pupils: number;
  /** Of those, pupils flagged persistently absent (under 90%) in any such period. */
  persistentlyAbsent: number;
}

/** The partnership's persistent absence (>10%) indicator for periods overlapping [from, to]. */
export async function persistentAbsenceCounts(db: DbOrTx, from: string, to: string): Promise<PersistentAbsenceCount> {
  const [row] = await db
    .select({
      pupils: countDistinct(schoolAttendance.childId),
      persistentlyAbsent:
        sql<number>`count(distinct ${schoolAttendance.childId}) filter (where ${schoolAttendance.persistentAbsence})`.mapWith(
          Number,
        ),
    })
    .from(schoolAttendance)
    .where(and(lte(schoolAttendance.periodStart, to), gte(schoolAttendance.periodEnd, from)));
  return { pupils: Number(row?.pupils ?? 0), persistentlyAbsent: Number(row?.persistentlyAbsent ?? 0) };
}
