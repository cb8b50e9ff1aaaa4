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
  jwks: z.object({
    keys: z.array(z.record(z.unknown()).refine((k) => !('d' in k), 'is a private key; list public keys only')).min(1),
  }).optional(),
  organisations: z.union([z.literal('*'), z.array(z.string().min(1)).min(1, 'must list at least one organisation id, or be "*"')], {
    errorMap: () => ({ message: 'must be "*" or a non-empty list of organisation ids' }),
  }),
}).refine((e) => Boolean(e.jwksUri) !== Boolean(e.jwks), 'give exactly one of jwksUri or jwks');

export function trustedIssuer(issuer: string, jwks: JSONWebKeySet, organisations: readonly string[] | '*'): TrustedIssuer {
  return { issuer, keys: createLocalJWKSet(jwks), organisations };
}

/** A registry file that cannot be used: one line naming the file and what is wrong. */
export class TrustRegistryError extends Error {}

/**
 * Reads a registry file; an unreadable file, bad JSON or a bad entry stops start-up with one line
 * naming the file and the entry's position and field.
 */
export function loadTrustRegistryFile(path: string): TrustedIssuer[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TrustRegistryError(`Invalid trust registry ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TrustRegistryError(`Invalid trust registry ${path}: not valid JSON`);
  }
  const parsed = z.array(entrySchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `entry ${issue.path.join('.')} ${issue.message}` : 'the file must hold a JSON list of issuers';
    throw new TrustRegistryError(`Invalid trust registry ${path}: ${where}`);
  }
  const issuers = parsed.data.map((e) => e.issuer);
  const repeated = issuers.find((issuer, i) => issuers.indexOf(issuer) !== i);
  if (repeated) throw new TrustRegistryError(`Invalid trust registry ${path}: issuer ${JSON.stringify(repeated)} is listed twice`);
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
