/**
 * Bearer token verification: signature against the issuer's keys, an algorithm allow-list
 * (never `none`, never HMAC), `iss` from the trust registry, `aud`, `exp`/`nbf`, and claims the
 * hub needs. Every refusal is an `UnauthenticatedError` with a reason that holds no token content.
 */
import { decodeJwt, errors, jwtVerify } from 'jose';
import { isRole } from '../access/roles';
import { UnauthenticatedError } from '../errors';
import type { Caller } from './caller';
import type { TrustRegistry } from './trust-registry';

export const ALLOWED_ALGORITHMS = ['RS256', 'ES256'];

/** Clock skew tolerated at most, whatever is configured: a longer one extends stolen tokens' life. */
export const MAX_CLOCK_SKEW_SECONDS = 60;

export interface TokenVerifierOptions {
  registry: TrustRegistry;
  audience: string;
  /** Tolerated clock difference with issuers, in seconds (default 30, bounded to 0–60). */
  clockToleranceSeconds?: number;
  /** Verified tokens remembered (default 10,000; 0 turns the cache off). */
  cacheSize?: number;
}

/**
 * How long a verified token is taken on trust before its signature is checked again, at most:
 * a change to the trust registry (an issuer or key withdrawn) reaches cached tokens within it.
 */
const VERIFIED_TTL_MS = 60_000;

interface Verified { caller: Caller; until: number; notBefore: number }

export type VerifyToken = (token: string) => Promise<Caller>;

/**
 * A partner system sends the same token on every request until it expires; the signature check
 * (ES256/RS256) was a twentieth of the hub's CPU on a school lookup. A token verified once is
 * remembered by its exact text until its `exp` (or the TTL above) and checked against the clock
 * on each use; anything outside that window is verified afresh, and so refused with the reason.
 * Revocation is checked on every request outside this cache (src/hardening/revocation.ts).
 */
export function createTokenVerifier(options: TokenVerifierOptions): VerifyToken {
  const verify = verifyWithKeys(options);
  const cacheSize = options.cacheSize ?? 10_000;
  if (cacheSize === 0) return verify;
  const toleranceMs = clampTolerance(options.clockToleranceSeconds) * 1000;
  const verified = new Map<string, Verified>();
  return async (token) => {
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && now < hit.until && now >= hit.notBefore) return hit.caller;
    verified.delete(token);
    const caller = await verify(token);
    const { exp, nbf } = decodeJwt(token);
    verified.set(token, {
      caller,
      until: Math.min(exp! * 1000 + toleranceMs, now + VERIFIED_TTL_MS),
      notBefore: nbf === undefined ? 0 : nbf * 1000 - toleranceMs,
    });
    // Oldest first: a Map iterates in insertion order.
    if (verified.size > cacheSize) verified.delete(verified.keys().next().value!);
    return caller;
  };
}

function clampTolerance(seconds = 30): number {
  return Math.min(Math.max(0, seconds), MAX_CLOCK_SKEW_SECONDS);
}

function verifyWithKeys({ registry, audience, clockToleranceSeconds }: TokenVerifierOptions): VerifyToken {
  const clockTolerance = clampTolerance(clockToleranceSeconds);
  return async (token) => {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new UnauthenticatedError('Bearer token is malformed');
    }
    const trusted = issuer ? registry.get(issuer) : undefined;
    if (!trusted) throw new UnauthenticatedError('Token issuer is not trusted');

    let payload;
    try {
      ({ payload } = await jwtVerify(token, trusted.keys, {
        issuer: trusted.issuer,
        audience,
        algorithms: ALLOWED_ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
        clockTolerance,
      }));
    } catch (error) {
      throw new UnauthenticatedError(reasonFor(error));
    }

    const { sub, org, role } = payload as { sub: string; org?: unknown; role?: unknown };
    if (typeof org !== 'string' || org.length === 0) throw new UnauthenticatedError('Token has no org claim');
    if (!isRole(role)) throw new UnauthenticatedError('Token role claim is not a known role');
    if (trusted.organisations !== '*' && !trusted.organisations.includes(org)) {
      throw new UnauthenticatedError('Token issuer may not speak for this organisation');
    }
    const clientId = payload.client_id ?? payload.azp;
    return { subject: sub, organisationId: org, role, clientId: typeof clientId === 'string' ? clientId : null, issuer: trusted.issuer };
  };
}

function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'Token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `Token claim "${error.claim}" is not acceptable`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'Token algorithm is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'Token signing key is not known';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'Token signature is invalid';
  return 'Token could not be verified';
}
