/**
 * Authentication over HTTP: every refused bearer token gets HTTP 401 with UNAUTHENTICATED and no
 * data, whatever is wrong with it; the probes and landing page need no token. The hub trusts a
 * partnership issuer for any organisation and a school MIS issuer for its own school only.
 */
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedIssuer, trustRegistry } from '../src/auth/trust-registry';
import { createTokenVerifier } from '../src/auth/verify-token';
import { createHub, type Hub } from '../src/server/hub';
import { createServices } from '../src/server/services';
import { systemClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';

const AUDIENCE = 'early-help-hub';
const IDP = 'urn:test:partnership-idp';
const MIS = 'urn:test:school-mis';
const ME = '{ me { subject organisationId role clientId } }';

describe('bearer tokens over HTTP', () => {
  let database: TestDatabase;
  let hub: Hub;
  let base: string;
  let idpKey: CryptoKey;
  let misKey: CryptoKey;
  let school: string;
  let otherSchool: string;
  const now = () => Math.floor(Date.now() / 1000);

  const sign = (
    key: CryptoKey,
    claims: Record<string, unknown>,
    o: { alg?: string; kid?: string; iss?: string; aud?: string; exp?: number | string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: o.alg ?? 'ES256', kid: o.kid ?? 'idp-1' })
      .setIssuer(o.iss ?? IDP)
      .setAudience(o.aud ?? AUDIENCE)
      .setSubject('practitioner-1')
      .setIssuedAt()
      .setExpirationTime(o.exp ?? '10m')
      .sign(key);

  const post = async (authorization: string | null, query = ME) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query }),
    });
    return {
      status: res.status,
      ...((await res.json()) as { data?: any; errors?: { message: string; extensions: Record<string, unknown> }[] }),
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const f = fixture(database.db);
    school = await f.org('school', 'school');
    otherSchool = await f.org('other-school', 'school');
    const idp = await generateKeyPair('ES256');
    const mis = await generateKeyPair('ES256');
    idpKey = idp.privateKey;
    misKey = mis.privateKey;
    const verifyToken = createTokenVerifier({
      audience: AUDIENCE,
      registry: trustRegistry([
        trustedIssuer(IDP, { keys: [{ ...(await exportJWK(idp.publicKey)), kid: 'idp-1', alg: 'ES256' }] }, '*'),
        trustedIssuer(MIS, { keys: [{ ...(await exportJWK(mis.publicKey)), kid: 'mis-1', alg: 'ES256' }] }, [school]),
      ]),
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

  it('accepts a valid token from the partnership issuer and from the school MIS for its own school', async () => {
    const fromIdp = await post(
      `Bearer ${await sign(idpKey, { role: 'school_dsl', org: otherSchool, client_id: 'dashboard' })}`,
    );
    expect(fromIdp.status).toBe(200);
    expect(fromIdp.data.me).toEqual({
      subject: 'practitioner-1',
      organisationId: otherSchool,
      role: 'school_dsl',
      clientId: 'dashboard',
    });
    const fromMis = await post(
      `Bearer ${await sign(misKey, { role: 'school_staff', org: school }, { iss: MIS, kid: 'mis-1' })}`,
    );
    expect(fromMis.status).toBe(200);
    expect(fromMis.data.me).toMatchObject({ organisationId: school, role: 'school_staff' });
  });

  it.each<[string, () => Promise<string | null>]>([
    ['no Authorization header', async () => null],
    ['a Basic credential', async () => 'Basic dXNlcjpwYXNz'],
    ['a malformed token', async () => 'Bearer not.a.jwt'],
    [
      'an expired token',
      async () => `Bearer ${await sign(idpKey, { role: 'school_dsl', org: school }, { exp: now() - 300 })}`,
    ],
    [
      'a token for another audience',
      async () => `Bearer ${await sign(idpKey, { role: 'school_dsl', org: school }, { aud: 'another-api' })}`,
    ],
    [
      'a token from an untrusted issuer',
      async () => `Bearer ${await sign(idpKey, { role: 'school_dsl', org: school }, { iss: 'urn:test:rogue' })}`,
    ],
    [
      'a token signed by an unknown key',
      async () =>
        `Bearer ${await sign((await generateKeyPair('ES256')).privateKey, { role: 'school_dsl', org: school }, { kid: 'unknown-kid' })}`,
    ],
    [
      'a token signed by another key under a published kid',
      async () =>
        `Bearer ${await sign((await generateKeyPair('ES256')).privateKey, { role: 'school_dsl', org: school })}`,
    ],
    [
      'an unsecured token (alg none)',
      async () => {
        const enc = (o: object) => base64url.encode(JSON.stringify(o));
        return `Bearer ${enc({ alg: 'none', typ: 'JWT' })}.${enc({ role: 'admin', org: school, iss: IDP, aud: AUDIENCE, sub: 'x', exp: now() + 600 })}.`;
      },
    ],
    [
      'an HS256 token',
      async () =>
        `Bearer ${await new SignJWT({ role: 'admin', org: school })
          .setProtectedHeader({ alg: 'HS256', kid: 'idp-1' })
          .setIssuer(IDP)
          .setAudience(AUDIENCE)
          .setSubject('x')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'))}`,
    ],
    ['a token without an org claim', async () => `Bearer ${await sign(idpKey, { role: 'school_dsl' })}`],
    ['a token without a role claim', async () => `Bearer ${await sign(idpKey, { org: school })}`],
    ['a token with an unknown role', async () => `Bearer ${await sign(idpKey, { role: 'root', org: school })}`],
    [
      'a school MIS token for another school',
      async () => `Bearer ${await sign(misKey, { role: 'school_dsl', org: otherSchool }, { iss: MIS, kid: 'mis-1' })}`,
    ],
    [
      'a token for an organisation that is not a partner',
      async () => `Bearer ${await sign(idpKey, { role: 'school_dsl', org: '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11' })}`,
    ],
  ])('refuses %s with 401 UNAUTHENTICATED and no data', async (_name, authorization) => {
    const res = await post(await authorization());
    expect(res.status).toBe(401);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });

  it('serves the probes and the landing page without a token', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/`)).status).toBe(200);
  });
});
