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
