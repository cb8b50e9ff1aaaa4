/**
 * SCIM 2.0 provisioning of practitioners over real HTTP: an identity provider's admin client
 * creates, finds, updates and deactivates a practitioner; the deactivated practitioner's token is
 * refused at once; bad input is refused in SCIM's error format naming the attribute, with nothing
 * changed; every change leaves an admin_changes row naming attributes, never values.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminChanges, practitioners } from '../schema';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const EXT = 'urn:early-help-hub:scim:schemas:extension:practitioner:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('SCIM provisioning of practitioners', () => {
  let t: TestHub;
  let base: string;
  let council: string;
  let school: string;
  let admin: string;

  const scim = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      location: res.headers.get('location'),
      body: text ? JSON.parse(text) : null,
    };
  };
  const me = async (token: string) => (await t.post(token, '{ me { subject role } }')).status;
  const user = (overrides: Record<string, unknown> = {}) => ({
    schemas: [USER, EXT],
    userName: 'idp|dsl-0001',
    displayName: 'Synthetic Dsl One',
    active: true,
    emails: [{ value: 'dsl.one@school.example.test', primary: true }],
    phoneNumbers: [{ value: '0116 000 0001' }],
    roles: [{ value: 'school_dsl' }],
    [EXT]: { organisationId: school },
    ...overrides,
  });
  const audited = (id: string) =>
    t.database.db.select().from(adminChanges).where(eq(adminChanges.entityId, id)).orderBy(adminChanges.occurredAt);

  beforeAll(async () => {
    t = await startTestHub({ hardening: { revocationCacheMs: 0 } });
    base = t.url.replace(/\/graphql$/, '/scim/v2');
    const f = fixture(t.database.db);
    council = await f.org('council', 'council_early_help');
    school = await f.org('school', 'school');
    admin = await t.token({ role: 'admin', org: council, sub: 'idp-provisioning-client', clientId: 'idp-scim' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates, finds, updates and deactivates a practitioner, whose token is then refused', async () => {
    const created = await scim('POST', '/Users', admin, user());
    expect(created.status).toBe(201);
    expect(created.type).toMatch(/application\/scim\+json/);
    const id = created.body.id as string;
    expect(created.location).toBe(`${base}/Users/${id}`);
    expect(created.body).toMatchObject({
      userName: 'idp|dsl-0001',
      active: true,
      roles: [{ value: 'school_dsl' }],
      [EXT]: { organisationId: school },
      emails: [{ value: 'dsl.one@school.example.test' }],
    });
    const [row] = await t.database.db.select().from(practitioners).where(eq(practitioners.id, id));
    expect(row).toMatchObject({
      subject: 'idp|dsl-0001',
      organisationId: school,
      roles: ['school_dsl'],
      phone: '0116 000 0001',
    });

    const token = await t.token({ role: 'school_dsl', org: school, sub: 'idp|dsl-0001' });
    expect(await me(token)).toBe(200);

    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "idp|dsl-0001"')}`, admin);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [{ id }] });
    expect(
      (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody"')}`, admin)).body,
    ).toMatchObject({ totalResults: 0, Resources: [] });

    const put = await scim(
      'PUT',
      `/Users/${id}`,
      admin,
      user({ displayName: 'Synthetic Dsl Renamed', phoneNumbers: [] }),
    );
    expect(put.status).toBe(200);
    expect(put.body.displayName).toBe('Synthetic Dsl Renamed');
    expect(put.body.phoneNumbers).toBeUndefined();

    const patched = await scim('PATCH', `/Users/${id}`, admin, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'roles', value: [{ value: 'school_staff' }] }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.roles).toEqual([{ value: 'school_staff' }]);

    // Identity providers commonly deprovision with a PATCH of active, sent as the string "False".
    const off = await scim('PATCH', `/Users/${id}`, admin, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect(await me(token)).toBe(401);
    expect((await scim('GET', `/Users/${id}`, admin)).body.active).toBe(false);

    const on = await scim('PATCH', `/Users/${id}`, admin, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(on.body.active).toBe(true);
    expect(await me(token)).toBe(200);

    expect((await scim('DELETE', `/Users/${id}`, admin)).status).toBe(204);
    expect(await me(token)).toBe(401);
    expect((await scim('GET', `/Users/${id}`, admin)).body.active).toBe(false);

    const rows = await audited(id);
    expect(rows.map((r) => [r.action, r.fields])).toEqual([
      [
        'practitioner.create',
        ['active', 'displayName', 'emails', 'organisationId', 'phoneNumbers', 'roles', 'userName'],
      ],
      ['practitioner.replace', ['displayName', 'phoneNumbers']],
      ['practitioner.patch', ['roles']],
      ['practitioner.deactivate', ['active']],
      ['practitioner.reactivate', ['active']],
      ['practitioner.deactivate', ['active']],
    ]);
    expect(
      rows.every(
        (r) =>
          r.callerSubject === 'idp-provisioning-client' &&
          r.clientId === 'idp-scim' &&
          r.channel === 'scim' &&
          r.callerOrganisationId === council,
      ),
    ).toBe(true);
    // Attribute names only: nothing of the practitioner's own details. The whole phone number, spaced
    // or not: a bare "0116" turns up in one random uuid of about two thousand.
    expect(JSON.stringify(rows)).not.toMatch(/dsl\.one|Synthetic|0116 ?000 ?0001/);
  });

  it('refuses bad input per attribute with scimType invalidValue, changing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ userName: '' }, 'userName'],
      [{ displayName: '  ' }, 'displayName'],
      [{ emails: [{ value: 'not-an-email' }] }, 'emails.value'],
      [{ phoneNumbers: [{ value: 'call me' }] }, 'phoneNumbers.value'],
      [{ roles: [{ value: 'overlord' }] }, 'roles'],
      [{ roles: [{ value: 'police_officer' }] }, 'roles'],
      [{ active: 'yes' }, 'active'],
      [{ [EXT]: { organisationId: 'nope' } }, `${EXT}:organisationId`],
      [{ [EXT]: { organisationId: '00000000-0000-4000-8000-000000000099' } }, `${EXT}:organisationId`],
      [{ schemas: ['urn:other'] }, 'schemas'],
    ];
    for (const [overrides, attribute] of cases) {
      const res = await scim('POST', '/Users', admin, user({ userName: 'idp|bad-input', ...overrides }));
      expect(res.status, attribute).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
      expect(res.body.detail.startsWith(`${attribute}:`), res.body.detail).toBe(true);
    }
    expect(await t.database.db.select().from(practitioners).where(eq(practitioners.subject, 'idp|bad-input'))).toEqual(
      [],
    );

    const created = await scim('POST', '/Users', admin, user({ userName: 'idp|valid-then-bad' }));
    const id = created.body.id as string;
    const bad = await scim('PATCH', `/Users/${id}`, admin, {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'Fine' },
        { op: 'replace', path: 'roles', value: [{ value: 'dpo' }] },
      ],
    });
    expect(bad.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(bad.body.detail).toMatch(/^roles:/);
    expect((await scim('GET', `/Users/${id}`, admin)).body.displayName).toBe('Synthetic Dsl One');
    expect((await audited(id)).map((r) => r.action)).toEqual(['practitioner.create']);

    const invalidPath = await scim('PATCH', `/Users/${id}`, admin, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'id', value: 'x' }],
    });
    expect(invalidPath.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
    const duplicate = await scim('POST', '/Users', admin, user({ userName: 'idp|valid-then-bad' }));
    expect(duplicate.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
    const filter = await scim('GET', `/Users?filter=${encodeURIComponent('displayName co "x"')}`, admin);
    expect(filter.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    const syntax = await scim('POST', '/Users', admin, '{not json');
    expect(syntax.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect((await scim('GET', '/Users/00000000-0000-4000-8000-000000000000', admin)).body).toMatchObject({
      schemas: [ERROR],
      status: '404',
    });
  });

  it('answers 409 uniqueness, never 500, to concurrent creates and renames onto one userName', async () => {
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        [0, 1, 2].map(() => scim('POST', '/Users', admin, user({ userName: `idp|race-${round}` }))),
      );
      expect(answers.map((a) => a.status).sort(), `round ${round}`).toEqual([201, 409, 409]);
      for (const lost of answers.filter((a) => a.status === 409))
        expect(lost.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
      expect(
        await t.database.db
          .select()
          .from(practitioners)
          .where(eq(practitioners.subject, `idp|race-${round}`)),
      ).toHaveLength(1);
    }
    const ids = await Promise.all(
      [1, 2].map(
        async (n) => (await scim('POST', '/Users', admin, user({ userName: `idp|rename-${n}` }))).body.id as string,
      ),
    );
    const renames = await Promise.all(
      ids.map((id) =>
        scim('PATCH', `/Users/${id}`, admin, {
          schemas: [PATCH],
          Operations: [{ op: 'replace', path: 'userName', value: 'idp|rename-target' }],
        }),
      ),
    );
    expect(renames.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(renames.find((r) => r.status === 409)!.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('pages with startIndex and count', async () => {
    for (const n of [1, 2, 3])
      expect((await scim('POST', '/Users', admin, user({ userName: `idp|page-${n}` }))).status).toBe(201);
    const all = (await scim('GET', '/Users?count=200', admin)).body;
    const names = (all.Resources as { userName: string }[]).map((r) => r.userName);
    expect(names).toEqual([...names].sort());
    const page = (await scim('GET', '/Users?startIndex=2&count=2', admin)).body;
    expect(page).toMatchObject({ totalResults: all.totalResults, startIndex: 2, itemsPerPage: 2 });
    expect(page.Resources.map((r: { userName: string }) => r.userName)).toEqual(names.slice(1, 3));
    expect((await scim('GET', '/Users?count=0', admin)).body).toMatchObject({
      totalResults: all.totalResults,
      itemsPerPage: 0,
      Resources: [],
    });
    expect((await scim('GET', '/Users?startIndex=abc', admin)).body).toMatchObject({
      status: '400',
      scimType: 'invalidValue',
      detail: expect.stringMatching(/^startIndex:/),
    });
  });

  it('admits only a verified admin token, answering in SCIM format', async () => {
    const none = await scim('GET', '/Users', null);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ schemas: [ERROR], status: '401' });
    const forged = await scim('GET', '/Users', `${admin.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    const dpo = await scim(
      'POST',
      '/Users',
      await t.token({ role: 'dpo', org: council }),
      user({ userName: 'idp|by-dpo' }),
    );
    expect(dpo.status).toBe(403);
    expect(dpo.body).toMatchObject({ schemas: [ERROR], status: '403' });
    expect(await t.database.db.select().from(practitioners).where(eq(practitioners.subject, 'idp|by-dpo'))).toEqual([]);
  });
});
