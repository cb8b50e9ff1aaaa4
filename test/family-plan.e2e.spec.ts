/**
 * Family plan view with the voice of the child over HTTP: revisions with
 * optimistic concurrency, the child's words at assessment and review, audit and case events,
 * relationship and consent rules.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, caseEvents, familyPlans } from '../schema';
import { buildWorld, caseIn, Q, reviewInput, type Case, type World } from './workflow-support';

const VIEW = `ehaId childId revision goingWell worries needsToHappen whenThingsAreBetter agreedOn voiceOfChild { point recordedOn words capturedHow }`;
const SET = `mutation ($input: SetFamilyPlanInput!) { setFamilyPlan(input: $input) { ${VIEW} } }`;
const VOICE = `mutation ($input: RecordVoiceOfChildInput!) { recordVoiceOfChild(input: $input) { ${VIEW} } }`;
const READ = `query ($e: ID!) { familyPlan(ehaId: $e) { ${VIEW} } }`;

describe('family plan view and the voice of the child', () => {
  let w: World;
  let k: Case;
  const plan = (expectedRevision: number, over: Record<string, unknown> = {}) => ({
    ehaId: k.ehaId,
    expectedRevision,
    goingWell: 'Mum and Sam get on well at weekends',
    worries: 'Sam is missing school on Mondays',
    needsToHappen: 'A morning routine and a check-in with school',
    whenThingsAreBetter: 'Sam is in school every day and mornings are calm',
    ...over,
  });

  beforeAll(async () => {
    w = await buildWorld();
    k = await caseIn(w, 'plan_in_place');
  });
  afterAll(() => w.t.close());

  it('sets the plan in revisions: a stale revision is a CONFLICT; audited with a case event each time', async () => {
    const first = await w.ok(w.token.lead, SET, { input: plan(0) });
    expect(first.setFamilyPlan).toMatchObject({
      revision: 1,
      worries: 'Sam is missing school on Mondays',
      agreedOn: w.today(),
      voiceOfChild: [],
    });
    const stale = await w.t.post(w.token.fsm, SET, { input: plan(0, { worries: 'Other' }) });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentRevision: 1 });
    const second = await w.ok(w.token.fsm, SET, { input: plan(1, { goingWell: 'Mornings are calmer' }) });
    expect(second.setFamilyPlan).toMatchObject({ revision: 2, goingWell: 'Mornings are calmer' });
    expect(await w.t.database.db.$count(familyPlans, eq(familyPlans.ehaId, k.ehaId))).toBe(2);
    const events = await w.t.database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, k.childId), eq(caseEvents.kind, 'family_plan_set')));
    expect(events).toHaveLength(2);
    const audit = await w.t.database.db
      .select()
      .from(accessAudit)
      .where(and(eq(accessAudit.childId, k.childId), eq(accessAudit.callerSubject, 'wf-lead')));
    expect(audit.flatMap((a) => a.changes as { action: string }[]).map((c) => c.action)).toContain('setFamilyPlan');
  });

  it('refuses an empty section with BAD_USER_INPUT naming it, and stores nothing', async () => {
    const before = await w.t.database.db.$count(familyPlans);
    const res = await w.t.post(w.token.fsm, SET, { input: plan(2, { worries: '   ' }) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'worries' });
    expect(await w.t.database.db.$count(familyPlans)).toBe(before);
  });

  it("records the child's words at assessment, and at review only once a review has been held", async () => {
    const voice = (point: string) => ({
      ehaId: k.ehaId,
      point,
      recordedOn: w.today(),
      words: 'I like it when we walk to school together',
      capturedHow: 'in conversation',
    });
    const a = await w.ok(w.token.lead, VOICE, { input: voice('assessment') });
    expect(a.recordVoiceOfChild.voiceOfChild).toEqual([
      {
        point: 'assessment',
        recordedOn: w.today(),
        words: 'I like it when we walk to school together',
        capturedHow: 'in conversation',
      },
    ]);
    const early = await w.t.post(w.token.lead, VOICE, { input: voice('review') });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'point' });
    const data = await w.ok(w.token.fsm, Q.eha, { id: k.ehaId });
    await w.ok(w.token.fsm, Q.review, {
      input: { ...(await reviewInput(w, k)), ehaId: k.ehaId, expectedVersion: data.eha.version },
    });
    const r = await w.ok(w.token.lead, VOICE, { input: voice('review') });
    expect(r.recordVoiceOfChild.voiceOfChild.map((v: { point: string }) => v.point)).toEqual(['assessment', 'review']);
    const future = await w.t.post(w.token.lead, VOICE, { input: { ...voice('assessment'), recordedOn: '2099-01-01' } });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recordedOn' });
  });

  it('relationship and consent: the school reads it with early_help consent; another school and the wrong purpose do not', async () => {
    const dsl = await w.t.post(w.token.school, READ, { e: k.ehaId }, 'direct_support');
    expect(dsl.errors).toBeUndefined();
    expect(dsl.data.familyPlan).toMatchObject({ revision: 2, goingWell: 'Mornings are calmer' });
    const purpose = await w.t.post(w.token.school, READ, { e: k.ehaId }, 'safeguarding');
    // Without early_help for this purpose the EHA's very existence is withheld: the same answer as another school's.
    expect(purpose.data?.familyPlan ?? null).toBeNull();
    expect(purpose.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const other = await w.t.post(w.token.otherSchool, READ, { e: k.ehaId }, 'direct_support');
    expect(other.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const write = await w.t.post(w.token.school, SET, { input: plan(2) });
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
