/**
 * The referral path is no existence oracle. Anyone may refer a child, known to the hub or not,
 * with the consent as the family gave it (naming the council's Early Help service); the hub
 * matches internally and only EH DAS sees the candidates. A refused referral writes nothing but
 * its audit row and sends nothing to Liquid Logic, and its answer is the same for a known and an
 * unknown child. "In force" is one definition: an override the DPO did not uphold is not.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, children, consents, outbox, referrals, safeguardingOverrides } from '../schema';
import { syntheticNhsNumber } from '../seeds/synthetic';
import type { GraphQLResponse } from './support/hub';
import { buildWorld, threeNeeds, type World } from './workflow-support';

const SUBMIT =
  'mutation ($input: SubmitReferralInput!) { submitReferral(input: $input) { outcome referralId childId candidates { childId } } }';

/** What a client sees, without the request id. */
const body = (res: GraphQLResponse) =>
  JSON.stringify({
    data: res.data ?? null,
    errors: res.errors?.map(({ message, extensions }) => ({
      message,
      code: extensions?.code,
      category: extensions?.category,
    })),
  });

describe('referral: anyone may refer, and the answer reveals nothing', () => {
  let w: World;
  let staff: string;
  let vcs: string;
  let consentAsGiven: Record<string, unknown>;
  beforeAll(async () => {
    w = await buildWorld();
    staff = await w.t.token({ role: 'school_staff', org: w.org.otherSchool, sub: 'ref-staff' });
    vcs = await w.f.org('ref-charity', 'voluntary');
    consentAsGiven = {
      givenBy: 'family_member',
      giverName: 'Parent Example',
      giverRelationship: 'mother',
      method: 'verbal',
      categories: ['early_help', 'family'],
      purposes: ['screening', 'direct_support'],
      organisationIds: [w.org.council],
    };
  });
  afterAll(() => w.t.close());

  const audited = async (res: GraphQLResponse) =>
    w.t.database.db
      .select()
      .from(accessAudit)
      .where(eq(accessAudit.requestId, res.extensions!.requestId as string));

  it('gives school staff no candidates and no child id for a child matched by name, date of birth and postcode', async () => {
    const known = await w.newChild();
    const { nhsNumber: _n, nhsNumberTraced: _t, ...byName } = known.child;
    const res = await w.t.post(staff, SUBMIT, { input: { child: byName, consent: consentAsGiven, needs: threeNeeds } });
    expect(res.errors).toBeUndefined();
    expect(res.data.submitReferral).toMatchObject({ outcome: 'submitted', childId: null, candidates: [] });
    expect(JSON.stringify(res)).not.toContain(known.id);
    // EH DAS screening sees the candidate.
    const [row] = await w.t.database.db
      .select()
      .from(referrals)
      .where(eq(referrals.id, res.data.submitReferral.referralId));
    expect(row!.matchCandidateIds).toContain(known.id);
    const screen = await w.t.post(
      w.token.screener,
      'query ($id: ID!) { referral(id: $id) { matchCandidateIds } }',
      { id: row!.id },
      'screening',
    );
    expect(screen.data.referral.matchCandidateIds).toContain(known.id);
  });

  it('answers a known and an unknown child alike, for an accepted referral', async () => {
    const known = await w.newChild();
    const a = await w.t.post(staff, SUBMIT, {
      input: { child: known.child, consent: consentAsGiven, needs: threeNeeds },
    });
    const b = await w.t.post(staff, SUBMIT, {
      input: {
        child: {
          givenName: 'Nobody',
          familyName: 'Heardof',
          dateOfBirth: '2016-06-06',
          postcode: 'LE5 5EE',
          nhsNumber: syntheticNhsNumber(993_001),
          nhsNumberTraced: true,
        },
        consent: consentAsGiven,
        needs: threeNeeds,
      },
    });
    const shape = (res: GraphQLResponse) => body(res).replace(/"referralId":"[^"]+"/, '"referralId":"…"');
    expect(shape(a)).toBe(shape(b));
    expect(a.data.submitReferral.outcome).toBe('submitted');
  });

  it('lets a partner refer a child the hub does not know, recording the consent as given', async () => {
    const before = await w.t.database.db.$count(children);
    const res = await w.t.post(staff, SUBMIT, {
      input: {
        child: { givenName: 'Newly', familyName: 'Referred', dateOfBirth: '2017-07-07', postcode: 'LE6 6FF' },
        consent: consentAsGiven,
        needs: threeNeeds,
      },
    });
    expect(res.errors).toBeUndefined();
    expect(await w.t.database.db.$count(children)).toBe(before + 1);
    const [row] = await w.t.database.db
      .select()
      .from(referrals)
      .where(eq(referrals.id, res.data.submitReferral.referralId));
    const [consent] = await w.t.database.db.select().from(consents).where(eq(consents.id, row!.consentId!));
    expect(consent).toMatchObject({
      childId: row!.childId,
      giverName: 'Parent Example',
      giverRelationship: 'mother',
      method: 'verbal',
      organisationIds: [w.org.council],
      recordedByOrganisationId: w.org.otherSchool,
    });
    const outcomes = await w.t.post(staff, '{ myReferralOutcomes { referralId } }');
    expect(outcomes.data.myReferralOutcomes.map((o: { referralId: string }) => o.referralId)).toContain(row!.id);
  });

  it('refuses a referral without consent alike for a known and an unknown child, creating nothing, sending nothing, auditing the attempt', async () => {
    const known = await w.newChild();
    const counts = async () => ({
      children: await w.t.database.db.$count(children),
      referrals: await w.t.database.db.$count(referrals),
      outbox: await w.t.database.db.$count(outbox),
    });
    const before = await counts();
    const a = await w.t.post(staff, SUBMIT, { input: { child: known.child, needs: threeNeeds } });
    const b = await w.t.post(staff, SUBMIT, {
      input: {
        child: {
          givenName: 'Absent',
          familyName: 'Child',
          dateOfBirth: '2016-01-01',
          nhsNumber: syntheticNhsNumber(993_002),
          nhsNumberTraced: true,
        },
        needs: threeNeeds,
      },
    });
    expect(a.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
    expect(body(a)).toBe(body(b));
    expect(await counts()).toEqual(before);
    expect(await audited(a)).toHaveLength(1);
    expect(await audited(b)).toHaveLength(1);
    expect((await audited(a))[0]!.childId).toBe(known.id);
  });

  it("refuses a consent that does not name the council's Early Help service", async () => {
    const known = await w.newChild();
    const onlyCharity = await w.f.consent(known.id, {
      organisationIds: [vcs],
      categories: ['early_help'],
      purposes: ['screening'],
    });
    const byId = await w.t.post(w.token.school, SUBMIT, {
      input: { child: known.child, consentId: onlyCharity, needs: threeNeeds },
    });
    expect(byId.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
    const stated = await w.t.post(staff, SUBMIT, {
      input: { child: known.child, consent: { ...consentAsGiven, organisationIds: [vcs] }, needs: threeNeeds },
    });
    expect(stated.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
  });

  it('refuses a referral resting on an override the DPO did not uphold', async () => {
    const known = await w.newChild();
    const [override] = await w.t.database.db
      .insert(safeguardingOverrides)
      .values({
        childId: known.id,
        categories: ['early_help'],
        justification: 'Fixture: seeking consent would increase the risk of significant harm',
        declaredBySubject: 'wf-school-dsl',
        declaredByOrganisationId: w.org.school,
        declaredByRole: 'school_dsl',
        declaredAt: new Date('2027-03-01T00:00:00Z'),
        expiresAt: new Date('2027-04-01T00:00:00Z'),
        reviewStatus: 'not_upheld',
      })
      .returning();
    const res = await w.t.post(w.token.school, SUBMIT, { input: { child: known.child, needs: threeNeeds } });
    expect(res.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
    expect(
      await w.t.database.db.$count(
        referrals,
        and(eq(referrals.childId, known.id), eq(referrals.overrideId, override!.id)),
      ),
    ).toBe(0);
  });
});
