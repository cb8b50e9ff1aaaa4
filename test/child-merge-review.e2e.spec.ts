/**
 * Merges reviewed by two people, over HTTP: a proposal changes nothing until a different EH DAS
 * screener approves it; approval merges; a rejection leaves both records; an undo puts back every
 * row the merge moved (compared row by row, whole rows) and the merged record is live again, or
 * refuses, changing nothing, when a moved row has since moved on.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessAudit,
  caseEvents,
  childMerges,
  children,
  consents,
  familyMembers,
  householdLinks,
  outbox,
} from '../schema';
import { rowsOf } from '../src/db';
import { recordCaseEvent } from '../src/events/case-events';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const PROPOSE =
  'mutation ($from: ID!, $into: ID!, $reason: String!) { proposeChildMerge(fromId: $from, intoId: $into, reason: $reason) { id status proposedBy explanation { childId score band fields { field level weight } } } }';
const APPROVE = 'mutation ($id: ID!) { approveChildMerge(id: $id) { id status decidedBy mergeId } }';
const REJECT =
  'mutation ($id: ID!, $reason: String!) { rejectChildMerge(id: $id, reason: $reason) { id status decidedBy decisionReason } }';
const UNDO =
  'mutation ($id: ID!, $reason: String!) { undoChildMerge(mergeId: $id, reason: $reason) { mergeId fromChildId intoChildId undoneBy restored } }';
const PENDING =
  'query ($first: Int, $after: String) { childMergeProposals(first: $first, after: $after) { count nodes { id fromChildId intoChildId } pageInfo { hasNextPage endCursor } } }';
const CHILD = 'query ($id: ID) { child(id: $id) { id upn nhsNumber } }';
const REASON = 'Same child registered twice by two schools';

/** Tables whose rows keep the id they were written with, or record the merge itself. */
const KEEP = new Set(['access_audit', 'child_merges', 'child_merge_proposals', 'outbox']);

