/**
 * What "in force" means, once, for the read rule (access.repo) and the workflow (referral, step
 * down) alike: a consent is in force from its start until withdrawn or expired; a safeguarding
 * override from its declaration until it expires, is revoked, or the DPO finds it not upheld
 * (a pending review still counts: the override shares at once and is reviewed after). An override
 * in force opens its categories only to the organisations it names as recipients.
 */
import { sql, type SQL } from 'drizzle-orm';
import { consents, safeguardingOverrides } from '../../schema';

type ConsentTimes = { startsAt: Date; withdrawnAt: Date | null; expiresAt: Date | null };
type OverrideTimes = { declaredAt: Date; expiresAt: Date; revokedAt: Date | null; reviewStatus: string };

/** `at` as SQL: a timestamptz expression, or a Date bound as a parameter. */
const instant = (at: SQL | Date): SQL => (at instanceof Date ? sql`${at.toISOString()}::timestamptz` : at);

export function consentInForceWhere(at: SQL | Date): SQL {
  const t = instant(at);
  return sql`(${consents.startsAt} <= ${t}
    and (${consents.withdrawnAt} is null or ${consents.withdrawnAt} > ${t})
    and (${consents.expiresAt} is null or ${consents.expiresAt} > ${t}))`;
}

export function overrideInForceWhere(at: SQL | Date): SQL {
  const t = instant(at);
  return sql`(${safeguardingOverrides.declaredAt} <= ${t} and ${safeguardingOverrides.expiresAt} > ${t}
    and (${safeguardingOverrides.revokedAt} is null or ${safeguardingOverrides.revokedAt} > ${t})
    and ${safeguardingOverrides.reviewStatus} <> 'not_upheld')`;
}

export function isConsentInForce(c: ConsentTimes, at: Date): boolean {
  return (
    c.startsAt <= at && (c.withdrawnAt === null || c.withdrawnAt > at) && (c.expiresAt === null || c.expiresAt > at)
  );
}

export function isOverrideInForce(o: OverrideTimes, at: Date): boolean {
  return (
    o.declaredAt <= at &&
    o.expiresAt > at &&
    (o.revokedAt === null || o.revokedAt > at) &&
    o.reviewStatus !== 'not_upheld'
  );
}

/** Whether an override opens its categories to the organisation: only to the recipients it names. */
export function overrideOpensTo(o: { recipientOrganisationIds: readonly string[] }, organisationId: string): boolean {
  return o.recipientOrganisationIds.includes(organisationId);
}

export function overrideOpensToWhere(organisationId: string): SQL {
  return sql`${organisationId}::uuid = any(${safeguardingOverrides.recipientOrganisationIds})`;
}
