/**
 * Issue 4, the audit's guarantees over real HTTP: audit before disclose (a failed audit write
 * means a 503 and no child data), one INSERT per request however many children it touches, a
 * chain that survives concurrent writers, an append-only table, and tamper evidence — an edit
 * made behind the hub's back is reported at the row where the chain breaks.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit } from '../schema';
import type { Caller } from '../src/auth/caller';
import { verifyChain } from '../src/audit/audit-chain';
import { auditRowHash, type HashableAuditRow } from '../src/audit/audit-hash';
import { appendAuditRows, appendAuditRowsInTransaction } from '../src/audit/audit.repo';
import { AuditService } from '../src/audit/audit.service';
import { AuditCollector } from '../src/audit/audit-collector';
import { openDatabase, rowsOf } from '../src/db';
import { fixture, type Fixture } from './support/fixtures';
import { memoryLogger } from './support/memory-logger';
import { fixedClock, startTestHub, type TestHub } from './support/hub';

const LOOK = 'query ($id: ID) { child(id: $id) { id givenName nhsNumber postcode } }';
const VERIFY = 'query ($from: DateTime!, $to: DateTime!) { verifyAuditChain(from: $from, to: $to) { ok checked firstBrokenSeq reason } }';

describe('audit chain guarantees', () => {
  const clock = fixedClock('2026-03-02T09:00:00Z');
  let t: TestHub;
  let f: Fixture;
  let schools: string[];
  let pupils: { id: string; nhsNumber: string; upn: string }[][];
  let tokens: string[];
  let dpoToken: string;

  const exec = (query: ReturnType<typeof sql>) => t.database.db.execute(query);
  const rowsIn = async (from: string, to: string) => t.database.db.select().from(accessAudit)
    .where(sql`${accessAudit.occurredAt} >= ${from}::timestamptz and ${accessAudit.occurredAt} < ${to}::timestamptz`).orderBy(asc(accessAudit.seq));
  /** drizzle wraps the driver's error: the database's own message is the cause. */
  const refusedByTrigger = async (query: ReturnType<typeof sql>) => {
    const error = await exec(query).then(() => null, (e: Error & { cause?: Error }) => e);
    expect(error).not.toBeNull();
    expect(`${error!.message} ${error!.cause?.message ?? ''}`).toMatch(/access_audit is append-only/);
  };
  const verify = async (from: string, to: string) => {
    const res = await t.post(dpoToken, VERIFY, { from, to }, 'audit');
    expect(res.errors).toBeUndefined();
    return res.data.verifyAuditChain as { ok: boolean; checked: number; firstBrokenSeq: string | null; reason: string | null };
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
    dpoToken = await t.token({ role: 'dpo', org: schools[0]!, sub: 'dpo-1' });
  });
  afterAll(() => t.close());

  it('withholds the response (503, no child data) when the audit cannot be written', async () => {
    clock.set('2026-03-02T09:00:00Z');
    const pupil = pupils[0]![0]!;
    await exec(sql`create function refuse_audit_insert() returns trigger language plpgsql as $$
      begin raise exception 'audit store unavailable (test)'; end $$`);
    await exec(sql`create trigger refuse_audit_insert before insert on access_audit for each statement execute function refuse_audit_insert()`);
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
      const download = await fetch(`${base}/dpo/subject-access/${pupil.id}`, { headers: { authorization: `Bearer ${dpoToken}` } });
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

  it('writes a request\'s audit as one INSERT, one row per child touched', async () => {
    clock.set('2026-03-02T09:10:00Z');
    await exec(sql`create table audit_insert_count (statements int not null, row_count int not null)`);
    await exec(sql`insert into audit_insert_count values (0, 0)`);
    await exec(sql`create function count_audit_statement() returns trigger language plpgsql as $$
      begin update audit_insert_count set statements = statements + 1; return null; end $$`);
    await exec(sql`create function count_audit_row() returns trigger language plpgsql as $$
      begin update audit_insert_count set row_count = row_count + 1; return null; end $$`);
    await exec(sql`create trigger count_audit_statement after insert on access_audit for each statement execute function count_audit_statement()`);
    await exec(sql`create trigger count_audit_row after insert on access_audit for each row execute function count_audit_row()`);
    try {
      const res = await t.post(tokens[1]!, '{ children(first: 50) { nodes { id givenName nhsNumber } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data.children.nodes).toHaveLength(3);
      const [counts] = rowsOf<{ statements: number; row_count: number }>(await exec(sql`select statements, row_count from audit_insert_count`));
      expect(counts).toEqual({ statements: 1, row_count: 3 });
      const rows = await t.database.db.select().from(accessAudit).where(eq(accessAudit.requestId, res.extensions!.requestId as string));
      expect(rows.map((r) => r.childId).sort()).toEqual(pupils[1]!.map((p) => p.id).sort());
    } finally {
      await exec(sql`drop trigger count_audit_statement on access_audit`);
      await exec(sql`drop trigger count_audit_row on access_audit`);
    }
  });

  it('keeps one verifiable chain under 40 parallel requests from four callers', async () => {
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
    const report = await verify('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z');
    expect(report).toEqual({ ok: true, checked: rows.length, firstBrokenSeq: null, reason: null });
    // The walk reads in pages: a small page size gives the same answer.
    expect(await verifyChain(t.database.db, new Date('2026-03-02T00:00:00Z'), new Date('2026-03-03T00:00:00Z'), { pageSize: 7 }))
      .toMatchObject({ ok: true, firstBrokenSeq: null });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit table', async () => {
    const [row] = await rowsIn('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z');
    await refusedByTrigger(sql`update access_audit set caller_role = 'admin' where seq = ${row!.seq}`);
    await refusedByTrigger(sql`delete from access_audit where seq = ${row!.seq}`);
    await refusedByTrigger(sql`truncate access_audit`);
    const [same] = await t.database.db.select().from(accessAudit).where(eq(accessAudit.seq, row!.seq));
    expect(same!.callerRole).toBe('school_dsl');
  });

  it('reports an edit made behind the hub\'s back at the edited row', async () => {
    clock.set('2026-03-02T12:00:00Z');
    for (let i = 0; i < 5; i++) expect((await t.post(tokens[2]!, LOOK, { id: pupils[2]![0]!.id })).status).toBe(200);
    const rows = await rowsIn('2026-03-02T12:00:00Z', '2026-03-02T13:00:00Z');
    expect(rows).toHaveLength(5);
    const victim = rows[2]!;
    // As a superuser, past the append-only trigger: hide that the child's number was read.
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table access_audit disable trigger access_audit_no_update_delete`);
      await tx.execute(sql`update access_audit set fields_returned = array['Child.givenName'] where seq = ${victim.seq}`);
      await tx.execute(sql`alter table access_audit enable trigger access_audit_no_update_delete`);
    });
    const report = await verify('2026-03-02T12:00:00Z', '2026-03-02T13:00:00Z');
    expect(report).toMatchObject({ ok: false, firstBrokenSeq: String(victim.seq), checked: 3 });
    expect(report.reason).toMatch(/altered/);
    // Earlier windows are untouched and still verify.
    expect((await verify('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z')).ok).toBe(true);
    // The trigger is back on.
    await refusedByTrigger(sql`delete from access_audit where seq = ${victim.seq}`);
  });

  it('reports a re-hashed edit at the next row, whose link no longer holds', async () => {
    clock.set('2026-03-02T14:00:00Z');
    for (let i = 0; i < 4; i++) expect((await t.post(tokens[3]!, LOOK, { id: pupils[3]![1]!.id })).status).toBe(200);
    const rows = await rowsIn('2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z');
    const victim = rows[1]!;
    const forged = { ...victim, callerSubject: 'someone-else' };
    const forgedHash = auditRowHash(victim.prevHash, forged);
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table access_audit disable trigger access_audit_no_update_delete`);
      await tx.execute(sql`update access_audit set caller_subject = 'someone-else', hash = ${forgedHash} where seq = ${victim.seq}`);
      await tx.execute(sql`alter table access_audit enable trigger access_audit_no_update_delete`);
    });
    const report = await verify('2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z');
    expect(report).toMatchObject({ ok: false, firstBrokenSeq: String(rows[2]!.seq) });
    expect(report.reason).toMatch(/prev_hash/);
  });

  it('validates the window and is for the DPO only', async () => {
    const backwards = await t.post(dpoToken, VERIFY, { from: '2026-03-02T12:00:00Z', to: '2026-03-02T11:00:00Z' }, 'audit');
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const school = await t.post(tokens[0]!, VERIFY, { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' }, 'audit');
    expect(school.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await verify('2027-01-01T00:00:00Z', '2027-01-02T00:00:00Z')).toEqual({ ok: true, checked: 0, firstBrokenSeq: null, reason: null });
  });
});

