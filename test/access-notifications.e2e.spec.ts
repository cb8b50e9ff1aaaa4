/**
 * Notify-on-access, as CP-IS: the team around the family is the TAF (lead practitioner, named TAF
 * members, the allocated council Early Help team), not every organisation with some involvement.
 * Views by anyone else — a school on roll, police after a notification — are shown, the last 25,
 * to the lead practitioner, the open EHA's family support manager and the DPO: organisation,
 * role, purpose, time and categories, never the viewer's name or subject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const LOOK = 'query ($id: ID) { child(id: $id) { id givenName } }';
const Q =
  'query ($id: ID!, $since: DateTime) { recentAccessByOthers(childId: $id, since: $since) { organisationId organisationName organisationKind callerRole purpose occurredAt categories } }';

describe('notify on access: views from outside the team around the family', () => {
  let t: TestHub;
  let childId: string;
  const org: Record<string, string> = {};
  const token: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestHub();
    const f = fixture(t.database.db);
    org.council = await f.org('early-help', 'council_early_help');
    org.health = await f.org('health', 'health');
    org.school = await f.org('school', 'school');
    org.police = await f.org('police', 'police');
    org.dpo = await f.org('dpo-office', 'council_early_help');
    const lead = await f.practitioner(org.council, 'lead-1', 'lead_practitioner');
    const fsm = await f.practitioner(org.council, 'fsm-1', 'family_support_manager');
    const nurse = await f.practitioner(org.health, 'nurse-1', 'school_nurse');
    await f.practitioner(org.council, 'fsm-2', 'family_support_manager');
    const child = await f.child();
    childId = child.id;
    await f.involve(childId, org.council, 'lead_practitioner', { practitionerId: lead });
    await f.involve(childId, org.health, 'taf_member', { practitionerId: nurse });
    await f.involve(childId, org.school, 'on_roll');
    await f.involve(childId, org.police, 'police_notification');
    await f.openEhaWithPlan(childId, {
      familySupportManagerId: fsm,
      leadPractitionerId: lead,
      actions: [{ description: 'Weekly check-in', owningOrganisationId: org.health, dueDate: '2026-09-01' }],
    });
    token.lead = await t.token({ role: 'lead_practitioner', org: org.council, sub: 'lead-1' });
    token.fsm = await t.token({ role: 'family_support_manager', org: org.council, sub: 'fsm-1' });
    token.otherFsm = await t.token({ role: 'family_support_manager', org: org.council, sub: 'fsm-2' });
    token.nurse = await t.token({ role: 'school_nurse', org: org.health, sub: 'nurse-1' });
    token.school = await t.token({ role: 'school_dsl', org: org.school, sub: 'dsl-secret-name' });
    token.police = await t.token({ role: 'police_officer', org: org.police, sub: 'officer-secret-name' });
    token.dpo = await t.token({ role: 'dpo', org: org.dpo, sub: 'dpo-1' });
  });
  afterAll(() => t.close());

  it("shows the lead practitioner, the family support manager and the DPO views from outside the TAF only, without the viewer's name", async () => {
    expect((await t.post(token.school!, LOOK, { id: childId })).data.child.id).toBe(childId);
    expect((await t.post(token.police!, LOOK, { id: childId }, 'safeguarding')).data.child.id).toBe(childId);
    // The TAF's own views are not news to the TAF.
    expect((await t.post(token.nurse!, LOOK, { id: childId })).status).toBe(200);
    expect((await t.post(token.lead!, LOOK, { id: childId })).status).toBe(200);

    for (const [who, purpose] of [
      ['lead', 'direct_support'],
      ['fsm', 'direct_support'],
      ['dpo', 'audit'],
    ] as const) {
      const res = await t.post(token[who]!, Q, { id: childId }, purpose);
      expect(res.errors, who).toBeUndefined();
      const views = res.data.recentAccessByOthers as {
        organisationId: string;
        callerRole: string;
        purpose: string;
        organisationName: string;
      }[];
      expect(views.map((v) => v.organisationId).sort(), who).toEqual([org.school, org.police].sort());
      expect(views.find((v) => v.organisationId === org.police)).toMatchObject({
        callerRole: 'police_officer',
        purpose: 'safeguarding',
        organisationKind: 'police',
        categories: expect.arrayContaining(['identity']),
      });
      expect(views.find((v) => v.organisationId === org.school)).toMatchObject({
        callerRole: 'school_dsl',
        purpose: 'direct_support',
      });
      expect(JSON.stringify(res.data), who).not.toMatch(/secret-name/);
    }
  });

  it('keeps the last 25, newest first, and narrows by since', async () => {
    const before = new Date();
    for (let i = 0; i < 26; i++) expect((await t.post(token.school!, LOOK, { id: childId })).status).toBe(200);
    const res = await t.post(token.lead!, Q, { id: childId });
    const views = res.data.recentAccessByOthers as { occurredAt: string }[];
    expect(views).toHaveLength(25);
    const times = views.map((v) => v.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    const since = await t.post(token.lead!, Q, { id: childId, since: new Date(Date.now() + 1000).toISOString() });
    expect(since.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'since' });
    const recent = await t.post(token.lead!, Q, { id: childId, since: before.toISOString() });
    expect((recent.data.recentAccessByOthers as unknown[]).length).toBeLessThanOrEqual(25);
  });

  it('refuses anyone else alike: another family support manager, a TAF member, the school, an unknown child', async () => {
    for (const who of ['otherFsm', 'nurse', 'school'] as const) {
      const res = await t.post(token[who]!, Q, { id: childId });
      expect(res.errors?.[0]?.extensions?.code, who).toBe('NO_RELATIONSHIP');
      expect(res.data?.recentAccessByOthers ?? null, who).toBeNull();
    }
    const unknown = await t.post(token.lead!, Q, { id: '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a13' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const dpoUnknown = await t.post(token.dpo!, Q, { id: '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a13' }, 'audit');
    expect(dpoUnknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
