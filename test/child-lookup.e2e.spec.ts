import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit } from '../schema';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const CHILD_QUERY = `query ($nhs: String, $upn: String, $id: ID) {
  child(nhsNumber: $nhs, upn: $upn, id: $id) { id givenName nhsNumber upn postcode hasSend }
}`;

describe('child lookup over HTTP', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let otherSchool: string;
  let pupil: { id: string; nhsNumber: string; upn: string };
  let stranger: { id: string; nhsNumber: string; upn: string };
  let schoolToken: string;

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    otherSchool = await f.org('other-school', 'school');
    pupil = await f.child();
    stranger = await f.child();
    await f.involve(pupil.id, school, 'on_roll');
    await f.involve(stranger.id, otherSchool, 'on_roll');
    schoolToken = await t.token({ role: 'school_dsl', org: school });
  });
  afterAll(() => t.close());

  it('refuses a request without a token with UNAUTHENTICATED', async () => {
    const res = await t.post(null, CHILD_QUERY, { nhs: pupil.nhsNumber });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });

  it('answers a school DSL for a pupil on its roll, by NHS number, UPN and id', async () => {
    for (const vars of [{ nhs: pupil.nhsNumber }, { upn: pupil.upn }, { id: pupil.id }]) {
      const res = await t.post(schoolToken, CHILD_QUERY, vars);
      expect(res.errors).toBeUndefined();
      expect(res.data.child).toMatchObject({
        id: pupil.id,
        nhsNumber: pupil.nhsNumber,
        upn: pupil.upn,
        postcode: 'LE1 1AA',
        hasSend: false,
      });
    }
  });

  it('gives the same NO_RELATIONSHIP for a child on another roll and for one that does not exist', async () => {
    const existing = await t.post(schoolToken, CHILD_QUERY, { nhs: stranger.nhsNumber });
    const missing = await t.post(schoolToken, CHILD_QUERY, { nhs: '9434765919' });
    const missingId = await t.post(schoolToken, CHILD_QUERY, { id: '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11' });
    for (const res of [existing, missing, missingId]) {
      expect(res.data.child).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions!.code).toBe('NO_RELATIONSHIP');
    }
    // Nothing in the error tells the two apart.
    expect(JSON.stringify(existing.errors![0]!.message)).toBe(JSON.stringify(missing.errors![0]!.message));
    expect(existing.errors![0]!.extensions).toEqual(missing.errors![0]!.extensions);
  });

  it('refuses an invalid NHS number with BAD_USER_INPUT naming the field', async () => {
    const res = await t.post(schoolToken, CHILD_QUERY, { nhs: '9434765918' });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nhsNumber' });
  });

  it('refuses a read of child data without a purpose of access', async () => {
    const res = await t.post(schoolToken, CHILD_QUERY, { nhs: pupil.nhsNumber }, null);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'x-purpose-of-use' });
    expect(res.data.child).toBeNull();
  });

  it('lists only the children on the roll', async () => {
    const res = await t.post(schoolToken, '{ children(first: 50) { count nodes { id } pageInfo { hasNextPage } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.children.nodes.map((n: { id: string }) => n.id)).toEqual([pupil.id]);
  });

  it('writes an audit row for the lookup before answering', async () => {
    const res = await t.post(schoolToken, CHILD_QUERY, { upn: pupil.upn });
    const requestId = res.extensions!.requestId as string;
    const rows = (await t.database.db.select().from(accessAudit)).filter((r) => r.requestId === requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      childId: pupil.id,
      callerRole: 'school_dsl',
      purpose: 'direct_support',
      operation: 'query',
    });
    expect(rows[0]!.fieldsReturned).toEqual([
      'Child.givenName',
      'Child.hasSend',
      'Child.nhsNumber',
      'Child.postcode',
      'Child.upn',
    ]);
  });
});
