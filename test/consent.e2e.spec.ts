/**
 * Consent and safeguarding overrides over HTTP: recording (with the giver's household link
 * checked), confirming in writing, withdrawing (effective on the very next request), history,
 * refusals of bad input that store nothing, and overrides (justified, ≤ 72 hours, DPO-pending).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, caseEvents, consents, familyMembers, householdLinks, safeguardingOverrides } from '../schema';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const RECORD = `mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { id childId givenBy familyMemberId method categories purposes organisationIds organisationKinds inForce writtenConfirmedAt withdrawnAt } }`;
const WITHDRAW = `mutation ($id: ID!, $reason: String!) { withdrawConsent(id: $id, reason: $reason) { id inForce withdrawnAt } }`;
const CONFIRM = `mutation ($id: ID!) { confirmConsentInWriting(id: $id) { id method writtenConfirmedAt } }`;
const HISTORY = `query ($childId: ID!) { consentHistory(childId: $childId) { id inForce withdrawnAt categories } }`;
const FAMILY = `query ($id: ID!) { child(id: $id) { id givenName family { relation hasParentalResponsibility givenName familyName } } }`;
const DECLARE = `mutation ($input: DeclareSafeguardingOverrideInput!) { declareSafeguardingOverride(input: $input) { id categories reviewStatus inForce expiresAt } }`;
const REVOKE = `mutation ($id: ID!) { revokeSafeguardingOverride(id: $id) { id revokedAt inForce } }`;
const JUSTIFICATION = 'Seeking consent from the household would alert the adult who poses the risk of harm.';

const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

describe('consent and safeguarding overrides over HTTP', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let otherSchool: string;
  let police: string;
  let child: { id: string };
  let parentWithPr: string;
  let parentWithoutPr: string;
  let stranger: string;
  let dsl: string;
  let otherDsl: string;
  let staff: string;
  let officer: string;

  const consentCount = async () =>
    (await t.database.db.select().from(consents).where(eq(consents.childId, child.id))).length;

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    otherSchool = await f.org('other-school', 'school');
    police = await f.org('police', 'police');
    // Old enough to join in giving consent without a competence assessment (consent-givers.e2e.spec.ts has the ages).
    child = await f.child({ dateOfBirth: '2009-05-05' });
    await f.involve(child.id, school, 'on_roll');
    await f.involve(child.id, police, 'police_notification');
    const db = t.database.db;
    const [p1, p2, p3] = await db
      .insert(familyMembers)
      .values([
        { givenName: 'ParentA', familyName: 'Synthetic' },
        { givenName: 'ParentB', familyName: 'Synthetic' },
        { givenName: 'Neighbour', familyName: 'Synthetic' },
      ])
      .returning();
    parentWithPr = p1!.id;
    parentWithoutPr = p2!.id;
    stranger = p3!.id;
    await db.insert(householdLinks).values([
      { childId: child.id, relation: 'parent', familyMemberId: parentWithPr, hasParentalResponsibility: true },
      { childId: child.id, relation: 'parent', familyMemberId: parentWithoutPr, hasParentalResponsibility: false },
    ]);
    dsl = await t.token({ role: 'school_dsl', org: school });
    otherDsl = await t.token({ role: 'school_dsl', org: otherSchool });
    staff = await t.token({ role: 'school_staff', org: school });
    officer = await t.token({ role: 'police_officer', org: police });
  });
  afterAll(() => t.close());

  const validInput = () => ({
    childId: child.id,
    givenBy: 'young_person_and_family_member',
    familyMemberId: parentWithPr,
    method: 'verbal',
    organisationIds: [school],
    categories: ['family'],
    purposes: ['direct_support'],
    startsAt: hours(-1),
  });

  describe('bad input is refused with BAD_USER_INPUT naming the field, and nothing is stored', () => {
    const cases: [string, (i: ReturnType<typeof validInput>) => Record<string, unknown>, string][] = [
      ['unknown category', (i) => ({ ...i, categories: ['family', 'horoscope'] }), 'categories'],
      ['no category', (i) => ({ ...i, categories: [] }), 'categories'],
      ['unknown purpose', (i) => ({ ...i, purposes: ['marketing'] }), 'purposes'],
      ['expiry in the past', (i) => ({ ...i, expiresAt: hours(-0.5) }), 'expiresAt'],
      ['expiry before start', (i) => ({ ...i, startsAt: hours(48), expiresAt: hours(24) }), 'expiresAt'],
      ['no organisations at all', (i) => ({ ...i, organisationIds: [], organisationKinds: [] }), 'organisationIds'],
      ['unknown organisation kind', (i) => ({ ...i, organisationKinds: ['bank'] }), 'organisationKinds'],
      [
        'organisation not in the hub',
        (i) => ({ ...i, organisationIds: ['6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11'] }),
        'organisationIds',
      ],
      ['giver not linked to the child', (i) => ({ ...i, familyMemberId: stranger }), 'familyMemberId'],
      ['parent without parental responsibility', (i) => ({ ...i, familyMemberId: parentWithoutPr }), 'familyMemberId'],
      ['family member named but none given', (i) => ({ ...i, familyMemberId: null }), 'familyMemberId'],
      ['blank start', (i) => ({ ...i, startsAt: '  ' }), 'startsAt'],
      ['impossible date', (i) => ({ ...i, startsAt: '2026-02-30T10:00:00Z' }), 'startsAt'],
      [
        'oversized organisation list',
        (i) => ({ ...i, organisationIds: Array.from({ length: 51 }, () => school) }),
        'organisationIds',
      ],
    ];
    for (const [name, make, field] of cases) {
      it(name, async () => {
        const before = await consentCount();
        const res = await t.post(dsl, RECORD, { input: make(validInput()) });
        expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(res.data?.recordConsent ?? null).toBeNull();
        expect(await consentCount()).toBe(before);
      });
    }

    it('a caller without a relationship learns nothing about the household (NO_RELATIONSHIP, not the giver check)', async () => {
      const res = await t.post(otherDsl, RECORD, { input: { ...validInput(), familyMemberId: stranger } });
      expect(res.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    });

    it('a role that does not manage consent is refused by the shield', async () => {
      const res = await t.post(staff, RECORD, { input: validInput() });
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  it('records, confirms in writing, shares, and withdraws a consent — withdrawal counts on the very next request', async () => {
    const before = await t.post(dsl, FAMILY, { id: child.id });
    expect(before.data.child.family).toBeNull();
    expect(before.errors).toEqual([
      expect.objectContaining({
        path: ['child', 'family'],
        extensions: expect.objectContaining({ code: 'CONSENT_REQUIRED', category: 'family' }),
      }),
    ]);

    const recorded = await t.post(dsl, RECORD, { input: validInput() });
    expect(recorded.errors).toBeUndefined();
    const consent = recorded.data.recordConsent;
    expect(consent).toMatchObject({
      childId: child.id,
      givenBy: 'young_person_and_family_member',
      familyMemberId: parentWithPr,
      method: 'verbal',
      categories: ['family'],
      inForce: true,
      writtenConfirmedAt: null,
    });

    const shared = await t.post(dsl, FAMILY, { id: child.id });
    expect(shared.errors).toBeUndefined();
    expect(shared.data.child.family).toEqual(
      expect.arrayContaining([
        { relation: 'parent', hasParentalResponsibility: true, givenName: 'ParentA', familyName: 'Synthetic' },
        { relation: 'parent', hasParentalResponsibility: false, givenName: 'ParentB', familyName: 'Synthetic' },
      ]),
    );

    const confirmed = await t.post(dsl, CONFIRM, { id: consent.id });
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data.confirmConsentInWriting.writtenConfirmedAt).toEqual(expect.any(String));
    const twice = await t.post(dsl, CONFIRM, { id: consent.id });
    expect(twice.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    const blankReason = await t.post(dsl, WITHDRAW, { id: consent.id, reason: '   ' });
    expect(blankReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const longReason = await t.post(dsl, WITHDRAW, { id: consent.id, reason: 'x'.repeat(1001) });
    expect(longReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await t.post(dsl, FAMILY, { id: child.id })).errors).toBeUndefined(); // still in force
    const withdrawn = await t.post(dsl, WITHDRAW, { id: consent.id, reason: 'Family asked to stop sharing' });
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data.withdrawConsent).toMatchObject({
      id: consent.id,
      inForce: false,
      withdrawnAt: expect.any(String),
    });

    const after = await t.post(dsl, FAMILY, { id: child.id });
    expect(after.data.child.family).toBeNull();
    expect(after.data.child.givenName).toEqual(expect.any(String)); // the rest still arrives
    expect(after.errors).toEqual([
      expect.objectContaining({
        path: ['child', 'family'],
        extensions: expect.objectContaining({ code: 'CONSENT_REQUIRED', category: 'family' }),
      }),
    ]);

    const again = await t.post(dsl, WITHDRAW, { id: consent.id, reason: 'again' });
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    // History keeps the withdrawn consent.
    const history = await t.post(dsl, HISTORY, { childId: child.id });
    expect(history.errors).toBeUndefined();
    expect(history.data.consentHistory).toEqual([
      expect.objectContaining({ id: consent.id, inForce: false, withdrawnAt: expect.any(String) }),
    ]);

    // Every change wrote a case event and an audit row naming the action.
    const events = await t.database.db.select().from(caseEvents).where(eq(caseEvents.childId, child.id));
    expect(
      events
        .filter((e) => e.kind === 'consent_changed')
        .map((e) => (e.refs as { action: string }).action)
        .sort(),
    ).toEqual(['confirmConsentInWriting', 'recorded', 'withdrawConsent']);
    const audit = await t.database.db.select().from(accessAudit).where(eq(accessAudit.childId, child.id));
    const actions = audit.flatMap((r) => (r.changes as { action: string }[]).map((c) => c.action));
    expect(actions).toEqual(expect.arrayContaining(['recordConsent', 'confirmConsentInWriting', 'withdrawConsent']));
  });

  it('a consent that starts in the future, or is for another purpose, does not share yet', async () => {
    const future = await t.post(dsl, RECORD, { input: { ...validInput(), startsAt: hours(2) } });
    expect(future.errors).toBeUndefined();
    expect(future.data.recordConsent.inForce).toBe(false);
    const otherPurpose = await t.post(dsl, RECORD, { input: { ...validInput(), purposes: ['safeguarding'] } });
    expect(otherPurpose.errors).toBeUndefined();
    const res = await t.post(dsl, FAMILY, { id: child.id });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', category: 'family' });
    const planning = await t.post(dsl, FAMILY, { id: child.id }, 'safeguarding');
    expect(planning.errors).toBeUndefined();
    expect(planning.data.child.family).toHaveLength(2);
    for (const id of [future.data.recordConsent.id, otherPurpose.data.recordConsent.id]) {
      expect((await t.post(dsl, WITHDRAW, { id, reason: 'test clean-up' })).errors).toBeUndefined();
    }
  });

  it('a consent for a kind of organisation shares with every organisation of that kind that relates to the child', async () => {
    const res = await t.post(dsl, RECORD, {
      input: { ...validInput(), organisationIds: [], organisationKinds: ['school'] },
    });
    expect(res.errors).toBeUndefined();
    expect((await t.post(dsl, FAMILY, { id: child.id })).errors).toBeUndefined();
    // A police officer (kind police) still needs its own consent.
    const police = await t.post(officer, FAMILY, { id: child.id });
    expect(police.errors?.[0]?.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', category: 'family' });
    expect(
      (await t.post(dsl, WITHDRAW, { id: res.data.recordConsent.id, reason: 'test clean-up' })).errors,
    ).toBeUndefined();
  });

  describe('safeguarding overrides', () => {
    const input = () => ({
      childId: child.id,
      categories: ['family'],
      justification: JUSTIFICATION,
      expiresAt: hours(24),
    });
    const overrideCount = async () =>
      (await t.database.db.select().from(safeguardingOverrides).where(eq(safeguardingOverrides.childId, child.id)))
        .length;

    const bad: [string, Record<string, unknown>, string][] = [
      ['blank justification', { justification: '     ' }, 'justification'],
      ['short justification', { justification: 'Risk of harm.' }, 'justification'],
      ['oversized justification', { justification: 'x'.repeat(4001) }, 'justification'],
      ['expiry in the past', { expiresAt: hours(-1) }, 'expiresAt'],
      ['expiry beyond 72 hours', { expiresAt: hours(73) }, 'expiresAt'],
      ['unknown category', { categories: ['gossip'] }, 'categories'],
    ];
    for (const [name, patch, field] of bad) {
      it(`refuses ${name} (${field}) and stores nothing`, async () => {
        const before = await overrideCount();
        const res = await t.post(officer, DECLARE, { input: { ...input(), ...patch } });
        expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(await overrideCount()).toBe(before);
      });
    }

    it('refuses a role the ISA does not allow, and a caller without a relationship', async () => {
      expect((await t.post(staff, DECLARE, { input: input() })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await t.post(otherDsl, DECLARE, { input: input() })).errors?.[0]?.extensions?.code).toBe(
        'NO_RELATIONSHIP',
      );
    });

    it('declares an override pending DPO review that shares at once; only the declaring organisation may revoke it', async () => {
      const before = await t.post(officer, FAMILY, { id: child.id });
      expect(before.errors?.[0]?.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', category: 'family' });
      const res = await t.post(officer, DECLARE, { input: input() });
      expect(res.errors).toBeUndefined();
      expect(res.data.declareSafeguardingOverride).toMatchObject({
        categories: ['family'],
        reviewStatus: 'pending',
        inForce: true,
      });
      const id = res.data.declareSafeguardingOverride.id;
      const [row] = await t.database.db.select().from(safeguardingOverrides).where(eq(safeguardingOverrides.id, id));
      expect(row).toMatchObject({
        justification: JUSTIFICATION,
        declaredByRole: 'police_officer',
        declaredByOrganisationId: police,
        reviewStatus: 'pending',
      });

      const shared = await t.post(officer, FAMILY, { id: child.id });
      expect(shared.errors).toBeUndefined();
      expect(shared.data.child.family).toHaveLength(2);
      const [disclosure] = await t.database.db
        .select()
        .from(accessAudit)
        .where(eq(accessAudit.requestId, shared.extensions!.requestId as string));
      expect((disclosure!.basis as Record<string, string>).family).toBe(`override:${id}`);

      expect((await t.post(dsl, REVOKE, { id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const revoked = await t.post(officer, REVOKE, { id });
      expect(revoked.errors).toBeUndefined();
      expect(revoked.data.revokeSafeguardingOverride).toMatchObject({
        id,
        inForce: false,
        revokedAt: expect.any(String),
      });
      expect((await t.post(officer, FAMILY, { id: child.id })).errors?.[0]?.extensions).toMatchObject({
        code: 'CONSENT_REQUIRED',
        category: 'family',
      });
      expect((await t.post(officer, REVOKE, { id })).errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

      const events = await t.database.db.select().from(caseEvents).where(eq(caseEvents.childId, child.id));
      expect(
        events
          .filter((e) => e.kind === 'override_declared')
          .map((e) => (e.refs as { action: string }).action)
          .sort(),
      ).toEqual(['declared', 'revoked']);
    });

    it('an override the DPO found not upheld shares nothing', async () => {
      const res = await t.post(officer, DECLARE, { input: input() });
      const id = res.data.declareSafeguardingOverride.id;
      expect((await t.post(officer, FAMILY, { id: child.id })).errors).toBeUndefined();
      await t.database.db
        .update(safeguardingOverrides)
        .set({ reviewStatus: 'not_upheld' })
        .where(eq(safeguardingOverrides.id, id));
      expect((await t.post(officer, FAMILY, { id: child.id })).errors?.[0]?.extensions).toMatchObject({
        code: 'CONSENT_REQUIRED',
        category: 'family',
      });
    });
  });
});
