/** Input checks shared by the feeds; each throws BAD_USER_INPUT naming the field as sent. */
import { BadUserInputError } from '../errors';
import { nhsNumberProblem, normaliseNhsNumber, normaliseUpn, upnProblem } from '../child/identifiers';
import { optionalText, requireIsoDate, requirePostcode, requireText } from '../shared/validate';
import type { ChildDescription } from './child-matcher';

export function requireNhsNumber(field: string, value: string | null | undefined): string {
  const nhs = normaliseNhsNumber(value ?? '');
  const problem = nhsNumberProblem(nhs);
  if (problem) throw new BadUserInputError(field, problem);
  return nhs;
}

export function requireUpn(field: string, value: string | null | undefined): string {
  const upn = normaliseUpn(value ?? '');
  const problem = upnProblem(upn);
  if (problem) throw new BadUserInputError(field, problem);
  return upn;
}

/** A past or present calendar date. */
export function requirePastDate(field: string, value: string, today: string): string {
  const date = requireIsoDate(field, value);
  if (date > today) throw new BadUserInputError(field, 'must not be in the future');
  return date;
}

/** Optional demographics a partner may send so a held submission can be resolved or a record created. */
export interface Demographics {
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  postcode?: string | null;
}

export function validateDemographics(
  prefix: string,
  input: Demographics | null | undefined,
  today: string,
): Demographics {
  if (!input) return {};
  const out: Demographics = {
    givenName: optionalText(`${prefix}givenName`, input.givenName, 100),
    familyName: optionalText(`${prefix}familyName`, input.familyName, 100),
    dateOfBirth: input.dateOfBirth ? requirePastDate(`${prefix}dateOfBirth`, input.dateOfBirth, today) : null,
    postcode: input.postcode ? requirePostcode(`${prefix}postcode`, input.postcode) : null,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v != null)) as Demographics;
}

/** A child described by identifiers or by name + date of birth: at least one way to find them. */
export function validateDescription(prefix: string, input: ChildDescription, today: string): ChildDescription {
  const out: ChildDescription = {
    ...validateDemographics(prefix, input, today),
    ...(input.nhsNumber ? { nhsNumber: requireNhsNumber(`${prefix}nhsNumber`, input.nhsNumber) } : {}),
    ...(input.upn ? { upn: requireUpn(`${prefix}upn`, input.upn) } : {}),
  };
  if (!out.nhsNumber && !out.upn && !(out.givenName && out.familyName && out.dateOfBirth)) {
    throw new BadUserInputError(
      `${prefix}nhsNumber`,
      'give an NHS number, a UPN, or given name, family name and date of birth',
    );
  }
  return out;
}

export { requireText };
