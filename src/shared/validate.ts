/**
 * Small input checks that throw BAD_USER_INPUT naming the field. Services call them before any
 * write, so a rejected input changes nothing.
 */
import { BadUserInputError } from '../errors';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function requireText(field: string, value: string | null | undefined, { min = 1, max = 2000 } = {}): string {
  const trimmed = (value ?? '').trim();
  if (trimmed.length < min)
    throw new BadUserInputError(field, min <= 1 ? 'must not be blank' : `must be at least ${min} characters`);
  if (trimmed.length > max) throw new BadUserInputError(field, `must be at most ${max} characters`);
  return trimmed;
}

export function optionalText(field: string, value: string | null | undefined, max = 2000): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requireText(field, value, { max });
}

/** A real calendar date in YYYY-MM-DD form (rejects 2023-02-30). */
export function requireIsoDate(field: string, value: string): string {
  if (!ISO_DATE.test(value)) throw new BadUserInputError(field, 'must be a date in YYYY-MM-DD form');
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new BadUserInputError(field, 'is not a real calendar date');
  }
  return value;
}

export function requireOneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new BadUserInputError(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireUuid(field: string, value: string): string {
  if (!UUID.test(value)) throw new BadUserInputError(field, 'must be an id (UUID)');
  return value.toLowerCase();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** UK postcode shape (outward + inward code), not an address lookup. */
export function requirePostcode(field: string, value: string): string {
  const normalised = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(normalised)) throw new BadUserInputError(field, 'must be a UK postcode');
  return `${normalised.slice(0, -3)} ${normalised.slice(-3)}`;
}
