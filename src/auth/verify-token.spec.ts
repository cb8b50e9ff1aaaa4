import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDevIssuer, type DevIssuer } from './dev-issuer';
import { trustedIssuer, trustRegistry } from './trust-registry';
import { createTokenVerifier, type VerifyToken } from './verify-token';

const AUDIENCE = 'early-help-hub';
const ISSUER = 'urn:test:partnership-idp';
const SCHOOL_ISSUER = 'urn:test:school-mis';
const ORG = '11111111-1111-4111-8111-111111111111';
const OTHER_ORG = '22222222-2222-4222-8222-222222222222';

/** Builds a token by hand, so every claim and header can be wrong on purpose. */
async function signWith(
  key: CryptoKey,
  header: { alg: string; kid?: string },
  claims: Record<string, unknown>,
  opts: { iss?: string; aud?: string; exp?: string | number; sub?: string | null; iat?: number | null } = {},
) {
  let jwt = new SignJWT(claims)
    .setProtectedHeader(header)
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setExpirationTime(opts.exp ?? '10m');
  if (opts.iat !== null) jwt = opts.iat === undefined ? jwt.setIssuedAt() : jwt.setIssuedAt(opts.iat);
  if (opts.sub !== null) jwt = jwt.setSubject(opts.sub ?? 'practitioner-1');
  return jwt.sign(key);
}

/** An unsecured JWT (`alg: none`): header and payload, empty signature. */
function unsecured(claims: Record<string, unknown>): string {
  const enc = (o: object) => base64url.encode(JSON.stringify(o));
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
}

