/**
 * The Early Help workflow's rules over HTTP: consent for referrals, complete action plans,
 * calendar edges with an injected clock, the school MIS read, audit and case events for every
 * mutation, and the performance book.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, actionPlans, caseEvents, involvements, referrals } from '../schema';
import { addDaysIso, buildWorld, caseIn, planInput, Q, tafInput, threeNeeds, type World } from './workflow-support';

const OPEN_EHA = `query ($child: ID!) { openEha(childId: $child) { status cluster nextReviewDue
  leadPractitioner { name organisationName email phone } planActions { description owningOrganisationId dueDate frequencyOfContact } } }`;

async function count(w: World, table: typeof actionPlans | typeof referrals) {
  return w.t.database.db.$count(table);
}

describe('referrals', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(() => w.t.close());

  it('links the consent, queues the child for EH DAS screening and recommends an EHA for 3 needs', async () => {
    const c = await w.newChild();
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds },
    });
    expect(sub.submitReferral).toMatchObject({ outcome: 'submitted', childId: null });
    const ref = await w.ok(w.token.screener, Q.referral, { id: sub.submitReferral.referralId }, 'screening');
    expect(ref.referral).toMatchObject({
      status: 'submitted',
      consentId: c.consentId,
      overrideId: null,
      recommendation: 'early_help_assessment',
    });
    const screening = await w.t.database.db
      .select()
      .from(involvements)
      .where(and(eq(involvements.childId, c.id), eq(involvements.kind, 'screening')));
    expect(screening).toHaveLength(1);
    expect(screening[0]).toMatchObject({ organisationId: w.org.council, endedOn: null });
    // Screening ends the EH DAS involvement (after today).
    await w.ok(
      w.token.screener,
      Q.screen,
      { id: sub.submitReferral.referralId, v: 1, d: 'decline', r: 'Single agency response', s: ['School nurse'] },
      'screening',
    );
    const [ended] = await w.t.database.db
      .select()
      .from(involvements)
      .where(and(eq(involvements.childId, c.id), eq(involvements.kind, 'screening')));
    expect(ended!.endedOn).toBe(w.today());
  });

  it('enforces the 3-needs rule: 2 needs are accepted only with a recorded reason', async () => {
    const c = await w.newChild();
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds.slice(0, 2) },
    });
    const vars = {
      id: sub.submitReferral.referralId,
      v: 1,
      d: 'accept',
      r: 'Complex despite two needs',
      fsm: w.person.fsm,
      c: 'east',
      ocr: 'The family is moving across the city',
    };
    const refused = await w.t.post(w.token.screener, Q.screen, vars, 'screening');
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'belowThresholdReason' });
    const res = await w.ok(
      w.token.screener,
      Q.screen,
      { ...vars, btr: 'Both needs are entrenched and three agencies are already involved' },
      'screening',
    );
    expect(res.screenReferral).toMatchObject({
      status: 'accepted',
      recommendation: 'single_agency_response',
      cluster: 'east',
      levelOfNeed: 'early_help',
      belowThresholdReason: 'Both needs are entrenched and three agencies are already involved',
    });
  });

  it('is refused without consent (CONSENT_REQUIRED) and stores nothing, unless a safeguarding override is in force', async () => {
    const c = await w.newChild();
    const before = await count(w, referrals);
    const refused = await w.t.post(w.token.school, Q.submit, { input: { child: c.child, needs: threeNeeds } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', category: 'early_help' });
    expect(await count(w, referrals)).toBe(before);
    // Only the referrer's own organisation's override: another's would tell the referrer it exists.
    const elsewhere = await w.f.override(c.id, {
      categories: ['early_help'],
      declaredAt: new Date('2027-03-01T00:00:00Z'),
      expiresAt: new Date('2027-04-01T00:00:00Z'),
    });
    expect(
      (await w.t.post(w.token.school, Q.submit, { input: { child: c.child, needs: threeNeeds } })).errors?.[0]
        ?.extensions?.code,
    ).toBe('CONSENT_REQUIRED');
    expect(elsewhere).toBeTruthy();
    // The referrer's own override that does not open early_help to the council, who screen it, does not do either.
    await w.f.override(c.id, {
      categories: ['early_help'],
      declaredAt: new Date('2027-03-01T00:00:00Z'),
      expiresAt: new Date('2027-04-01T00:00:00Z'),
      declaredByOrganisationId: w.org.school,
      recipientOrganisationIds: [w.org.school],
    });
    expect(
      (await w.t.post(w.token.school, Q.submit, { input: { child: c.child, needs: threeNeeds } })).errors?.[0]
        ?.extensions?.code,
    ).toBe('CONSENT_REQUIRED');
    const overrideId = await w.f.override(c.id, {
      categories: ['early_help'],
      declaredAt: new Date('2027-03-01T00:00:00Z'),
      expiresAt: new Date('2027-04-01T00:00:00Z'),
      declaredByOrganisationId: w.org.school,
      recipientOrganisationIds: [w.org.school, w.org.council],
    });
    const sub = await w.ok(w.token.school, Q.submit, { input: { child: c.child, needs: threeNeeds } });
    const ref = await w.ok(w.token.screener, Q.referral, { id: sub.submitReferral.referralId }, 'screening');
    expect(ref.referral).toMatchObject({ consentId: null, overrideId });
  });

  it('refuses a withdrawn consent and a consent of another child alike (CONSENT_REQUIRED: no oracle on consent ids)', async () => {
    const c = await w.newChild();
    const other = await w.newChild();
    const withdrawn = await w.f.consent(c.id, {
      organisationKinds: ['school', 'council_early_help'],
      categories: ['early_help'],
      withdrawnAt: new Date('2027-03-01T00:00:00Z'),
    });
    const a = await w.t.post(w.token.school, Q.submit, {
      input: { child: c.child, consentId: withdrawn, needs: threeNeeds },
    });
    expect(a.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
    const b = await w.t.post(w.token.school, Q.submit, {
      input: { child: c.child, consentId: other.consentId, needs: threeNeeds },
    });
    expect(b.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
  });

  it("a probable match tells the referrer nothing: the recorded consent of the matched record is not the new child's", async () => {
    const c = await w.newChild();
    const before = await count(w, referrals);
    const { nhsNumber: _n, nhsNumberTraced: _t, ...byName } = c.child;
    const res = await w.t.post(w.token.school, Q.submit, {
      input: { child: byName, consentId: c.consentId, needs: threeNeeds },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
    expect(JSON.stringify(res)).not.toContain(c.id);
    expect(await count(w, referrals)).toBe(before);
  });

  it('refuses an unknown need, a repeated need and no needs with BAD_USER_INPUT naming the field', async () => {
    const c = await w.newChild();
    const before = await count(w, referrals);
    const unknown = await w.t.post(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: [{ category: 'pocket_money', description: 'x' }] },
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0]?.message).toContain('needs[0].category');
    const twice = await w.t.post(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: [threeNeeds[0], threeNeeds[0]] },
    });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'needs[1].category' });
    const none = await w.t.post(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: [] },
    });
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'needs' });
    expect(await count(w, referrals)).toBe(before);
  });
});

describe('action plan: every required part, review within 3 calendar months', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2028-01-31T10:00:00Z');
  });
  afterAll(() => w.t.close());

  const parts: [string, (p: Record<string, any>) => void][] = [
    [
      'desiredOutcome',
      (p) => {
        delete p.desiredOutcome;
      },
    ],
    [
      'familyStrengths',
      (p) => {
        p.familyStrengths = '  ';
      },
    ],
    [
      'needs',
      (p) => {
        p.needs = [];
      },
    ],
    [
      'needs[0].services',
      (p) => {
        p.needs[0].services = null;
      },
    ],
    [
      'actions',
      (p) => {
        delete p.actions;
      },
    ],
    [
      'actions[0].owningOrganisationId',
      (p) => {
        delete p.actions[0].owningOrganisationId;
      },
    ],
    [
      'actions[1].dueDate',
      (p) => {
        delete p.actions[1].dueDate;
      },
    ],
    [
      'actions[0].frequencyOfContact',
      (p) => {
        p.actions[0].frequencyOfContact = '';
      },
    ],
    [
      'contingencyPlan',
      (p) => {
        delete p.contingencyPlan;
      },
    ],
    [
      'timescales',
      (p) => {
        delete p.timescales;
      },
    ],
    [
      'keyAgencies',
      (p) => {
        p.keyAgencies = [];
      },
    ],
    [
      'keyAgencies[0].responsibilities',
      (p) => {
        delete p.keyAgencies[0].responsibilities;
      },
    ],
    [
      'reviewDate',
      (p) => {
        delete p.reviewDate;
      },
    ],
  ];

  it('refuses a plan missing any required part, naming it, and stores nothing', async () => {
    const k = await caseIn(w, 'taf_held');
    const before = await count(w, actionPlans);
    for (const [field, spoil] of parts) {
      const input = planInput(w, k.ehaId, k.version, '2028-04-30', '2028-02-15');
      spoil(input);
      const res = await w.t.post(w.token.fsm, Q.plan, { input });
      expect(res.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await count(w, actionPlans)).toBe(before);
    const eha = await w.ok(w.token.fsm, Q.eha, { id: k.ehaId });
    expect(eha.eha).toMatchObject({ status: 'taf_held', version: k.version });
  });

  // The protocol: the plan has "a review date within 3 months"; calendar months clamp to month ends.
  const edges: [string, string, string][] = [
    ['2028-01-31', '2028-04-30', '2028-05-01'], // 31 Jan → 30 Apr
    ['2027-11-30', '2028-02-29', '2028-03-01'], // leap year 2028
    ['2026-11-30', '2027-02-28', '2027-03-01'], // not a leap year
    ['2027-12-31', '2028-03-31', '2028-04-01'], // month end to month end
  ];
  for (const [meeting, latest, tooLate] of edges) {
    it(`meeting ${meeting}: review on ${latest} accepted, ${tooLate} refused`, async () => {
      w.clock.set(`${meeting}T10:00:00Z`);
      const k = await caseIn(w, 'taf_held');
      const late = await w.t.post(w.token.fsm, Q.plan, { input: planInput(w, k.ehaId, k.version, tooLate, meeting) });
      expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reviewDate' });
      const ok = await w.ok(w.token.fsm, Q.plan, { input: planInput(w, k.ehaId, k.version, latest, meeting) });
      expect(ok.setActionPlan).toMatchObject({ status: 'plan_in_place', nextReviewDue: latest });
      // The next review is again within 3 months of the review itself.
      const progress = (await w.ok(w.token.fsm, Q.eha, { id: k.ehaId })).eha.planActions.map((a: { id: string }) => ({
        actionId: a.id,
        status: 'in_progress',
        note: 'Going well',
      }));
      const base = {
        ehaId: k.ehaId,
        expectedVersion: ok.setActionPlan.version,
        heldOn: meeting,
        levelOfNeed: 'early_help',
        progress,
      };
      const badReview = await w.t.post(w.token.fsm, Q.review, { input: { ...base, nextReviewDate: tooLate } });
      expect(badReview.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nextReviewDate' });
      const review = await w.ok(w.token.fsm, Q.review, { input: { ...base, nextReviewDate: latest } });
      expect(review.recordReview).toMatchObject({ status: 'under_review', nextReviewDue: latest });
    });
  }

  it('refuses a review missing progress for an action', async () => {
    w.clock.set('2028-01-31T10:00:00Z');
    const k = await caseIn(w, 'plan_in_place');
    const actions = (await w.ok(w.token.fsm, Q.eha, { id: k.ehaId })).eha.planActions;
    const res = await w.t.post(w.token.fsm, Q.review, {
      input: {
        ehaId: k.ehaId,
        expectedVersion: k.version,
        heldOn: '2028-01-31',
        nextReviewDate: '2028-03-01',
        levelOfNeed: 'early_help',
        progress: [{ actionId: actions[0].id, status: 'done', note: 'Done' }],
      },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'progress' });
  });
});

describe('step down: first TAF within 3 weeks', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-06-01T09:00:00Z');
  });
  afterAll(() => w.t.close());

  async function steppedDown() {
    const c = await w.newChild();
    await w.f.involve(c.id, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
    const res = await w.ok(w.token.socialWorker, Q.stepDown, {
      child: c.id,
      ref: 'SA-0001',
      consent: c.consentId,
      fsm: w.person.fsm,
      rep: w.person.screener,
      on: w.today(),
      c: 'south',
    });
    return { childId: c.id, eha: res.stepDown };
  }
  const overdue = `{ overdueFirstTafMeetings { id } }`;

  it('day 21 after step down is on time, day 22 is overdue', async () => {
    w.clock.set('2027-06-01T09:00:00Z');
    const { eha } = await steppedDown();
    expect(eha).toMatchObject({ status: 'awaiting_first_taf', origin: 'step_down', firstTafDueBy: '2027-06-22' });
    const social = await w.ok(w.token.fsm, `query ($id: ID!) { eha(id: $id) { expectedFirstTafAttendee { id } } }`, {
      id: eha.id,
    });
    expect(social.eha.expectedFirstTafAttendee.id).toBe(w.person.socialWorker);
    // Days are London's: in summer day 22 starts at 23:00 UTC on day 21's UTC date.
    w.clock.set('2027-06-22T22:30:00Z'); // day 21, 23:30 BST
    expect((await w.ok(w.token.fsm, overdue)).overdueFirstTafMeetings.map((e: { id: string }) => e.id)).not.toContain(
      eha.id,
    );
    w.clock.set('2027-06-22T23:30:00Z'); // day 22, 00:30 BST (UTC still says day 21)
    expect((await w.ok(w.token.fsm, overdue)).overdueFirstTafMeetings.map((e: { id: string }) => e.id)).toContain(
      eha.id,
    );
  });

  it('a first TAF held on day 21 is on time and leaves the overdue list', async () => {
    w.clock.set('2027-06-01T09:00:00Z');
    const { eha } = await steppedDown();
    w.clock.set('2027-06-22T10:00:00Z');
    await w.ok(w.token.fsm, Q.taf, { input: { ...tafInput(w), ehaId: eha.id, expectedVersion: eha.version } });
    w.clock.set('2027-06-30T10:00:00Z');
    const read = await w.ok(w.token.fsm, Q.eha, { id: eha.id });
    expect(read.eha).toMatchObject({ status: 'taf_held', firstTafOn: '2027-06-22', firstTafOnTime: true });
    expect((await w.ok(w.token.fsm, overdue)).overdueFirstTafMeetings.map((e: { id: string }) => e.id)).not.toContain(
      eha.id,
    );
  });

  it('only a social worker with the child on their caseload steps down', async () => {
    w.clock.set('2027-06-01T09:00:00Z');
    const c = await w.newChild();
    const res = await w.t.post(w.token.socialWorker, Q.stepDown, {
      child: c.id,
      ref: 'SA-0002',
      consent: c.consentId,
      fsm: w.person.fsm,
      rep: w.person.screener,
      on: w.today(),
      c: 'south',
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const fsm = await w.t.post(w.token.fsm, Q.stepDown, {
      child: c.id,
      ref: 'SA-0002',
      consent: c.consentId,
      fsm: w.person.fsm,
      rep: w.person.screener,
      on: w.today(),
      c: 'south',
    });
    expect(fsm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('openEha: the school MIS plugin read', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(() => w.t.close());

  it('answers a school for a pupil on its roll, with only the actions the school owns', async () => {
    const k = await caseIn(w, 'plan_in_place');
    const data = await w.ok(w.token.school, OPEN_EHA, { child: k.childId });
    expect(data.openEha).toMatchObject({
      status: 'plan_in_place',
      cluster: 'central',
      nextReviewDue: addDaysIso(w.today(), 30),
      leadPractitioner: { name: 'Practitioner wf-lead', organisationName: 'Test council' },
    });
    expect(data.openEha.planActions).toHaveLength(1);
    expect(data.openEha.planActions[0].owningOrganisationId).toBe(w.org.school);
    // The case team sees both actions.
    expect((await w.ok(w.token.fsm, OPEN_EHA, { child: k.childId })).openEha.planActions).toHaveLength(2);
    // The same through Child.openEha.
    const child = await w.ok(
      w.token.school,
      `query ($id: ID!) { child(id: $id) { openEha { status planActions { owningOrganisationId } } } }`,
      { id: k.childId },
    );
    expect(child.child.openEha).toEqual({
      status: 'plan_in_place',
      planActions: [{ owningOrganisationId: w.org.school }],
    });
  });

  it('refuses a school for a child not on its roll', async () => {
    const k = await caseIn(w, 'plan_in_place');
    const res = await w.t.post(w.token.otherSchool, OPEN_EHA, { child: k.childId });
    expect(res.data?.openEha ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
  });

  it('refuses the whole plan to a school (FORBIDDEN on actionPlan), leaving the rest of the answer', async () => {
    const k = await caseIn(w, 'plan_in_place');
    const res = await w.t.post(
      w.token.school,
      `query ($c: ID!) { openEha(childId: $c) { status actionPlan { desiredOutcome } } }`,
      { c: k.childId },
    );
    expect(res.data.openEha).toEqual({ status: 'plan_in_place', actionPlan: null });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('every mutation is audited and emits a case event', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(() => w.t.close());

  async function expectAudited(
    res: { extensions?: Record<string, unknown>; errors?: unknown },
    childId: string,
    action: string,
    kind: string,
    seqBefore: number,
  ) {
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const rows = await w.t.database.db
      .select()
      .from(accessAudit)
      .where(eq(accessAudit.requestId, res.extensions!.requestId as string));
    const row = rows.find((r) => r.childId === childId);
    expect(row, action).toBeDefined();
    expect((row!.changes as { action: string }[]).map((c) => c.action)).toContain(action);
    const events = await w.t.database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, childId), sql`${caseEvents.seq} > ${seqBefore}`));
    expect(
      events.map((e) => e.kind),
      action,
    ).toContain(kind);
  }
  const lastSeq = async () =>
    Number(
      (await w.t.database.db.select({ s: sql<number>`coalesce(max(${caseEvents.seq}), 0)` }).from(caseEvents))[0]!.s,
    );

  it('submitReferral, screenReferral, recordTafMeeting, setActionPlan, recordReview, referToMasp, recordMaspOutcome, stepUp, recordSingleAssessmentOutcome, closeEha, stepDown', async () => {
    const c = await w.newChild();
    let seq = await lastSeq();
    const sub = await w.t.post(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds },
    });
    await expectAudited(sub, c.id, 'submitReferral', 'referral_submitted', seq);
    seq = await lastSeq();
    const screen = await w.t.post(
      w.token.screener,
      Q.screen,
      {
        id: sub.data.submitReferral.referralId,
        v: 1,
        d: 'accept',
        r: 'Eligible',
        fsm: w.person.fsm,
        c: 'west',
        ocr: 'The family is moving across the city',
      },
      'screening',
    );
    await expectAudited(screen, c.id, 'screenReferral', 'referral_screened', seq);
    const ehaId = screen.data.screenReferral.ehaId;
    let v = 1;
    const run = async (token: string, query: string, vars: Record<string, unknown>, action: string, kind: string) => {
      seq = await lastSeq();
      const res = await w.t.post(token, query, vars);
      await expectAudited(res, c.id, action, kind, seq);
      v = (Object.values(res.data as object)[0] as { version: number }).version;
    };
    await run(
      w.token.fsm,
      Q.taf,
      { input: { ...tafInput(w), ehaId, expectedVersion: v } },
      'recordTafMeeting',
      'taf_recorded',
    );
    await run(
      w.token.fsm,
      Q.plan,
      { input: planInput(w, ehaId, v, addDaysIso(w.today(), 40), addDaysIso(w.today(), 10)) },
      'setActionPlan',
      'plan_set',
    );
    const actions = (await w.ok(w.token.fsm, Q.eha, { id: ehaId })).eha.planActions;
    await run(
      w.token.fsm,
      Q.review,
      {
        input: {
          ehaId,
          expectedVersion: v,
          heldOn: w.today(),
          nextReviewDate: addDaysIso(w.today(), 50),
          levelOfNeed: 'early_help',
          progress: actions.map((a: { id: string }) => ({ actionId: a.id, status: 'in_progress', note: 'Going' })),
        },
      },
      'recordReview',
      'review_recorded',
    );
    await run(w.token.fsm, Q.masp, { id: ehaId, v, c: ['high_cost'] }, 'referToMasp', 'masp_referred');
    await run(
      w.token.maspChair,
      Q.maspOutcome,
      { id: ehaId, v, o: 'resources_agreed' },
      'recordMaspOutcome',
      'masp_outcome',
    );
    await run(w.token.fsm, Q.stepUp, { id: ehaId, v, sw: w.person.socialWorker }, 'stepUp', 'stepped_up');
    await run(
      w.token.socialWorker,
      Q.sa,
      { id: ehaId, v, o: 'continue_early_help' },
      'recordSingleAssessmentOutcome',
      'stepped_down',
    );
    // The meeting, plan and review events name their own row, so Liquid Logic gets each one.
    const named = await w.t.database.db
      .select()
      .from(caseEvents)
      .where(
        and(eq(caseEvents.childId, c.id), sql`${caseEvents.kind} in ('taf_recorded', 'plan_set', 'review_recorded')`),
      );
    expect(Object.fromEntries(named.map((e) => [e.kind, Object.keys(e.refs as object).sort()]))).toEqual({
      taf_recorded: ['ehaId', 'tafMeetingId'],
      plan_set: ['ehaId', 'planId'],
      review_recorded: ['ehaId', 'reviewId'],
    });
    await run(
      w.token.fsm,
      Q.close,
      { id: ehaId, v, o: 'needs_met', r: 'Needs met', s: ['Universal: youth club'] },
      'closeEha',
      'eha_closed',
    );
    // Closure ends the case's relationships (not the social worker's, which social care owns).
    const open = await w.t.database.db
      .select()
      .from(involvements)
      .where(and(eq(involvements.childId, c.id), sql`${involvements.endedOn} is null`));
    expect(open.map((i) => i.kind).sort()).toEqual(['allocated_social_worker', 'on_roll']);
    seq = await lastSeq();
    const down = await w.t.post(w.token.socialWorker, Q.stepDown, {
      child: c.id,
      ref: 'SA-9',
      consent: c.consentId,
      fsm: w.person.fsm,
      rep: w.person.screener,
      on: w.today(),
      c: 'west',
    });
    await expectAudited(down, c.id, 'stepDown', 'stepped_down', seq);
  });
});

describe('performanceIndicators', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
  });
  afterAll(() => w.t.close());

  it('counts a small constructed scenario by cluster', async () => {
    // A: accepted into north, TAF, plan, review on time, closed needs met.
    const a = await w.newChild();
    const subA = await w.ok(w.token.school, Q.submit, {
      input: { child: a.child, consentId: a.consentId, needs: threeNeeds },
    });
    const accA = await w.ok(
      w.token.screener,
      Q.screen,
      {
        id: subA.submitReferral.referralId,
        v: 1,
        d: 'accept',
        r: 'Eligible',
        fsm: w.person.fsm,
        c: 'north',
        ocr: 'The family is moving across the city',
      },
      'screening',
    );
    const ehaA = accA.screenReferral.ehaId;
    let v = (await w.ok(w.token.fsm, Q.taf, { input: { ...tafInput(w), ehaId: ehaA, expectedVersion: 1 } }))
      .recordTafMeeting.version;
    v = (await w.ok(w.token.fsm, Q.plan, { input: planInput(w, ehaA, v, '2027-04-10', '2027-03-20') })).setActionPlan
      .version;
    const acts = (await w.ok(w.token.fsm, Q.eha, { id: ehaA })).eha.planActions;
    v = (
      await w.ok(w.token.fsm, Q.review, {
        input: {
          ehaId: ehaA,
          expectedVersion: v,
          heldOn: '2027-03-10',
          nextReviewDate: '2027-05-10',
          levelOfNeed: 'early_help',
          progress: acts.map((x: { id: string }) => ({ actionId: x.id, status: 'done', note: 'Done' })),
        },
      })
    ).recordReview.version;
    await w.ok(w.token.fsm, Q.close, { id: ehaA, v, o: 'needs_met', r: 'Needs met', s: ['Universal'] });
    // B: declined (the referrer's cluster: central).
    const b = await w.newChild();
    const subB = await w.ok(w.token.school, Q.submit, {
      input: { child: b.child, consentId: b.consentId, needs: threeNeeds },
    });
    await w.ok(
      w.token.screener,
      Q.screen,
      { id: subB.submitReferral.referralId, v: 1, d: 'decline', r: 'Universal services', s: ["Children's centre"] },
      'screening',
    );
    // E: accepted into central and stepped up.
    const e = await caseIn(w, 'plan_in_place');
    await w.ok(w.token.fsm, Q.stepUp, { id: e.ehaId, v: e.version, sw: w.person.socialWorker });
    // C and D: stepped down into south; C's first TAF on day 21, D never.
    const down = async () => {
      const c = await w.newChild();
      await w.f.involve(c.id, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
      return (
        await w.ok(w.token.socialWorker, Q.stepDown, {
          child: c.id,
          ref: 'SA-1',
          consent: c.consentId,
          fsm: w.person.fsm,
          rep: w.person.screener,
          on: w.today(),
          c: 'south',
        })
      ).stepDown;
    };
    const ehaC = await down();
    await down();
    w.clock.set('2027-03-31T10:00:00Z');
    await w.ok(w.token.fsm, Q.taf, { input: { ...tafInput(w), ehaId: ehaC.id, expectedVersion: ehaC.version } });
    w.clock.set('2027-05-01T10:00:00Z');

    const book = (
      await w.ok(
        w.token.fsm,
        `{ performanceIndicators(from: "2027-03-01", to: "2027-04-30") {
      clusters { cluster contactsRequestingEarlyHelp referralsAccepted referralsDeclined ehasOpen ehasClosed closedByOutcome { outcome count } stepUps stepDowns firstTafsDue firstTafsWithin3Weeks firstTafsWithin3WeeksPercent reviewsHeld reviewsOnTime reviewsOnTimePercent }
      total { contactsRequestingEarlyHelp referralsAccepted referralsDeclined ehasOpen ehasClosed closedByOutcome { outcome count } stepUps stepDowns firstTafsDue firstTafsWithin3Weeks firstTafsWithin3WeeksPercent reviewsHeld reviewsOnTime reviewsOnTimePercent } } }`,
      )
    ).performanceIndicators;
    expect(book.total).toEqual({
      contactsRequestingEarlyHelp: 3,
      referralsAccepted: 2,
      referralsDeclined: 1,
      ehasOpen: 3,
      ehasClosed: 1,
      closedByOutcome: [{ outcome: 'needs_met', count: 1 }],
      stepUps: 1,
      stepDowns: 2,
      firstTafsDue: 2,
      firstTafsWithin3Weeks: 1,
      firstTafsWithin3WeeksPercent: 50,
      reviewsHeld: 1,
      reviewsOnTime: 1,
      reviewsOnTimePercent: 100,
    });
    const by = Object.fromEntries(book.clusters.map((c: { cluster: string }) => [c.cluster, c]));
    expect(by.north).toMatchObject({
      contactsRequestingEarlyHelp: 1,
      referralsAccepted: 1,
      ehasClosed: 1,
      ehasOpen: 0,
      reviewsHeld: 1,
    });
    expect(by.central).toMatchObject({
      contactsRequestingEarlyHelp: 2,
      referralsAccepted: 1,
      referralsDeclined: 1,
      stepUps: 1,
      ehasOpen: 1,
    });
    expect(by.south).toMatchObject({ stepDowns: 2, ehasOpen: 2, firstTafsDue: 2, firstTafsWithin3Weeks: 1 });
    expect(by.east).toMatchObject({ contactsRequestingEarlyHelp: 0, ehasOpen: 0 });
  });

  it('is not for schools (FORBIDDEN)', async () => {
    const res = await w.t.post(
      w.token.school,
      `{ performanceIndicators(from: "2027-01-01", to: "2027-12-31") { total { ehasOpen } } }`,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
