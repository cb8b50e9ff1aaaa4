/**
 * Who may give consent. A young person consents for themselves at 16 or over, at 12–15 only with
 * the practitioner's recorded competence assessment (who, when, why), never under 12; their age is
 * taken on the date the consent was given. A parent or carer's consent can be recorded by a
 * practitioner who cannot read the family: the giver is written as stated, not looked up, and
 * stays unreconciled until EH DAS matches it with the family record.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children, consents, familyMembers, householdLinks, referrals } from '../schema';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { threeNeeds } from './workflow-support';

const RECORD = `mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { id givenBy familyMemberId giverReconciled competenceAssessedOn inForce } }`;
const HEALTH = `query ($id: ID!) { child(id: $id) { id healthLevel } }`;
const FAMILY = `query ($id: ID!) { child(id: $id) { id family { givenName } } }`;
const SUBMIT = 'mutation ($input: SubmitReferralInput!) { submitReferral(input: $input) { outcome referralId } }';
const RECONCILE = `mutation ($id: ID!, $familyMemberId: ID!) { reconcileConsentGiver(id: $id, familyMemberId: $familyMemberId) { id familyMemberId giverReconciled } }`;

/** The consent was given on 1 June 2026 (in the past): ages below are counted on that date. */
const GIVEN = '2026-06-01T12:00:00Z';
const ASSESSMENT = {
  assessedBy: 'Practitioner Example (DSL)',
  assessedOn: '2026-06-01',
  reasoning: 'Understood what is shared, with whom and why, and that consent can be withdrawn (Fraser guidance).',
};

