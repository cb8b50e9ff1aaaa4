/**
 * A school sees only children on its roll. Guessing ids, NHS numbers or UPNs of other children —
 * existing or not — gets the same NO_RELATIONSHIP, with nothing in the answer that tells an
 * existing child from a missing one; the same holds for the consent operations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumber, syntheticUpn } from '../seeds/synthetic';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

const LOOKUP = `query ($nhs: String, $upn: String, $id: ID) { child(nhsNumber: $nhs, upn: $upn, id: $id) { id givenName familyName dateOfBirth nhsNumber upn postcode family { givenName } } }`;
const HISTORY = `query ($childId: ID!) { consentHistory(childId: $childId) { id } }`;
const RECORD = `mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`;

/** The refusal as a client sees it, without the request id (which differs by design). */
function shape(res: GraphQLResponse): unknown {
  return {
    status: res.status,
    data: res.data,
    errors: res.errors?.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })),
  };
}

describe('a school cannot reach children off its roll by guessing', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let token: string;
  let pupil: { id: string; nhsNumber: string; upn: string };
  let offRoll: { id: string; nhsNumber: string; upn: string };
  let leaver: { id: string; nhsNumber: string; upn: string };

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    const otherSchool = await f.org('other-school', 'school');
    pupil = await f.child();
    offRoll = await f.child();
    leaver = await f.child();
    await f.involve(pupil.id, school, 'on_roll');
    await f.involve(offRoll.id, otherSchool, 'on_roll');
    // Left the school last year: no longer on its roll.
    await f.involve(leaver.id, school, 'on_roll', { startedOn: '2019-09-01', endedOn: '2024-07-20' });
    token = await t.token({ role: 'school_dsl', org: school });
  });
  afterAll(() => t.close());

  it('every guess — existing child off the roll, past pupil, or no such child — gets the identical NO_RELATIONSHIP', async () => {
    const existing = [
      { id: offRoll.id },
      { nhs: offRoll.nhsNumber },
      { upn: offRoll.upn },
      { id: leaver.id },
      { nhs: leaver.nhsNumber },
      { upn: leaver.upn },
    ];
    const missing = [
      { id: '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11' },
      { id: 'not-a-uuid' },
      { nhs: syntheticNhsNumber(99_999) },
      { upn: syntheticUpn(1234, 11, 777) },
    ];
    const answers = [];
    for (const vars of [...existing, ...missing]) answers.push(shape(await t.post(token, LOOKUP, vars)));
    expect(answers[0]).toEqual({
      status: 200,
      data: { child: null },
      errors: [
        {
          message: 'No relationship with this child permits access',
          path: ['child'],
          extensions: { code: 'NO_RELATIONSHIP' },
        },
      ],
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('the pupil on the roll is answered, and only that pupil is listed', async () => {
    const res = await t.post(token, LOOKUP, { upn: pupil.upn });
    expect(res.errors?.filter((e) => e.path?.join('.') !== 'child.family')).toEqual([]);
    expect(res.data.child).toMatchObject({ id: pupil.id, upn: pupil.upn });
    const list = await t.post(token, '{ children(first: 100) { nodes { id } } }');
    expect(list.data.children.nodes).toEqual([{ id: pupil.id }]);
  });

  it('consent history and recording consent for a child off the roll give the same NO_RELATIONSHIP as for no child', async () => {
    const nobody = '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11';
    const h1 = await t.post(token, HISTORY, { childId: offRoll.id });
    const h2 = await t.post(token, HISTORY, { childId: nobody });
    expect(h1.errors?.[0]?.extensions).toEqual({ code: 'NO_RELATIONSHIP', category: 'early_help' });
    expect(shape(h1)).toEqual(shape(h2));
    const input = (childId: string) => ({
      childId,
      givenBy: 'young_person',
      method: 'verbal',
      organisationIds: [school],
      categories: ['education'],
      purposes: ['direct_support'],
      startsAt: new Date().toISOString(),
    });
    const r1 = await t.post(token, RECORD, { input: input(offRoll.id) });
    const r2 = await t.post(token, RECORD, { input: input(nobody) });
    expect(r1.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    expect(shape(r1)).toEqual(shape(r2));
  });
});
