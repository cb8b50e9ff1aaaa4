/**
 * Audit retention: records past their retention date are deleted by the sweep (after a dry
 * run that deletes nothing), except under a legal hold; deletion reaches every table naming the
 * child and rows that reference them, follows merges, and never deletes the access audit. The
 * sweep runs on a schedule and from `npm run audit:retention`; holds are listed for the DPO; the
 * subject access report still answers, from the audit, once a child's records are gone.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, children, consents, familyMembers, householdLinks, involvements } from '../schema';
import { DEFAULT_RETENTION, retainUntil } from '../src/audit/retention';
import { RetentionService } from '../src/audit/retention.service';
import { AuditSchedule } from '../src/audit/audit-schedule';
import { parseRetentionArgs, runRetention } from '../src/audit/retention-run';
import { memoryLogger } from './support/memory-logger';
import { rowsOf } from '../src/db';
import { fixture, type Fixture } from './support/fixtures';
import { fixedClock, startTestHub, type TestHub } from './support/hub';

const PLACE =
  'mutation ($id: ID!, $reason: String!) { placeLegalHold(childId: $id, reason: $reason) { id childId reason placedAt liftedAt } }';
const HOLDS =
  'query ($childId: ID, $includeLifted: Boolean, $first: Int, $after: String) { legalHolds(childId: $childId, includeLifted: $includeLifted, first: $first, after: $after) { count nodes { id childId reason liftedAt } pageInfo { hasNextPage endCursor } } }';
const SAR = 'query ($id: ID!) { subjectAccessReport(childId: $id) }';
const LIFT =
  'mutation ($id: ID!, $reason: String!) { liftLegalHold(id: $id, reason: $reason) { id liftedAt liftReason } }';

describe('retention and legal holds', () => {
  const clock = fixedClock('2026-06-01T12:00:00Z');
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let schoolToken: string;
  let dpoToken: string;
  const kids: Record<string, string> = {};
  let oldConsent: string;
  /** A parent of the old child only, and a parent shared with a child who is kept. */
  const adults: Record<'onlyOld' | 'shared', string> = { onlyOld: '', shared: '' };

  beforeAll(async () => {
    t = await startTestHub({ clock });
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    const council = await f.org('council', 'council_early_help');
    const social = await f.org('social-care', 'social_care');
    schoolToken = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-1' });
    dpoToken = await t.token({ role: 'dpo', org: council, sub: 'dpo-1' });
    const born = {
      old: '2000-01-01',
      duplicate: '2000-01-01',
      held: '2000-03-03',
      lifted: '2000-04-04',
      cin: '2000-05-05',
      young: '2015-05-05',
    };
    for (const [key, dateOfBirth] of Object.entries(born)) {
      const child = await f.child({ dateOfBirth, ...(key === 'duplicate' ? { nhsNumber: null, upn: null } : {}) });
      kids[key] = child.id;
      await f.involve(child.id, school, 'on_roll');
    }
    await f.involve(kids.cin!, social, 'allocated_social_worker');
    oldConsent = await f.consent(kids.old!, { organisationIds: [school], categories: ['family'] });
    // A later module's table that names no child itself but references a child-keyed row.
    await t.database.db.execute(
      sql`create table later_plan_items (id serial primary key, consent_id uuid not null references consents(id), note text not null)`,
    );
    await t.database.db.execute(
      sql`insert into later_plan_items (consent_id, note) values (${oldConsent}, 'synthetic')`,
    );
    for (const key of ['onlyOld', 'shared'] as const) {
      const [adult] = await t.database.db
        .insert(familyMembers)
        .values({ givenName: 'Synthetic', familyName: `Parent ${key}` })
        .returning({ id: familyMembers.id });
      adults[key] = adult!.id;
    }
    await t.database.db.insert(householdLinks).values([
      { childId: kids.old!, relation: 'parent', familyMemberId: adults.onlyOld, hasParentalResponsibility: true },
      { childId: kids.old!, relation: 'parent', familyMemberId: adults.shared, hasParentalResponsibility: true },
      { childId: kids.young!, relation: 'parent', familyMemberId: adults.shared, hasParentalResponsibility: true },
    ]);
    for (const key of ['old', 'duplicate', 'held', 'lifted']) {
      expect((await t.post(schoolToken, '{ child(id: "' + kids[key] + '") { id givenName } }')).status).toBe(200);
    }
    await t.services.children.merge(kids.duplicate!, kids.old!, 'Same child recorded twice (test)', 'test');
  });
  afterAll(() => t.close());

  it('computes retention dates by calendar from the birthday', () => {
    expect(retainUntil('2000-02-29', DEFAULT_RETENTION.early_help)).toBe('2025-02-28');
    expect(retainUntil('2001-07-15', DEFAULT_RETENTION.looked_after)).toBe('2076-07-15');
    expect(retainUntil('2001-07-15', DEFAULT_RETENTION.child_in_need)).toBe('2026-07-15');
    expect(retainUntil('2001-07-15', { birthday: 18, plusYears: 10, source: 'local' })).toBe('2029-07-15');
  });

  it('places and lifts legal holds (DPO only, reasons required, lifted once)', async () => {
    const held = await t.post(
      dpoToken,
      PLACE,
      { id: kids.held, reason: 'Public inquiry: preserve all records' },
      'audit',
    );
    expect(held.errors).toBeUndefined();
    expect(held.data.placeLegalHold).toMatchObject({ childId: kids.held, liftedAt: null });
    const temp = await t.post(dpoToken, PLACE, { id: kids.lifted, reason: 'Complaint under investigation' }, 'audit');
    const lifted = await t.post(
      dpoToken,
      LIFT,
      { id: temp.data.placeLegalHold.id, reason: 'Complaint closed' },
      'audit',
    );
    expect(lifted.data.liftLegalHold.liftedAt).toBeTruthy();
    const twice = await t.post(
      dpoToken,
      LIFT,
      { id: temp.data.placeLegalHold.id, reason: 'Complaint closed' },
      'audit',
    );
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const blank = await t.post(dpoToken, PLACE, { id: kids.young, reason: ' ' }, 'audit');
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const unknown = await t.post(
      dpoToken,
      PLACE,
      { id: '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11', reason: 'Inquiry hold' },
      'audit',
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const bySchool = await t.post(schoolToken, PLACE, { id: kids.young, reason: 'Inquiry hold' });
    expect(bySchool.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lists legal holds for the DPO, in force by default, in pages, per child', async () => {
    const inForce = await t.post(dpoToken, HOLDS, {}, 'audit');
    expect(inForce.errors).toBeUndefined();
    expect(inForce.data.legalHolds).toMatchObject({
      count: 1,
      nodes: [{ childId: kids.held, liftedAt: null }],
      pageInfo: { hasNextPage: false },
    });
    const first = await t.post(dpoToken, HOLDS, { includeLifted: true, first: 1 }, 'audit');
    expect(first.data.legalHolds).toMatchObject({ count: 1, pageInfo: { hasNextPage: true } });
    const second = await t.post(
      dpoToken,
      HOLDS,
      { includeLifted: true, first: 1, after: first.data.legalHolds.pageInfo.endCursor },
      'audit',
    );
    expect(second.data.legalHolds).toMatchObject({ count: 1, pageInfo: { hasNextPage: false } });
    const both = [...first.data.legalHolds.nodes, ...second.data.legalHolds.nodes];
    expect(both.map((h: { childId: string }) => h.childId).sort()).toEqual([kids.held, kids.lifted].sort());
    expect(both.find((h: { childId: string }) => h.childId === kids.lifted).liftedAt).toEqual(expect.any(String));
    const oneChild = await t.post(dpoToken, HOLDS, { childId: kids.lifted, includeLifted: true }, 'audit');
    expect(oneChild.data.legalHolds.nodes.map((h: { childId: string }) => h.childId)).toEqual([kids.lifted]);
    expect((await t.post(dpoToken, HOLDS, { childId: kids.young }, 'audit')).data.legalHolds.count).toBe(0);

    const badFirst = await t.post(dpoToken, HOLDS, { first: 0 }, 'audit');
    expect(badFirst.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await t.post(dpoToken, HOLDS, { after: 'nonsense' }, 'audit');
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const badChild = await t.post(dpoToken, HOLDS, { childId: 'not-an-id' }, 'audit');
    expect(badChild.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childId' });
    const bySchool = await t.post(schoolToken, HOLDS, {});
    expect(bySchool.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Reading the holds is itself audited, under the child each hold names.
    const rows = await t.database.db.select().from(accessAudit).where(eq(accessAudit.childId, kids.held!));
    expect(rows.some((r) => r.callerSubject === 'dpo-1' && r.fieldsReturned.includes('Query.legalHolds'))).toBe(true);
  });

  it('npm run audit:retention: a dry run prints progress and rows per table, names no child, deletes nothing', async () => {
    expect(parseRetentionArgs([])).toEqual({ error: expect.stringMatching(/--dry-run/) });
    expect(parseRetentionArgs(['--dry-run', '--delete'])).toEqual({ error: expect.stringMatching(/exactly one/) });
    expect(parseRetentionArgs(['--dry-run', '--bogus'])).toEqual({ error: expect.stringMatching(/bogus/) });
    const options = parseRetentionArgs(['--dry-run']);
    if ('error' in options) throw new Error(options.error);
    const progress: string[] = [];
    let result = '';
    const before = await t.database.db.select({ id: children.id }).from(children);
    await runRetention(t.services.retention, options, {
      progress: (l) => progress.push(l),
      result: (r) => {
        result = r;
      },
    });
    expect(progress[0]).toMatch(/Dry run/);
    expect(progress.at(-1)).toMatch(/examined \d+ children old enough to be due: 3 due, 1 held \(done\)/);
    expect(result).toMatch(/3 children's records would be deleted, 1 kept under a legal hold/);
    expect(result).toMatch(/^ {2}children +4$/m);
    expect(result).toMatch(/^ {2}consents +1$/m);
    expect(result).toMatch(/^ {2}family_members +1$/m);
    expect(result).not.toMatch(/access_audit/);
    for (const id of Object.values(kids)) expect(result + progress.join('')).not.toContain(id);
    expect(await t.database.db.select({ id: children.id }).from(children)).toHaveLength(before.length);

    const json = parseRetentionArgs(['--dry-run', '--json', '--list']);
    if ('error' in json) throw new Error(json.error);
    await runRetention(t.services.retention, json, {
      progress: () => {},
      result: (r) => {
        result = r;
      },
    });
    const parsed = JSON.parse(result);
    expect(parsed).toMatchObject({
      dryRun: true,
      due: { children: 3, byRecordType: { early_help: 3 } },
      held: { children: 1 },
    });
    expect(parsed.dueChildren.map((c: { childId: string }) => c.childId).sort()).toEqual(
      [kids.old, kids.lifted, kids.cin].sort(),
    );
  });

  it('reports in a dry run and deletes nothing', async () => {
    const before = await t.database.db.select({ id: children.id }).from(children);
    const report = await t.services.retention.sweep({ dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.due.map((d) => d.childId).sort()).toEqual([kids.old, kids.lifted, kids.cin].sort());
    expect(report.held.map((d) => d.childId)).toEqual([kids.held]);
    const old = report.due.find((d) => d.childId === kids.old)!;
    expect(old).toMatchObject({
      recordType: 'early_help',
      retainUntil: '2025-01-01',
      mergedChildIds: [kids.duplicate],
    });
    expect(old.rows).toMatchObject({
      children: 2,
      consents: 1,
      involvements: 2,
      household_links: 2,
      family_members: 1,
    });
    expect(old.rows.access_audit).toBeUndefined();
    expect(await t.database.db.select({ id: children.id }).from(children)).toHaveLength(before.length);
  });

  it('keeps child-in-need records longer where the local policy says so', async () => {
    // Born 2000-05-05: by default (18th birthday + 7 years) kept to 2025-05-05, so due now …
    const defaults = await t.services.retention.sweep({ dryRun: true });
    expect(defaults.due.find((d) => d.childId === kids.cin)).toMatchObject({ retainUntil: '2025-05-05' });
    // … but a partnership keeping child-in-need records to the 18th birthday + 10 years keeps them to 2028.
    const longer = new RetentionService({
      db: t.database.db,
      clock,
      audit: t.services.audit,
      policy: { child_in_need: { birthday: 18, plusYears: 10, source: 'test' } },
    });
    const report = await longer.sweep({ dryRun: true });
    expect(report.due.map((d) => d.childId)).not.toContain(kids.cin);
  });

  it('deletes case data past retention, except under a hold, and never the audit trail', async () => {
    const auditBefore = await t.database.db.select().from(accessAudit);
    const oldAuditRows = auditBefore.filter((r) => r.childId === kids.old || r.childId === kids.duplicate);
    expect(oldAuditRows.length).toBeGreaterThanOrEqual(2);

    // As the hub's and the worker's schedule runs it: one sweep, logged with counts and no child.
    const mem = memoryLogger();
    const schedule = new AuditSchedule({
      log: t.services.auditLog,
      retention: t.services.retention,
      logger: mem.logger,
      verifyIntervalMs: 0,
      retentionIntervalMs: 0,
    });
    const report = (await schedule.sweep())!;
    const logged = mem.lines.find((l) => l.includes('retention sweep done'))!;
    expect(JSON.parse(logged)).toMatchObject({ deleted: 3, held: 1, rows: { children: 4, consents: 1 } });
    for (const id of Object.values(kids)) expect(logged).not.toContain(id);
    const deleted = report.due.map((d) => d.childId);
    expect(deleted.sort()).toEqual([kids.old, kids.lifted, kids.cin].sort());
    const left = (await t.database.db.select({ id: children.id }).from(children)).map((r) => r.id);
    for (const gone of [kids.old, kids.duplicate, kids.lifted, kids.cin]) expect(left).not.toContain(gone);
    for (const kept of [kids.held, kids.young]) expect(left).toContain(kept);
    expect(
      await t.database.db
        .select()
        .from(involvements)
        .where(inArray(involvements.childId, [kids.old!, kids.duplicate!])),
    ).toEqual([]);
    expect(await t.database.db.select().from(consents).where(eq(consents.id, oldConsent))).toEqual([]);
    expect(rowsOf(await t.database.db.execute(sql`select * from later_plan_items`))).toEqual([]);
    expect(report.due.find((d) => d.childId === kids.old)!.rows).toMatchObject({
      children: 2,
      consents: 1,
      later_plan_items: 1,
      family_members: 1,
    });
    // The old child's parent goes with it; a parent of a child who is kept stays, linked to that child.
    const adultsLeft = (
      await t.database.db
        .select({ id: familyMembers.id })
        .from(familyMembers)
        .where(inArray(familyMembers.id, [adults.onlyOld, adults.shared]))
    ).map((r) => r.id);
    expect(adultsLeft).toEqual([adults.shared]);
    expect(
      await t.database.db
        .select({ childId: householdLinks.childId })
        .from(householdLinks)
        .where(eq(householdLinks.familyMemberId, adults.shared)),
    ).toEqual([{ childId: kids.young }]);

    // Every audit row is still there, unchanged; the deletion itself is recorded.
    const auditAfter = await t.database.db.select().from(accessAudit);
    for (const row of auditBefore) expect(auditAfter.find((r) => r.seq === row.seq)).toEqual(row);
    const retention = auditAfter.filter((r) => r.operation === 'retention');
    expect(retention.map((r) => r.childId).sort()).toEqual([kids.old, kids.duplicate, kids.lifted, kids.cin].sort());
    expect(retention.find((r) => r.childId === kids.old)!.changes).toEqual([
      {
        action: 'retentionSweep:early_help',
        fields: expect.arrayContaining(['children', 'consents', 'involvements', 'later_plan_items']),
      },
    ]);
    // The sweep's rows enter the audit log like any others, and the log still verifies.
    await t.services.auditLog.checkpoint();
    expect(
      await t.services.auditLog.verify(new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')),
    ).toMatchObject({ ok: true, reason: null });

    const again = await t.services.retention.sweep({ dryRun: false });
    expect(again.due).toEqual([]);
    expect(again.held.map((d) => d.childId)).toEqual([kids.held]);
  });

  it("answers a subject access request from the audit after the child's records were deleted", async () => {
    const res = await postOnNewConnection(t, dpoToken, SAR, { id: kids.old }, 'subject_access');
    expect(res.errors).toBeUndefined();
    const report = res.data!.subjectAccessReport;
    expect(report).toMatchObject({
      childId: kids.old,
      mergedChildIds: [kids.duplicate],
      records: {},
      recordsDeleted: { byRetentionSweep: true, tables: expect.arrayContaining(['children', 'consents']) },
    });
    const seen = report.accessHistory.map((r: { childId: string; operation: string }) => `${r.operation}:${r.childId}`);
    // The school's reads before the deletion, of both merged records, and the deletion itself.
    expect(seen).toEqual(
      expect.arrayContaining([
        `query:${kids.old}`,
        `query:${kids.duplicate}`,
        `retention:${kids.old}`,
        `retention:${kids.duplicate}`,
      ]),
    );
    // The download answers alike.
    const download = await fetch(`${t.url.replace(/\/graphql$/, '')}/dpo/subject-access/${kids.old}`, {
      headers: { authorization: `Bearer ${dpoToken}`, 'x-purpose-of-use': 'subject_access' },
    });
    expect(download.status).toBe(200);
    expect(((await download.json()) as { childId: string }).childId).toBe(kids.old);
    // An id the hub never held and the audit never named is still NOT_FOUND.
    const unknown = await t.post(dpoToken, SAR, { id: '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a12' }, 'subject_access');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

/**
 * After seconds of sweeping with no request, the client's idle keep-alive socket may be closed by
 * the hub just as it is reused (ECONNRESET): a fresh connection is not what is under test here.
 */
async function postOnNewConnection(
  hub: TestHub,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  purpose: string,
): Promise<{ data?: Record<string, any>; errors?: unknown[] }> {
  const { request } = await import('node:http');
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(
      hub.url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose-of-use': purpose },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
