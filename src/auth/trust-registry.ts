/**
 * Which issuers the hub trusts, where their keys are, and which organisations each may speak for.
 * A school MIS's issuer can only mint tokens for its own school; the partnership identity provider
 * (and the development issuer) may speak for any organisation (`'*'`).
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

export interface TrustedIssuer {
  readonly issuer: string;
  readonly keys: JWTVerifyGetKey;
  /** Organisation ids this issuer may put in `org`, or `'*'`. */
  readonly organisations: readonly string[] | '*';
}

export type TrustRegistry = ReadonlyMap<string, TrustedIssuer>;

const entrySchema = z.object({
  issuer: z.string().min(1),
  jwksUri: z.string().url().optional(),
  jwks: z.object({ keys: z.array(z.record(z.unknown())) }).optional(),
  organisations: z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]),
}).refine((e) => Boolean(e.jwksUri) !== Boolean(e.jwks), 'give exactly one of jwksUri or jwks');

export function trustedIssuer(issuer: string, jwks: JSONWebKeySet, organisations: readonly string[] | '*'): TrustedIssuer {
  return { issuer, keys: createLocalJWKSet(jwks), organisations };
}

/** Reads a registry file; a bad entry stops start-up with the entry's position and field. */
export function loadTrustRegistryFile(path: string): TrustedIssuer[] {
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const parsed = z.array(entrySchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid trust registry ${path}: entry ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data.map((e) => ({
    issuer: e.issuer,
    organisations: e.organisations,
    keys: e.jwks
      ? createLocalJWKSet(e.jwks as unknown as JSONWebKeySet)
      : createRemoteJWKSet(new URL(e.jwksUri!), { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000 }),
  }));
}

export function trustRegistry(issuers: readonly TrustedIssuer[]): TrustRegistry {
  return new Map(issuers.map((i) => [i.issuer, i]));
}
