/**
 * A merge (proposed by one EH DAS screener, approved by another): every link and history row
 * moves to the surviving record, the old id keeps resolving to it, the merge is kept in
 * child_merges, and the access audit is never rewritten (it records what was disclosed about
 * which id at the time). The review itself and undo: child-merge-review.e2e.spec.ts.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, childMergeProposals, childMerges, children, familyMembers, householdLinks } from '../schema';
import { rowsOf } from '../src/db';
import { recordCaseEvent } from '../src/events/case-events';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const PROPOSE =
  'mutation ($from: ID!, $into: ID!, $reason: String!) { proposeChildMerge(fromId: $from, intoId: $into, reason: $reason) { id } }';
const APPROVE = 'mutation ($id: ID!) { approveChildMerge(id: $id) { status intoChildId } }';
const CHILD = 'query ($id: ID) { child(id: $id) { id upn nhsNumber } }';
const REASON = 'Same child registered twice by two schools';
/** Tables that keep the id they were written with (see child-merge.repo APPEND_ONLY_TABLES). */
const KEEP_IDS = new Set(['access_audit', 'child_merges', 'child_merge_proposals', 'outbox']);

describe('merging two child records over HTTP', () => {
  let t: TestHub;
  let f: Fixture;
  let screener: string;
  let approver: string;
  let dsl: string;
  let school: string;

  /** Every (table, column) holding a child id, found from the catalogue as the merge does. */
  async function referencesTo(childId: string): Promise<Record<string, number>> {
    const columns = rowsOf<{ table_name: string; column_name: string }>(
      await t.database.db.execute(sql`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type = 'uuid'
        and (column_name = 'child_id' or column_name like '%\\_child\\_id' escape '\\') and table_name <> 'children'`),
    );
    const counts: Record<string, number> = {};
    for (const { table_name, column_name } of columns) {
      const [row] = rowsOf<{ n: number }>(
        await t.database.db.execute(
          sql`select count(*)::int as n from ${sql.identifier(table_name)} where ${sql.identifier(column_name)} = ${childId}`,
        ),
      );
      if (Number(row!.n) > 0) counts[`${table_name}.${column_name}`] = Number(row!.n);
    }
    return counts;
  }

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    const council = await f.org('council', 'council_early_help');
    school = await f.org('school', 'school');
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-1' });
    approver = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-2' });
    dsl = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-1' });
  });
  afterAll(() => t.close());

  describe('a duplicate with links, consents and history', () => {
    let from: { id: string; upn: string };
    let into: { id: string; nhsNumber: string };
    let sibling: { id: string };
    let auditBefore: (typeof accessAudit.$inferSelect)[];
    let referencesBefore: Record<string, number>;

    beforeAll(async () => {
      // The duplicate came from a school (UPN, no NHS number); the survivor from health (NHS number, no UPN).
      from = await f.child({ nhsNumber: null, givenName: 'Wren', familyName: 'Dunmere' });
      into = await f.child({ upn: null, givenName: 'Wren', familyName: 'Dunmere' });
      sibling = await f.child();
      await f.involve(from.id, school, 'on_roll');
      const [parent] = await t.database.db
        .insert(familyMembers)
        .values({ givenName: 'Parent', familyName: 'Dunmere' })
        .returning();
      await t.database.db.insert(householdLinks).values([
        { childId: from.id, relation: 'parent', familyMemberId: parent!.id, hasParentalResponsibility: true },
        { childId: from.id, relation: 'sibling', siblingChildId: sibling.id },
        { childId: sibling.id, relation: 'sibling', siblingChildId: from.id },
      ]);
      await f.consent(from.id, { organisationIds: [school], categories: ['education'] });
      await f.override(from.id, { categories: ['health'], expiresAt: new Date(Date.now() + 86_400_000) });
      await recordCaseEvent(t.database.db, {
        childId: from.id,
        kind: 'attendance_flagged',
        categories: ['education'],
        changedFields: ['attendance'],
        actor: { subject: 'fixture', organisationId: school },
        at: new Date(),
      });

      // A lookup before the merge puts an audit row against the old id.
      const read = await t.post(dsl, CHILD, { id: from.id });
      expect(read.data.child.id).toBe(from.id);
      auditBefore = await t.database.db.select().from(accessAudit).orderBy(accessAudit.seq);
      expect(auditBefore.some((r) => r.childId === from.id)).toBe(true);
      referencesBefore = await referencesTo(from.id);

      const proposed = await t.post(screener, PROPOSE, { from: from.id, into: into.id, reason: REASON });
      expect(proposed.errors).toBeUndefined();
      const res = await t.post(approver, APPROVE, { id: proposed.data.proposeChildMerge.id });
      expect(res.errors).toBeUndefined();
      expect(res.data.approveChildMerge).toEqual({ status: 'approved', intoChildId: into.id });
    });

    it('moves every link to the surviving record', async () => {
      expect(Object.keys(referencesBefore)).toEqual(
        expect.arrayContaining([
          'involvements.child_id',
          'household_links.child_id',
          'household_links.sibling_child_id',
          'consents.child_id',
          'safeguarding_overrides.child_id',
          'case_events.child_id',
        ]),
      );
      const left = await referencesTo(from.id);
      for (const key of Object.keys(left))
        expect(KEEP_IDS.has(key.split('.')[0]!), `${key} still points at the old id`).toBe(true);
      const moved = await referencesTo(into.id);
      for (const [key, n] of Object.entries(referencesBefore)) {
        if (!KEEP_IDS.has(key.split('.')[0]!)) expect(moved[key], key).toBeGreaterThanOrEqual(n);
      }
      const siblingLinks = await t.database.db
        .select()
        .from(householdLinks)
        .where(eq(householdLinks.childId, sibling.id));
      expect(siblingLinks.map((l) => l.siblingChildId)).toEqual([into.id]);
    });

    it('redirects the old id: child(id: old) gives the survivor to a related caller, with the identifiers of both', async () => {
      const res = await t.post(dsl, CHILD, { id: from.id });
      expect(res.errors).toBeUndefined();
      expect(res.data.child).toEqual({ id: into.id, upn: from.upn, nhsNumber: into.nhsNumber });
      const byUpn = await t.post(dsl, 'query ($upn: String) { child(upn: $upn) { id } }', { upn: from.upn });
      expect(byUpn.data.child.id).toBe(into.id);
    });

    it('keeps the merge in child_merges and the old record marked', async () => {
      const merges = await t.database.db.select().from(childMerges).where(eq(childMerges.fromChildId, from.id));
      expect(merges).toHaveLength(1);
      expect(merges[0]).toMatchObject({ intoChildId: into.id, mergedBy: 'screener-2', reason: REASON });
      const [old] = await t.database.db.select().from(children).where(eq(children.id, from.id));
      expect(old!.mergedInto).toBe(into.id);
    });

    it('does not rewrite the access audit', async () => {
      const after = await t.database.db.select().from(accessAudit).orderBy(accessAudit.seq);
      expect(after.slice(0, auditBefore.length)).toEqual(auditBefore);
      expect(after.filter((r) => r.childId === from.id).length).toBeGreaterThanOrEqual(
        auditBefore.filter((r) => r.childId === from.id).length,
      );
    });

    it('refuses to merge the old record again with CONFLICT', async () => {
      const other = await f.child({ nhsNumber: null, upn: null });
      const again = await t.post(screener, PROPOSE, { from: from.id, into: other.id, reason: REASON });
      expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'fromId' });
      const intoMerged = await t.post(screener, PROPOSE, { from: other.id, into: from.id, reason: REASON });
      expect(intoMerged.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'intoId' });
    });
  });

  describe('refusals change nothing', () => {
    it.each<[string, () => Promise<Record<string, string>>, string, string]>([
      [
        'the same id twice',
        async () => {
          const c = await f.child();
          return { from: c.id, into: c.id };
        },
        'BAD_USER_INPUT',
        'intoId',
      ],
      [
        'the same id in upper case',
        async () => {
          const c = await f.child();
          return { from: c.id.toUpperCase(), into: c.id };
        },
        'BAD_USER_INPUT',
        'intoId',
      ],
      [
        'two different NHS numbers',
        async () => ({ from: (await f.child()).id, into: (await f.child()).id }),
        'BAD_USER_INPUT',
        'fromId',
      ],
      [
        'a fromId that is not a UUID',
        async () => ({ from: 'child-1', into: (await f.child()).id }),
        'BAD_USER_INPUT',
        'fromId',
      ],
      [
        'an intoId that is not a UUID',
        async () => ({ from: (await f.child()).id, into: '42' }),
        'BAD_USER_INPUT',
        'intoId',
      ],
      [
        'an unknown intoId',
        async () => ({ from: (await f.child()).id, into: '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11' }),
        'BAD_USER_INPUT',
        'intoId',
      ],
    ])('refuses %s', async (_name, ids, code, field) => {
      const vars = await ids();
      const mergesBefore = await t.database.db.$count(childMerges);
      const proposalsBefore = await t.database.db.$count(childMergeProposals);
      const res = await t.post(screener, PROPOSE, { ...vars, reason: REASON });
      expect(res.errors![0]!.extensions).toMatchObject({ code, field });
      expect(await t.database.db.$count(childMerges)).toBe(mergesBefore);
      expect(await t.database.db.$count(childMergeProposals)).toBe(proposalsBefore);
      expect(await t.database.db.$count(children, sql`merged_into is not null`)).toBe(
        await t.database.db.$count(childMerges),
      );
    });

    it('refuses a reason too short to explain anything', async () => {
      const res = await t.post(screener, PROPOSE, {
        from: (await f.child({ nhsNumber: null })).id,
        into: (await f.child()).id,
        reason: 'dup',
      });
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    });

    it('refuses a school DSL with FORBIDDEN', async () => {
      const res = await t.post(dsl, PROPOSE, {
        from: (await f.child({ nhsNumber: null })).id,
        into: (await f.child()).id,
        reason: REASON,
      });
      expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    });
  });
});
