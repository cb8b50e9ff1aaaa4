/**
 * SCIM Groups are the hub's roles, as an identity provider (Entra ID, Okta) pushes them: found by
 * displayName, read with their members, and PATCHed to give or take a practitioner's role — only a
 * role the practitioner's organisation's kind can hold, checked for the whole request before
 * anything changes, each change in admin_changes naming `roles`.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminChanges, practitioners } from '../schema';
import { ROLES } from '../src/access/roles';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const EXT = 'urn:early-help-hub:scim:schemas:extension:practitioner:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe("SCIM Groups: the hub's roles", () => {
  let t: TestHub;
  let base: string;
  let school: string;
  let health: string;
  let admin: string;
  let teacher: string;
  let nurse: string;

  const scim = async (method: string, path: string, body?: unknown, token: string | null = admin) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
  };
  const patch = (group: string, ...Operations: unknown[]) =>
    scim('PATCH', `/Groups/${group}`, { schemas: [PATCH], Operations });
  const roles = async (id: string) =>
    (await t.database.db.select({ roles: practitioners.roles }).from(practitioners).where(eq(practitioners.id, id)))[0]!
      .roles;
  const audited = (id: string) =>
    t.database.db.select().from(adminChanges).where(eq(adminChanges.entityId, id)).orderBy(adminChanges.occurredAt);
  const provision = async (userName: string, organisationId: string, role: string) =>
    (
      await scim('POST', '/Users', {
        schemas: [USER, EXT],
        userName,
        displayName: `Synthetic ${userName}`,
        roles: [{ value: role }],
        [EXT]: { organisationId },
      })
    ).body.id as string;

  beforeAll(async () => {
    t = await startTestHub({ hardening: { revocationCacheMs: 0 } });
    base = t.url.replace(/\/graphql$/, '/scim/v2');
    const f = fixture(t.database.db);
    const council = await f.org('council', 'council_early_help');
    school = await f.org('school', 'school');
    health = await f.org('trust', 'health');
    admin = await t.token({ role: 'admin', org: council, sub: 'idp-provisioning-client', clientId: 'idp-scim' });
    teacher = await provision('idp|teacher', school, 'school_staff');
    nurse = await provision('idp|nurse', health, 'school_nurse');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists one Group per role, found by displayName, with its members', async () => {
    const all = await scim('GET', '/Groups?excludedAttributes=members');
    expect(all.status).toBe(200);
    expect(all.type).toMatch(/application\/scim\+json/);
    expect(all.body.totalResults).toBe(ROLES.length);
    expect(all.body.Resources[0].members).toBeUndefined();
    const found = await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "school_staff"')}`);
    expect(found.body).toMatchObject({
      totalResults: 1,
      Resources: [
        {
          schemas: [GROUP],
          id: 'school_staff',
          displayName: 'school_staff',
          members: [{ value: teacher, type: 'User' }],
        },
      ],
    });
    expect((await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "overlord"')}`)).body).toMatchObject(
      { totalResults: 0, Resources: [] },
    );
    expect((await scim('GET', `/Groups?filter=${encodeURIComponent('members co "x"')}`)).body).toMatchObject({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidFilter',
    });
    const one = await scim('GET', '/Groups/school_nurse');
    expect(one.body).toMatchObject({
      id: 'school_nurse',
      members: [{ value: nurse, $ref: `${base}/Users/${nurse}` }],
      meta: { resourceType: 'Group', location: `${base}/Groups/school_nurse` },
    });
    expect((await scim('GET', '/Groups/overlord')).body).toMatchObject({ schemas: [ERROR], status: '404' });
  });

  it('gives and takes a role by membership, as Okta and Entra ID send it, audited', async () => {
    const added = await patch('lead_practitioner', {
      op: 'add',
      path: 'members',
      value: [{ value: teacher }, { value: nurse }],
    });
    expect(added.status).toBe(200);
    expect(added.body.members.map((m: { value: string }) => m.value).sort()).toEqual([teacher, nurse].sort());
    expect(await roles(teacher)).toEqual(['school_staff', 'lead_practitioner']);
    // The User shows it too.
    expect((await scim('GET', `/Users/${nurse}`)).body.roles).toEqual([
      { value: 'school_nurse' },
      { value: 'lead_practitioner' },
    ]);

    // Entra ID: remove one member named in the path.
    expect((await patch('lead_practitioner', { op: 'Remove', path: `members[value eq "${teacher}"]` })).status).toBe(
      200,
    );
    expect(await roles(teacher)).toEqual(['school_staff']);
    // Okta: remove with the member in the value; then a path-less replace of the membership.
    expect(
      (await patch('lead_practitioner', { op: 'remove', path: 'members', value: [{ value: nurse }] })).body.members,
    ).toEqual([]);
    expect(
      (
        await patch('lead_practitioner', {
          op: 'replace',
          value: { id: 'lead_practitioner', displayName: 'lead_practitioner', members: [{ value: teacher }] },
        })
      ).body.members.map((m: { value: string }) => m.value),
    ).toEqual([teacher]);
    // Adding someone who already holds the role changes nothing and records nothing.
    expect((await patch('lead_practitioner', { op: 'add', path: 'members', value: [{ value: teacher }] })).status).toBe(
      200,
    );

    expect((await audited(teacher)).map((r) => [r.action, r.fields])).toEqual([
      ['practitioner.create', ['active', 'displayName', 'organisationId', 'roles', 'userName']],
      ['practitioner.group_add', ['roles']],
      ['practitioner.group_remove', ['roles']],
      ['practitioner.group_add', ['roles']],
    ]);
    expect(
      (await audited(teacher))
        .slice(1)
        .every((r) => r.channel === 'scim' && r.callerSubject === 'idp-provisioning-client'),
    ).toBe(true);
  });

  it("refuses a role the member's organisation cannot hold, and bad input per field, changing nothing", async () => {
    const before = [await roles(teacher), await roles(nurse)];
    // A school's practitioner cannot be a health visitor: the whole request is refused, the nurse's half too.
    const misfit = await patch('health_visitor', {
      op: 'add',
      path: 'members',
      value: [{ value: nurse }, { value: teacher }],
    });
    expect(misfit.status).toBe(400);
    expect(misfit.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
    expect(misfit.body.detail).toMatch(/^members\.value:/);
    const cases: [unknown[], number, string, string][] = [
      [
        [{ op: 'add', path: 'members', value: [{ value: '00000000-0000-4000-8000-000000000001' }] }],
        400,
        'invalidValue',
        'members.value',
      ],
      [
        [{ op: 'add', path: 'members', value: [{ value: 'not-an-id' }] }],
        400,
        'invalidValue',
        'Operations[0].value[0].value',
      ],
      [[{ op: 'add', path: 'members', value: 'everyone' }], 400, 'invalidValue', 'Operations[0].value'],
      [[{ op: 'copy', path: 'members', value: [] }], 400, 'invalidValue', 'Operations[0].op'],
      [[{ op: 'replace', path: 'displayName', value: 'Heads' }], 400, 'mutability', 'Operations[0].path'],
      [[{ op: 'add', path: 'owners', value: [] }], 400, 'invalidPath', 'Operations[0].path'],
      [[{ op: 'add', path: `members[value eq "${teacher}"]`, value: [] }], 400, 'invalidPath', 'Operations[0].path'],
      [[], 400, 'invalidValue', 'Operations'],
    ];
    for (const [operations, status, scimType, field] of cases) {
      const res = await patch('school_dsl', ...operations);
      expect(res.status, field).toBe(status);
      expect(res.body, field).toMatchObject({ schemas: [ERROR], status: String(status), scimType });
      expect(res.body.detail.startsWith(`${field}:`), res.body.detail).toBe(true);
    }
    expect((await scim('PATCH', '/Groups/school_dsl', { Operations: [] })).body).toMatchObject({
      status: '400',
      scimType: 'invalidValue',
      detail: expect.stringMatching(/^schemas:/),
    });
    expect([await roles(teacher), await roles(nurse)]).toEqual(before);
    expect((await patch('overlord', { op: 'add', path: 'members', value: [{ value: teacher }] })).status).toBe(404);
    // The roles are fixed: no Group is created, replaced or deleted.
    for (const [method, path] of [
      ['POST', '/Groups'],
      ['PUT', '/Groups/school_dsl'],
      ['DELETE', '/Groups/school_dsl'],
    ] as const) {
      const res = await scim(
        method,
        path,
        method === 'DELETE' ? undefined : { schemas: [GROUP], displayName: 'school_dsl' },
      );
      expect(res.body, `${method} ${path}`).toMatchObject({ schemas: [ERROR], status: '403' });
    }
  });

  it('keeps both of two concurrent role changes to one practitioner', async () => {
    const results = await Promise.all([
      patch('school_dsl', { op: 'add', path: 'members', value: [{ value: teacher }] }),
      patch('lead_practitioner', { op: 'remove', path: `members[value eq "${teacher}"]` }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect([...(await roles(teacher))].sort()).toEqual(['school_dsl', 'school_staff']);
  });

  it('admits only an admin token', async () => {
    const dsl = await t.token({ role: 'school_dsl', org: school });
    expect((await scim('GET', '/Groups', undefined, null)).body).toMatchObject({ schemas: [ERROR], status: '401' });
    const refused = await scim(
      'PATCH',
      '/Groups/school_dsl',
      { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: teacher }] }] },
      dsl,
    );
    expect(refused.body).toMatchObject({ schemas: [ERROR], status: '403' });
  });
});