describe('createTokenVerifier', () => {
  let key: CryptoKey;
  let jwk: JWK;
  let verify: VerifyToken;
  let schoolKey: CryptoKey;
  const now = () => Math.floor(Date.now() / 1000);
  const good = { role: 'school_dsl', org: ORG };

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256' };
    const school = await generateKeyPair('RS256');
    schoolKey = school.privateKey;
    const schoolJwk = { ...(await exportJWK(school.publicKey)), kid: 'mis-1', alg: 'RS256' };
    verify = createTokenVerifier({
      audience: AUDIENCE,
      registry: trustRegistry([
        trustedIssuer(ISSUER, { keys: [jwk] }, '*'),
        trustedIssuer(SCHOOL_ISSUER, { keys: [schoolJwk] }, [ORG]),
      ]),
    });
  });

  it('accepts a valid token and builds the caller from its claims', async () => {
    const token = await signWith(key, { alg: 'ES256', kid: 'idp-1' }, { ...good, client_id: 'mis-plugin' });
    await expect(verify(token)).resolves.toEqual({
      subject: 'practitioner-1',
      organisationId: ORG,
      role: 'school_dsl',
      clientId: 'mis-plugin',
      issuer: ISSUER,
    });
  });

  it('accepts an RS256 token from an issuer limited to its own organisation, for that organisation', async () => {
    const token = await signWith(schoolKey, { alg: 'RS256', kid: 'mis-1' }, good, { iss: SCHOOL_ISSUER });
    await expect(verify(token)).resolves.toMatchObject({ organisationId: ORG, issuer: SCHOOL_ISSUER, clientId: null });
  });

  it.each<[string, () => Promise<string>, string]>([
    ['expired', () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { exp: now() - 120 }), 'Token has expired'],
    [
      'not yet valid (nbf)',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { ...good, nbf: now() + 600 }),
      'Token claim "nbf" is not acceptable',
    ],
    [
      'for another audience',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { aud: 'another-api' }),
      'Token claim "aud" is not acceptable',
    ],
    [
      'from an issuer not in the registry',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { iss: 'urn:test:rogue' }),
      'Token issuer is not trusted',
    ],
    [
      'without an issuer',
      async () =>
        new SignJWT(good)
          .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
          .setSubject('x')
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(key),
      'Token issuer is not trusted',
    ],
    [
      'with alg none',
      async () => unsecured({ ...good, iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: now() + 600 }),
      'Token algorithm is not allowed',
    ],
    [
      'with HS256 (a shared secret, even the public key bytes)',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(jwk));
        return new SignJWT(good)
          .setProtectedHeader({ alg: 'HS256', kid: 'idp-1' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setSubject('x')
          .setExpirationTime('5m')
          .sign(secret);
      },
      'Token algorithm is not allowed',
    ],
    [
      'without a sub',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { sub: null }),
      'Token claim "sub" is not acceptable',
    ],
    // A subject nobody can be traced to would be written into the audit of every change it makes.
    [
      'with an empty sub',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { ...good, sub: '' }, { sub: null }),
      'Token claim "sub" is not acceptable',
    ],
    [
      'with a whitespace-only sub',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { ...good, sub: ' \t ' }, { sub: null }),
      'Token claim "sub" is not acceptable',
    ],
    [
      'with a numeric sub',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { ...good, sub: 12345 }, { sub: null }),
      'Token claim "sub" is not acceptable',
    ],
    [
      'with control characters in sub',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { ...good, sub: 'user\n1' }, { sub: null }),
      'Token claim "sub" is not acceptable',
    ],
    [
      'with an overlong sub',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { ...good, sub: 'x'.repeat(256) }, { sub: null }),
      'Token claim "sub" is not acceptable',
    ],
    [
      'issued in the future beyond the clock skew',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { iat: now() + 600, exp: now() + 1200 }),
      'Token claim "iat" is not acceptable',
    ],
    [
      'with a lifetime (exp - iat) over the maximum',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { exp: '25h' }),
      'Token lifetime exceeds the maximum',
    ],
    [
      'issued long ago with a lifetime over the maximum',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { iat: now() - 2 * 86_400, exp: now() + 600 }),
      'Token lifetime exceeds the maximum',
    ],
    [
      'without iat, expiring further ahead than the maximum',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { iat: null, exp: '25h' }),
      'Token lifetime exceeds the maximum',
    ],
    [
      'without an org claim',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { role: 'school_dsl' }),
      'Token has no org claim',
    ],
    [
      'with an empty org claim',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { role: 'school_dsl', org: '' }),
      'Token has no org claim',
    ],
    [
      'without a role claim',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { org: ORG }),
      'Token role claim is not a known role',
    ],
    [
      'with an unknown role',
      () => signWith(key, { alg: 'ES256', kid: 'idp-1' }, { org: ORG, role: 'superuser' }),
      'Token role claim is not a known role',
    ],
    [
      'from an issuer that may not speak for that organisation',
      () =>
        signWith(
          schoolKey,
          { alg: 'RS256', kid: 'mis-1' },
          { role: 'school_dsl', org: OTHER_ORG },
          { iss: SCHOOL_ISSUER },
        ),
      'Token issuer may not speak for this organisation',
    ],
  ])('refuses a token %s', async (_name, make, reason) => {
    const error = await verify(await make()).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: reason, extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a token signed by a key the issuer does not publish (unknown kid)', async () => {
    const stranger = await generateKeyPair('ES256');
    const token = await signWith(stranger.privateKey, { alg: 'ES256', kid: 'not-published' }, good);
    await expect(verify(token)).rejects.toMatchObject({
      message: 'Token signing key is not known',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses a token signed by another key under a published kid', async () => {
    const stranger = await generateKeyPair('ES256');
    const token = await signWith(stranger.privateKey, { alg: 'ES256', kid: 'idp-1' }, good);
    await expect(verify(token)).rejects.toMatchObject({
      message: 'Token signature is invalid',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const token = await signWith(key, { alg: 'ES256', kid: 'idp-1' }, { role: 'school_staff', org: ORG });
    const [h, , s] = token.split('.');
    const forged = `${h}.${base64url.encode(JSON.stringify({ role: 'admin', org: ORG, iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: now() + 600 }))}.${s}`;
    await expect(verify(forged)).rejects.toMatchObject({ message: 'Token signature is invalid' });
  });

  it.each(['', 'not-a-jwt', 'a.b.c', 'eyJhbGciOiJFUzI1NiJ9..'])('refuses the malformed token %j', async (token) => {
    await expect(verify(token)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('tolerates a small clock difference with the issuer, not a large one', async () => {
    const justExpired = await signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { exp: now() - 5 });
    await expect(verify(justExpired)).resolves.toMatchObject({ role: 'school_dsl' });
    const issuedJustAhead = await signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { iat: now() + 10 });
    await expect(verify(issuedJustAhead)).resolves.toMatchObject({ role: 'school_dsl' });
  });

  it('accepts lifetimes up to the maximum (24 h by default, or as configured), with or without iat, and numeric-string subjects', async () => {
    for (const opts of [{ exp: '23h' }, { iat: null, exp: '23h' }]) {
      await expect(verify(await signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, opts))).resolves.toMatchObject({
        role: 'school_dsl',
      });
    }
    await expect(
      verify(await signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { sub: '004512' })),
    ).resolves.toMatchObject({ subject: '004512' });
    const short = createTokenVerifier({
      audience: AUDIENCE,
      registry: trustRegistry([trustedIssuer(ISSUER, { keys: [jwk] }, '*')]),
      maxLifetimeSeconds: 3_600,
    });
    await expect(short(await signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { exp: '2h' }))).rejects.toMatchObject(
      { message: 'Token lifetime exceeds the maximum' },
    );
    await expect(
      short(await signWith(key, { alg: 'ES256', kid: 'idp-1' }, good, { exp: '50m' })),
    ).resolves.toMatchObject({ role: 'school_dsl' });
  });
});

