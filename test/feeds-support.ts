/** Shared setup for the partner feed specs: row counts, case events and audit rows by request. */
import { and, eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { accessAudit, caseEvents, healthUpdates, pendingMatches } from '../schema';
import type { TestHub, GraphQLResponse } from './support/hub';

export async function count(t: TestHub, table: PgTable): Promise<number> {
  return t.database.db.$count(table);
}

export async function countsOf(t: TestHub, tables: Record<string, PgTable>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) out[name] = await count(t, table);
  return out;
}

export async function eventsFor(t: TestHub, childId: string, kind?: string) {
  return t.database.db
    .select()
    .from(caseEvents)
    .where(kind ? and(eq(caseEvents.childId, childId), eq(caseEvents.kind, kind)) : eq(caseEvents.childId, childId));
}

/** The audit rows written for one response (by its request id). */
export async function auditOf(t: TestHub, res: GraphQLResponse) {
  const requestId = res.extensions!.requestId as string;
  return t.database.db.select().from(accessAudit).where(eq(accessAudit.requestId, requestId));
}

export function codeOf(res: GraphQLResponse): string | undefined {
  return res.errors?.[0]?.extensions?.code;
}

/** The hub's row for a health update, found by the trust's own record id (receipts no longer name it). */
export async function healthUpdateOf(t: TestHub, trustId: string, recordId: string) {
  const [row] = await t.database.db
    .select()
    .from(healthUpdates)
    .where(and(eq(healthUpdates.organisationId, trustId), eq(healthUpdates.recordId, recordId)));
  return row ?? null;
}

/** The held match a post left for EH DAS, by its receipt id (the submission's id). */
export async function heldFor(t: TestHub, receiptId: string): Promise<string | null> {
  const [row] = await t.database.db
    .select({ id: pendingMatches.id })
    .from(pendingMatches)
    .where(eq(pendingMatches.submissionId, receiptId));
  return row?.id ?? null;
}