describe('consent givers: the young person by age, a parent or carer as stated', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let council: string;
  let dsl: string;
  let screener: string;

  const countFor = async (childId: string) =>
    (await t.database.db.select().from(consents).where(eq(consents.childId, childId))).length;
  const pupil = async (dateOfBirth: string | null, extra: Record<string, unknown> = {}) => {
    const child = await f.child({
      dateOfBirth,
      ...(dateOfBirth === null ? { expectedDate: '2027-02-01' } : {}),
      ...extra,
    });
    await f.involve(child.id, school, 'on_roll');
    return child.id;
  };
  const youngPerson = (childId: string, extra: Record<string, unknown> = {}) => ({
    childId,
    givenBy: 'young_person',
    method: 'verbal',
    organisationIds: [school],
    categories: ['health'],
    purposes: ['direct_support'],
    startsAt: GIVEN,
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    council = await f.org('council', 'council_early_help');
    dsl = await t.token({ role: 'school_dsl', org: school });
    screener = await t.token({ role: 'eh_das_screener', org: council });
  });
  afterAll(() => t.close());

  it("refuses a school recording a 7-year-old's own consent, and the school still cannot read health", async () => {
    const child = await pupil('2019-03-10');
    const res = await t.post(dsl, RECORD, { input: youngPerson(child) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'givenBy' });
    expect(res.errors?.[0]?.message).toMatch(/12/);
    expect(res.data?.recordConsent ?? null).toBeNull();
    expect(await countFor(child)).toBe(0);
    const health = await t.post(dsl, HEALTH, { id: child });
    expect(health.errors?.[0]?.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', category: 'health' });
  });

  it("refuses a joint consent that rests on an under-12's own consent, and an unborn baby's", async () => {
    const child = await pupil('2016-01-01');
    const joint = await t.post(dsl, RECORD, {
      input: youngPerson(child, {
        givenBy: 'young_person_and_family_member',
        giverName: 'Parent Example',
        giverRelationship: 'mother',
      }),
    });
    expect(joint.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'givenBy' });
    const unborn = await pupil(null);
    const res = await t.post(dsl, RECORD, { input: youngPerson(unborn) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'givenBy' });
    expect((await countFor(child)) + (await countFor(unborn))).toBe(0);
  });

  it('counts age on the day the consent was given: the day before the 12th birthday is under 12; on it, 12 with an assessment', async () => {
    const elevenAndLastDay = await pupil('2014-06-02');
    const under = await t.post(dsl, RECORD, {
      input: youngPerson(elevenAndLastDay, { competenceAssessment: ASSESSMENT }),
    });
    expect(under.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'givenBy' });
    const twelveToday = await pupil('2014-06-01');
    const ok = await t.post(dsl, RECORD, { input: youngPerson(twelveToday, { competenceAssessment: ASSESSMENT }) });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.recordConsent).toMatchObject({
      givenBy: 'young_person',
      giverReconciled: true,
      competenceAssessedOn: '2026-06-01',
      inForce: true,
    });
  });

  it("at 12–15 refuses a young person's consent without a competence assessment, and stores who assessed, when and why with it", async () => {
    const fourteen = await pupil('2012-01-15');
    const none = await t.post(dsl, RECORD, { input: youngPerson(fourteen) });
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'competenceAssessment' });
    const blank = await t.post(dsl, RECORD, {
      input: youngPerson(fourteen, { competenceAssessment: { ...ASSESSMENT, reasoning: '  ' } }),
    });
    expect(blank.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'competenceAssessment.reasoning',
    });
    const later = await t.post(dsl, RECORD, {
      input: youngPerson(fourteen, { competenceAssessment: { ...ASSESSMENT, assessedOn: '2026-06-02' } }),
    });
    expect(later.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'competenceAssessment.assessedOn',
    });
    expect(await countFor(fourteen)).toBe(0);

    const res = await t.post(dsl, RECORD, { input: youngPerson(fourteen, { competenceAssessment: ASSESSMENT }) });
    expect(res.errors).toBeUndefined();
    const [row] = await t.database.db.select().from(consents).where(eq(consents.id, res.data.recordConsent.id));
    expect(row).toMatchObject({
      competenceAssessedBy: ASSESSMENT.assessedBy,
      competenceAssessedOn: '2026-06-01',
      competenceReasoning: ASSESSMENT.reasoning,
    });
    const health = await t.post(dsl, HEALTH, { id: fourteen });
    expect(health.errors).toBeUndefined();
  });

  it('at 16 or over a young person consents alone; a birthday after the consent was given does not count', async () => {
    const sixteen = await pupil('2010-05-31');
    const res = await t.post(dsl, RECORD, { input: youngPerson(sixteen) });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordConsent.competenceAssessedOn).toBeNull();
    // 16 by today, but 15 on the day the consent was given.
    const fifteenThen = await pupil('2010-06-02');
    const then = await t.post(dsl, RECORD, { input: youngPerson(fifteenThen) });
    expect(then.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'competenceAssessment' });
  });

  it('a consent dated in the future counts the age on the day it is recorded, not the day it starts', async () => {
    const today = new Date();
    const fifteen = `${today.getUTCFullYear() - 15}-01-01`;
    const child = await pupil(fifteen);
    const inTwoYears = new Date(today.getTime() + 2 * 365 * 86_400_000).toISOString();
    const res = await t.post(dsl, RECORD, { input: youngPerson(child, { startsAt: inTwoYears }) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'competenceAssessment' });
  });

  describe('a parent or carer, as the practitioner states them', () => {
    it('is recorded by a school that cannot read the family, written not read, unreconciled until EH DAS links it', async () => {
      const child = await pupil('2019-03-10');
      await f.involve(child, council, 'screening');
      const [parent] = await t.database.db
        .insert(familyMembers)
        .values({ givenName: 'ParentSynthetic', familyName: 'Example' })
        .returning();
      await t.database.db
        .insert(householdLinks)
        .values({ childId: child, relation: 'parent', familyMemberId: parent!.id, hasParentalResponsibility: true });
      expect((await t.post(dsl, FAMILY, { id: child })).errors?.[0]?.extensions).toMatchObject({
        code: 'CONSENT_REQUIRED',
        category: 'family',
      });

      const res = await t.post(dsl, RECORD, {
        input: youngPerson(child, {
          givenBy: 'family_member',
          giverName: 'ParentSynthetic Example',
          giverRelationship: 'mother',
        }),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data.recordConsent).toMatchObject({
        givenBy: 'family_member',
        familyMemberId: null,
        giverReconciled: false,
        inForce: true,
      });
      const [row] = await t.database.db.select().from(consents).where(eq(consents.id, res.data.recordConsent.id));
      expect(row).toMatchObject({
        giverName: 'ParentSynthetic Example',
        giverRelationship: 'mother',
        familyMemberId: null,
      });
      expect((await t.post(dsl, HEALTH, { id: child })).errors).toBeUndefined();
      // Nothing of the family came back to the school.
      expect(JSON.stringify(res)).not.toContain('ParentSynthetic');

      // The school may not reconcile it; EH DAS may, only with a parent or carer linked to the child.
      expect(
        (await t.post(dsl, RECONCILE, { id: res.data.recordConsent.id, familyMemberId: parent!.id })).errors?.[0]
          ?.extensions?.code,
      ).toBe('FORBIDDEN');
      const [stranger] = await t.database.db
        .insert(familyMembers)
        .values({ givenName: 'Neighbour', familyName: 'Example' })
        .returning();
      const wrong = await t.post(screener, RECONCILE, { id: res.data.recordConsent.id, familyMemberId: stranger!.id });
      expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'familyMemberId' });
      const done = await t.post(screener, RECONCILE, { id: res.data.recordConsent.id, familyMemberId: parent!.id });
      expect(done.errors).toBeUndefined();
      expect(done.data.reconcileConsentGiver).toMatchObject({ familyMemberId: parent!.id, giverReconciled: true });
      const again = await t.post(screener, RECONCILE, { id: res.data.recordConsent.id, familyMemberId: parent!.id });
      expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    });

    it('needs the giver named one way or the other, with the relationship', async () => {
      const child = await pupil('2019-03-10');
      const cases: [Record<string, unknown>, string][] = [
        [{ givenBy: 'family_member' }, 'familyMemberId'],
        [{ givenBy: 'family_member', giverName: 'Parent Example' }, 'giverRelationship'],
        [{ givenBy: 'family_member', giverRelationship: 'father' }, 'giverName'],
        [{ givenBy: 'family_member', giverName: 'x'.repeat(201), giverRelationship: 'father' }, 'giverName'],
        [{ givenBy: 'young_person', giverName: 'Someone', giverRelationship: 'father' }, 'giverName'],
      ];
      for (const [patch, field] of cases) {
        const res = await t.post(dsl, RECORD, { input: youngPerson(child, patch) });
        expect(res.errors?.[0]?.extensions, JSON.stringify(patch)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      expect(await countFor(child)).toBe(0);
    });
  });

  describe('the consent as given with a referral follows the same rule', () => {
    const refer = (dateOfBirth: string, consent: Record<string, unknown> = {}) => ({
      child: {
        givenName: 'Referred',
        familyName: `Young${dateOfBirth.replace(/-/g, '')}`,
        dateOfBirth,
        postcode: 'LE7 7GG',
      },
      needs: threeNeeds,
      consent: {
        givenBy: 'young_person',
        giverName: 'the young person',
        giverRelationship: 'self',
        method: 'verbal',
        categories: ['early_help', 'health'],
        purposes: ['screening', 'direct_support'],
        organisationIds: [council, school],
        ...consent,
      },
    });

    it("refuses a 7-year-old's own consent, and a 14-year-old's without an assessment, creating nothing", async () => {
      const childrenBefore = await t.database.db.$count(children);
      const referralsBefore = await t.database.db.$count(referrals);
      const seven = await t.post(dsl, SUBMIT, { input: refer('2019-04-04') });
      expect(seven.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consent.givenBy' });
      const fourteen = await t.post(dsl, SUBMIT, { input: refer('2012-04-04') });
      expect(fourteen.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'consent.competenceAssessment',
      });
      expect(await t.database.db.$count(children)).toBe(childrenBefore);
      expect(await t.database.db.$count(referrals)).toBe(referralsBefore);
    });

    it("records a 14-year-old's own consent with the assessment", async () => {
      const res = await t.post(dsl, SUBMIT, {
        input: refer('2012-04-05', { competenceAssessment: { ...ASSESSMENT, assessedOn: '2026-01-10' } }),
      });
      expect(res.errors).toBeUndefined();
      const [referral] = await t.database.db
        .select()
        .from(referrals)
        .where(eq(referrals.id, res.data.submitReferral.referralId));
      const [row] = await t.database.db.select().from(consents).where(eq(consents.id, referral!.consentId!));
      expect(row).toMatchObject({
        givenBy: 'young_person',
        competenceAssessedBy: ASSESSMENT.assessedBy,
        competenceAssessedOn: '2026-01-10',
        competenceReasoning: ASSESSMENT.reasoning,
      });
    });
  });
});