describe('verified tokens remembered', () => {
  let dev: DevIssuer;
  let lookups: number;
  let verify: VerifyToken;
  beforeAll(async () => {
    dev = await loadDevIssuer(null, 'urn:test:cache');
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const counting = (): VerifyToken => {
    lookups = 0;
    const registry = trustRegistry([dev.trusted]);
    // Each signature check starts with the issuer's keys: counting lookups counts verifications.
    const counted = {
      get: (issuer: string) => {
        lookups++;
        return registry.get(issuer);
      },
    } as typeof registry;
    return createTokenVerifier({ audience: AUDIENCE, registry: counted, clockToleranceSeconds: 30 });
  };

  it("checks a token's signature once, then answers the same caller from memory", async () => {
    verify = counting();
    const token = await dev.sign({
      role: 'school_staff',
      org: ORG,
      sub: 'mis-1',
      audience: AUDIENCE,
      expiresIn: '10m',
    });
    const first = await verify(token);
    for (let i = 0; i < 5; i++) expect(await verify(token)).toEqual(first);
    expect(lookups).toBe(1);
    // A different token (another caller) is verified on its own.
    await verify(
      await dev.sign({ role: 'school_staff', org: OTHER_ORG, sub: 'mis-2', audience: AUDIENCE, expiresIn: '10m' }),
    );
    expect(lookups).toBe(2);
  });

  it('refuses a remembered token once it expires, with the reason', async () => {
    verify = counting();
    vi.useFakeTimers({ now: new Date('2026-11-26T10:00:00Z'), toFake: ['Date'] });
    const token = await dev.sign({ role: 'school_staff', org: ORG, sub: 'mis-1', audience: AUDIENCE, expiresIn: '2m' });
    await expect(verify(token)).resolves.toMatchObject({ subject: 'mis-1' });
    vi.setSystemTime(new Date('2026-11-26T10:02:20Z')); // past exp, within the 30 s tolerance
    await expect(verify(token)).resolves.toMatchObject({ subject: 'mis-1' });
    vi.setSystemTime(new Date('2026-11-26T10:02:31Z'));
    await expect(verify(token)).rejects.toMatchObject({ message: 'Token has expired' });
    await expect(verify(token)).rejects.toMatchObject({ message: 'Token has expired' });
  });

  it('checks the signature again after a minute, so a withdrawn key stops working', async () => {
    verify = counting();
    vi.useFakeTimers({ now: new Date('2026-11-26T10:00:00Z'), toFake: ['Date'] });
    const token = await dev.sign({ role: 'school_staff', org: ORG, sub: 'mis-1', audience: AUDIENCE, expiresIn: '1h' });
    await verify(token);
    vi.setSystemTime(new Date('2026-11-26T10:00:59Z'));
    await verify(token);
    expect(lookups).toBe(1);
    vi.setSystemTime(new Date('2026-11-26T10:01:01Z'));
    await verify(token);
    expect(lookups).toBe(2);
  });

  it('never remembers a refusal', async () => {
    verify = counting();
    const forged = `${(await dev.sign({ role: 'school_staff', org: ORG, sub: 'mis-1', audience: AUDIENCE })).slice(0, -4)}AAAA`;
    await expect(verify(forged)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(verify(forged)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(lookups).toBe(2);
  });
});

describe('the development issuer', () => {
  let dev: DevIssuer;
  beforeAll(async () => {
    dev = await loadDevIssuer(null, 'urn:test:dev');
  });

  it('mints tokens the verifier accepts for any organisation', async () => {
    const verify = createTokenVerifier({ audience: AUDIENCE, registry: trustRegistry([dev.trusted]) });
    for (const org of [ORG, OTHER_ORG]) {
      const token = await dev.sign({
        role: 'eh_das_screener',
        org,
        sub: 'screener-1',
        audience: AUDIENCE,
        clientId: 'cli',
      });
      await expect(verify(token)).resolves.toEqual({
        subject: 'screener-1',
        organisationId: org,
        role: 'eh_das_screener',
        clientId: 'cli',
        issuer: 'urn:test:dev',
      });
    }
  });

  it('gives every key its own kid, so a second key is never mistaken for the first', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadDevIssuer(null, 'urn:test:dev')));
    const tokens = await Promise.all(
      keys.map((k) => k.sign({ role: 'admin', org: ORG, sub: 's', audience: AUDIENCE })),
    );
    const kids = tokens.map((t) => JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()).kid);
    expect(new Set(kids).size).toBe(4);
    const verify = createTokenVerifier({ audience: AUDIENCE, registry: trustRegistry([dev.trusted]) });
    await expect(verify(tokens[0]!)).rejects.toMatchObject({ message: 'Token signing key is not known' });
  });
});
