/**
 * Input rules shared by consents and safeguarding overrides. Each throws BAD_USER_INPUT naming
 * the GraphQL input field, before anything is written.
 */
import { ORGANISATION_KINDS, type OrganisationKind } from '../../schema';
import { DATA_CATEGORIES, isDataCategory, type DataCategory } from '../access/categories';
import { isPurpose, PURPOSES, type Purpose } from '../access/purposes';
import { BadUserInputError } from '../errors';
import { requireUuid } from '../shared/validate';

export { ORGANISATION_KINDS, type OrganisationKind };

/** Longest list accepted for any array input: a consent names a handful, not a directory. */
export const MAX_LIST = 50;

/** An ISO 8601 instant with a time zone (e.g. 2026-03-01T09:00:00Z). */
export function requireInstant(field: string, value: string): Date {
  const trimmed = (value ?? '').trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) {
    throw new BadUserInputError(field, 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:00:00Z');
  }
  const at = new Date(trimmed);
  // Date rolls 30 February over into March; the calendar date must survive the round trip.
  const datePart = trimmed.slice(0, 10);
  const check = new Date(`${datePart}T00:00:00Z`);
  if (Number.isNaN(at.getTime()) || Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== datePart) {
    throw new BadUserInputError(field, 'is not a real date-time');
  }
  return at;
}

function requireList<T extends string>(
  field: string,
  values: readonly string[] | null | undefined,
  ok: (v: string) => v is T,
  allowed: readonly string[],
  min = 1,
): T[] {
  const list = values ?? [];
  if (list.length < min) throw new BadUserInputError(field, `name at least ${min} of ${allowed.join(', ')}`);
  if (list.length > MAX_LIST) throw new BadUserInputError(field, `must name at most ${MAX_LIST}`);
  for (const v of list) if (!ok(v)) throw new BadUserInputError(field, `unknown value; use ${allowed.join(', ')}`);
  return [...new Set(list as T[])].sort();
}

export function requireCategories(field: string, values: readonly string[] | null | undefined): DataCategory[] {
  return requireList(field, values, isDataCategory, DATA_CATEGORIES);
}

export function requirePurposes(field: string, values: readonly string[] | null | undefined): Purpose[] {
  return requireList(field, values, isPurpose, PURPOSES);
}

export function optionalOrganisationKinds(
  field: string,
  values: readonly string[] | null | undefined,
): OrganisationKind[] {
  const isKind = (v: string): v is OrganisationKind => (ORGANISATION_KINDS as readonly string[]).includes(v);
  return requireList(field, values, isKind, ORGANISATION_KINDS, 0);
}

export function optionalIds(field: string, values: readonly string[] | null | undefined): string[] {
  const list = values ?? [];
  if (list.length > MAX_LIST) throw new BadUserInputError(field, `must name at most ${MAX_LIST}`);
  return [...new Set(list.map((v) => requireUuid(field, v)))].sort();
}
