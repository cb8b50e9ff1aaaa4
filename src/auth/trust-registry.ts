/**
 * Which issuers the hub trusts, where their keys are, which organisations each may speak for and
 * which roles it may assert. A school MIS's issuer can only mint school roles for its own school;
 * the partnership identity provider (and the development issuer) may speak for any organisation
 * and role (`'*'`). Whatever the issuer, the role must also fit the organisation's kind
 * (src/access/organisation-roles.ts), checked when the organisation is looked up.
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { remoteKeys } from './remote-keys';
import { ROLES, type Role } from '../access/roles';

export interface TrustedIssuer {
  readonly issuer: string;
  readonly keys: JWTVerifyGetKey;
  /** Organisation ids this issuer may put in `org`, or `'*'`. */
  readonly organisations: readonly string[] | '*';
  /** Roles this issuer may put in `role`, or `'*'`. */
  readonly roles: readonly Role[] | '*';
}

export type TrustRegistry = ReadonlyMap<string, TrustedIssuer>;

const entrySchema = z
  .object({
    issuer: z.string().min(1),
    jwksUri: z.string().url().optional(),
    jwks: z
      .object({
        keys: z
          .array(z.record(z.unknown()).refine((k) => !('d' in k), 'is a private key; list public keys only'))
          .min(1),
      })
      .optional(),
    organisations: z.union(
      [z.literal('*'), z.array(z.string().min(1)).min(1, 'must list at least one organisation id, or be "*"')],
      {
        errorMap: () => ({ message: 'must be "*" or a non-empty list of organisation ids' }),
      },
    ),
    // Required: an entry that forgets it must not come to mean "any role".
    roles: z.union([z.literal('*'), z.array(z.enum(ROLES)).min(1, 'must list at least one role, or be "*"')], {
      errorMap: (issue, ctx) => ({
        message:
          issue.code === 'invalid_union' || issue.code === 'invalid_type'
            ? `must be "*" or a non-empty list of roles (${ROLES.join(', ')})`
            : ctx.defaultError,
      }),
    }),
  })
  .refine((e) => Boolean(e.jwksUri) !== Boolean(e.jwks), 'give exactly one of jwksUri or jwks');

export function trustedIssuer(
  issuer: string,
  jwks: JSONWebKeySet,
  organisations: readonly string[] | '*',
  roles: readonly Role[] | '*' = '*',
): TrustedIssuer {
  return { issuer, keys: createLocalJWKSet(jwks), organisations, roles };
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
    throw new TrustRegistryError(
      `Invalid trust registry ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
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
    const where = issue.path.length
      ? `entry ${issue.path.join('.')} ${issue.message}`
      : 'the file must hold a JSON list of issuers';
    throw new TrustRegistryError(`Invalid trust registry ${path}: ${where}`);
  }
  const issuers = parsed.data.map((e) => e.issuer);
  const repeated = issuers.find((issuer, i) => issuers.indexOf(issuer) !== i);
  if (repeated)
    throw new TrustRegistryError(`Invalid trust registry ${path}: issuer ${JSON.stringify(repeated)} is listed twice`);
  return parsed.data.map((e) => ({
    issuer: e.issuer,
    organisations: e.organisations,
    roles: e.roles,
    keys: e.jwks ? createLocalJWKSet(e.jwks as unknown as JSONWebKeySet) : remoteKeys(new URL(e.jwksUri!)),
  }));
}

export function trustRegistry(issuers: readonly TrustedIssuer[]): TrustRegistry {
  return new Map(issuers.map((i) => [i.issuer, i]));
}