describe('merges reviewed by two people', () => {
  let t: TestHub;
  let f: Fixture;
  let screenerA: string;
  let screenerB: string;
  let dsl: string;
  let school: string;
  let council: string;

  /**
   * Every row, whole, of every table with a child id column that names one of `ids` (outside the
   * tables that keep ids, and leaving out the merge's own case events), and the two children rows
   * without their bookkeeping columns.
   */
  async function rowsAbout(ids: string[]): Promise<Record<string, string[]>> {
    const columns = rowsOf<{ table_name: string; column_name: string }>(
      await t.database.db.execute(sql`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type = 'uuid'
        and (column_name = 'child_id' or column_name like '%\\_child\\_id' escape '\\') and table_name <> 'children'`),
    );
    const out: Record<string, string[]> = {};
    for (const { table_name, column_name } of columns) {
      if (KEEP.has(table_name)) continue;
      const found = rowsOf<{ row: unknown }>(
        await t.database.db.execute(
          sql`select to_jsonb(t) as row from ${sql.identifier(table_name)} t where ${sql.identifier(column_name)} in (${sql.join(
            ids.map((id) => sql`${id}`),
            sql`, `,
          )}) ${table_name === 'case_events' ? sql`and kind not in ('child_merged', 'child_unmerged')` : sql``}`,
        ),
      );
      if (found.length) {
        const key = `${table_name}.${column_name}`;
        out[key] = found.map((r) => JSON.stringify(r.row)).sort();
      }
    }
    const kids = await t.database.db.select().from(children).where(inArray(children.id, ids));
    out.children = kids.map(({ updatedAt: _u, version: _v, ...rest }) => JSON.stringify(rest)).sort();
    return out;
  }

  async function propose(from: string, into: string, token = screenerA): Promise<string> {
    const res = await t.post(token, PROPOSE, { from, into, reason: REASON });
    expect(res.errors).toBeUndefined();
    return res.data.proposeChildMerge.id;
  }

  async function auditActions(childId: string): Promise<string[]> {
    const rows = await t.database.db.select().from(accessAudit).where(eq(accessAudit.childId, childId));
    return rows.flatMap((r) => (r.changes as { action: string }[]).map((c) => c.action));
  }

  /** A duplicate carrying links of every kind the fixtures make, and the record it duplicates. */
  async function duplicatePair(): Promise<{ from: { id: string; upn: string }; into: { id: string } }> {
    const from = await f.child({ nhsNumber: null, givenName: 'Wren', familyName: 'Dunmere' });
    const into = await f.child({ upn: null, givenName: 'Wren', familyName: 'Dunmere' });
    const sibling = await f.child();
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
    const fsm = await f.practitioner(council, `fsm-${from.id}`, 'family_support_manager');
    await f.openEhaWithPlan(from.id, {
      familySupportManagerId: fsm,
      leadPractitionerId: fsm,
      actions: [{ owningOrganisationId: school, description: 'Synthetic action', dueDate: '2027-01-10' }],
    });
    await recordCaseEvent(t.database.db, {
      childId: from.id,
      kind: 'attendance_flagged',
      categories: ['education'],
      changedFields: ['attendance'],
      actor: { subject: 'fixture', organisationId: school },
      at: new Date(),
    });
    // The survivor has links of its own, which must stay with it.
    await f.consent(into.id, { organisationIds: [school], categories: ['identity'] });
    return { from, into };
  }

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    council = await f.org('council', 'council_early_help');
    school = await f.org('school', 'school');
    screenerA = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-a' });
    screenerB = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-b' });
    dsl = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-1' });
  });
  afterAll(() => t.close());

  describe('propose, approve, undo', () => {
    let from: { id: string; upn: string };
    let into: { id: string };
    let before: Record<string, string[]>;
    let proposalId: string;
    let mergeId: string;

    beforeAll(async () => {
      ({ from, into } = await duplicatePair());
      before = await rowsAbout([from.id, into.id]);
      expect(Object.keys(before)).toEqual(
        expect.arrayContaining([
          'involvements.child_id',
          'household_links.child_id',
          'household_links.sibling_child_id',
          'consents.child_id',
          'safeguarding_overrides.child_id',
          'ehas.child_id',
          'action_plans.child_id',
          'plan_actions.child_id',
          'case_events.child_id',
        ]),
      );
    });

    it('a proposal changes nothing, carries the match explanation, and is listed for EH DAS', async () => {
      const res = await t.post(screenerA, PROPOSE, { from: from.id, into: into.id, reason: REASON });
      expect(res.errors).toBeUndefined();
      const proposal = res.data.proposeChildMerge;
      proposalId = proposal.id;
      expect(proposal).toMatchObject({ status: 'pending', proposedBy: 'screener-a' });
      expect(proposal.explanation).toMatchObject({ childId: into.id });
      expect(proposal.explanation.fields.map((x: { field: string }) => x.field)).toContain('givenName');
      expect(await rowsAbout([from.id, into.id])).toEqual(before);
      expect((await t.post(dsl, CHILD, { id: from.id })).data.child.id).toBe(from.id);
      expect(await auditActions(from.id)).toContain('proposeChildMerge:from');

      const again = await t.post(screenerB, PROPOSE, { from: into.id, into: from.id, reason: REASON });
      expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT' });

      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 50; page++) {
        const list = await t.post(screenerB, PENDING, { first: 1, after });
        expect(list.errors).toBeUndefined();
        seen.push(...list.data.childMergeProposals.nodes.map((n: { id: string }) => n.id));
        if (!list.data.childMergeProposals.pageInfo.hasNextPage) break;
        after = list.data.childMergeProposals.pageInfo.endCursor;
      }
      expect(seen).toContain(proposalId);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('refuses the proposer approving their own proposal, naming why, and merges nothing', async () => {
      const res = await t.post(screenerA, APPROVE, { id: proposalId });
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'proposer_cannot_approve' });
      expect(res.errors![0]!.message).toMatch(/you proposed this one.*different EH DAS screener/);
      expect(await rowsAbout([from.id, into.id])).toEqual(before);
      expect(await t.database.db.$count(childMerges, eq(childMerges.fromChildId, from.id))).toBe(0);
    });

    it('approval by a second screener merges: the old id redirects and every link has moved', async () => {
      const res = await t.post(screenerB, APPROVE, { id: proposalId });
      expect(res.errors).toBeUndefined();
      expect(res.data.approveChildMerge).toMatchObject({ status: 'approved', decidedBy: 'screener-b' });
      mergeId = res.data.approveChildMerge.mergeId;
      expect((await t.post(dsl, CHILD, { id: from.id })).data.child.id).toBe(into.id);
      const fromOnly = await rowsAbout([from.id]);
      expect(Object.keys(fromOnly)).toEqual(['children']);
      expect(await auditActions(from.id)).toContain('approveChildMerge:from');
      expect(await auditActions(into.id)).toContain('approveChildMerge:into');
      const merged = await t.database.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.childId, into.id), eq(outbox.entity, 'person_merge')));
      expect(merged).toHaveLength(1);
      const again = await t.post(screenerB, APPROVE, { id: proposalId });
      expect(again.errors![0]!.extensions!.code).toBe('INVALID_TRANSITION');
    });

    it('undo puts back every row the merge moved, whole, and the merged record is live again', async () => {
      const res = await t.post(screenerA, UNDO, { id: mergeId, reason: 'Two different children after all' });
      expect(res.errors).toBeUndefined();
      expect(res.data.undoChildMerge).toMatchObject({
        mergeId,
        fromChildId: from.id,
        intoChildId: into.id,
        undoneBy: 'screener-a',
      });
      expect(res.data.undoChildMerge.restored).toBeGreaterThan(8);
      expect(await rowsAbout([from.id, into.id])).toEqual(before);
      const read = await t.post(dsl, CHILD, { id: from.id });
      expect(read.data.child).toEqual({ id: from.id, upn: from.upn, nhsNumber: null });
      const byUpn = await t.post(dsl, 'query ($upn: String) { child(upn: $upn) { id } }', { upn: from.upn });
      expect(byUpn.data.child.id).toBe(from.id);
      expect(await auditActions(from.id)).toContain('undoChildMerge:restored');
      expect(await auditActions(into.id)).toContain('undoChildMerge:survivor');
      const events = await t.database.db
        .select()
        .from(caseEvents)
        .where(and(inArray(caseEvents.childId, [from.id, into.id]), eq(caseEvents.kind, 'child_unmerged')));
      expect(events.map((e) => e.childId).sort()).toEqual([from.id, into.id].sort());
      const sent = await t.database.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.eventKind, 'child_unmerged'), eq(outbox.entity, 'person')));
      expect(sent.map((o) => o.childId).sort()).toEqual([from.id, into.id].sort());
      const proposals = await t.post(screenerB, PENDING, { first: 200 });
      expect(proposals.data.childMergeProposals.nodes.map((n: { id: string }) => n.id)).not.toContain(proposalId);
    });

    it('refuses a second undo with CONFLICT', async () => {
      const res = await t.post(screenerB, UNDO, { id: mergeId, reason: 'Two different children after all' });
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'mergeId' });
    });
  });

  it('refuses an undo when a moved row has since moved on, and changes nothing', async () => {
    const { from, into } = await duplicatePair();
    const proposal = await propose(from.id, into.id);
    const approved = await t.post(screenerB, APPROVE, { id: proposal });
    const mergeId = approved.data.approveChildMerge.mergeId;
    const other = await f.child();
    // A consent the merge moved (the ledger names it) is since recorded against another child.
    const [ledgerRow] = rowsOf<{ row_id: string }>(
      await t.database.db.execute(
        sql`select row_id from child_merge_moves where merge_id = ${mergeId} and table_name = 'consents' limit 1`,
      ),
    );
    await t.database.db.update(consents).set({ childId: other.id }).where(eq(consents.id, ledgerRow!.row_id));
    const after = await rowsAbout([from.id, into.id]);
    const res = await t.post(screenerA, UNDO, { id: mergeId, reason: 'Two different children after all' });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'mergeId', table: 'consents' });
    expect(await rowsAbout([from.id, into.id])).toEqual(after);
    const [old] = await t.database.db.select().from(children).where(eq(children.id, from.id));
    expect(old!.mergedInto).toBe(into.id);
  });

  it('refuses to undo a merge whose survivor was since merged again, until that merge is undone', async () => {
    const { from, into } = await duplicatePair();
    const third = await f.child({ nhsNumber: null, upn: null });
    const before = await rowsAbout([from.id, into.id, third.id]);
    const first = await t.post(screenerB, APPROVE, { id: await propose(from.id, into.id) });
    const second = await t.post(screenerB, APPROVE, { id: await propose(into.id, third.id) });
    const firstMerge = first.data.approveChildMerge.mergeId;
    const secondMerge = second.data.approveChildMerge.mergeId;
    const refused = await t.post(screenerA, UNDO, { id: firstMerge, reason: 'Two different children after all' });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'mergeId' });
    expect(refused.errors![0]!.message).toMatch(/undo that merge first/);
    for (const id of [secondMerge, firstMerge]) {
      const res = await t.post(screenerA, UNDO, { id, reason: 'Three different children after all' });
      expect(res.errors).toBeUndefined();
    }
    expect(await rowsAbout([from.id, into.id, third.id])).toEqual(before);
  });

  it('a rejection, with its reason, leaves both records as they were', async () => {
    const { from, into } = await duplicatePair();
    const before = await rowsAbout([from.id, into.id]);
    const id = await propose(from.id, into.id);
    const res = await t.post(screenerB, REJECT, { id, reason: 'Different birth certificates seen' });
    expect(res.errors).toBeUndefined();
    expect(res.data.rejectChildMerge).toMatchObject({
      status: 'rejected',
      decidedBy: 'screener-b',
      decisionReason: 'Different birth certificates seen',
    });
    expect(await rowsAbout([from.id, into.id])).toEqual(before);
    expect(await auditActions(from.id)).toContain('rejectChildMerge:from');
    const approve = await t.post(screenerB, APPROVE, { id });
    expect(approve.errors![0]!.extensions!.code).toBe('INVALID_TRANSITION');
    expect(await rowsAbout([from.id, into.id])).toEqual(before);
  });

  it('refuses a school DSL and an admin: no proposal, no list, no approval, no undo', async () => {
    const admin = await t.token({ role: 'admin', org: council, sub: 'admin-1' });
    const a = await f.child({ nhsNumber: null });
    const b = await f.child();
    const id = await propose(a.id, b.id);
    for (const token of [dsl, admin]) {
      for (const [document, variables] of [
        [PROPOSE, { from: a.id, into: b.id, reason: REASON }],
        [PENDING, { first: 10 }],
        [APPROVE, { id }],
        [REJECT, { id, reason: REASON }],
        [UNDO, { id, reason: REASON }],
      ] as const) {
        const res = await t.post(token, document, variables);
        expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      }
    }
    expect(await t.database.db.$count(childMerges, eq(childMerges.fromChildId, a.id))).toBe(0);
  });
});
