/**
 * SQL of the outbox: claiming with FOR UPDATE SKIP LOCKED (several workers, several machines),
 * per-child order (a row is claimable only when no earlier row of its child is still pending, in
 * flight or dead — a dead letter blocks its child's later rows until it is re-driven), leases (a killed worker's claim expires and is reclaimed), fenced acknowledgements
 * (only the current claimant may settle a row), and the counts `syncStatus` reports.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { outbox, syncCursors, syncDeliveredHashes } from '../../schema';
import { rowsOf, type DbOrTx } from '../db';
import { HELD_IN_HUB_MARKER } from '../partnership-plus/partnership-plus.rule';

export type OutboxRow = typeof outbox.$inferSelect;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

interface RawRow {
  id: number | string;
  child_id: string;
  event_kind: string;
  entity: string;
  refs: unknown;
  case_event_seq: number | string;
  idempotency_key: string;
  request_id: string | null;
  attempts: number;
  created_at: string | Date;
}

export interface ClaimedRow {
  id: number;
  childId: string;
  eventKind: string;
  entity: string;
  refs: Record<string, string>;
  caseEventSeq: number;
  idempotencyKey: string;
  /** The hub request that made the change, for logs that follow it; null for the hub's own work. */
  requestId: string | null;
  /** Including this claim. */
  attempts: number;
  createdAt: Date;
}

export async function claimBatch(
  db: DbOrTx,
  opts: { workerId: string; now: Date; leaseMs: number; limit: number },
): Promise<ClaimedRow[]> {
  const lease = new Date(opts.now.getTime() + opts.leaseMs);
  const result = await db.execute(sql`
    with candidates as (
      select o.id from outbox o
      where ((o.status = 'pending' and o.next_attempt_at <= ${ts(opts.now)})
          or (o.status = 'in_flight' and o.lease_expires_at <= ${ts(opts.now)}))
        and not exists (
          select 1 from outbox e
          where e.child_id = o.child_id and e.id < o.id and e.status in ('pending', 'in_flight', 'dead'))
      order by o.id
      limit ${opts.limit}
      for update of o skip locked
    )
    update outbox u set status = 'in_flight', claimed_by = ${opts.workerId}, lease_expires_at = ${ts(lease)}, attempts = u.attempts + 1
    from candidates c where u.id = c.id
    returning u.id, u.child_id, u.event_kind, u.entity, u.refs, u.case_event_seq, u.idempotency_key, u.request_id, u.attempts, u.created_at`);
  return rowsOf<RawRow>(result)
    .map((r) => ({
      id: Number(r.id),
      childId: r.child_id,
      eventKind: r.event_kind,
      entity: r.entity,
      refs: (typeof r.refs === 'string' ? JSON.parse(r.refs) : r.refs) as Record<string, string>,
      caseEventSeq: Number(r.case_event_seq),
      idempotencyKey: r.idempotency_key,
      requestId: r.request_id ?? null,
      attempts: Number(r.attempts),
      createdAt: new Date(r.created_at),
    }))
    .sort((a, b) => a.id - b.id);
}

/** The claimant's fence: a row reclaimed by another worker after our lease expired is not ours to settle. */
function mine(id: number, workerId: string) {
  return and(eq(outbox.id, id), eq(outbox.claimedBy, workerId), eq(outbox.status, 'in_flight'));
}

export async function lastDeliveredHash(db: DbOrTx, entityKey: string): Promise<string | null> {
  const [row] = await db
    .select({ hash: syncDeliveredHashes.contentHash })
    .from(syncDeliveredHashes)
    .where(eq(syncDeliveredHashes.entityKey, entityKey));
  return row?.hash ?? null;
}

/**
 * Settles a row as delivered (or skipped as unchanged) with the hash of the content Liquid Logic
 * confirmed and the key that confirmed it; returns false when the claim was lost.
 */
export async function settle(
  db: DbOrTx,
  row: {
    id: number;
    workerId: string;
    status: 'delivered' | 'skipped';
    hash: string;
    deliveryKey?: string | null;
    now: Date;
  },
): Promise<boolean> {
  const [updated] = await db
    .update(outbox)
    .set({
      status: row.status,
      contentHash: row.hash,
      deliveryKey: row.deliveryKey ?? null,
      deliveredAt: row.now,
      leaseExpiresAt: null,
    })
    .where(mine(row.id, row.workerId))
    .returning({ id: outbox.id });
  return Boolean(updated);
}

