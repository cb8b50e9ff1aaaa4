/**
 * The audit's guarantees over real HTTP: audit before disclose (a failed audit write means a 503
 * and no child data), one INSERT per request however many children it touches, an append-only
 * table, and a Merkle log that takes every row written concurrently, with no lock between
 * writers. Tampering against a published checkpoint: test/audit-tamper.e2e.spec.ts.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit } from '../schema';
import type { Caller } from '../src/auth/caller';
import { AuditLog } from '../src/audit/audit-log.service';
import { AuditService } from '../src/audit/audit.service';
import { AuditCollector } from '../src/audit/audit-collector';
import { ephemeralAuditKeys } from '../src/audit/audit-keys';
import { memoryCheckpointStore } from '../src/audit/checkpoint-store';
import { openDatabase, rowsOf } from '../src/db';
import { silentLogger } from '../src/shared/logger';
import { fixture, type Fixture } from './support/fixtures';
import { memoryLogger } from './support/memory-logger';
import { fixedClock, startTestHub, type TestHub } from './support/hub';

const LOOK = 'query ($id: ID) { child(id: $id) { id givenName nhsNumber postcode } }';
const VERIFY =
  'query ($from: DateTime!, $to: DateTime!) { verifyAuditChain(from: $from, to: $to) { ok checked firstBrokenSeq reason } }';

describe('audit guarantees', () => {
  const clock = fixedClock('2026-03-02T09:00:00Z');
  let t: TestHub;
  let f: Fixture;
  let schools: string[];
  let pupils: { id: string; nhsNumber: string; upn: string }[][];
  let tokens: string[];
  let dpoToken: string;

  const exec = (query: ReturnType<typeof sql>) => t.database.db.execute(query);
  const rowsIn = async (from: string, to: string) =>
    t.database.db
      .select()
      .from(accessAudit)
      .where(sql`${accessAudit.occurredAt} >= ${from}::timestamptz and ${accessAudit.occurredAt} < ${to}::timestamptz`)
      .orderBy(asc(accessAudit.seq));
  /** drizzle wraps the driver's error: the database's own message is the cause. */
  const refusedByTrigger = async (query: ReturnType<typeof sql>) => {
    const error = await exec(query).then(
      () => null,
      (e: Error & { cause?: Error }) => e,
    );
    expect(error).not.toBeNull();
    expect(`${error!.message} ${error!.cause?.message ?? ''}`).toMatch(/access_audit is append-only/);
  };
  const verify = async (from: string, to: string) => {
    const res = await t.post(dpoToken, VERIFY, { from, to }, 'audit');
    expect(res.errors).toBeUndefined();
    return res.data.verifyAuditChain as {
      ok: boolean;
      checked: number;
      firstBrokenSeq: string | null;
      reason: string | null;
    };
  };

  const log = memoryLogger();

  beforeAll(async () => {
    t = await startTestHub({ clock, logger: log.logger });
    f = fixture(t.database.db);
    schools = [];
    pupils = [];
    tokens = [];
    for (let s = 0; s < 4; s++) {
      const school = await f.org(`school-${s}`, 'school');
      schools.push(school);
      const roll = [];
      for (let p = 0; p < 3; p++) {
        const child = await f.child();
        await f.involve(child.id, school, 'on_roll');
        roll.push(child);
      }
      pupils.push(roll);
      tokens.push(await t.token({ role: 'school_dsl', org: school, sub: `dsl-${s}` }));
    }
    dpoToken = await t.token({ role: 'dpo', org: await f.org('council', 'council_early_help'), sub: 'dpo-1' });
  });
  afterAll(() => t.close());

  it('withholds the response (503, no child data) when the audit cannot be written', async () => {
    clock.set('2026-03-02T09:00:00Z');
    const pupil = pupils[0]![0]!;
    await exec(sql`create function refuse_audit_insert() returns trigger language plpgsql as $$
      begin raise exception 'audit store unavailable (test)'; end $$`);
    await exec(
      sql`create trigger refuse_audit_insert before insert on access_audit for each statement execute function refuse_audit_insert()`,
    );
    try {
      const res = await t.post(tokens[0]!, LOOK, { id: pupil.id });
      expect(res.status).toBe(503);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
      const raw = JSON.stringify(res);
      expect(raw).not.toContain(pupil.nhsNumber);
      expect(raw).not.toContain(pupil.id);
      expect(raw).not.toContain('LE1 1AA');

      const base = t.url.replace(/\/graphql$/, '');
      const download = await fetch(`${base}/dpo/subject-access/${pupil.id}`, {
        headers: { authorization: `Bearer ${dpoToken}` },
      });
      expect(download.status).toBe(503);
      expect(download.headers.get('content-disposition')).toBeNull();
      expect(await download.text()).not.toContain(pupil.nhsNumber);
      // The failure is logged with the database's reason and none of the audit rows' values
      // (drizzle's message carries the whole statement and its parameters).
      const logged = log.lines.map((l) => JSON.parse(l)).filter((l) => /audit write failed/.test(l.msg));
      expect(logged).toHaveLength(2);
      for (const line of logged) {
        expect(line.err).toMatchObject({ code: 'P0001', wrapped: expect.any(String) });
        expect(line.err.message).toMatch(/audit store unavailable/);
        expect(JSON.stringify(line)).not.toMatch(/access_audit|prev_hash|params: \[\{/);
        expect(JSON.stringify(line)).not.toContain(pupil.id);
      }
    } finally {
      await exec(sql`drop trigger refuse_audit_insert on access_audit`);
      await exec(sql`drop function refuse_audit_insert()`);
    }
    expect(await rowsIn('2026-03-02T09:00:00Z', '2026-03-02T09:01:00Z')).toEqual([]);
    const again = await t.post(tokens[0]!, LOOK, { id: pupil.id });
    expect(again.status).toBe(200);
    expect(again.data.child.nhsNumber).toBe(pupil.nhsNumber);
  });

  it("writes a request's audit as one INSERT, one row per child touched", async () => {
    clock.set('2026-03-02T09:10:00Z');
    await exec(sql`create table audit_insert_count (statements int not null, row_count int not null)`);
    await exec(sql`insert into audit_insert_count values (0, 0)`);
    await exec(sql`create function count_audit_statement() returns trigger language plpgsql as $$
      begin update audit_insert_count set statements = statements + 1; return null; end $$`);
    await exec(sql`create function count_audit_row() returns trigger language plpgsql as $$
      begin update audit_insert_count set row_count = row_count + 1; return null; end $$`);
    await exec(
      sql`create trigger count_audit_statement after insert on access_audit for each statement execute function count_audit_statement()`,
    );
    await exec(
      sql`create trigger count_audit_row after insert on access_audit for each row execute function count_audit_row()`,
    );
    try {
      const res = await t.post(tokens[1]!, '{ children(first: 50) { nodes { id givenName nhsNumber } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data.children.nodes).toHaveLength(3);
      const [counts] = rowsOf<{ statements: number; row_count: number }>(
        await exec(sql`select statements, row_count from audit_insert_count`),
      );
      expect(counts).toEqual({ statements: 1, row_count: 3 });
      const rows = await t.database.db
        .select()
        .from(accessAudit)
        .where(eq(accessAudit.requestId, res.extensions!.requestId as string));
      expect(rows.map((r) => r.childId).sort()).toEqual(pupils[1]!.map((p) => p.id).sort());
    } finally {
      await exec(sql`drop trigger count_audit_statement on access_audit`);
      await exec(sql`drop trigger count_audit_row on access_audit`);
    }
  });

  it('logs every row of 40 parallel requests from four callers, and they verify', async () => {
    clock.set('2026-03-02T10:00:00Z');
    const requests = Array.from({ length: 40 }, (_, i) => {
      const s = i % 4;
      return i % 5 === 0
        ? t.post(tokens[s]!, '{ children(first: 50) { nodes { id givenName } } }')
        : t.post(tokens[s]!, LOOK, { id: pupils[s]![i % 3]!.id });
    });
    const responses = await Promise.all(requests);
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
    }
    const rows = await rowsIn('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z');
    expect(rows).toHaveLength(32 + 8 * 3);
    expect(new Set(rows.map((r) => r.requestId)).size).toBe(40);
    // Before the checkpointer runs the rows are queued, and already verify as such.
    expect(await verify('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z')).toEqual({
      ok: true,
      checked: rows.length,
      firstBrokenSeq: null,
      reason: null,
    });
    const checkpoint = await t.services.auditLog.checkpoint();
    expect(checkpoint!.treeSize).toBeGreaterThanOrEqual(rows.length);
    expect(await verify('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z')).toEqual({
      ok: true,
      checked: rows.length,
      firstBrokenSeq: null,
      reason: null,
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit table and on the log', async () => {
    const [row] = await rowsIn('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z');
    await refusedByTrigger(sql`update access_audit set caller_role = 'admin' where seq = ${row!.seq}`);
    await refusedByTrigger(sql`delete from access_audit where seq = ${row!.seq}`);
    await refusedByTrigger(sql`truncate access_audit`);
    const [same] = await t.database.db.select().from(accessAudit).where(eq(accessAudit.seq, row!.seq));
    expect(same!.callerRole).toBe('school_dsl');
    for (const statement of [
      sql`delete from audit_log_leaves`,
      sql`update audit_log_leaves set leaf_hash = 'x'`,
      sql`truncate audit_log_leaves`,
      sql`delete from audit_log_checkpoints`,
      sql`truncate audit_log_checkpoints`,
    ]) {
      const error = await exec(statement).then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      expect(`${error?.message} ${error?.cause?.message ?? ''}`).toMatch(/is append-only/);
    }
  });

  it('validates the window and is for the DPO only', async () => {
    const backwards = await t.post(
      dpoToken,
      VERIFY,
      { from: '2026-03-02T12:00:00Z', to: '2026-03-02T11:00:00Z' },
      'audit',
    );
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const school = await t.post(
      tokens[0]!,
      VERIFY,
      { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' },
      'audit',
    );
    expect(school.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await verify('2027-01-01T00:00:00Z', '2027-01-02T00:00:00Z')).toEqual({
      ok: true,
      checked: 0,
      firstBrokenSeq: null,
      reason: null,
    });
  });
});

describe('appenders that share the log but not a process', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ clock: fixedClock('2026-04-01T09:00:00Z') });
  });
  afterAll(() => t.close());
  // One hub's keys for every writer and log here: a log refuses to sign entries whose rows carry
  // another key's MAC, as it must, so writers with keys of their own would break each other's log.
  const keys = ephemeralAuditKeys();
  const window = [new Date('2026-04-01T09:00:00Z'), new Date('2026-04-01T10:00:00Z')] as const;
  const caller = (subject: string): Caller => ({
    subject,
    organisationId: '00000000-0000-4000-8000-000000000001',
    role: 'school_staff',
    clientId: null,
    issuer: 'urn:test',
  });
  const refusal = (n: number) => {
    const audit = new AuditCollector();
    audit.refused(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
    return audit;
  };

  it('lands every append when many race without group commit, and each is in the log once', async () => {
    const clock = fixedClock('2026-04-01T09:40:00Z');
    const serial = new AuditService({ db: t.database.db, clock, keys, groupCommit: false });
    // Ten writers back to back, and transactions appending at the same time (a mutation's rows).
    await Promise.all(
      Array.from({ length: 10 }, async (_, w) => {
        for (let i = 0; i < 20; i++) {
          const request = {
            requestId: `race-${w}-${i}`,
            caller: caller('racer'),
            purpose: 'direct_support',
            operation: 'query',
            operationName: 'Race',
            audit: refusal(1000 + w),
          };
          if (i % 4 === 0) await t.database.db.transaction((tx) => serial.record(request, tx));
          else await serial.record(request);
        }
      }),
    );
    expect(await t.database.db.$count(accessAudit, eq(accessAudit.callerSubject, 'racer'))).toBe(200);
    const log = new AuditLog({ db: t.database.db, clock, logger: silentLogger, keys, store: memoryCheckpointStore() });
    await log.open();
    const checkpoint = await log.checkpoint();
    expect(checkpoint!.treeSize).toBe(await t.database.db.$count(accessAudit));
    expect(
      rowsOf<{ n: number }>(
        await t.database.db.execute(sql`select count(distinct audit_seq)::int as n from audit_log_leaves`),
      )[0]!.n,
    ).toBe(checkpoint!.treeSize);
    expect(await log.verify(...window)).toMatchObject({ ok: true, checked: 200, firstBrokenSeq: null });
  });

  it('two hub instances append and checkpoint at once into one log (PostgreSQL)', async (context) => {
    if (!t.database.url) return context.skip();
    const second = await openDatabase({ url: t.database.url, maxConnections: 4 });
    try {
      const clock = fixedClock('2026-04-01T09:30:00Z');
      const store = memoryCheckpointStore();
      const writers = [
        new AuditService({ db: t.database.db, clock, keys }),
        new AuditService({ db: second.db, clock, keys }),
      ];
      const logs = [
        new AuditLog({ db: t.database.db, clock, logger: silentLogger, keys, store }),
        new AuditLog({ db: second.db, clock, logger: silentLogger, keys, store }),
      ];
      for (const log of logs) await log.open();
      await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          await writers[i % 2]!.record({
            requestId: `instance-${i}`,
            caller: caller('instance-test'),
            purpose: 'direct_support',
            operation: 'query',
            operationName: 'Twin',
            audit: refusal(i),
          });
          await logs[i % 2]!.checkpoint();
        }),
      );
      for (const log of logs) await log.checkpoint();
      const total = await t.database.db.$count(accessAudit);
      expect(
        rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_log_leaves`))[0]!.n,
      ).toBe(total);
      expect(await logs[0]!.verify(...window)).toMatchObject({ ok: true, firstBrokenSeq: null });
      expect(await logs[1]!.verify(...window)).toMatchObject({ ok: true, firstBrokenSeq: null });
    } finally {
      await second.close();
    }
  });
});
