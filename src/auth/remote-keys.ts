/**
 * An issuer's published keys (JWKS), fetched by jose's `createRemoteJWKSet` (which caches them,
 * shares one fetch among concurrent requests, and refetches for an unknown `kid` at most once per
 * cooldown), with what it lacks: a failed fetch is remembered. Until the backoff after it has
 * passed (1 s, doubled per failure, up to 5 min) no request fetches again; each is answered at
 * once from the last keys that were fetched, or refused if there are none. Without this every
 * request naming an issuer whose JWKS endpoint was down waited for its own fetch to time out.
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export interface RemoteKeysOptions {
  /** A fetch taking longer fails (default 5,000 ms). */
  timeoutMs?: number;
  /** Least time between two fetches for an unknown `kid` (default 30,000 ms). */
  cooldownMs?: number;
  /** Keys older than this are fetched again before use (default 600,000 ms). */
  cacheMaxAgeMs?: number;
  /** First wait after a failed fetch, doubled per consecutive failure (default 1,000 ms)... */
  backoffMs?: number;
  /** ...up to this (default 300,000 ms). */
  maxBackoffMs?: number;
  now?: () => number;
}

/** The issuer's keys could not be fetched and none were fetched before. */
export class KeysUnavailableError extends Error {
  constructor() {
    super("the issuer's keys could not be fetched");
  }
}

/** Errors that say which key, not whether the keys could be had. */
const KEY_SELECTION_ERRORS = [
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSENotSupported,
  errors.JWSInvalid,
];

export function remoteKeys(url: URL, options: RemoteKeysOptions = {}): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, {
    timeoutDuration: options.timeoutMs ?? 5_000,
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
  });
  const now = options.now ?? Date.now;
  const first = options.backoffMs ?? 1_000;
  const cap = options.maxBackoffMs ?? 300_000;
  let failures = 0;
  let retryAt = 0;
  let lastGood: { jwks: JSONWebKeySet; keys: JWTVerifyGetKey } | null = null;

  const fromLastGood: JWTVerifyGetKey = (header, token) => {
    const jwks = remote.jwks();
    if (!jwks) throw new KeysUnavailableError();
    if (lastGood?.jwks !== jwks) lastGood = { jwks, keys: createLocalJWKSet(jwks) };
    return lastGood.keys(header, token);
  };

  return async (header, token) => {
    if (now() < retryAt) return fromLastGood(header, token);
    try {
      const key = await remote(header, token);
      failures = 0;
      return key;
    } catch (error) {
      if (KEY_SELECTION_ERRORS.some((type) => error instanceof type)) throw error;
      failures++;
      retryAt = now() + Math.min(cap, first * 2 ** (failures - 1));
      return fromLastGood(header, token);
    }
  };
}
