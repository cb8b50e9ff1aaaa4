/**
 * Database roles on a real PostgreSQL (skipped on PGlite, which has one superuser): migrations as
 * the owner, the hub as a runtime role granted by `npm run migrate -- --runtime-role`. The hub
 * works as that role — audits, logs, checkpoints — but the role cannot update, delete or truncate
 * the audit, nor disable, drop or replace its triggers; a row it forges by INSERT stays out of the
 * log and is reported.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit } from '../schema';
import { auditPrivilegeProblems, grantRuntimeRole } from '../src/audit/db-roles';
import { openDatabase, type Database } from '../src/db';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const LOOK = 'query ($id: ID) { child(id: $id) { id givenName } }';

describe.skipIf(!process.env.TEST_DATABASE_URL)('the runtime database role and the audit (PostgreSQL)', () => {
  const role = `hub_runtime_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let owner: TestDatabase;
  let runtime: Database;
  let t: TestHub;
  let school: string;
  let dpo: string;
  let pupil: string;

  /** A statement run as the runtime role; resolves to the database's refusal, or null when it was allowed. */
  const refusal = async (statement: ReturnType<typeof sql>) => {
    const error = await runtime.db.execute(statement).then(
      () => null,
      (e: Error & { cause?: Error & { code?: string } }) => e,
    );
    return error ? `${error.cause?.code ?? ''} ${error.cause?.message ?? error.message}` : null;
  };

  beforeAll(async () => {
    owner = await createTestDatabase();
    await owner.db.execute(sql.raw(`create role ${role} login password '${password}'`));
    await grantRuntimeRole(owner.db, role);
    const url = new URL(owner.url!);
    url.username = role;
    url.password = password;
    runtime = await openDatabase({ url: url.toString(), maxConnections: 4 });
    t = await startTestHub({ database: { ...runtime, url: url.toString(), destroy: () => runtime.close() } });
    const f = fixture(owner.db);
    const org = await f.org('school', 'school');
    const child = await f.child();
    await f.involve(child.id, org, 'on_roll');
    pupil = child.id;
    school = await t.token({ role: 'school_dsl', org, sub: 'dsl-1' });
    dpo = await t.token({ role: 'dpo', org: await f.org('council', 'council_early_help'), sub: 'dpo-1' });
  });
  afterAll(async () => {
    await t?.close();
    await owner.db.execute(sql.raw(`drop owned by ${role}`));
    await owner.db.execute(sql.raw(`drop role ${role}`));
    await owner.destroy();
  });

  it('serves, audits, logs and checkpoints as the runtime role, which has no right to rewrite the audit', async () => {
    expect(await auditPrivilegeProblems(runtime.db)).toEqual([]);
    expect((await auditPrivilegeProblems(owner.db)).join('\n')).toMatch(/superuser/);
    for (let i = 0; i < 3; i++) expect((await t.post(school, LOOK, { id: pupil })).status).toBe(200);
    const checkpoint = await t.services.auditLog.checkpoint();
    expect(checkpoint?.treeSize).toBe(3);
    const verify = await t.post(
      dpo,
      'query { verifyAuditChain(from: "2020-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { ok reason } }',
      {},
      'audit',
    );
    expect(verify.data.verifyAuditChain).toEqual({ ok: true, reason: null });
  });

  it.each([
    ['update a row', sql`update access_audit set caller_role = 'admin'`],
    ['delete rows', sql`delete from access_audit`],
    ['truncate', sql`truncate access_audit`],
    ['disable the append-only trigger', sql`alter table access_audit disable trigger access_audit_no_update_delete`],
    ['drop the append-only trigger', sql`drop trigger access_audit_no_update_delete on access_audit`],
    ['drop the queueing trigger', sql`drop trigger access_audit_enqueue on access_audit`],
    [
      'replace the trigger function',
      sql`create or replace function access_audit_refuse_change() returns trigger language plpgsql as $$ begin return new; end $$`,
    ],
    ['drop the MAC constraint', sql`alter table access_audit drop constraint access_audit_mac_required`],
    ['drop the table', sql`drop table access_audit`],
    ['rewrite a log leaf', sql`update audit_log_leaves set leaf_hash = 'x'`],
    ['delete log leaves', sql`delete from audit_log_leaves`],
    ['truncate the log', sql`truncate audit_log_leaves`],
    ['delete a checkpoint copy', sql`delete from audit_log_checkpoints`],
    ['hide a refused row', sql`delete from audit_log_rejected`],
    ['rewrite the migrations record', sql`delete from drizzle.__drizzle_migrations`],
  ])('the runtime role cannot %s', async (_what, statement) => {
    expect(await refusal(statement)).toMatch(/^42501 |must be owner|permission denied/);
  });

  it('a row the runtime role forges by INSERT is kept out of the log and reported', async () => {
    const [model] = await runtime.db.select().from(accessAudit).limit(1);
    await runtime.db.insert(accessAudit).values({
      ...model!,
      seq: undefined,
      requestId: 'forged',
      mac: 'a'.repeat(64),
    } as typeof accessAudit.$inferInsert);
    await t.services.auditLog.checkpoint();
    const verify = await t.post(
      dpo,
      'query { verifyAuditChain(from: "2020-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { ok reason } }',
      {},
      'audit',
    );
    expect(verify.data.verifyAuditChain).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not written by the hub/),
    });
    const direct = postgres(owner.url!, { max: 1 });
    try {
      const [logged] =
        await direct`select count(*)::int as n from audit_log_leaves l join access_audit a on a.seq = l.audit_seq where a.request_id = 'forged'`;
      expect(logged!.n).toBe(0);
    } finally {
      await direct.end();
    }
  });
});
