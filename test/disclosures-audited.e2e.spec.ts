/**
 * "Every disclosure audited, ids included": a list of ids, the candidates of a probable match and
 * the held submissions EH DAS reviews each write an audit row before the answer leaves, and a list
 * is not served when its audit cannot be written. A referral naming parents or carers by id tells
 * the referrer nothing about which of them are linked to the child.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, familyMembers, householdLinks, referrals } from '../schema';
import { syntheticNhsNumber } from '../seeds/synthetic';
import type { GraphQLResponse } from './support/hub';
import { buildWorld, threeNeeds, type World } from './workflow-support';

const SUBMIT =
  'mutation ($input: SubmitReferralInput!) { submitReferral(input: $input) { outcome referralId childId candidates { childId } } }';

describe('every disclosure is audited, ids included', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(() => w.t.close());

  const audited = async (res: GraphQLResponse) =>
    w.t.database.db
      .select()
      .from(accessAudit)
      .where(eq(accessAudit.requestId, res.extensions!.requestId as string));

  it('audits each child of children { nodes { id } }, ids only', async () => {
    const a = await w.newChild();
    const b = await w.newChild();
    const res = await w.t.post(w.token.school, '{ children(first: 100) { nodes { id } } }');
    expect(res.errors).toBeUndefined();
    const ids = res.data.children.nodes.map((n: { id: string }) => n.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    const rows = await audited(res);
    expect(rows.map((r) => r.childId).sort()).toEqual([...ids].sort());
    expect(rows.every((r) => r.fieldsReturned.includes('Child.id'))).toBe(true);
  });

  it('does not serve the ids when their audit cannot be written', async () => {
    await w.newChild();
    const record = w.t.services.audit.record;
    w.t.services.audit.record = async () => {
      throw new Error('database unavailable');
    };
    try {
      const res = await w.t.post(w.token.school, '{ children(first: 100) { nodes { id } } }');
      expect(res.status).toBe(503);
      expect(res.data ?? null).toBeNull();
    } finally {
      w.t.services.audit.record = record;
    }
  });

  it('audits the candidate ids of a probable match', async () => {
    const known = await w.newChild();
    const { nhsNumber: _n, nhsNumberTraced: _t, ...byName } = known.child;
    const res = await w.t.post(
      w.token.screener,
      'mutation ($input: RegisterChildInput!) { registerChild(input: $input) { outcome candidates { childId } } }',
      { input: byName },
      'screening',
    );
    expect(res.data.registerChild.outcome).toBe('PROBABLE_MATCH');
    expect(res.data.registerChild.candidates).toEqual([{ childId: known.id }]);
    const rows = await audited(res);
    expect(rows.map((r) => r.childId)).toEqual([known.id]);
    expect(rows[0]!.fieldsReturned).toContain('ChildRegistration.candidates');
  });

  it('audits what pendingMatches discloses, and shows it to EH DAS screening only', async () => {
    const health = await w.t.token({ role: 'health_system', org: w.org.health, sub: 'pm-health' });
    const post = await w.t.post(
      health,
      'mutation ($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { status } }',
      {
        input: {
          recordId: 'pm-unknown',
          nhsNumber: syntheticNhsNumber(991_777),
          level: 'UNIVERSAL_PLUS',
          effectiveDate: '2027-03-01',
          contactType: 'home visit',
          summary: 'Contact',
        },
      },
      'system_sync',
    );
    expect(post.errors).toBeUndefined();
    const res = await w.t.post(
      w.token.screener,
      '{ pendingMatches(status: pending, first: 200) { id nhsNumber candidateChildIds } }',
      {},
      'screening',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.pendingMatches.length).toBeGreaterThan(0);
    const rows = await audited(res);
    // One row per held submission at least (its subject may be a child the hub does not hold: a stand-in id).
    expect(rows.length).toBeGreaterThanOrEqual(res.data.pendingMatches.length);
    expect(rows.every((r) => r.fieldsReturned.some((f) => f.startsWith('PendingMatch.')))).toBe(true);
    const admin = await w.t.token({ role: 'admin', org: w.org.council, sub: 'pm-admin' });
    expect(
      (await w.t.post(admin, '{ pendingMatches(status: pending, first: 10) { id } }', {}, 'system_sync')).errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');
  });

  it('tells a referrer nothing about which named parents or carers are linked to the child', async () => {
    const known = await w.newChild();
    const [parent] = await w.t.database.db
      .insert(familyMembers)
      .values({ givenName: 'Linked', familyName: 'Parent' })
      .returning();
    await w.t.database.db
      .insert(householdLinks)
      .values({ childId: known.id, relation: 'parent', familyMemberId: parent!.id });
    const [stranger] = await w.t.database.db
      .insert(familyMembers)
      .values({ givenName: 'Other', familyName: 'Adult' })
      .returning();
    const staff = await w.t.token({ role: 'school_staff', org: w.org.otherSchool, sub: 'fm-staff' });
    const consent = {
      givenBy: 'family_member',
      giverName: 'Parent Example',
      giverRelationship: 'mother',
      method: 'verbal',
      categories: ['early_help', 'family'],
      purposes: ['screening', 'direct_support'],
      organisationIds: [w.org.council],
    };
    const shape = (res: GraphQLResponse) =>
      JSON.stringify({
        data: res.data,
        errors: res.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })),
      }).replace(/"referralId":"[^"]+"/, '"referralId":"…"');
    const linked = await w.t.post(staff, SUBMIT, {
      input: { child: known.child, consent, needs: threeNeeds, existingFamilyMemberIds: [parent!.id] },
    });
    const unlinked = await w.t.post(staff, SUBMIT, {
      input: { child: known.child, consent, needs: threeNeeds, existingFamilyMemberIds: [stranger!.id] },
    });
    const unknownChild = await w.t.post(staff, SUBMIT, {
      input: {
        child: { givenName: 'Unheard', familyName: 'Of', dateOfBirth: '2016-02-02', postcode: 'LE7 7GG' },
        consent,
        needs: threeNeeds,
        existingFamilyMemberIds: [parent!.id],
      },
    });
    expect(linked.errors).toBeUndefined();
    expect(shape(unlinked)).toBe(shape(linked));
    expect(shape(unknownChild)).toBe(shape(linked));
    // EH DAS gets only the links the family record bears out.
    const [withLink] = await w.t.database.db
      .select()
      .from(referrals)
      .where(eq(referrals.id, linked.data.submitReferral.referralId));
    const [withoutLink] = await w.t.database.db
      .select()
      .from(referrals)
      .where(eq(referrals.id, unlinked.data.submitReferral.referralId));
    const [other] = await w.t.database.db
      .select()
      .from(referrals)
      .where(eq(referrals.id, unknownChild.data.submitReferral.referralId));
    expect(withLink!.familyMemberIds).toEqual([parent!.id]);
    expect(withoutLink!.familyMemberIds).toEqual([]);
    expect(other!.familyMemberIds).toEqual([]);
  });
});
