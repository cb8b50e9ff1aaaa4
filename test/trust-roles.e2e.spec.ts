/**
 * Roles are bound to the trust registry and to the organisation's kind, as in production: a real
 * registry file with generated keys, no development issuer. An issuer trusted for one school
 * cannot assert a role outside its entry, nor one a school cannot hold — the attacks reproduced
 * here (a "DPO", "screener", "admin" or "health system" minted by a school's issuer) are refused
 * with 401 before anything is read or written.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children, revokedCredentials } from '../schema';
import type { Role } from '../src/access/roles';
import { loadTrustRegistryFile, trustRegistry } from '../src/auth/trust-registry';
import { createTokenVerifier } from '../src/auth/verify-token';
import { createHub, type Hub } from '../src/server/hub';
import { createServices } from '../src/server/services';
import { systemClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';
import { syntheticNhsNumber } from '../seeds/synthetic';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';
import { startTestHub } from './support/hub';

const AUDIENCE = 'early-help-hub';
const IDP = 'urn:test:partnership-idp';
/** A school MIS trusted, as it should be, for its school and the school's roles. */
const MIS = 'urn:test:school-mis';
/** A school's issuer entered carelessly: its own school only, but any role. */
const LOOSE = 'urn:test:school-loose';

describe('roles bound to the issuer and the organisation kind (production registry)', () => {
  let database: TestDatabase;
  let hub: Hub;
  let base: string;
  const keys = new Map<string, CryptoKey>();
  let school: string;
  let council: string;
  let trust: string;
  let pupilElsewhere: string;

  const sign = (iss: string, role: string, org: string, extra: Record<string, unknown> = {}) =>
    new SignJWT({ role, org, ...extra })
      .setProtectedHeader({ alg: 'ES256', kid: `${iss}-1` })
      .setIssuer(iss)
      .setAudience(AUDIENCE)
      .setSubject(`${role}-1`)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(keys.get(iss)!);

  const graphql = async (
    token: string,
    query: string,
    variables: Record<string, unknown> = {},
    purpose = 'direct_support',
  ) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose-of-use': purpose },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      ...((await res.json()) as { data?: any; errors?: { message: string; extensions: Record<string, unknown> }[] }),
    };
  };

  const expectRefused = (res: {
    status: number;
    data?: unknown;
    errors?: { extensions: Record<string, unknown> }[];
  }) => {
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const f = fixture(database.db);
    school = await f.org('school', 'school');
    const otherSchool = await f.org('other-school', 'school');
    council = await f.org('council', 'council_early_help');
    trust = await f.org('trust', 'health');
    const child = await f.child();
    await f.involve(child.id, otherSchool, 'on_roll');
    pupilElsewhere = child.id;

    const entries = [];
    for (const [issuer, organisations, roles] of [
      [IDP, '*', '*'],
      [MIS, [school], ['school_dsl', 'school_staff']],
      [LOOSE, [school], '*'],
    ] as const) {
      const pair = await generateKeyPair('ES256');
      keys.set(issuer, pair.privateKey);
      entries.push({
        issuer,
        jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: `${issuer}-1`, alg: 'ES256' }] },
        organisations,
        roles,
      });
    }
    const file = join(mkdtempSync(join(tmpdir(), 'ehh-trust-')), 'registry.json');
    writeFileSync(file, JSON.stringify(entries));
    const verifyToken = createTokenVerifier({
      audience: AUDIENCE,
      registry: trustRegistry(loadTrustRegistryFile(file)),
    });
    hub = await createHub({
      services: createServices({ database, clock: systemClock, logger: silentLogger }),
      verifyToken,
    });
    base = await hub.listen(0);
  });
  afterAll(async () => {
    await hub.stop();
    await database.destroy();
  });

  it('a "DPO" minted by a school issuer cannot download a subject-access report of another school\'s pupil', async () => {
    const token = await sign(LOOSE, 'dpo', school);
    const download = await fetch(`${base}/dpo/subject-access/${pupilElsewhere}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(download.status).toBe(401);
    expect(await download.text()).not.toContain(pupilElsewhere);
    expectRefused(
      await graphql(
        token,
        'query($id: ID!) { subjectAccessReport(childId: $id) { childId } }',
        { id: pupilElsewhere },
        'subject_access',
      ),
    );
  });

  it('a "screener" minted by a school issuer can neither register nor merge children', async () => {
    const token = await sign(LOOSE, 'eh_das_screener', school);
    const before = await database.db.$count(children);
    expectRefused(
      await graphql(token, 'mutation($i: RegisterChildInput!) { registerChild(input: $i) { status } }', {
        i: {
          givenName: 'Attacker',
          familyName: 'Made',
          dateOfBirth: '2016-02-02',
          nhsNumber: syntheticNhsNumber(987_001),
        },
      }),
    );
    expectRefused(
      await graphql(
        token,
        'mutation($a: ID!, $b: ID!) { proposeChildMerge(fromId: $a, intoId: $b, reason: "attack on the index") { id } }',
        { a: pupilElsewhere, b: pupilElsewhere },
      ),
    );
    expect(await database.db.$count(children)).toBe(before);
  });

  it('an "admin" minted by a school issuer cannot revoke a service account', async () => {
    const token = await sign(LOOSE, 'admin', school);
    expectRefused(
      await graphql(token, 'mutation { revokeServiceAccount(clientId: "health-system", reason: "attack") }'),
    );
    expect(await database.db.$count(revokedCredentials)).toBe(0);
  });

  it('a "health system" or "health visitor" minted by a school issuer is refused', async () => {
    for (const role of ['health_system', 'health_visitor'] as const) {
      expectRefused(await graphql(await sign(LOOSE, role, school), '{ me { role } }'));
    }
  });

  it('an issuer may assert only the roles its entry lists, even ones the organisation kind could hold', async () => {
    expect((await graphql(await sign(MIS, 'school_staff', school), '{ me { role } }')).data?.me.role).toBe(
      'school_staff',
    );
    // A school can have a lead practitioner, but this MIS is not trusted to say so.
    expectRefused(await graphql(await sign(MIS, 'lead_practitioner', school), '{ me { role } }'));
  });

  it("the partnership issuer (any organisation, any role) is still held to the organisation's kind", async () => {
    expect((await graphql(await sign(IDP, 'dpo', council), '{ me { role } }')).data?.me.role).toBe('dpo');
    expect((await graphql(await sign(IDP, 'health_system', trust), '{ me { role } }')).data?.me.role).toBe(
      'health_system',
    );
    for (const [role, org] of [
      ['dpo', () => school],
      ['police_system', () => trust],
      ['school_dsl', () => council],
    ] as [Role, () => string][]) {
      expectRefused(await graphql(await sign(IDP, role, org()), '{ me { role } }'));
    }
  });
});

describe('the development issuer follows the same rules', () => {
  it("refuses a dev token whose role its organisation's kind cannot hold", async () => {
    const t = await startTestHub();
    try {
      const f = fixture(t.database.db);
      const school = await f.org('dev-school', 'school');
      const council = await f.org('dev-council', 'council_early_help');
      expect((await t.post(await t.token({ role: 'dpo', org: school }), '{ me { role } }')).status).toBe(401);
      expect((await t.post(await t.token({ role: 'dpo', org: council }), '{ me { role } }')).data?.me.role).toBe('dpo');
    } finally {
      await t.close();
    }
  });
});
