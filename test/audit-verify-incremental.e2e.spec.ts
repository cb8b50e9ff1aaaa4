/**
 * Incremental verification: a check reads and re-hashes only the log entries added since the last
 * verified checkpoint (`checked`, `leavesRead`), and together with the verified tree they must give
 * the new checkpoint. Already-verified entries are not re-read, by design: an old entry rewritten
 * later is caught by a full check (`full`, a restart, the offline verifier) or the windowed one.
 * The DPO's `verifyAuditChain` and the scheduled verification both work this way.
 */
import { asc, desc, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { accessAudit } from '../schema';
import { auditLeafHash } from '../src/audit/audit-hash';
import { ephemeralAuditKeys } from '../src/audit/audit-keys';
import { memoryCheckpointStore } from '../src/audit/checkpoint-store';
import type { Tx } from '../src/db';
import { fixedClock } from '../src/shared/clock';
import { AuditSchedule } from '../src/audit/audit-schedule';
import { fixture } from './support/fixtures';
import { memoryLogger } from './support/memory-logger';
import { startTestHub, type TestHub } from './support/hub';

const LOOK = 'query ($id: ID) { child(id: $id) { id givenName } }';
let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

async function setUp() {
  const t = await startTestHub({
    clock: fixedClock('2026-05-04T09:00:00Z'),
    auditKeys: ephemeralAuditKeys(),
    checkpointStore: memoryCheckpointStore(),
  });
  hub = t;
  const f = fixture(t.database.db);
  const org = await f.org('school', 'school');
  const child = await f.child();
  await f.involve(child.id, org, 'on_roll');
  const school = await t.token({ role: 'school_dsl', org, sub: 'dsl-1' });
  const reads = async (n: number) => {
    for (let i = 0; i < n; i++) expect((await t.post(school, LOOK, { id: child.id })).status).toBe(200);
    return (await t.services.auditLog.checkpoint())!.treeSize;
  };
  return { t, reads };
}

/** As superuser, past every append-only trigger. */
async function asInsider(t: TestHub, work: (tx: Tx) => Promise<void>): Promise<void> {
  await t.database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await work(tx);
  });
}

async function oldestRow(t: TestHub) {
  const [row] = await t.database.db.select().from(accessAudit).orderBy(asc(accessAudit.seq)).limit(1);
  return row!;
}

