/**
 * Step down and the first Team Around the Family as the protocol has them, over HTTP: "Step down
 * from social care: family consents" — in writing (a verbal consent counts once confirmed in
 * writing); "first meeting chaired by the Family Support Manager".
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents, ehas } from '../schema';
import { acceptedCase, buildWorld, Q, tafInput, type World } from './workflow-support';

describe('step down on written consent; the first TAF chaired by the Family Support Manager', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-06-01T09:00:00Z');
  });
  afterAll(() => w.t.close());

  it('refuses a step down on a verbal consent, naming consentId and creating nothing; confirmed in writing, it steps down', async () => {
    const c = await w.newChild();
    await w.f.involve(c.id, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
    await w.t.database.db.update(consents).set({ method: 'verbal' }).where(eq(consents.id, c.consentId));
    const vars = {
      child: c.id,
      ref: 'SA-W1',
      consent: c.consentId,
      fsm: w.person.fsm,
      c: 'south',
      rep: w.person.screener,
      on: w.today(),
    };
    const refused = await w.t.post(w.token.socialWorker, Q.stepDown, vars);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consentId' });
    expect(refused.errors?.[0]?.message).toMatch(/written consent/);
    const [{ n }] = await w.t.database.db.select({ n: count() }).from(ehas).where(eq(ehas.childId, c.id));
    expect(n).toBe(0);

    const confirmed = await w.t.post(
      w.token.socialWorker,
      `mutation ($id: ID!) { confirmConsentInWriting(id: $id) { id } }`,
      { id: c.consentId },
    );
    expect(confirmed.errors).toBeUndefined();
    const down = await w.ok(w.token.socialWorker, Q.stepDown, vars);
    expect(down.stepDown).toMatchObject({ status: 'awaiting_first_taf', origin: 'step_down' });
  });

  it('refuses a first TAF chaired by anyone but a Family Support Manager; later meetings may be chaired by the lead', async () => {
    const k = await acceptedCase(w);
    const byLead = await w.t.post(w.token.fsm, Q.taf, {
      input: { ...tafInput(w), chairPractitionerId: w.person.lead, ehaId: k.ehaId, expectedVersion: k.version },
    });
    expect(byLead.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'chairPractitionerId' });
    expect((await w.ok(w.token.fsm, Q.eha, { id: k.ehaId })).eha).toMatchObject({
      status: 'awaiting_first_taf',
      firstTafOn: null,
      version: k.version,
    });

    const first = await w.ok(w.token.fsm, Q.taf, {
      input: { ...tafInput(w), ehaId: k.ehaId, expectedVersion: k.version },
    });
    expect(first.recordTafMeeting).toMatchObject({ status: 'taf_held', firstTafOn: w.today() });
    const second = await w.t.post(w.token.fsm, Q.taf, {
      input: {
        ...tafInput(w),
        chairPractitionerId: w.person.lead,
        ehaId: k.ehaId,
        expectedVersion: first.recordTafMeeting.version,
      },
    });
    expect(second.errors).toBeUndefined();
  });
});

describe('step down after a social care meeting EH DAS attended, to the support the family chose', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-06-01T09:00:00Z');
  });
  afterAll(() => w.t.close());

  const child = async () => {
    const c = await w.newChild();
    await w.f.involve(c.id, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
    return {
      child: c.id,
      ref: 'SA-M1',
      consent: c.consentId,
      fsm: w.person.fsm,
      c: 'central',
      rep: w.person.screener,
      on: '2027-05-25',
    };
  };

  it('records the CP review conference, the EH DAS representative and Family Support Work as chosen', async () => {
    const vars = { ...(await child()), meeting: 'cp_review_conference', support: 'family_support_work' };
    const { stepDown } = await w.ok(w.token.socialWorker, Q.stepDown, vars);
    expect(stepDown).toMatchObject({
      origin: 'step_down',
      stepDownMeeting: 'cp_review_conference',
      stepDownMeetingOn: '2027-05-25',
      stepDownEhDasRepresentativeId: w.person.screener,
      stepDownSupport: 'family_support_work',
    });
  });

  it('Family Support Work has no TAF until it becomes an EHA: done by a Family Support Worker, looked at again in 3 months, escalated with a reason', async () => {
    const worker = await w.f.practitioner(w.org.council, 'sd-fsw', 'family_support_worker');
    const workerToken = await w.t.token({ role: 'family_support_worker', org: w.org.council, sub: 'sd-fsw' });
    const vars = { ...(await child()), support: 'family_support_work', worker };
    // Only Family Support Work goes to a Family Support Worker, and only to one.
    const toEha = await w.t.post(w.token.socialWorker, Q.stepDown, { ...vars, support: 'early_help_assessment' });
    expect(toEha.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'familySupportWorkerId' });
    const notWorker = await w.t.post(w.token.socialWorker, Q.stepDown, { ...vars, worker: w.person.lead });
    expect(notWorker.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'familySupportWorkerId' });
    const before = await w.t.post(workerToken, `query ($id: ID!) { child(id: $id) { id } }`, { id: vars.child });
    expect(before.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');

    const { stepDown } = await w.ok(w.token.socialWorker, Q.stepDown, vars);
    expect(stepDown).toMatchObject({ status: 'family_support_work', firstTafDueBy: null });
    // The worker reads the child and the work by that allocation.
    const mine = await w.ok(workerToken, `query ($id: ID!) { eha(id: $id) { status leadPractitioner { id } } }`, {
      id: stepDown.id,
    });
    expect(mine.eha).toEqual({ status: 'family_support_work', leadPractitioner: { id: worker } });
    const read = await w.ok(w.token.fsm, `query ($id: ID!) { eha(id: $id) { nextReviewDue } }`, { id: stepDown.id });
    expect(read.eha.nextReviewDue).toBe('2027-09-01');
    // No first TAF is due, so none is overdue, however long the work runs.
    const taf = await w.t.post(w.token.fsm, Q.taf, {
      input: { ...tafInput(w), ehaId: stepDown.id, expectedVersion: stepDown.version },
    });
    expect(taf.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', from: 'family_support_work' });

    const blank = await w.t.post(
      w.token.fsm,
      `mutation ($id: ID!, $v: Int!) { escalateToEha(ehaId: $id, expectedVersion: $v, rationale: "  ") { id } }`,
      { id: stepDown.id, v: stepDown.version },
    );
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rationale' });
    const bySchool = await w.t.post(w.token.school, Q.escalate, { id: stepDown.id, v: stepDown.version });
    expect(bySchool.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const { escalateToEha } = await w.ok(w.token.fsm, Q.escalate, { id: stepDown.id, v: stepDown.version });
    expect(escalateToEha).toMatchObject({
      status: 'awaiting_first_taf',
      version: stepDown.version + 1,
      firstTafDueBy: '2027-06-22',
      escalatedToEhaOn: '2027-06-01',
      escalationRationale: 'Needs beyond one agency',
    });
    const first = await w.t.post(w.token.fsm, Q.taf, {
      input: { ...tafInput(w), ehaId: stepDown.id, expectedVersion: escalateToEha.version },
    });
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
  });

  it('refuses a representative from outside the council’s Early Help service, a future meeting, and a missing choice', async () => {
    const vars = await child();
    const bySocialWorker = await w.t.post(w.token.socialWorker, Q.stepDown, { ...vars, rep: w.person.socialWorker });
    expect(bySocialWorker.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'ehDasRepresentativeId',
    });
    const future = await w.t.post(w.token.socialWorker, Q.stepDown, { ...vars, on: '2027-06-02' });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'meetingHeldOn' });
    const noChoice = await w.t.post(
      w.token.socialWorker,
      `mutation ($child: ID!, $consent: ID!, $fsm: ID!, $rep: ID!) { stepDown(childId: $child, singleAssessmentRef: "SA-M2", consentId: $consent, familySupportManagerId: $fsm, cluster: central, meeting: cin_meeting, meetingHeldOn: "2027-05-25", ehDasRepresentativeId: $rep) { id } }`,
      { child: vars.child, consent: vars.consent, fsm: vars.fsm, rep: vars.rep },
    );
    expect(noChoice.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const [{ n }] = await w.t.database.db.select({ n: count() }).from(ehas).where(eq(ehas.childId, vars.child));
    expect(n).toBe(0);
  });
});
