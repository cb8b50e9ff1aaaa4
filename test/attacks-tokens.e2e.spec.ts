/**
 * Attack suite, part 2: tokens, over real HTTP against a hub trusting an RS256 issuer with two
 * keys in its JWKS (rotation by kid). alg none, HS/RS key confusion, a removed key, wrong
 * audience or issuer, no organisation claim, clock skew at and beyond its bound, and revocation
 * of a service account taking effect on a second instance without a restart.
 */
import { createPublicKey } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedIssuer, trustRegistry } from '../src/auth/trust-registry';
import { createTokenVerifier } from '../src/auth/verify-token';
import { createHub, type Hub } from '../src/server/hub';
import { createServices } from '../src/server/services';
import { systemClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';

const ISSUER = 'https://idp.partnership.example.test';
const AUDIENCE = 'early-help-hub';
const ME = '{ me { role organisationId clientId } }';

type Key = Awaited<ReturnType<typeof generateKeyPair>> & { kid: string; publicJwk: JWK };

async function rsaKey(kid: string): Promise<Key> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  return { ...pair, kid, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('token attacks', () => {
  let database: TestDatabase;
  let hubs: Hub[] = [];
  let url: string;
  let secondUrl: string;
  let org: string;
  let council: string;
  let current: Key;
  let next: Key;
  let removed: Key;

  const claims = (extra: Record<string, unknown> = {}) => ({ role: 'school_dsl', org, ...extra });
  const sign = (
    key: Key,
    payload: Record<string, unknown>,
    opts: { iss?: string; aud?: string; exp?: number; nbf?: number; kid?: string } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? key.kid })
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? AUDIENCE)
      .setSubject('sub-1')
      .setIssuedAt(now - 5)
      .setExpirationTime(opts.exp ?? now + 600);
    if (opts.nbf !== undefined) jwt.setNotBefore(opts.nbf);
    return jwt.sign(key.privateKey);
  };
  const post = async (target: string, token: string, query = ME) => {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return {
      status: res.status,
      ...((await res.json()) as { data?: any; errors?: { message: string; extensions: Record<string, any> }[] }),
    };
  };
  const refused = async (token: string) => {
    const res = await post(url, token);
    expect(res.status).toBe(401);
    expect(res.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
    return res.errors![0]!.message;
  };

  beforeAll(async () => {
    [current, next, removed] = await Promise.all([rsaKey('2026-a'), rsaKey('2026-b'), rsaKey('2025-z')]);
    database = await createTestDatabase();
    org = await fixture(database.db).org('school', 'school');
    council = await fixture(database.db).org('council', 'council_early_help');
    const verifyToken = createTokenVerifier({
      registry: trustRegistry([trustedIssuer(ISSUER, { keys: [current.publicJwk, next.publicJwk] }, '*')]),
      audience: AUDIENCE,
      clockToleranceSeconds: 3_600, // asked for an hour: bounded to 60 s
    });
    const services = createServices({ database, clock: systemClock, logger: silentLogger });
    const make = async (revocationCacheMs: number) => {
      const hub = await createHub({ services, verifyToken, ws: false, hardening: { revocationCacheMs } } as Parameters<
        typeof createHub
      >[0]);
      hubs.push(hub);
      return `${await hub.listen(0)}/graphql`;
    };
    url = await make(0);
    secondUrl = await make(300); // a second instance with its own revocation cache
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
    hubs = [];
    await database.destroy();
  });

  it('accepts tokens signed by either key in the JWKS (rotation by kid)', async () => {
    for (const key of [current, next]) {
      const res = await post(url, await sign(key, claims()));
      expect(res.status).toBe(200);
      expect(res.data.me).toMatchObject({ role: 'school_dsl', organisationId: org });
    }
  });

  it('refuses a token signed by a key removed from the JWKS, and one whose kid names a listed key', async () => {
    expect(await refused(await sign(removed, claims()))).toMatch(/key is not known/);
    expect(await refused(await sign(removed, claims(), { kid: current.kid }))).toMatch(/signature is invalid/);
  });

  it('refuses alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(), iss: ISSUER, aud: AUDIENCE, sub: 'sub-1', exp: now + 600 })}.`;
    await refused(unsigned);
    await refused(
      `${b64({ alg: 'none', kid: current.kid })}.${b64({ ...claims(), iss: ISSUER, aud: AUDIENCE, sub: 'sub-1', exp: now + 600 })}.`,
    );
  });

  it("refuses HS256 signed with the issuer's public key as the secret (key confusion)", async () => {
    const pem = await exportSPKI(current.publicKey);
    const secrets = [
      new TextEncoder().encode(pem),
      new Uint8Array(createPublicKey(pem).export({ type: 'spki', format: 'der' })),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: current.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject('sub-1')
        .setExpirationTime('10m')
        .sign(secret);
      expect(await refused(token)).toMatch(/algorithm is not allowed/);
    }
  });

  it('refuses another audience, an untrusted issuer, and a token without an organisation', async () => {
    expect(await refused(await sign(current, claims(), { aud: 'another-api' }))).toMatch(/"aud"/);
    expect(await refused(await sign(current, claims(), { iss: 'https://evil.example.test' }))).toMatch(
      /issuer is not trusted/,
    );
    expect(await refused(await sign(current, { role: 'school_dsl' }))).toMatch(/no org claim/);
    expect(await refused(await sign(current, claims({ org: '00000000-0000-4000-8000-000000000999' })))).toMatch(
      /not a partner/,
    );
  });

  it('tolerates clock skew up to 60 s and no more, whatever is configured', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await post(url, await sign(current, claims(), { exp: now - 30 }))).status).toBe(200);
    expect(await refused(await sign(current, claims(), { exp: now - 120 }))).toMatch(/expired/);
    expect((await post(url, await sign(current, claims(), { nbf: now + 30 }))).status).toBe(200);
    await refused(await sign(current, claims(), { nbf: now + 300 }));
  });

  it('revokes a service account without a restart, on every instance within the cache window', async () => {
    const mis = await sign(current, claims({ client_id: 'school-mis-revoke-test' }));
    const admin = await sign(next, { role: 'admin', org: council });
    expect((await post(secondUrl, mis)).status).toBe(200); // the second instance caches "not revoked"

    const notAdmin = await post(
      url,
      await sign(current, claims()),
      'mutation { revokeServiceAccount(clientId: "school-mis-revoke-test", reason: "key leaked") }',
    );
    expect(notAdmin.errors![0]!.extensions.code).toBe('FORBIDDEN');

    const revoked = await post(
      url,
      admin,
      'mutation { revokeServiceAccount(clientId: "school-mis-revoke-test", reason: "key leaked") }',
    );
    expect(revoked.errors).toBeUndefined();
    expect(await refused(mis)).toMatch(/revoked/);
    await new Promise((r) => setTimeout(r, 400));
    const second = await post(secondUrl, mis);
    expect(second.status).toBe(401);
    // Other clients of the same organisation are unaffected.
    expect((await post(url, await sign(current, claims({ client_id: 'another-client' })))).status).toBe(200);

    const restored = await post(url, admin, 'mutation { restoreServiceAccount(clientId: "school-mis-revoke-test") }');
    expect(restored.data.restoreServiceAccount).toBe(1);
    expect((await post(url, mis)).status).toBe(200);
  });
});