describe('appenders that share the chain but not a process', () => {
  let t: TestHub;
  beforeAll(async () => { t = await startTestHub({ clock: fixedClock('2026-04-01T09:00:00Z') }); });
  afterAll(() => t.close());

  const row = (n: number, minute: number): HashableAuditRow => ({
    requestId: `req-${n}`, occurredAt: new Date(Date.UTC(2026, 3, 1, 9, minute)), callerSubject: `worker-${n % 3}`,
    callerOrganisationId: '00000000-0000-4000-8000-000000000001', callerRole: 'school_staff', clientId: null, purpose: 'direct_support',
    operation: 'query', operationName: 'Test', childId: '00000000-0000-4000-8000-00000000000a', categoriesReturned: ['identity'],
    fieldsReturned: ['Child.givenName'], fieldsRedacted: [], basis: { identity: 'isa:test' }, changes: [], flags: [],
  });
  const window = [new Date('2026-04-01T09:00:00Z'), new Date('2026-04-01T10:00:00Z')] as const;

  it('links again when another writer moved the head since this one last appended', async () => {
    const { db } = t.database;
    await appendAuditRows(db, [row(1, 0)]);
    // A transaction's rows (the retention sweep) move the head behind the batcher's back …
    await db.transaction((tx) => appendAuditRowsInTransaction(tx, [row(2, 1), row(3, 1)]));
    // … so this append's first link is refused by the unique prev_hash, and it links again.
    await appendAuditRows(db, [row(4, 2)]);
    // Writers racing: plain appends and transactional ones at once.
    await Promise.all(Array.from({ length: 12 }, (_, i) => i % 3 === 0
      ? db.transaction((tx) => appendAuditRowsInTransaction(tx, [row(10 + i, 3)]))
      : appendAuditRows(db, [row(10 + i, 3), row(30 + i, 3)])));
    const rows = await db.select().from(accessAudit).where(sql`${accessAudit.occurredAt} >= ${window[0].toISOString()}::timestamptz`).orderBy(asc(accessAudit.seq));
    expect(rows).toHaveLength(4 + 4 + 8 * 2);
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(rows.length);
    expect(await verifyChain(db, ...window)).toEqual({ ok: true, checked: rows.length, firstBrokenSeq: null, reason: null });
  });

  it('refuses a second successor of a row: the chain cannot fork', async () => {
    const { db } = t.database;
    const [last] = await db.select().from(accessAudit).orderBy(sql`${accessAudit.seq} desc`).limit(1);
    const content = row(99, 5);
    await db.insert(accessAudit).values({ ...content, prevHash: last!.hash, hash: auditRowHash(last!.hash, content) });
    const fork = { ...content, requestId: 'req-fork' };
    const error = await db.insert(accessAudit).values({ ...fork, prevHash: last!.hash, hash: auditRowHash(last!.hash, fork) }).then(() => null, (e: Error & { cause?: Error }) => e);
    expect(`${error?.message} ${error?.cause?.message ?? ''}`).toMatch(/access_audit_prev_hash_uq/);
  });

  it('lands every append when many race without group commit: the losers queue on the chain lock', async () => {
    const clock = fixedClock('2026-04-01T09:40:00Z');
    const serial = new AuditService({ db: t.database.db, clock, groupCommit: false });
    const caller: Caller = { subject: 'racer', organisationId: '00000000-0000-4000-8000-000000000001', role: 'school_staff', clientId: null, issuer: 'urn:test' };
    await Promise.all(Array.from({ length: 200 }, (_, i) => {
      const audit = new AuditCollector();
      audit.refused(`00000000-0000-4000-8000-${String(1000 + i).padStart(12, '0')}`);
      return serial.record({ requestId: `race-${i}`, caller, purpose: 'direct_support', operation: 'query', operationName: 'Race', audit });
    }));
    expect(await t.database.db.select().from(accessAudit).where(eq(accessAudit.callerSubject, 'racer'))).toHaveLength(200);
    expect(await verifyChain(t.database.db, ...window)).toMatchObject({ ok: true, firstBrokenSeq: null });
  });

  it('lands every append under sustained racing: an appender queued on the chain lock is not starved by new ones', async () => {
    const clock = fixedClock('2026-04-01T09:45:00Z');
    const serial = new AuditService({ db: t.database.db, clock, groupCommit: false });
    const caller: Caller = { subject: 'sustained', organisationId: '00000000-0000-4000-8000-000000000001', role: 'school_staff', clientId: null, issuer: 'urn:test' };
    // Ten writers back to back, as ten connections of one instance without group commit (or ten
    // instances): new first-try appends keep arriving while the losers take turns on the lock.
    const writers = 10;
    const each = 60;
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < each; i++) {
        const audit = new AuditCollector();
        audit.refused(`00000000-0000-4000-8000-${String(5000 + w).padStart(12, '0')}`);
        await serial.record({ requestId: `sustained-${w}-${i}`, caller, purpose: 'direct_support', operation: 'query', operationName: 'Sustained', audit });
      }
    }));
    expect(await t.database.db.$count(accessAudit, eq(accessAudit.callerSubject, 'sustained'))).toBe(writers * each);
    expect(await verifyChain(t.database.db, ...window)).toMatchObject({ ok: true, firstBrokenSeq: null });
  });

  it('keeps one chain when two hub instances append at once (PostgreSQL)', async (context) => {
    if (!t.database.url) return context.skip();
    const second = await openDatabase({ url: t.database.url, maxConnections: 4 });
    try {
      const clock = fixedClock('2026-04-01T09:30:00Z');
      const services = [new AuditService({ db: t.database.db, clock }), new AuditService({ db: second.db, clock })];
      const caller: Caller = { subject: 'instance-test', organisationId: '00000000-0000-4000-8000-000000000001', role: 'school_staff', clientId: null, issuer: 'urn:test' };
      await Promise.all(Array.from({ length: 40 }, (_, i) => {
        const audit = new AuditCollector();
        audit.refused(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
        return services[i % 2]!.record({ requestId: `instance-${i}`, caller, purpose: 'direct_support', operation: 'query', operationName: 'Twin', audit });
      }));
      const rows = await t.database.db.select().from(accessAudit).where(eq(accessAudit.callerSubject, 'instance-test'));
      expect(rows).toHaveLength(40);
      expect(await verifyChain(t.database.db, ...window)).toMatchObject({ ok: true, firstBrokenSeq: null });
    } finally {
      await second.close();
    }
  });
});
