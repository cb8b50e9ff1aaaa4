/**
 * Priority Children's List over HTTP: additions with a reason by a practitioner
 * who works with the child, the locality meeting's decision (EHA required → the most relevant
 * professional becomes lead practitioner), audit and case events, relationship rules.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, caseEvents, involvements, priorityListEntries } from '../schema';
import { buildWorld, type World } from './workflow-support';

const FIELDS = `id childId version cluster reason addedOn status meetingOn decision decisionRationale allocatedPractitionerId`;
const ADD = `mutation ($input: AddToPriorityListInput!) { addToPriorityList(input: $input) { ${FIELDS} } }`;
const DECIDE = `mutation ($input: DecidePriorityListEntryInput!) { decidePriorityListEntry(input: $input) { ${FIELDS} } }`;
const LIST = `query ($c: Cluster!, $s: PriorityStatus) { priorityList(cluster: $c, status: $s) { id childId reason status decision } }`;

describe("Priority Children's List", () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(() => w.t.close());

  it('a school adds its pupil with a reason; the locality meeting sees it and decides EHA required, allocating the lead practitioner', async () => {
    const c = await w.newChild();
    const added = await w.ok(w.token.school, ADD, {
      input: { childId: c.id, cluster: 'central', reason: 'Attendance falling, young carer' },
    });
    const entry = added.addToPriorityList;
    expect(entry).toMatchObject({
      childId: c.id,
      cluster: 'central',
      status: 'listed',
      addedOn: w.today(),
      decision: null,
    });
    const again = await w.t.post(w.token.school, ADD, {
      input: { childId: c.id, cluster: 'central', reason: 'Twice' },
    });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const list = await w.ok(w.token.screener, LIST, { c: 'central', s: 'listed' }, 'direct_support');
    expect(list.priorityList).toContainEqual({
      id: entry.id,
      childId: c.id,
      reason: 'Attendance falling, young carer',
      status: 'listed',
      decision: null,
    });

    const noLead = await w.t.post(w.token.screener, DECIDE, {
      input: {
        entryId: entry.id,
        expectedVersion: 1,
        meetingOn: w.today(),
        decision: 'eha_required',
        rationale: 'Three needs',
      },
    });
    expect(noLead.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allocatedPractitionerId' });
    const decided = await w.ok(w.token.screener, DECIDE, {
      input: {
        entryId: entry.id,
        expectedVersion: 1,
        meetingOn: w.today(),
        decision: 'eha_required',
        rationale: 'Three needs; school knows the family best',
        allocatedPractitionerId: w.person.lead,
      },
    });
    expect(decided.decidePriorityListEntry).toMatchObject({
      status: 'decided',
      decision: 'eha_required',
      allocatedPractitionerId: w.person.lead,
      meetingOn: w.today(),
    });
    const lead = await w.t.database.db
      .select()
      .from(involvements)
      .where(and(eq(involvements.childId, c.id), eq(involvements.kind, 'lead_practitioner')));
    expect(lead).toMatchObject([{ practitionerId: w.person.lead, endedOn: null }]);
    const twice = await w.t.post(w.token.screener, DECIDE, {
      input: { entryId: entry.id, expectedVersion: 2, meetingOn: w.today(), decision: 'monitor', rationale: 'x' },
    });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(
      await w.t.database.db.$count(
        caseEvents,
        and(eq(caseEvents.childId, c.id), eq(caseEvents.kind, 'priority_list_changed')),
      ),
    ).toBe(2);
    const audit = await w.t.database.db.select().from(accessAudit).where(eq(accessAudit.childId, c.id));
    expect(audit.flatMap((a) => a.changes as { action: string }[]).map((x) => x.action)).toEqual(
      expect.arrayContaining(['addToPriorityList', 'decidePriorityListEntry']),
    );
  });

  it('refuses a child the caller has no relationship with, a school deciding, and bad input — storing nothing', async () => {
    const stranger = await w.f.child();
    const before = await w.t.database.db.$count(priorityListEntries);
    expect(
      (await w.t.post(w.token.school, ADD, { input: { childId: stranger.id, cluster: 'central', reason: 'x' } }))
        .errors?.[0]?.extensions?.code,
    ).toBe('NO_RELATIONSHIP');
    const c = await w.newChild();
    expect(
      (await w.t.post(w.token.school, ADD, { input: { childId: c.id, cluster: 'central', reason: ' ' } })).errors?.[0]
        ?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await w.t.database.db.$count(priorityListEntries)).toBe(before);
    const entry = (await w.ok(w.token.school, ADD, { input: { childId: c.id, cluster: 'east', reason: 'Concern' } }))
      .addToPriorityList;
    expect(
      (
        await w.t.post(w.token.school, DECIDE, {
          input: { entryId: entry.id, expectedVersion: 1, meetingOn: w.today(), decision: 'monitor', rationale: 'x' },
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const future = await w.t.post(w.token.screener, DECIDE, {
      input: { entryId: entry.id, expectedVersion: 1, meetingOn: '2099-01-01', decision: 'monitor', rationale: 'x' },
    });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'meetingOn' });
    // The list is the locality meeting's: schools do not read it; a screener elsewhere sees none of these children.
    expect(
      (await w.t.post(w.token.otherSchool, LIST, { c: 'east' }, 'direct_support')).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const elsewhere = await w.f.org('pcl-other-council', 'council_early_help');
    const stranger2 = await w.t.token({ role: 'eh_das_screener', org: elsewhere, sub: 'pcl-stranger' });
    expect((await w.ok(stranger2, LIST, { c: 'east' }, 'direct_support')).priorityList).toEqual([]);
    expect(
      (await w.ok(w.token.screener, LIST, { c: 'east' }, 'direct_support')).priorityList.map(
        (e: { id: string }) => e.id,
      ),
    ).toEqual([entry.id]);
  });
});
