/** SQL of the access audit: the batch insert, and the reads behind the DPO's queries. */
import { and, asc, desc, eq, gt, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { accessAudit, children } from '../../schema';
import { rowsOf, type DbOrTx } from '../db';
import type { HashableAuditRow } from './audit-hash';

export type AuditRow = typeof accessAudit.$inferSelect;

/**
 * Appends rows: one multi-row INSERT, no lock. Each row's place in the Merkle log is given after
 * it commits, by the checkpointer (audit-log.service.ts); a trigger queues it in the same
 * transaction. Given a transaction, the rows commit or roll back with it.
 */
export async function appendAuditRows(db: DbOrTx, rows: MacedAuditRow[]): Promise<{ seq: number; mac: string }[]> {
  if (rows.length === 0) return [];
  return rowsOf<{ seq: string | number; mac: string }>(await db.execute(insertRows(rows))).map((r) => ({
    seq: Number(r.seq),
    mac: r.mac,
  }));
}

/** A row to append: its content, its MAC, and the content text the MAC covers (never stored as such). */
export type MacedAuditRow = HashableAuditRow & { mac: string; content: string };

/**
 * The rows as one JSON parameter, whatever their number: one short statement instead of 17
 * parameters a row (a batch can be hundreds of rows); `ord` keeps their order in seq.
 */
function insertRows(rows: MacedAuditRow[]): SQL {
  return sql`insert into ${accessAudit} (request_id, occurred_at, caller_subject, caller_organisation_id, caller_role, client_id,
      purpose, operation, operation_name, child_id, categories_returned, fields_returned, fields_redacted, basis, changes, flags, mac)
    select r.request_id, r.occurred_at, r.caller_subject, r.caller_organisation_id, r.caller_role, r.client_id,
      r.purpose, r.operation, r.operation_name, r.child_id, r.categories_returned, r.fields_returned, r.fields_redacted, r.basis, r.changes, r.flags, r.mac
    from rows from (jsonb_to_recordset(${JSON.stringify(rows.map(asRecord))}::jsonb) as (request_id text, occurred_at timestamptz,
      caller_subject text, caller_organisation_id uuid, caller_role text, client_id text, purpose text, operation text, operation_name text,
      child_id uuid, categories_returned text[], fields_returned text[], fields_redacted jsonb, basis jsonb, changes jsonb, flags text[],
      mac text)) with ordinality as r(request_id, occurred_at, caller_subject, caller_organisation_id, caller_role,
      client_id, purpose, operation, operation_name, child_id, categories_returned, fields_returned, fields_redacted, basis, changes,
      flags, mac, ord)
    order by r.ord
    returning seq, mac`;
}

function asRecord(row: MacedAuditRow): Record<string, unknown> {
  return {
    request_id: row.requestId,
    occurred_at: row.occurredAt.toISOString(),
    caller_subject: row.callerSubject,
    caller_organisation_id: row.callerOrganisationId,
    caller_role: row.callerRole,
    client_id: row.clientId,
    purpose: row.purpose,
    operation: row.operation,
    operation_name: row.operationName,
    child_id: row.childId,
    categories_returned: row.categoriesReturned,
    fields_returned: row.fieldsReturned,
    fields_redacted: row.fieldsRedacted,
    basis: row.basis,
    changes: row.changes,
    flags: row.flags,
    mac: row.mac,
  };
}

export interface AccessLogFilter {
  childIds?: readonly string[];
  organisationId?: string;
  subject?: string;
}

/** Audit rows matching one filter in [from, to), in chain order after a seq: keyset pagination. */
export async function accessLogPage(
  db: DbOrTx,
  filter: AccessLogFilter,
  from: Date,
  to: Date,
  afterSeq: number | null,
  limit: number,
): Promise<AuditRow[]> {
  const who: SQL | undefined = filter.childIds
    ? inArray(accessAudit.childId, [...filter.childIds])
    : filter.organisationId
      ? eq(accessAudit.callerOrganisationId, filter.organisationId)
      : filter.subject !== undefined
        ? eq(accessAudit.callerSubject, filter.subject)
        : undefined;
  if (!who) return [];
  return db
    .select()
    .from(accessAudit)
    .where(
      and(
        who,
        gte(accessAudit.occurredAt, from),
        lt(accessAudit.occurredAt, to),
        afterSeq !== null ? gt(accessAudit.seq, afterSeq) : undefined,
      ),
    )
    .orderBy(asc(accessAudit.seq))
    .limit(limit);
}

/** Every audit row of the children, in chain order, read in pages. */
/**
 * The retention sweep's deletion of the child's records, if they were deleted: when, and every
 * child id deleted with it (the sweep deletes a merge group in one request, one row per id).
 */
export async function retentionDeletion(
  db: DbOrTx,
  childId: string,
): Promise<{ deletedAt: Date; childIds: string[]; changes: AuditRow['changes'] } | null> {
  const [row] = await db
    .select()
    .from(accessAudit)
    .where(and(eq(accessAudit.childId, childId), eq(accessAudit.operation, 'retention')))
    .orderBy(desc(accessAudit.seq))
    .limit(1);
  if (!row) return null;
  const group = await db
    .select({ childId: accessAudit.childId })
    .from(accessAudit)
    // The subject and time pin the request's rows to an index; the request id picks them out.
    .where(
      and(
        eq(accessAudit.callerSubject, row.callerSubject),
        eq(accessAudit.occurredAt, row.occurredAt),
        eq(accessAudit.requestId, row.requestId),
        eq(accessAudit.operation, 'retention'),
      ),
    )
    .orderBy(asc(accessAudit.seq));
  return {
    deletedAt: row.occurredAt,
    childIds: group.flatMap((g) => (g.childId ? [g.childId] : [])),
    changes: row.changes,
  };
}

export async function* auditRowsOfChildren(
  db: DbOrTx,
  childIds: readonly string[],
  pageSize = 1000,
): AsyncGenerator<AuditRow[]> {
  let after = 0;
  for (;;) {
    const page = await db
      .select()
      .from(accessAudit)
      .where(and(inArray(accessAudit.childId, [...childIds]), gt(accessAudit.seq, after)))
      .orderBy(asc(accessAudit.seq))
      .limit(pageSize);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.seq;
    if (page.length < pageSize) return;
  }
}

/**
 * The live record an id resolves to (following merges) and every id merged into it, directly or
 * through a chain of merges: audit rows keep the id they were written with.
 */
export async function mergeGroup(db: DbOrTx, id: string): Promise<{ liveId: string; ids: string[] } | null> {
  const live = rowsOf<{ id: string }>(
    await db.execute(sql`
    with recursive up(id, merged_into, depth) as (
      select id, merged_into, 0 from ${children} where id = ${id}
      union all
      select c.id, c.merged_into, up.depth + 1 from ${children} c join up on c.id = up.merged_into where up.depth < 20
    )
    select id from up where merged_into is null limit 1`),
  )[0];
  if (!live) return null;
  const down = rowsOf<{ id: string }>(
    await db.execute(sql`
    with recursive down(id, depth) as (
      select id, 0 from ${children} where id = ${live.id}
      union all
      select c.id, down.depth + 1 from ${children} c join down on c.merged_into = down.id where down.depth < 20
    )
    select id from down`),
  );
  return { liveId: live.id, ids: down.map((r) => r.id) };
}

/** Rows flagged (e.g. no_relationship, override_used) in [from, to), newest first. */
export async function flaggedRows(db: DbOrTx, flag: string, from: Date, to: Date, limit: number): Promise<AuditRow[]> {
  return db
    .select()
    .from(accessAudit)
    .where(
      and(sql`${flag} = any(${accessAudit.flags})`, gte(accessAudit.occurredAt, from), lt(accessAudit.occurredAt, to)),
    )
    .orderBy(desc(accessAudit.seq))
    .limit(limit);
}

export interface VolumeRow {
  callerSubject: string;
  callerOrganisationId: string;
  callerRole: string;
  hourStart: Date;
  count: number;
}

/** Callers who touched more than `threshold` child records in one clock hour within [from, to). */
export async function volumeAbove(
  db: DbOrTx,
  threshold: number,
  from: Date,
  to: Date,
  limit: number,
): Promise<VolumeRow[]> {
  // As ISO text: drivers differ in how they hand back a computed timestamp.
  const hour = sql<string>`to_char(date_trunc('hour', ${accessAudit.occurredAt} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"')`;
  const rows = await db
    .select({
      callerSubject: accessAudit.callerSubject,
      callerOrganisationId: accessAudit.callerOrganisationId,
      callerRole: accessAudit.callerRole,
      hourStart: hour,
      count: sql<number>`count(*)::int`,
    })
    .from(accessAudit)
    .where(and(gte(accessAudit.occurredAt, from), lt(accessAudit.occurredAt, to)))
    .groupBy(accessAudit.callerSubject, accessAudit.callerOrganisationId, accessAudit.callerRole, hour)
    .having(sql`count(*) > ${threshold}`)
    .orderBy(desc(sql`count(*)`))
    .limit(limit);
  return rows.map((r) => ({ ...r, hourStart: new Date(r.hourStart), count: Number(r.count) }));
}
