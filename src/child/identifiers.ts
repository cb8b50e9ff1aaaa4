/**
 * NHS number and Unique Pupil Number checks (mod-11 and the UPN check letter, below). Each returns null when valid, or the
 * reason it is not, so callers can name the field in a BAD_USER_INPUT.
 */

/** 10 digits; weights 10..2 on the first nine; check = 11 − (sum mod 11), 11 → 0, 10 → invalid. */
export function nhsNumberProblem(value: string): string | null {
  if (!/^\d{10}$/.test(value)) return 'must be exactly 10 digits';
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 9).reduce((acc, d, i) => acc + d * (10 - i), 0);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  if (check === 10 || expected !== digits[9]) return 'fails the modulus 11 check digit';
  return null;
}

/** Letters in check-letter order: 0 → A … 22 → Z, skipping I, O and S. */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * 13 characters: check letter, 3-digit LA, 4-digit establishment, 2-digit year, 3-digit serial
 * (a temporary UPN ends in a letter). Check letter = Σ(position × value) over positions 2–13,
 * mod 23, mapped onto UPN_LETTERS.
 */
export function upnProblem(value: string): string | null {
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(value)) return 'must be a check letter, 11 digits and a final digit or letter';
  const last = value[12]!;
  if (/[A-Z]/.test(last) && !UPN_LETTERS.includes(last)) return 'has a final letter that UPNs do not use';
  let sum = 0;
  for (let position = 2; position <= 13; position++) {
    const ch = value[position - 1]!;
    const charValue = /\d/.test(ch) ? Number(ch) : UPN_LETTERS.indexOf(ch);
    sum += position * charValue;
  }
  if (UPN_LETTERS[sum % 23] !== value[0]) return 'fails the check letter';
  return null;
}

/** Adds the check letter to a 12-character UPN body (used by the seeds). */
export function withUpnCheckLetter(body: string): string {
  let sum = 0;
  for (let position = 2; position <= 13; position++) {
    const ch = body[position - 2]!;
    sum += position * (/\d/.test(ch) ? Number(ch) : UPN_LETTERS.indexOf(ch));
  }
  return UPN_LETTERS[sum % 23] + body;
}

/** Adds the check digit to a 9-digit NHS number body, or returns null when the body has none. */
export function withNhsCheckDigit(body: string): string | null {
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return body + String(check === 11 ? 0 : check);
}

/** Normalises an NHS number as people type it ("943 476 5919"). */
export function normaliseNhsNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export function normaliseUpn(value: string): string {
  return value.replace(/\s/g, '').toUpperCase();
}

export function normalisePostcode(value: string): string {
  return value.replace(/\s/g, '').toUpperCase();
}

/** Normalised family name + given name + date (of birth or expected) + postcode, for probable matching. */
export function matchKey(input: {
  givenName: string;
  familyName: string;
  date: string | null;
  postcode: string | null;
}): string {
  const name = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[^\p{L}]/gu, '')
      .toLowerCase();
  return [
    name(input.familyName),
    name(input.givenName),
    input.date ?? '',
    input.postcode ? normalisePostcode(input.postcode) : '',
  ].join('|');
}
