/**
 * An insider with full database access against the audit log. The DPO holds a checkpoint the
 * hub published outside the database; then the insider, as superuser (triggers off), deletes the
 * last rows, appends forged rows, or edits, deletes, swaps or inserts a middle row and recomputes
 * every leaf after it. Each is detected: by the offline verifier (`npm run audit:verify`) on the
 * DPO's export against the held checkpoint, and by verifyAuditChain — before a restart and after.
 * The DPO's inclusion and consistency proofs are checked with the RFC's own verifiers.
 */
import { asc, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { accessAudit } from '../schema';
import { auditLeafHash } from '../src/audit/audit-hash';
import { AuditLog } from '../src/audit/audit-log.service';
import { ephemeralAuditKeys, type AuditKeys } from '../src/audit/audit-keys';
import { memoryCheckpointStore } from '../src/audit/checkpoint-store';
import { verifyExport } from '../src/audit/offline-verify';
import type { Tx } from '../src/db';
import { fixedClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { verifyConsistency, verifyInclusion } from './support/rfc9162';

const LOOK = 'query ($id: ID) { child(id: $id) { id givenName } }';
const VERIFY =
  'query { verifyAuditChain(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { ok checked firstBrokenSeq reason } }';
const HEAD = '{ auditCheckpoint { verifierKey checkpoint { origin treeSize rootHash time note } } }';

interface Scene {
  t: TestHub;
  keys: AuditKeys;
  store: ReturnType<typeof memoryCheckpointStore>;
  dpo: string;
  school: string;
  pupil: string;
  /** The checkpoint the DPO downloaded and keeps. */
  held: string;
  verifierKey: string;
}

let scene: Scene | null = null;
afterEach(async () => {
  await scene?.t.close();
  scene = null;
});

/** Rows in the checkpoint the DPO holds. */
const HELD = 8;

/** A hub with HELD audited reads, checkpointed; the DPO keeps the checkpoint (via the API). */
async function setUp(): Promise<Scene> {
  const keys = ephemeralAuditKeys();
  const store = memoryCheckpointStore();
  const t = await startTestHub({ clock: fixedClock('2026-05-04T09:00:00Z'), auditKeys: keys, checkpointStore: store });
  const f = fixture(t.database.db);
  const org = await f.org('school', 'school');
  const child = await f.child();
  await f.involve(child.id, org, 'on_roll');
  const school = await t.token({ role: 'school_dsl', org, sub: 'dsl-1' });
  const dpo = await t.token({ role: 'dpo', org: await f.org('council', 'council_early_help'), sub: 'dpo-1' });
  for (let i = 0; i < HELD; i++) expect((await t.post(school, LOOK, { id: child.id })).status).toBe(200);
  await t.services.auditLog.checkpoint();
  const head = await t.post(dpo, HEAD, {}, 'audit');
  expect(head.errors).toBeUndefined();
  expect(head.data.auditCheckpoint.checkpoint.treeSize).toBe(HELD);
  scene = {
    t,
    keys,
    store,
    dpo,
    school,
    pupil: child.id,
    held: head.data.auditCheckpoint.checkpoint.note,
    verifierKey: head.data.auditCheckpoint.verifierKey,
  };
  return scene;
}

/** The DPO's export of the log's first `size` entries, as the hub serves it now. */
async function exportOf(s: Scene, size: number): Promise<string> {
  const res = await fetch(`${s.t.url.replace(/\/graphql$/, '')}/dpo/audit-log/export?treeSize=${size}`, {
    headers: { authorization: `Bearer ${s.dpo}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function verifyOnline(s: Scene) {
  const res = await s.t.post(s.dpo, VERIFY, {}, 'audit');
  expect(res.errors).toBeUndefined();
  return res.data.verifyAuditChain as { ok: boolean; reason: string | null; firstBrokenSeq: string | null };
}

/** As superuser, past every append-only trigger. */
async function asInsider(s: Scene, work: (tx: Tx) => Promise<void>): Promise<void> {
  await s.t.database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await work(tx);
  });
}

/** The insider recomputes the whole log from the rows as they now are: leaf hashes and order all consistent. */
async function recomputeLog(tx: Tx): Promise<void> {
  await tx.execute(sql`delete from audit_log_leaves`);
  await tx.execute(sql`delete from audit_log_pending`);
  const rows = await tx.select().from(accessAudit).orderBy(asc(accessAudit.seq));
  for (const [i, row] of rows.entries()) {
    await tx.execute(
      sql`insert into audit_log_leaves (leaf_index, audit_seq, leaf_hash) values (${i}, ${row.seq}, ${auditLeafHash(row.seq, row).toString('hex')})`,
    );
  }
}

async function rows(s: Scene) {
  return s.t.database.db.select().from(accessAudit).orderBy(asc(accessAudit.seq));
}

/** Every way of checking against the held checkpoint says no. */
async function expectDetected(s: Scene, reason: RegExp): Promise<void> {
  const offline = verifyExport(await exportOf(s, HELD), [s.held], s.verifierKey);
  expect(offline.ok).toBe(false);
  const online = await verifyOnline(s);
  expect(online.ok).toBe(false);
  expect(online.reason).toMatch(reason);
  // After a restart too: the checkpointer checks the database against what was published, and signs nothing more.
  const restarted = new AuditLog({
    db: s.t.database.db,
    clock: fixedClock('2026-05-04T10:00:00Z'),
    logger: silentLogger,
    keys: s.keys,
    store: s.store,
  });
  await restarted.open();
  expect((await restarted.verify(new Date('2026-01-01'), new Date('2027-01-01'))).ok).toBe(false);
  expect(await restarted.checkpoint()).toBeNull();
  expect(s.store.all.at(-1)).toBe(s.held);
}

// Each test starts its own hub (an attack spoils the log): generous time on a loaded machine.
describe('the audit log against an insider, with a checkpoint held outside', { timeout: 120_000 }, () => {
  it('untouched, everything verifies: offline, online, after a restart; new rows extend it consistently', async () => {
    const s = await setUp();
    expect(verifyExport(await exportOf(s, HELD), [s.held], s.verifierKey)).toMatchObject({ ok: true, entries: HELD });
    expect(await verifyOnline(s)).toMatchObject({ ok: true, reason: null });
    for (let i = 0; i < 5; i++) await s.t.post(s.school, LOOK, { id: s.pupil });
    const next = await s.t.services.auditLog.checkpoint();
    expect(next!.treeSize).toBe(HELD + 5);
    // An export of the new tree verifies against the old checkpoint and the new one: they are consistent.
    expect(verifyExport(await exportOf(s, HELD + 5), [s.held, next!.note], s.verifierKey)).toMatchObject({
      ok: true,
      entries: HELD + 5,
    });
    const restarted = new AuditLog({
      db: s.t.database.db,
      clock: fixedClock('2026-05-04T10:00:00Z'),
      logger: silentLogger,
      keys: s.keys,
      store: s.store,
    });
    await restarted.open();
    expect(await restarted.verify(new Date('2026-01-01'), new Date('2027-01-01'))).toMatchObject({ ok: true });
    // A checkpoint signed by another key proves nothing.
    expect(verifyExport(await exportOf(s, HELD + 5), [s.held], ephemeralAuditKeys().verifierKey).ok).toBe(false);
  });

  it("gives the DPO inclusion and consistency proofs that the RFC's verifiers accept", async () => {
    const s = await setUp();
    for (let i = 0; i < 5; i++) await s.t.post(s.school, LOOK, { id: s.pupil });
    const newer = await s.t.services.auditLog.checkpoint();
    const all = await rows(s);
    const root = newer!.rootHash;
    for (const row of [all[0]!, all[HELD - 1]!, all[HELD]!, all.at(-1)!]) {
      const res = await s.t.post(
        s.dpo,
        `{ auditInclusionProof(seq: "${row.seq}") { seq leafIndex treeSize leafHash hashes } }`,
        {},
        'audit',
      );
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      const p = res.data.auditInclusionProof;
      expect(Buffer.from(p.leafHash, 'base64').equals(auditLeafHash(row.seq, row))).toBe(true);
      expect(
        verifyInclusion(
          p.leafIndex,
          p.treeSize,
          Buffer.from(p.leafHash, 'base64'),
          p.hashes.map((h: string) => Buffer.from(h, 'base64')),
          root,
        ),
      ).toBe(true);
    }
    const held = s.held.split('\n');
    const res = await s.t.post(
      s.dpo,
      `{ auditConsistencyProof(fromSize: ${HELD}) { fromSize toSize hashes } }`,
      {},
      'audit',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.auditConsistencyProof.toSize).toBe(HELD + 5);
    expect(
      verifyConsistency(
        HELD,
        HELD + 5,
        Buffer.from(held[2]!, 'base64'),
        root,
        res.data.auditConsistencyProof.hashes.map((h: string) => Buffer.from(h, 'base64')),
      ),
    ).toBe(true);
    // Beyond the latest checkpoint, and for anyone but the DPO: refused.
    expect(
      (await s.t.post(s.dpo, `{ auditConsistencyProof(fromSize: ${HELD}, toSize: 99) { toSize } }`, {}, 'audit'))
        .errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toSize' });
    expect(
      (await s.t.post(s.school, '{ auditCheckpoint { verifierKey } }', {}, 'audit')).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await fetch(`${s.t.url.replace(/\/graphql$/, '')}/dpo/audit-log/export`, {
          headers: { authorization: `Bearer ${s.school}` },
        })
      ).status,
    ).toBe(403);
  });

  it('detects the last rows deleted (rows and their leaves)', async () => {
    const s = await setUp();
    const last = (await rows(s)).slice(-3).map((r) => r.seq);
    await asInsider(s, async (tx) => {
      await tx.execute(sql`delete from audit_log_leaves where audit_seq in ${sql.raw(`(${last.join(',')})`)}`);
      await tx.execute(sql`delete from access_audit where seq in ${sql.raw(`(${last.join(',')})`)}`);
    });
    // The running checkpointer notices too, and signs nothing more.
    await s.t.post(s.school, LOOK, { id: s.pupil });
    expect(await s.t.services.auditLog.checkpoint()).toBeNull();
    await expectDetected(s, /removed/);
  });

  it('detects the last rows deleted with the log recomputed to match', async () => {
    const s = await setUp();
    await asInsider(s, async (tx) => {
      const last = (await tx.select().from(accessAudit).orderBy(asc(accessAudit.seq))).slice(-2).map((r) => r.seq);
      await tx.execute(sql`delete from access_audit where seq in ${sql.raw(`(${last.join(',')})`)}`);
      await recomputeLog(tx);
    });
    await expectDetected(s, /removed/);
  });

  it('keeps a row forged by INSERT out of the log, and says so', async () => {
    const s = await setUp();
    const [model] = await rows(s);
    // A plain INSERT, as the runtime role could do: it cannot make the hub's MAC.
    await s.t.database.db.insert(accessAudit).values({
      ...model!,
      seq: undefined,
      requestId: 'forged',
      callerSubject: 'someone-else',
      mac: 'f'.repeat(64),
    } as typeof accessAudit.$inferInsert);
    // Without a MAC at all the database refuses it.
    const noMac = await s.t.database.db
      .insert(accessAudit)
      .values({ ...model!, seq: undefined, requestId: 'forged-2', mac: null } as typeof accessAudit.$inferInsert)
      .then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
    expect(`${noMac?.message} ${noMac?.cause?.message ?? ''}`).toMatch(/access_audit_mac_required/);
    await s.t.services.auditLog.checkpoint();
    const forged = (await rows(s)).find((r) => r.requestId === 'forged')!;
    const online = await verifyOnline(s);
    expect(online).toMatchObject({ ok: false, firstBrokenSeq: String(forged.seq) });
    expect(online.reason).toMatch(/not written by the hub/);
    const proof = await s.t.post(s.dpo, `{ auditInclusionProof(seq: "${forged.seq}") { leafIndex } }`, {}, 'audit');
    expect(proof.errors?.[0]?.extensions?.code, JSON.stringify(proof.errors)).toBe('NOT_FOUND');
    expect(await exportOf(s, HELD)).not.toContain('someone-else');
  });

  it('logs a row as the hub wrote it, so one altered before the log took it in is caught', async () => {
    const s = await setUp();
    expect((await s.t.post(s.school, LOOK, { id: s.pupil })).status).toBe(200);
    const fresh = (await rows(s)).at(-1)!;
    await asInsider(s, async (tx) => {
      await tx.execute(sql`update access_audit set caller_subject = 'someone-else' where seq = ${fresh.seq}`);
    });
    await s.t.services.auditLog.checkpoint();
    const online = await verifyOnline(s);
    expect(online).toMatchObject({ ok: false, firstBrokenSeq: String(fresh.seq) });
  });

  it('refuses to sign a forged row and leaf written straight into the log', async () => {
    const s = await setUp();
    const [model] = await rows(s);
    await asInsider(s, async (tx) => {
      const [row] = await tx
        .insert(accessAudit)
        .values({
          ...model!,
          seq: undefined,
          requestId: 'forged',
          mac: 'f'.repeat(64),
        } as typeof accessAudit.$inferInsert)
        .returning();
      await tx.execute(sql`delete from audit_log_pending`);
      await tx.execute(
        sql`insert into audit_log_leaves (leaf_index, audit_seq, leaf_hash) values (${HELD}, ${row!.seq}, ${auditLeafHash(row!.seq, row!).toString('hex')})`,
      );
    });
    expect(await s.t.services.auditLog.checkpoint()).toBeNull();
    expect(s.store.all.at(-1)).toBe(s.held);
    expect((await verifyOnline(s)).ok).toBe(false);
  });

  it.each([
    [
      'edited',
      async (tx: Tx, seqs: number[]) => {
        await tx.execute(sql`update access_audit set fields_returned = array['Child.id'] where seq = ${seqs[4]!}`);
      },
    ],
    [
      'deleted',
      async (tx: Tx, seqs: number[]) => {
        await tx.execute(sql`delete from access_audit where seq = ${seqs[4]!}`);
      },
    ],
    [
      'swapped with its neighbour',
      async (tx: Tx, seqs: number[]) => {
        await tx.execute(
          sql`update access_audit set request_id = case when seq = ${seqs[4]!} then (select request_id from access_audit where seq = ${seqs[5]!}) else (select request_id from access_audit where seq = ${seqs[4]!}) end where seq in (${seqs[4]!}, ${seqs[5]!})`,
        );
      },
    ],
    [
      'inserted before it',
      async (tx: Tx, seqs: number[]) => {
        // A row with a lower seq than every later one: as if written in between.
        await tx.execute(sql`insert into access_audit select ${seqs[4]! * 1000}::bigint as seq, request_id, occurred_at, caller_subject, caller_organisation_id, caller_role, client_id, purpose,
        operation, operation_name, child_id, categories_returned, fields_returned, fields_redacted, basis, changes, flags, prev_hash, hash, mac from access_audit where seq = ${seqs[4]!}`);
        await tx.execute(sql`update access_audit set seq = -1 where seq = ${seqs[4]! * 1000}`);
      },
    ],
  ])('detects a middle row %s, with every leaf after it recomputed', async (_what, attack) => {
    const s = await setUp();
    const seqs = (await rows(s)).map((r) => r.seq);
    await asInsider(s, async (tx) => {
      await attack(tx, seqs);
      await recomputeLog(tx);
    });
    // Online, each entry is re-hashed and its MAC checked as it is read, before the root is compared.
    await expectDetected(s, /removed|changed|altered/);
  });
});
