/**
 * The development issuer: on first start the hub makes an ES256 key pair under DEV_KEYS_DIR and
 * trusts it for any organisation, so `npm run token` can mint working tokens. Never in production.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type { Role } from '../access/roles';
import { trustedIssuer, type TrustedIssuer } from './trust-registry';

interface StoredKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface DevIssuer {
  readonly issuer: string;
  readonly trusted: TrustedIssuer;
  sign(claims: DevTokenClaims): Promise<string>;
}

export interface DevTokenClaims {
  role: Role;
  org: string;
  sub: string;
  clientId?: string;
  audience: string;
  /** jose time span, default `8h`. */
  expiresIn?: string | number;
}

/** Loads the key from `dir`, or creates it there (0600) when absent; `dir` null keeps it in memory. */
export async function loadDevIssuer(dir: string | null, issuer: string): Promise<DevIssuer> {
  const key = dir ? await readOrCreateKey(join(dir, 'dev-signing-key.json')) : await newKey();
  const privateKey = await importJWK(key.privateJwk, 'ES256');
  return {
    issuer,
    trusted: trustedIssuer(issuer, { keys: [key.publicJwk] }, '*'),
    sign: ({ role, org, sub, clientId, audience, expiresIn = '8h' }) =>
      new SignJWT({ role, org, ...(clientId ? { client_id: clientId } : {}) })
        .setProtectedHeader({ alg: 'ES256', kid: key.publicJwk.kid! })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey),
  };
}

async function readOrCreateKey(path: string): Promise<StoredKey> {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as StoredKey;
  const key = await newKey();
  mkdirSync(join(path, '..'), { recursive: true });
  try {
    writeFileSync(path, JSON.stringify(key), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process (the token CLI, a second hub) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return JSON.parse(readFileSync(path, 'utf8')) as StoredKey;
  }
  return key;
}

async function newKey(): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const exported = await exportJWK(publicKey);
  // The key's own thumbprint (RFC 7638): two keys made in the same millisecond (tests start
  // several hubs) must never share a kid, or a token would be checked against the wrong key.
  const kid = `dev-${(await calculateJwkThumbprint(exported)).slice(0, 16)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
  const publicJwk = { ...exported, kid, alg: 'ES256', use: 'sig' };
  return { privateJwk, publicJwk };
}
