/**
 * SQL of the outbox: claiming with FOR UPDATE SKIP LOCKED (several workers, several machines),
 * per-child order (a row is claimable only when no earlier row of its child is still pending or
 * in flight), leases (a killed worker's claim expires and is reclaimed), fenced acknowledgements
 * (only the current claimant may settle a row), and the counts `syncStatus` reports.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { outbox, syncCursors, syncDeliveredHashes } from '../../schema';
import { rowsOf, type DbOrTx } from '../db';
import { HELD_IN_HUB_MARKER } from '../partnership-plus/partnership-plus.rule';

export type OutboxRow = typeof outbox.$inferSelect;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

interface RawRow {
  id: number | string; child_id: string; event_kind: string; entity: string; refs: unknown; case_event_seq: number | string;
  idempotency_key: string; attempts: number; created_at: string | Date;
}

export interface ClaimedRow {
  id: number;
  childId: string;
  eventKind: string;
  entity: string;
  refs: Record<string, string>;
  caseEventSeq: number;
  idempotencyKey: string;
  /** Including this claim. */
  attempts: number;
  createdAt: Date;
}

export async function claimBatch(db: DbOrTx, opts: { workerId: string; now: Date; leaseMs: number; limit: number }): Promise<ClaimedRow[]> {
  const lease = new Date(opts.now.getTime() + opts.leaseMs);
  const result = await db.execute(sql`
    with candidates as (
      select o.id from outbox o
      where ((o.status = 'pending' and o.next_attempt_at <= ${ts(opts.now)})
          or (o.status = 'in_flight' and o.lease_expires_at <= ${ts(opts.now)}))
        and not exists (
          select 1 from outbox e
          where e.child_id = o.child_id and e.id < o.id and e.status in ('pending', 'in_flight'))
      order by o.id
      limit ${opts.limit}
      for update of o skip locked
    )
    update outbox u set status = 'in_flight', claimed_by = ${opts.workerId}, lease_expires_at = ${ts(lease)}, attempts = u.attempts + 1
    from candidates c where u.id = c.id
    returning u.id, u.child_id, u.event_kind, u.entity, u.refs, u.case_event_seq, u.idempotency_key, u.attempts, u.created_at`);
  return rowsOf<RawRow>(result).map((r) => ({
    id: Number(r.id), childId: r.child_id, eventKind: r.event_kind, entity: r.entity,
    refs: (typeof r.refs === 'string' ? JSON.parse(r.refs) : r.refs) as Record<string, string>,
    caseEventSeq: Number(r.case_event_seq), idempotencyKey: r.idempotency_key, attempts: Number(r.attempts), createdAt: new Date(r.created_at),
  })).sort((a, b) => a.id - b.id);
}

/** The claimant's fence: a row reclaimed by another worker after our lease expired is not ours to settle. */
function mine(id: number, workerId: string) {
  return and(eq(outbox.id, id), eq(outbox.claimedBy, workerId), eq(outbox.status, 'in_flight'));
}

export async function lastDeliveredHash(db: DbOrTx, entityKey: string): Promise<string | null> {
  const [row] = await db.select({ hash: syncDeliveredHashes.contentHash }).from(syncDeliveredHashes).where(eq(syncDeliveredHashes.entityKey, entityKey));
  return row?.hash ?? null;
}

/** Settles a row as delivered (or skipped as unchanged); returns false when the claim was lost. */
export async function settle(db: DbOrTx, row: { id: number; workerId: string; status: 'delivered' | 'skipped'; hash: string; entityKey: string; now: Date }): Promise<boolean> {
  const [updated] = await db.update(outbox)
    .set({ status: row.status, contentHash: row.hash, deliveredAt: row.now, leaseExpiresAt: null })
    .where(mine(row.id, row.workerId)).returning({ id: outbox.id });
  if (!updated) return false;
  if (row.status === 'delivered') {
    await db.insert(syncDeliveredHashes).values({ entityKey: row.entityKey, contentHash: row.hash, outboxId: row.id, deliveredAt: row.now })
      .onConflictDoUpdate({ target: syncDeliveredHashes.entityKey, set: { contentHash: row.hash, outboxId: row.id, deliveredAt: row.now } });
  }
  return true;
}