/**
 * Records that Liquid Logic confirmed `hash` for an entity — only while the row's claim is still
 * ours, so a worker whose lease expired cannot overwrite what its successor delivered. False when
 * the claim was lost.
 */
export async function recordDelivered(
  db: DbOrTx,
  row: { id: number; workerId: string; entityKey: string; hash: string; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [held] = await tx.select({ id: outbox.id }).from(outbox).where(mine(row.id, row.workerId)).for('update');
    if (!held) return false;
    await tx
      .insert(syncDeliveredHashes)
      .values({ entityKey: row.entityKey, contentHash: row.hash, outboxId: row.id, deliveredAt: row.now })
      .onConflictDoUpdate({
        target: syncDeliveredHashes.entityKey,
        set: { contentHash: row.hash, outboxId: row.id, deliveredAt: row.now },
      });
    return true;
  });
}

/** A failed attempt: back to pending at `retryAt`, or dead when `retryAt` is null. */
export async function fail(
  db: DbOrTx,
  row: { id: number; workerId: string; error: string; retryAt: Date | null; now: Date },
): Promise<boolean> {
  const [updated] = await db
    .update(outbox)
    .set({
      status: row.retryAt ? 'pending' : 'dead',
      nextAttemptAt: row.retryAt ?? row.now,
      leaseExpiresAt: null,
      claimedBy: null,
      lastError: row.error.slice(0, 500),
      lastErrorAt: row.now,
    })
    .where(mine(row.id, row.workerId))
    .returning({ id: outbox.id });
  return Boolean(updated);
}

export interface OutboxCounts {
  pending: number;
  inFlight: number;
  dead: number;
  delivered: number;
  skipped: number;
  /** Pending rows waiting behind a dead letter of the same child. */
  blocked: number;
  oldestPendingAt: Date | null;
}

export async function counts(db: DbOrTx): Promise<OutboxCounts> {
  const result = await db.execute(sql`
    select
      count(*) filter (where status = 'pending')::int as pending,
      count(*) filter (where status = 'in_flight')::int as in_flight,
      count(*) filter (where status = 'dead')::int as dead,
      count(*) filter (where status = 'delivered')::int as delivered,
      count(*) filter (where status = 'skipped')::int as skipped,
      count(*) filter (where status = 'pending' and exists (
        select 1 from outbox d where d.child_id = o.child_id and d.id < o.id and d.status = 'dead'))::int as blocked,
      min(created_at) filter (where status in ('pending', 'in_flight')) as oldest
    from outbox o`);
  const r = rowsOf<{
    pending: number;
    in_flight: number;
    dead: number;
    delivered: number;
    skipped: number;
    blocked: number;
    oldest: string | Date | null;
  }>(result)[0]!;
  return {
    pending: Number(r.pending),
    inFlight: Number(r.in_flight),
    dead: Number(r.dead),
    delivered: Number(r.delivered),
    skipped: Number(r.skipped),
    blocked: Number(r.blocked),
    oldestPendingAt: r.oldest ? new Date(r.oldest) : null,
  };
}

export async function lastError(db: DbOrTx): Promise<{ error: string; at: Date; outboxId: number } | null> {
  const [row] = await db
    .select({ error: outbox.lastError, at: outbox.lastErrorAt, id: outbox.id })
    .from(outbox)
    .where(sql`${outbox.lastErrorAt} is not null`)
    .orderBy(sql`${outbox.lastErrorAt} desc`)
    .limit(1);
  return row?.error && row.at ? { error: row.error, at: row.at, outboxId: row.id } : null;
}

/** Dead letters, oldest first, each with the number of its child's later rows it holds back. */
export async function deadLetters(db: DbOrTx, limit: number): Promise<(OutboxRow & { blocking: number })[]> {
  const blocking = sql<number>`(select count(*)::int from outbox b where b.child_id = "outbox"."child_id" and b.id > "outbox"."id" and b.status = 'pending')`;
  const rows = await db
    .select({ row: outbox, blocking })
    .from(outbox)
    .where(eq(outbox.status, 'dead'))
    .orderBy(outbox.id)
    .limit(limit);
  return rows.map((r) => ({ ...r.row, blocking: Number(r.blocking) }));
}

