/**
 * Referrer feedback over HTTP: "the referring practitioner sees the outcome of
 * their referral (accepted / declined with rationale / signposted) without gaining access to the
 * case beyond that"; and the "audit of referrals to social care from partners" (step-ups by
 * referring organisation).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit } from '../schema';
import { addDaysIso, buildWorld, planInput, Q, tafInput, threeNeeds, type World } from './workflow-support';

const MINE = `query ($from: String, $to: String) { myReferralOutcomes(from: $from, to: $to) { referralId childId referralDate outcome decidedOn rationale signposted signposting } }`;
const AUDIT = `query ($from: String, $to: String) { stepUpsByReferringOrganisation(from: $from, to: $to) { organisationId organisationName organisationKind referrals accepted declined stepUps } }`;

describe('referrer feedback', () => {
  let w: World;
  let hv: string;
  let hvColleague: string;
  const made: Record<
    'accepted' | 'declined' | 'waiting' | 'school',
    { childId: string; referralId: string; ehaId?: string }
  > = {} as never;

  async function refer(token: string) {
    const c = await w.newChild();
    const sub = await w.ok(token, Q.submit, { input: { child: c.child, consentId: c.consentId, needs: threeNeeds } });
    return { childId: c.id, referralId: sub.submitReferral.referralId as string };
  }

  beforeAll(async () => {
    w = await buildWorld();
    hv = await w.t.token({ role: 'health_visitor', org: w.org.health, sub: 'fb-health-visitor' });
    hvColleague = await w.t.token({ role: 'health_visitor', org: w.org.health, sub: 'fb-health-visitor-2' });
    made.accepted = await refer(hv);
    made.declined = await refer(hv);
    made.waiting = await refer(hv);
    made.school = await refer(w.token.school);
    const acc = await w.ok(
      w.token.screener,
      Q.screen,
      {
        id: made.accepted.referralId,
        v: 1,
        d: 'accept',
        r: 'Three needs, family engaged',
        fsm: w.person.fsm,
        c: 'central',
      },
      'screening',
    );
    made.accepted.ehaId = acc.screenReferral.ehaId;
    await w.ok(
      w.token.screener,
      Q.screen,
      {
        id: made.declined.referralId,
        v: 1,
        d: 'decline',
        r: 'Needs can be met by a single agency',
        s: ['School nurse drop-in', 'Family Hub parenting group'],
      },
      'screening',
    );
    const sch = await w.ok(
      w.token.screener,
      Q.screen,
      { id: made.school.referralId, v: 1, d: 'accept', r: 'Three needs', fsm: w.person.fsm, c: 'central' },
      'screening',
    );
    made.school.ehaId = sch.screenReferral.ehaId;
  });
  afterAll(() => w.t.close());

  it("the referrer sees each of their referrals' outcome: accepted, declined with rationale and signposting, awaiting screening", async () => {
    const res = await w.ok(hv, MINE, {}, 'direct_support');
    const byId = Object.fromEntries(res.myReferralOutcomes.map((r: { referralId: string }) => [r.referralId, r]));
    expect(res.myReferralOutcomes).toHaveLength(3);
    expect(byId[made.accepted.referralId]).toEqual({
      referralId: made.accepted.referralId,
      childId: null,
      referralDate: w.today(),
      outcome: 'accepted',
      decidedOn: w.today(),
      rationale: null,
      signposted: false,
      signposting: [],
    });
    expect(byId[made.declined.referralId]).toMatchObject({
      outcome: 'declined',
      rationale: 'Needs can be met by a single agency',
      signposted: true,
      signposting: ['School nurse drop-in', 'Family Hub parenting group'],
    });
    expect(byId[made.waiting.referralId]).toMatchObject({
      outcome: 'awaiting_screening',
      decidedOn: null,
      rationale: null,
    });
    expect(byId[made.school.referralId]).toBeUndefined();
  });

  it('a colleague in the same organisation sees none of them; each disclosure is audited on the referrer basis', async () => {
    expect((await w.ok(hvColleague, MINE, {}, 'direct_support')).myReferralOutcomes).toEqual([]);
    const rows = await w.t.database.db
      .select()
      .from(accessAudit)
      .where(and(eq(accessAudit.callerSubject, 'fb-health-visitor'), eq(accessAudit.childId, made.declined.childId)));
    const read = rows.filter((r) => (r.fieldsReturned as string[]).includes('ReferralFeedback.outcome'));
    expect(read.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(read[0]!.basis)).toContain('Referrer feedback');
  });

  it('gives no access to the case beyond the outcome: the EHA, the child record and the referral stay closed to the referrer', async () => {
    const eha = await w.t.post(
      hv,
      `query ($id: ID!) { eha(id: $id) { id status } }`,
      { id: made.accepted.ehaId },
      'direct_support',
    );
    expect(eha.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const child = await w.t.post(
      hv,
      `query ($id: ID!) { child(id: $id) { id givenName } }`,
      { id: made.accepted.childId },
      'direct_support',
    );
    expect(child.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    expect(child.data?.child ?? null).toBeNull();
    const referral = await w.t.post(
      hv,
      `query ($id: ID!) { referral(id: $id) { id status } }`,
      { id: made.accepted.referralId },
      'direct_support',
    );
    expect(referral.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a missing purpose and a reversed period with BAD_USER_INPUT', async () => {
    const noPurpose = await w.t.post(hv, MINE, {}, null);
    expect(noPurpose.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const reversed = await w.t.post(hv, MINE, { from: '2027-03-10', to: '2027-03-01' }, 'direct_support');
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('audit of referrals to social care from partners: step-ups counted against the organisation whose referral opened the EHA', async () => {
    const k = { ehaId: made.accepted.ehaId!, version: 1 };
    const taf = await w.ok(w.token.fsm, Q.taf, {
      input: { ...tafInput(w), ehaId: k.ehaId, expectedVersion: k.version },
    });
    const plan = await w.ok(w.token.fsm, Q.plan, {
      input: planInput(w, k.ehaId, taf.recordTafMeeting.version, addDaysIso(w.today(), 30), addDaysIso(w.today(), 20)),
    });
    await w.ok(w.token.fsm, Q.stepUp, { id: k.ehaId, v: plan.setActionPlan.version, sw: w.person.socialWorker });
    const res = await w.ok(w.token.screener, AUDIT, {});
    const byOrg = Object.fromEntries(
      res.stepUpsByReferringOrganisation.map((r: { organisationId: string }) => [r.organisationId, r]),
    );
    expect(byOrg[w.org.health]).toEqual({
      organisationId: w.org.health,
      organisationName: 'Test health',
      organisationKind: 'health',
      referrals: 3,
      accepted: 1,
      declined: 1,
      stepUps: 1,
    });
    expect(byOrg[w.org.school]).toMatchObject({ referrals: 1, accepted: 1, declined: 0, stepUps: 0 });
    expect(res.stepUpsByReferringOrganisation[0].organisationId).toBe(w.org.health);
    // A period before any of it: nothing.
    expect(
      (await w.ok(w.token.screener, AUDIT, { from: '2026-01-01', to: '2026-12-31' })).stepUpsByReferringOrganisation,
    ).toEqual([]);
    const refused = await w.t.post(hv, AUDIT, {});
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
