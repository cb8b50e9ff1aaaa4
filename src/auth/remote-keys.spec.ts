import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { remoteKeys } from './remote-keys';
import { trustRegistry, type TrustedIssuer } from './trust-registry';
import { createTokenVerifier, type VerifyToken } from './verify-token';

const ISSUER = 'urn:test:remote-idp';
const AUDIENCE = 'early-help-hub';
const ORG = '11111111-1111-4111-8111-111111111111';

/** A JWKS endpoint on the loopback that counts its requests and can fail or hang. */
describe("an issuer's remote keys (JWKS)", () => {
  let server: Server;
  let url: URL;
  let mode: 'ok' | 'fail' | 'hang';
  let fetches: number;
  let key: CryptoKey;
  let jwk: JWK;
  let clock: number;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
    server = createServer((_req, res) => {
      fetches++;
      if (mode === 'hang') return; // answered by the client's timeout
      if (mode === 'fail') {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    fetches = 0;
    mode = 'ok';
    clock = Date.now();
  });

  const verifierWith = (keys: TrustedIssuer['keys']): VerifyToken =>
    createTokenVerifier({
      audience: AUDIENCE,
      cacheSize: 0,
      registry: trustRegistry([{ issuer: ISSUER, keys, organisations: '*', roles: '*' }]),
    });
  const sign = (
    claims: Record<string, unknown> = {},
    opts: { kid?: string; aud?: string; exp?: number | string; signWith?: CryptoKey; iss?: string; sub?: string } = {},
  ) =>
    new SignJWT({ role: 'school_dsl', org: ORG, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: opts.kid ?? 'k1' })
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? AUDIENCE)
      .setSubject(opts.sub ?? 'practitioner-1')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '10m')
      .sign(opts.signWith ?? key);

  it('remembers a failed fetch: until the backoff passes no request fetches again or waits for one', async () => {
    mode = 'hang';
    const verify = verifierWith(remoteKeys(url, { timeoutMs: 300, backoffMs: 60_000, now: () => clock }));
    const token = await sign();
    await expect(verify(token)).rejects.toMatchObject({
      message: 'Token issuer keys are unavailable; retry later',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(fetches).toBe(1);
    const started = Date.now();
    const refusals = await Promise.all(Array.from({ length: 20 }, () => verify(token).catch((e: Error) => e.message)));
    expect(refusals).toEqual(refusals.map(() => 'Token issuer keys are unavailable; retry later'));
    expect(Date.now() - started).toBeLessThan(250); // none waited for a fetch
    expect(fetches).toBe(1);

    // After the backoff, one request tries again; the endpoint is back, and so are the keys.
    mode = 'ok';
    clock += 60_001;
    await expect(verify(token)).resolves.toMatchObject({ subject: 'practitioner-1' });
    expect(fetches).toBe(2);
  });

  it('backs off longer after each consecutive failure, and keeps using the last keys it fetched', async () => {
    const verify = verifierWith(remoteKeys(url, { cacheMaxAgeMs: 1_000, backoffMs: 1_000, now: () => clock }));
    const token = await sign();
    await expect(verify(token)).resolves.toMatchObject({ subject: 'practitioner-1' });
    expect(fetches).toBe(1);
    mode = 'fail';
    // The cached keys are stale (jose reads the real clock for their age): each attempt fetches, fails, and falls back.
    await new Promise((r) => setTimeout(r, 1_050));
    await expect(verify(token)).resolves.toMatchObject({ subject: 'practitioner-1' });
    expect(fetches).toBe(2);
    clock += 999;
    await verify(token);
    expect(fetches).toBe(2); // within 1 s of the first failure
    clock += 2;
    await verify(token);
    expect(fetches).toBe(3);
    clock += 1_999;
    await verify(token);
    expect(fetches).toBe(3); // the second failure doubled the wait to 2 s
    clock += 2;
    await expect(verify(token)).resolves.toMatchObject({ subject: 'practitioner-1' });
    expect(fetches).toBe(4);
  });

  it('never fetches for a token refused without its keys: unsigned, untrusted, expired, for another audience, unattributable', async () => {
    const verify = verifierWith(remoteKeys(url));
    const valid = await sign();
    const [h, p] = valid.split('.');
    const none = `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${p}.`;
    const tokens = [
      `${h}.${p}.`, // ES256 header, no signature
      none,
      await sign({}, { aud: 'another-api' }),
      await sign({}, { exp: Math.floor(Date.now() / 1000) - 3_600 }),
      await sign({}, { sub: ' ' }),
      await sign({ role: 'superuser' }),
      await sign({}, { iss: 'urn:test:rogue' }),
      'not-a-jwt',
    ];
    for (const token of tokens)
      await expect(verify(token)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(fetches).toBe(0);
  });

  it('refetches for an unknown kid at most once per cooldown, however many forged tokens arrive', async () => {
    const verify = verifierWith(remoteKeys(url, { cooldownMs: 60_000 }));
    await verify(await sign());
    expect(fetches).toBe(1);
    const stranger = await generateKeyPair('ES256');
    const forged = await Promise.all(
      Array.from({ length: 10 }, (_, i) => sign({}, { kid: `rotated-${i}`, signWith: stranger.privateKey })),
    );
    for (const token of forged)
      await expect(verify(token)).rejects.toMatchObject({ message: 'Token signing key is not known' });
    expect(fetches).toBe(1);
  });
});
