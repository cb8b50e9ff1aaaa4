/**
 * MASP for cases open only to social care, over HTTP: the social worker refers a Child in Need or
 * Child Protection case with the panel's criteria; the MASP chair sees it on the agenda and records
 * an outcome that tells "stepped down to Child in Need" from "stepped down to Early Help"; LARP is a
 * placement recommendation. A case with an open EHA goes through the EHA instead.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socialCareMaspReferrals } from '../schema';
import { acceptedCase, buildWorld, Q, type World } from './workflow-support';

const REFER = `mutation ($child: ID!, $s: SocialCareMaspStatus!, $c: [MaspCriterion!]!) {
  referSocialCareCaseToMasp(childId: $child, socialCareStatus: $s, criteria: $c, rationale: "No progress on the CP plan") { id childId socialCareStatus version } }`;
const AGENDA = `{ socialCareMaspReferrals { id childId socialCareStatus criteria } }`;
const DUE = `{ socialCareMaspStepDownsDue { id childId outcome steppedDownEhaId } }`;
const DECIDE = `mutation ($id: ID!, $v: Int!, $o: SocialCareMaspOutcome!) {
  recordSocialCareMaspOutcome(id: $id, expectedVersion: $v, outcome: $o, rationale: "Panel decision") { id outcome decidedOn version } }`;

describe('MASP for cases open only to social care', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
  });
  afterAll(() => w.t.close());

  const socialCareCase = async () => {
    const c = await w.newChild();
    await w.f.involve(c.id, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
    await w.f.consent(c.id, {
      organisationKinds: ['council_early_help', 'social_care'],
      categories: ['social_care'],
      purposes: ['direct_support', 'service_planning'],
    });
    return c.id;
  };

  it('refers a Child Protection case; the chair records it stepped down to Child in Need', async () => {
    const child = await socialCareCase();
    const { referSocialCareCaseToMasp: ref } = await w.ok(w.token.socialWorker, REFER, {
      child,
      s: 'child_protection',
      c: ['no_improvement', 'escalation'],
    });
    expect(ref).toMatchObject({ childId: child, socialCareStatus: 'child_protection', version: 1 });
    const agenda = await w.ok(w.token.maspChair, AGENDA, {}, 'service_planning');
    expect(agenda.socialCareMaspReferrals).toContainEqual({
      id: ref.id,
      childId: child,
      socialCareStatus: 'child_protection',
      criteria: ['no_improvement', 'escalation'],
    });
    const again = await w.t.post(w.token.socialWorker, REFER, { child, s: 'child_protection', c: ['escalation'] });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const decided = await w.ok(
      w.token.maspChair,
      DECIDE,
      { id: ref.id, v: 1, o: 'stepped_down_child_in_need' },
      'service_planning',
    );
    expect(decided.recordSocialCareMaspOutcome).toMatchObject({
      outcome: 'stepped_down_child_in_need',
      decidedOn: '2027-03-10',
    });
    const after = await w.ok(w.token.maspChair, AGENDA, {}, 'service_planning');
    expect(after.socialCareMaspReferrals.map((r: { id: string }) => r.id)).not.toContain(ref.id);
  });

  it('a Child in Need case cannot step down to Child in Need; LARP and stepping down to Early Help are outcomes', async () => {
    const child = await socialCareCase();
    const { referSocialCareCaseToMasp: ref } = await w.ok(w.token.socialWorker, REFER, {
      child,
      s: 'child_in_need',
      c: ['at_risk_of_becoming_accommodated'],
    });
    const wrong = await w.t.post(
      w.token.maspChair,
      DECIDE,
      { id: ref.id, v: 1, o: 'stepped_down_child_in_need' },
      'service_planning',
    );
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'outcome' });
    const larp = await w.ok(w.token.maspChair, DECIDE, { id: ref.id, v: 1, o: 'refer_to_larp' }, 'service_planning');
    expect(larp.recordSocialCareMaspOutcome.outcome).toBe('refer_to_larp');
    const late = await w.t.post(
      w.token.maspChair,
      DECIDE,
      { id: ref.id, v: 1, o: 'stepped_down_early_help' },
      'service_planning',
    );
    // The panel's involvement ended with its decision: a second outcome finds no relationship.
    expect(late.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
  });

  it('a case the panel stepped down to Early Help is on the social worker’s list until stepDown carries it out; a case at the panel cannot step down yet', async () => {
    const c = await w.newChild();
    await w.f.involve(c.id, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
    await w.f.consent(c.id, {
      organisationKinds: ['council_early_help', 'social_care'],
      categories: ['social_care'],
      purposes: ['direct_support', 'service_planning'],
    });
    const { referSocialCareCaseToMasp: ref } = await w.ok(w.token.socialWorker, REFER, {
      child: c.id,
      s: 'child_in_need',
      c: ['no_improvement'],
    });
    const stepDown = () =>
      w.t.post(w.token.socialWorker, Q.stepDown, {
        child: c.id,
        ref: 'SA-MASP-1',
        consent: c.consentId,
        fsm: w.person.fsm,
        c: 'central',
        rep: w.person.screener,
        on: '2027-03-09',
      });
    const early = await stepDown();
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'childId' });
    const due = async () => (await w.ok(w.token.socialWorker, DUE)).socialCareMaspStepDownsDue as { id: string }[];
    expect((await due()).map((r) => r.id)).not.toContain(ref.id);

    await w.ok(w.token.maspChair, DECIDE, { id: ref.id, v: 1, o: 'stepped_down_early_help' }, 'service_planning');
    expect(await due()).toContainEqual({
      id: ref.id,
      childId: c.id,
      outcome: 'stepped_down_early_help',
      steppedDownEhaId: null,
    });
    const done = await stepDown();
    expect(done.errors, JSON.stringify(done.errors)).toBeUndefined();
    const ehaId = done.data.stepDown.id as string;
    expect((await due()).map((r) => r.id)).not.toContain(ref.id);
    const [row] = await w.t.database.db
      .select()
      .from(socialCareMaspReferrals)
      .where(eq(socialCareMaspReferrals.id, ref.id));
    expect(row!.steppedDownEhaId).toBe(ehaId);
  });

  it('sends a case with an open EHA through the EHA, and refuses other roles', async () => {
    const k = await acceptedCase(w);
    await w.f.involve(k.childId, w.org.socialCare, 'allocated_social_worker', {
      practitionerId: w.person.socialWorker,
    });
    const res = await w.t.post(w.token.socialWorker, REFER, {
      child: k.childId,
      s: 'child_in_need',
      c: ['escalation'],
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childId' });
    const fsm = await w.t.post(w.token.fsm, REFER, { child: k.childId, s: 'child_in_need', c: ['escalation'] });
    expect(fsm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