/** Earlier rows of an EHA settled as held in the hub under the Partnership Plus rule: never sent to Liquid Logic. */
export async function heldRowsBefore(db: DbOrTx, ehaId: string, beforeId: number): Promise<number[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        // The marker as a literal, so the partial index serves even a generic plan of this statement.
        sql`${outbox.contentHash} = ${sql.raw(`'${HELD_IN_HUB_MARKER}'`)}`,
        sql`${outbox.refs} ->> 'ehaId' = ${ehaId}`,
        eq(outbox.status, 'skipped'),
        sql`${outbox.id} < ${beforeId}`,
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * Puts held rows back in the queue with a fresh attempt budget, and the claimed row after them
 * (its claim given back, the attempt not counted): per-child order then sends the held ones first.
 * False, changing nothing, when the claim was lost.
 */
export async function requeueHeldBefore(
  db: DbOrTx,
  held: readonly number[],
  claimed: { id: number; workerId: string; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [released] = await tx
      .update(outbox)
      .set({
        status: 'pending',
        claimedBy: null,
        leaseExpiresAt: null,
        nextAttemptAt: claimed.now,
        attempts: sql`${outbox.attempts} - 1`,
      })
      .where(mine(claimed.id, claimed.workerId))
      .returning({ id: outbox.id });
    if (!released) return false;
    await tx
      .update(outbox)
      .set({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: claimed.now,
        contentHash: null,
        deliveredAt: null,
        claimedBy: null,
        leaseExpiresAt: null,
      })
      .where(and(inArray(outbox.id, [...held]), eq(outbox.status, 'skipped')));
    return true;
  });
}

/**
 * Puts dead rows back in the queue with a fresh attempt budget — one row, one child's, or all —
 * and returns how many. Per-child order then sends each child's re-driven row before the rows
 * it held back.
 */
export async function requeueDead(
  db: DbOrTx,
  which: { id: number } | { childId: string } | 'all',
  now: Date,
): Promise<number> {
  const scope =
    which === 'all' ? undefined : 'id' in which ? eq(outbox.id, which.id) : eq(outbox.childId, which.childId);
  const rows = await db
    .update(outbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, claimedBy: null, leaseExpiresAt: null })
    .where(and(scope, eq(outbox.status, 'dead')))
    .returning({ id: outbox.id });
  return rows.length;
}

export async function childOfEntry(db: DbOrTx, id: number): Promise<string | null> {
  const [row] = await db.select({ childId: outbox.childId }).from(outbox).where(eq(outbox.id, id));
  return row?.childId ?? null;
}

/**
 * Queues a person record for every live child with an Early Help record in the outbox whose
 * person Liquid Logic has never confirmed (data from before person records followed every
 * case), unless one is already waiting. Returns how many were queued.
 */
export async function backfillPersons(db: DbOrTx): Promise<number> {
  const result = await db.execute(sql`
    insert into outbox (child_id, event_kind, entity, refs, case_event_seq)
    select c.id, 'person_backfill', 'person', '{}'::jsonb, 0 from children c
    where c.merged_into is null
      and exists (select 1 from outbox o where o.child_id = c.id and o.entity not in ('person', 'person_merge'))
      and not exists (select 1 from sync_delivered_hashes h where h.entity_key = 'person:' || c.id::text)
      and not exists (select 1 from outbox p where p.child_id = c.id and p.entity = 'person' and p.status in ('pending', 'in_flight', 'dead'))
    returning id`);
  return rowsOf(result).length;
}

export async function readCursor(db: DbOrTx, name: string): Promise<string | null> {
  const [row] = await db.select().from(syncCursors).where(eq(syncCursors.name, name));
  return row?.position ?? null;
}

export async function writeCursor(db: DbOrTx, name: string, position: string, now: Date): Promise<void> {
  await db
    .insert(syncCursors)
    .values({ name, position, updatedAt: now })
    .onConflictDoUpdate({ target: syncCursors.name, set: { position, updatedAt: now } });
}
