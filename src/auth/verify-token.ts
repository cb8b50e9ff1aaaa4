/**
 * Bearer token verification: signature against the issuer's keys, an algorithm allow-list
 * (never `none`, never HMAC), `iss` from the trust registry, `aud`, `exp`/`nbf`/`iat`, a bounded
 * lifetime, and claims the hub needs — a `sub` that names someone, since it is written into the
 * audit of everything the caller reads and changes. Every refusal is an `UnauthenticatedError`
 * with a reason that holds no token content.
 */
import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { isRole } from '../access/roles';
import { UnauthenticatedError } from '../errors';
import type { Caller } from './caller';
import { KeysUnavailableError } from './remote-keys';
import type { TrustedIssuer, TrustRegistry } from './trust-registry';

export const ALLOWED_ALGORITHMS = ['RS256', 'ES256'];

/** Clock skew tolerated at most, whatever is configured: a longer one extends stolen tokens' life. */
export const MAX_CLOCK_SKEW_SECONDS = 60;

/** Default longest token lifetime (exp − iat, or exp − now without iat): a working day and then some. */
export const DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3600;

/**
 * A subject someone can be traced to: a string of 1–255 characters, not only white space, and no
 * control characters (it is logged and audited verbatim).
 */
const SUBJECT = /^(?=.*\S)[^\p{Cc}]{1,255}$/u;

export interface TokenVerifierOptions {
  registry: TrustRegistry;
  audience: string;
  /** Tolerated clock difference with issuers, in seconds (default 30, bounded to 0–60). */
  clockToleranceSeconds?: number;
  /** Verified tokens remembered (default 10,000; 0 turns the cache off). */
  cacheSize?: number;
  /**
   * Longest lifetime accepted, seconds: exp − iat, or exp − now when there is no iat (default
   * 24 h). A token minted for months is a standing credential nobody can revoke in time.
   */
  maxLifetimeSeconds?: number;
}

/**
 * How long a verified token is taken on trust before its signature is checked again, at most:
 * a change to the trust registry (an issuer or key withdrawn) reaches cached tokens within it.
 */
const VERIFIED_TTL_MS = 60_000;

interface Verified {
  caller: Caller;
  until: number;
  notBefore: number;
}

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

function verifyWithKeys({
  registry,
  audience,
  clockToleranceSeconds,
  maxLifetimeSeconds = DEFAULT_MAX_LIFETIME_SECONDS,
}: TokenVerifierOptions): VerifyToken {
  const clockTolerance = clampTolerance(clockToleranceSeconds);
  return async (token) => {
    let claims: JWTPayload;
    let header: ProtectedHeaderParameters;
    try {
      claims = decodeJwt(token);
      header = decodeProtectedHeader(token);
    } catch {
      throw new UnauthenticatedError('Bearer token is malformed');
    }
    const trusted = claims.iss ? registry.get(claims.iss) : undefined;
    if (!trusted) throw new UnauthenticatedError('Token issuer is not trusted');
    // Everything that needs no key is decided first, on the claims as sent: a token refused
    // anyway (unsigned, expired, for another audience, unattributable…) never makes the hub
    // fetch an issuer's keys. The signature then proves these very claims.
    if (typeof header.alg !== 'string' || !ALLOWED_ALGORITHMS.includes(header.alg))
      throw new UnauthenticatedError('Token algorithm is not allowed');
    if (!token.split('.')[2]) throw new UnauthenticatedError('Token signature is invalid');
    const caller = callerFrom(claims, trusted, { audience, clockTolerance, maxLifetimeSeconds });

    try {
      await jwtVerify(token, trusted.keys, {
        issuer: trusted.issuer,
        audience,
        algorithms: ALLOWED_ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
        clockTolerance,
      });
    } catch (error) {
      throw new UnauthenticatedError(reasonFor(error));
    }
    return caller;
  };
}

function callerFrom(
  payload: JWTPayload,
  trusted: TrustedIssuer,
  rules: { audience: string; clockTolerance: number; maxLifetimeSeconds: number },
): Caller {
  const { sub, org, role, exp, aud } = payload as {
    sub: unknown;
    org?: unknown;
    role?: unknown;
    exp?: unknown;
    aud?: unknown;
  };
  if (typeof exp !== 'number') throw new UnauthenticatedError('Token claim "exp" is not acceptable');
  if (exp + rules.clockTolerance <= Math.floor(Date.now() / 1000)) throw new UnauthenticatedError('Token has expired');
  if (!(Array.isArray(aud) ? aud : [aud]).includes(rules.audience))
    throw new UnauthenticatedError('Token claim "aud" is not acceptable');
  if (typeof sub !== 'string' || !SUBJECT.test(sub))
    throw new UnauthenticatedError('Token claim "sub" is not acceptable');
  checkTimes(payload, rules.clockTolerance, rules.maxLifetimeSeconds);
  if (typeof org !== 'string' || org.length === 0) throw new UnauthenticatedError('Token has no org claim');
  if (!isRole(role)) throw new UnauthenticatedError('Token role claim is not a known role');
  if (trusted.organisations !== '*' && !trusted.organisations.includes(org)) {
    throw new UnauthenticatedError('Token issuer may not speak for this organisation');
  }
  if (trusted.roles !== '*' && !trusted.roles.includes(role))
    throw new UnauthenticatedError('Token issuer may not assert this role');
  const clientId = payload.client_id ?? payload.azp;
  return {
    subject: sub,
    organisationId: org,
    role,
    clientId: typeof clientId === 'string' ? clientId : null,
    issuer: trusted.issuer,
  };
}

/** What jose leaves unchecked without `maxTokenAge`: an `iat` from the future, and the lifetime. */
function checkTimes(payload: JWTPayload, clockTolerance: number, maxLifetime: number): void {
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = payload as { iat?: number; exp: number };
  if (iat !== undefined && iat > now + clockTolerance)
    throw new UnauthenticatedError('Token claim "iat" is not acceptable');
  if (exp - (iat ?? now) > maxLifetime) throw new UnauthenticatedError('Token lifetime exceeds the maximum');
}

function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'Token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `Token claim "${error.claim}" is not acceptable`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'Token algorithm is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'Token signing key is not known';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'Token signature is invalid';
  if (error instanceof KeysUnavailableError) return 'Token issuer keys are unavailable; retry later';
  return 'Token could not be verified';
}