describe('incremental audit verification', () => {
  it('re-hashes only entries logged since the last verified checkpoint', async () => {
    const { t, reads } = await setUp();
    const log = t.services.auditLog;
    const first = await reads(5);
    const a = await log.verifyIncremental();
    expect(a).toMatchObject({ ok: true, checked: first, leavesRead: first, fromTreeSize: 0 });
    const second = await reads(3);
    expect(second).toBeGreaterThan(first);
    const b = await log.verifyIncremental();
    // Leaves read from the database: only the new ones, however long the log already is.
    expect(b).toMatchObject({ ok: true, checked: second - first, leavesRead: second - first, fromTreeSize: first });
    expect(b.checkpoint!.treeSize).toBe(second);
    expect(await log.verifyIncremental()).toMatchObject({ ok: true, checked: 0, leavesRead: 0, fromTreeSize: second });
  });

  it('an old entry rewritten with its leaf: not re-read incrementally, caught by a full check', async () => {
    const { t, reads } = await setUp();
    const log = t.services.auditLog;
    await reads(4);
    expect((await log.verifyIncremental()).ok).toBe(true);
    await reads(2);

    // Row and leaf rewritten together: the row re-hashes to its leaf, but the tree no longer gives the roots.
    const row = await oldestRow(t);
    await asInsider(t, async (tx) => {
      await tx.update(accessAudit).set({ operationName: 'tampered' }).where(eq(accessAudit.seq, row.seq));
      const [edited] = await tx.select().from(accessAudit).where(eq(accessAudit.seq, row.seq));
      await tx.execute(
        sql`update audit_log_leaves set leaf_hash = ${auditLeafHash(row.seq, edited!).toString('hex')} where audit_seq = ${row.seq}`,
      );
    });
    expect(await log.verifyIncremental()).toMatchObject({ ok: true, checked: 2 });
    const caught = await log.verifyIncremental({ full: true });
    expect(caught.ok).toBe(false);
    // The row's MAC (keyed outside the database) no longer verifies, whatever the leaf says.
    expect(caught).toMatchObject({ firstBrokenSeq: Number(row.seq), reason: expect.stringMatching(/altered/) });
  });

  it('an old row edited while its leaf is left alone: not re-hashed incrementally, caught by the windowed verify', async () => {
    const { t, reads } = await setUp();
    const log = t.services.auditLog;
    await reads(4);
    expect((await log.verifyIncremental()).ok).toBe(true);
    const row = await oldestRow(t);
    await asInsider(t, async (tx) => {
      await tx.update(accessAudit).set({ operationName: 'tampered' }).where(eq(accessAudit.seq, row.seq));
    });
    await reads(1);
    expect(await log.verifyIncremental()).toMatchObject({ ok: true, checked: 1 });
    const windowed = await log.verify(new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    expect(windowed.ok).toBe(false);
    expect(windowed.firstBrokenSeq).toBe(Number(row.seq));
  });

  it('verifyAuditChain over HTTP starts from the last verified checkpoint and reports a row tampered with after it', async () => {
    const { t, reads } = await setUp();
    const dpo = await t.token({
      role: 'dpo',
      org: await fixture(t.database.db).org('council', 'council_early_help'),
      sub: 'dpo-1',
    });
    const VERIFY =
      'query ($full: Boolean) { verifyAuditChain(full: $full) { ok checked firstBrokenSeq reason fromTreeSize treeSize } }';
    const verify = async (full = false) => {
      const res = await t.post(dpo, VERIFY, { full }, 'audit');
      expect(res.errors).toBeUndefined();
      return res.data.verifyAuditChain;
    };
    const first = await reads(6);
    expect(await verify()).toEqual({
      ok: true,
      checked: first,
      firstBrokenSeq: null,
      reason: null,
      fromTreeSize: 0,
      treeSize: first,
    });
    const second = await reads(2);
    expect(await verify()).toEqual({
      ok: true,
      checked: second - first,
      firstBrokenSeq: null,
      reason: null,
      fromTreeSize: first,
      treeSize: second,
    });

    const third = await reads(3);
    const [victim] = await t.database.db.select().from(accessAudit).orderBy(desc(accessAudit.seq)).limit(1);
    await asInsider(t, async (tx) => {
      await tx
        .update(accessAudit)
        .set({ fieldsReturned: ['givenName', 'dateOfBirth'] })
        .where(eq(accessAudit.seq, victim!.seq));
    });
    const caught = await verify();
    expect(caught).toMatchObject({
      ok: false,
      firstBrokenSeq: String(victim!.seq),
      fromTreeSize: second,
      treeSize: third,
    });
    expect(caught.reason).toMatch(/altered/);
    expect(caught.checked).toBeLessThanOrEqual(third - second);
    // Still reported on the next check: a failed check does not move the verified checkpoint.
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: String(victim!.seq), fromTreeSize: second });
  });

  it('the scheduled verification logs a failure and sets the metric, with no personal data', async () => {
    const { t, reads } = await setUp();
    const mem = memoryLogger();
    const schedule = new AuditSchedule({
      log: t.services.auditLog,
      retention: t.services.retention,
      logger: mem.logger,
      verifyIntervalMs: 0,
      retentionIntervalMs: 0,
    });
    await reads(3);
    expect((await schedule.verify())!.ok).toBe(true);
    const metric = async () => {
      const text = await (await fetch(t.url.replace(/\/graphql$/, '/metrics'))).text();
      return /^hub_audit_log_verified (\d)/m.exec(text)?.[1];
    };
    expect(await metric()).toBe('1');
    await reads(2);
    const [victim] = await t.database.db.select().from(accessAudit).orderBy(desc(accessAudit.seq)).limit(1);
    await asInsider(t, async (tx) => {
      await tx.update(accessAudit).set({ callerSubject: 'someone-else' }).where(eq(accessAudit.seq, victim!.seq));
    });
    expect((await schedule.verify())!.ok).toBe(false);
    expect(await metric()).toBe('0');
    const line = mem.lines.find((l) => l.includes('AUDIT LOG VERIFICATION FAILED'));
    expect(line).toBeDefined();
    expect(line).toContain(`"firstBrokenSeq":${victim!.seq}`);
    expect(line).not.toContain(victim!.childId!);
    expect(line).not.toContain('dsl-1');
    expect(line).not.toContain('someone-else');
  });

  it('runs on its interval', async () => {
    const { t, reads } = await setUp();
    const mem = memoryLogger();
    await reads(2);
    const schedule = new AuditSchedule({
      log: t.services.auditLog,
      retention: t.services.retention,
      logger: mem.logger,
      verifyIntervalMs: 50,
      retentionIntervalMs: 0,
    });
    schedule.start();
    try {
      await expect
        .poll(() => mem.lines.filter((l) => l.includes('audit log verified')).length, { timeout: 5000 })
        .toBeGreaterThanOrEqual(2);
    } finally {
      await schedule.stop();
    }
  });
});