/** A failed attempt: back to pending at `retryAt`, or dead when `retryAt` is null. */
export async function fail(db: DbOrTx, row: { id: number; workerId: string; error: string; retryAt: Date | null; now: Date }): Promise<boolean> {
  const [updated] = await db.update(outbox)
    .set({
      status: row.retryAt ? 'pending' : 'dead', nextAttemptAt: row.retryAt ?? row.now, leaseExpiresAt: null, claimedBy: null,
      lastError: row.error.slice(0, 500), lastErrorAt: row.now,
    })
    .where(mine(row.id, row.workerId)).returning({ id: outbox.id });
  return Boolean(updated);
}

export interface OutboxCounts {
  pending: number; inFlight: number; dead: number; delivered: number; skipped: number;
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
      min(created_at) filter (where status in ('pending', 'in_flight')) as oldest
    from outbox`);
  const r = rowsOf<{ pending: number; in_flight: number; dead: number; delivered: number; skipped: number; oldest: string | Date | null }>(result)[0]!;
  return {
    pending: Number(r.pending), inFlight: Number(r.in_flight), dead: Number(r.dead), delivered: Number(r.delivered), skipped: Number(r.skipped),
    oldestPendingAt: r.oldest ? new Date(r.oldest) : null,
  };
}

export async function lastError(db: DbOrTx): Promise<{ error: string; at: Date; outboxId: number } | null> {
  const [row] = await db.select({ error: outbox.lastError, at: outbox.lastErrorAt, id: outbox.id }).from(outbox)
    .where(sql`${outbox.lastErrorAt} is not null`).orderBy(sql`${outbox.lastErrorAt} desc`).limit(1);
  return row?.error && row.at ? { error: row.error, at: row.at, outboxId: row.id } : null;
}

export async function deadLetters(db: DbOrTx, limit: number): Promise<OutboxRow[]> {
  return db.select().from(outbox).where(eq(outbox.status, 'dead')).orderBy(outbox.id).limit(limit);
}

/** Earlier rows of an EHA settled as held in the hub under the Partnership Plus rule: never sent to Liquid Logic. */
export async function heldRowsBefore(db: DbOrTx, ehaId: string, beforeId: number): Promise<number[]> {
  const rows = await db.select({ id: outbox.id }).from(outbox).where(and(
    // The marker as a literal, so the partial index serves even a generic plan of this statement.
    sql`${outbox.contentHash} = ${sql.raw(`'${HELD_IN_HUB_MARKER}'`)}`,
    sql`${outbox.refs} ->> 'ehaId' = ${ehaId}`, eq(outbox.status, 'skipped'), sql`${outbox.id} < ${beforeId}`,
  ));
  return rows.map((r) => r.id);
}

/**
 * Puts held rows back in the queue with a fresh attempt budget, and the claimed row after them
 * (its claim given back, the attempt not counted): per-child order then sends the held ones first.
 * False, changing nothing, when the claim was lost.
 */
export async function requeueHeldBefore(db: DbOrTx, held: readonly number[], claimed: { id: number; workerId: string; now: Date }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [released] = await tx.update(outbox)
      .set({ status: 'pending', claimedBy: null, leaseExpiresAt: null, nextAttemptAt: claimed.now, attempts: sql`${outbox.attempts} - 1` })
      .where(mine(claimed.id, claimed.workerId)).returning({ id: outbox.id });
    if (!released) return false;
    await tx.update(outbox)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: claimed.now, contentHash: null, deliveredAt: null, claimedBy: null, leaseExpiresAt: null })
      .where(and(inArray(outbox.id, [...held]), eq(outbox.status, 'skipped')));
    return true;
  });
}

/** Puts a dead row back in the queue with a fresh attempt budget; false when it is not dead. */
export async function requeueDead(db: DbOrTx, id: number, now: Date): Promise<boolean> {
  const [row] = await db.update(outbox).set({ status: 'pending', attempts: 0, nextAttemptAt: now, claimedBy: null, leaseExpiresAt: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'dead'))).returning({ id: outbox.id });
  return Boolean(row);
}

export async function readCursor(db: DbOrTx, name: string): Promise<string | null> {
  const [row] = await db.select().from(syncCursors).where(eq(syncCursors.name, name));
  return row?.position ?? null;
}

export async function writeCursor(db: DbOrTx, name: string, position: string, now: Date): Promise<void> {
  await db.insert(syncCursors).values({ name, position, updatedAt: now })
    .onConflictDoUpdate({ target: syncCursors.name, set: { position, updatedAt: now } });
}
