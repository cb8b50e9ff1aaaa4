/**
 * Edges of the decision the matrix does not vary: practitioner-scoped roles need the caller's own
 * practitioner record in the token's organisation; involvements count only on the dates they
 * cover; a consent counts only for the organisation (or kind) it names; an override only for its
 * categories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/shared/calendar';
import { partnershipDate } from '../src/shared/clock';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const READ = `query ($id: ID!) { child(id: $id) { id givenName postcode family { relation } } }`;
const code = (res: { errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] }, path: string) =>
  res.errors?.find((e) => e.path?.join('.') === path)?.extensions?.code ?? null;

describe('relationship and consent edges over HTTP', () => {
  let t: TestHub;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
  });
  afterAll(() => t.close());

  it("a social worker sees only their own allocated children, and only with a practitioner record in the token's organisation", async () => {
    const council = await f.org('social-care', 'social_care');
    const otherCouncil = await f.org('other-social-care', 'social_care');
    const mine = await f.practitioner(council, 'sw-own', 'social_worker');
    await f.practitioner(otherCouncil, 'sw-elsewhere', 'social_worker');
    const child = await f.child();
    await f.involve(child.id, council, 'allocated_social_worker', { practitionerId: mine });

    const own = await t.post(await t.token({ role: 'social_worker', org: council, sub: 'sw-own' }), READ, {
      id: child.id,
    });
    expect(own.errors).toBeUndefined();
    expect(own.data.child.id).toBe(child.id);
    // Same organisation, no practitioner record for this subject.
    const unknown = await t.post(await t.token({ role: 'social_worker', org: council, sub: 'sw-unknown' }), READ, {
      id: child.id,
    });
    expect(code(unknown, 'child')).toBe('NO_RELATIONSHIP');
    // The allocated practitioner's subject, but a token from another organisation.
    const wrongOrg = await t.post(await t.token({ role: 'social_worker', org: otherCouncil, sub: 'sw-own' }), READ, {
      id: child.id,
    });
    expect(code(wrongOrg, 'child')).toBe('NO_RELATIONSHIP');
  });

  it('an involvement counts from its start date to its end date inclusive', async () => {
    const school = await f.org('dated-school', 'school');
    const token = await t.token({ role: 'school_staff', org: school });
    const today = partnershipDate(new Date());
    const starting = await f.child();
    const endedYesterday = await f.child();
    const endingToday = await f.child();
    await f.involve(starting.id, school, 'on_roll', { startedOn: addDays(today, 1) });
    await f.involve(endedYesterday.id, school, 'on_roll', { startedOn: '2020-01-01', endedOn: addDays(today, -1) });
    await f.involve(endingToday.id, school, 'on_roll', { startedOn: '2020-01-01', endedOn: today });
    expect(code(await t.post(token, READ, { id: starting.id }), 'child')).toBe('NO_RELATIONSHIP');
    expect(code(await t.post(token, READ, { id: endedYesterday.id }), 'child')).toBe('NO_RELATIONSHIP');
    const current = await t.post(token, READ, { id: endingToday.id });
    expect(current.data.child.id).toBe(endingToday.id);
  });

  it('a consent counts only for the organisation or kind it names; an override only for its categories', async () => {
    const school = await f.org('consent-school', 'school');
    const otherSchool = await f.org('consent-other-school', 'school');
    const vcs = await f.org('consent-vcs', 'voluntary');
    const token = await t.token({ role: 'vcs_worker', org: vcs });
    const child = await f.child();
    await f.involve(child.id, vcs, 'vcs_support');
    await f.involve(child.id, school, 'on_roll');
    // Consents naming someone else, and a kind the caller is not.
    await f.consent(child.id, { organisationIds: [otherSchool], categories: ['identity', 'contact', 'family'] });
    await f.consent(child.id, { organisationKinds: ['school'], categories: ['identity', 'contact', 'family'] });
    const refused = await t.post(token, READ, { id: child.id });
    expect(refused.data.child).toMatchObject({ id: child.id, givenName: null, postcode: null, family: null });
    expect(['child.givenName', 'child.postcode', 'child.family'].map((p) => code(refused, p))).toEqual([
      'CONSENT_REQUIRED',
      'CONSENT_REQUIRED',
      'CONSENT_REQUIRED',
    ]);

    await f.override(child.id, {
      categories: ['contact'],
      expiresAt: new Date(Date.now() + 3_600_000),
      recipientOrganisationIds: [vcs],
    });
    const overridden = await t.post(token, READ, { id: child.id });
    expect(overridden.data.child.postcode).toBe('LE1 1AA');
    expect(code(overridden, 'child.givenName')).toBe('CONSENT_REQUIRED');

    await f.consent(child.id, { organisationKinds: ['voluntary'], categories: ['identity'] });
    const byKind = await t.post(token, READ, { id: child.id });
    expect(byKind.data.child.givenName).toEqual(expect.any(String));
    expect(code(byKind, 'child.family')).toBe('CONSENT_REQUIRED');
  });
});
