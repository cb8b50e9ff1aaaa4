/**
 * Screening as the protocol has it, over HTTP: four outcomes — accept (an EHA), single agency
 * response, decline, and "may be at risk of significant harm — follow safeguarding procedures
 * now": route to children's social care's front door, passed on and followed up by EH DAS — and
 * the level of need (Universal / Early Help / Specialist) judged at screening and at each review.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, involvements, referrals } from '../schema';
import { addDaysIso, buildWorld, caseIn, Q, reviewInput, threeNeeds, type World } from './workflow-support';

const AT_FRONT_DOOR = `{ referralsAtFrontDoor { id status levelOfNeed frontDoorOrganisationId frontDoorReferredAt } }`;

describe('screening outcomes and levels of need', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
  });
  afterAll(() => w.t.close());

  const submitted = async (needs = threeNeeds) => {
    const c = await w.newChild();
    const sub = await w.ok(w.token.school, Q.submit, { input: { child: c.child, consentId: c.consentId, needs } });
    return { childId: c.id, id: sub.submitReferral.referralId as string };
  };

  it('routes a child at risk of significant harm to the front door now, passed on and followed up', async () => {
    const r = await submitted();
    const notSpecialist = await w.t.post(
      w.token.screener,
      Q.screen,
      { id: r.id, v: 1, d: 'refer_to_social_care', r: 'Disclosure of harm', lvl: 'early_help' },
      'screening',
    );
    expect(notSpecialist.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'levelOfNeed' });
    const res = await w.ok(
      w.token.screener,
      Q.screen,
      { id: r.id, v: 1, d: 'refer_to_social_care', r: 'Disclosure of harm', lvl: 'specialist' },
      'screening',
    );
    expect(res.screenReferral).toMatchObject({
      status: 'referred_to_social_care',
      ehaId: null,
      levelOfNeed: 'specialist',
      frontDoorOrganisationId: w.org.socialCare,
      frontDoorReferredAt: '2027-03-10T09:00:00.000Z',
    });
    // EH DAS follows it up for 28 days, then the relationship ends.
    const [screening] = await w.t.database.db
      .select()
      .from(involvements)
      .where(and(eq(involvements.childId, r.childId), eq(involvements.kind, 'screening')));
    expect(screening!.endedOn).toBe(addDaysIso(w.today(), 28));
    const tracked = await w.ok(w.token.screener, AT_FRONT_DOOR, {}, 'screening');
    expect(tracked.referralsAtFrontDoor).toContainEqual(
      expect.objectContaining({
        id: r.id,
        status: 'referred_to_social_care',
        frontDoorOrganisationId: w.org.socialCare,
      }),
    );
    const [event] = await w.t.database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, r.childId), eq(caseEvents.kind, 'referral_screened')));
    expect(event!.refs).toMatchObject({ referralId: r.id, frontDoorOrganisationId: w.org.socialCare });
    // The referrer is told where it went.
    const mine = await w.ok(w.token.school, `{ myReferralOutcomes { referralId outcome } }`);
    expect(mine.myReferralOutcomes).toContainEqual({ referralId: r.id, outcome: 'referred_to_social_care' });
    expect((await w.t.post(w.token.fsm, AT_FRONT_DOOR, {}, 'screening')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('records a single agency response with the agency named, distinct from a decline', async () => {
    const r = await submitted(threeNeeds.slice(0, 2));
    const unnamed = await w.t.post(
      w.token.screener,
      Q.screen,
      { id: r.id, v: 1, d: 'single_agency_response', r: 'Two needs, school can meet them', lvl: 'universal' },
      'screening',
    );
    expect(unnamed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'signposting' });
    const res = await w.ok(
      w.token.screener,
      Q.screen,
      {
        id: r.id,
        v: 1,
        d: 'single_agency_response',
        r: 'Two needs, school can meet them',
        lvl: 'universal',
        s: ['School pastoral team'],
        tso: w.org.school,
      },
      'screening',
    );
    expect(res.screenReferral).toMatchObject({
      status: 'single_agency_response',
      levelOfNeed: 'universal',
      ehaId: null,
    });
    const [row] = await w.t.database.db.select().from(referrals).where(eq(referrals.id, r.id));
    expect(row).toMatchObject({ signposting: ['School pastoral team'], belowThresholdReason: null });
  });

  it('refuses an EHA at any level but early_help, a reason where none is needed, and a missing level', async () => {
    const r = await submitted();
    const base = {
      id: r.id,
      v: 1,
      d: 'accept',
      r: 'Eligible',
      fsm: w.person.fsm,
      c: 'north',
      ocr: 'The family is moving across the city',
    };
    expect(
      (await w.t.post(w.token.screener, Q.screen, { ...base, lvl: 'specialist' }, 'screening')).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'levelOfNeed' });
    expect(
      (await w.t.post(w.token.screener, Q.screen, { ...base, btr: 'Not needed' }, 'screening')).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'belowThresholdReason' });
    const noLevel = await w.t.post(
      w.token.screener,
      `mutation ($id: ID!) { screenReferral(id: $id, expectedVersion: 1, decision: accept, rationale: "x") { id } }`,
      { id: r.id },
      'screening',
    );
    expect(noLevel.errors?.[0]?.extensions?.code).toMatch(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/);
    const [row] = await w.t.database.db.select().from(referrals).where(eq(referrals.id, r.id));
    expect(row).toMatchObject({ status: 'submitted', version: 1 });
  });

  it('records the level of need at each review', async () => {
    const k = await caseIn(w, 'plan_in_place');
    const input = { ...(await reviewInput(w, k)), ehaId: k.ehaId, expectedVersion: k.version };
    const bad = await w.t.post(w.token.fsm, Q.review, { input: { ...input, levelOfNeed: 'extreme' } });
    expect(bad.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT/);
    await w.ok(w.token.fsm, Q.review, { input: { ...input, levelOfNeed: 'universal' } });
    const read = await w.ok(w.token.fsm, `query ($id: ID!) { eha(id: $id) { reviews { heldOn levelOfNeed } } }`, {
      id: k.ehaId,
    });
    expect(read.eha.reviews).toEqual([{ heldOn: w.today(), levelOfNeed: 'universal' }]);
  });

  it('reports the outcomes and the exceptions to the eligibility rule in the performance book', async () => {
    const r = await submitted(threeNeeds.slice(0, 1));
    await w.ok(
      w.token.screener,
      Q.screen,
      {
        id: r.id,
        v: 1,
        d: 'accept',
        r: 'One need, but complex',
        btr: 'Three agencies already involved',
        fsm: w.person.fsm,
        c: 'east',
        ocr: 'The family is moving across the city',
      },
      'screening',
    );
    const book = await w.ok(
      w.token.fsm,
      `{ performanceIndicators(from: "2027-03-01", to: "2027-03-31") {
      total { referralsAccepted referralsDeclined referralsSingleAgencyResponse referralsToSocialCare referralsAcceptedBelowThreshold } } }`,
    );
    expect(book.performanceIndicators.total).toEqual({
      referralsAccepted: 2,
      referralsDeclined: 0,
      referralsSingleAgencyResponse: 1,
      referralsToSocialCare: 1,
      referralsAcceptedBelowThreshold: 1,
    });
  });
});
