import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrustRegistryFile, trustRegistry, TrustRegistryError } from './trust-registry';
import { createTokenVerifier } from './verify-token';

const ORG = '11111111-1111-4111-8111-111111111111';
const dir = mkdtempSync(join(tmpdir(), 'ehh-registry-'));
let n = 0;
function file(content: unknown): string {
  const path = join(dir, `registry-${++n}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadTrustRegistryFile', () => {
  let publicJwk: JWK;
  let privateJwk: JWK;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
    privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'k1', alg: 'ES256' };
  });

  it('loads issuers with inline keys and their organisations, and their tokens verify', async () => {
    const issuers = loadTrustRegistryFile(
      file([
        {
          issuer: 'urn:school-mis',
          jwks: { keys: [publicJwk] },
          organisations: [ORG],
          roles: ['school_dsl', 'school_staff'],
        },
        {
          issuer: 'https://idp.example.invalid',
          jwksUri: 'https://idp.example.invalid/jwks',
          organisations: '*',
          roles: '*',
        },
      ]),
    );
    expect(issuers.map((i) => [i.issuer, i.organisations, i.roles])).toEqual([
      ['urn:school-mis', [ORG], ['school_dsl', 'school_staff']],
      ['https://idp.example.invalid', '*', '*'],
    ]);
    const token = await new SignJWT({ role: 'school_dsl', org: ORG })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('urn:school-mis')
      .setAudience('hub')
      .setSubject('u1')
      .setExpirationTime('5m')
      .sign(privateKey);
    const verify = createTokenVerifier({ audience: 'hub', registry: trustRegistry(issuers) });
    await expect(verify(token)).resolves.toMatchObject({ organisationId: ORG, issuer: 'urn:school-mis' });
  });

  it.each<[string, () => string, RegExp]>([
    ['a missing file', () => join(dir, 'absent.json'), /cannot read the file \(ENOENT\)$/],
    ['a file that is not JSON', () => file('{ issuer: '), /not valid JSON$/],
    ['a file that is not a list', () => file({ issuer: 'x' }), /the file must hold a JSON list of issuers$/],
    [
      'an entry without organisations',
      () => file([{ issuer: 'urn:a', jwks: { keys: [publicJwk] } }]),
      /entry 0\.organisations must be "\*" or a non-empty list of organisation ids$/,
    ],
    [
      'an empty organisations list',
      () => file([{ issuer: 'urn:a', jwks: { keys: [publicJwk] }, organisations: [], roles: '*' }]),
      /entry 0\.organisations must list at least one organisation id, or be "\*"$/,
    ],
    [
      'an entry with both jwks and jwksUri',
      () =>
        file([
          {
            issuer: 'urn:a',
            jwks: { keys: [publicJwk] },
            jwksUri: 'https://x.invalid/jwks',
            organisations: '*',
            roles: '*',
          },
        ]),
      /give exactly one of jwksUri or jwks$/,
    ],
    [
      'an entry with neither',
      () => file([{ issuer: 'urn:a', organisations: '*', roles: '*' }]),
      /give exactly one of jwksUri or jwks$/,
    ],
    [
      'a jwksUri that is not a URL',
      () => file([{ issuer: 'urn:a', jwksUri: 'not a url', organisations: '*', roles: '*' }]),
      /entry 0\.jwksUri Invalid url$/,
    ],
    [
      'a private key in the registry',
      () => file([{ issuer: 'urn:a', jwks: { keys: [privateJwk] }, organisations: '*', roles: '*' }]),
      /entry 0\.jwks\.keys\.0 is a private key; list public keys only$/,
    ],
    [
      'an entry without roles',
      () => file([{ issuer: 'urn:a', jwks: { keys: [publicJwk] }, organisations: [ORG] }]),
      /entry 0\.roles must be "\*" or a non-empty list of roles \(school_dsl, /,
    ],
    [
      'an empty roles list',
      () => file([{ issuer: 'urn:a', jwks: { keys: [publicJwk] }, organisations: [ORG], roles: [] }]),
      /entry 0\.roles must list at least one role, or be "\*"$/,
    ],
    [
      'an unknown role',
      () => file([{ issuer: 'urn:a', jwks: { keys: [publicJwk] }, organisations: [ORG], roles: ['root'] }]),
      /entry 0\.roles/,
    ],
    [
      'the same issuer twice',
      () =>
        file([
          { issuer: 'urn:a', jwks: { keys: [publicJwk] }, organisations: '*', roles: '*' },
          { issuer: 'urn:a', jwks: { keys: [publicJwk] }, organisations: [ORG], roles: '*' },
        ]),
      /issuer "urn:a" is listed twice$/,
    ],
  ])('refuses %s with one line naming the file', (_name, pathOf, reason) => {
    const path = pathOf();
    let error: unknown;
    try {
      loadTrustRegistryFile(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrustRegistryError);
    const message = (error as Error).message;
    expect(message.startsWith(`Invalid trust registry ${path}: `)).toBe(true);
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
  });
});
