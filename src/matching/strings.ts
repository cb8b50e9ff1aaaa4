/**
 * String helpers the matcher compares and blocks with. The phonetic key is defined so the SQL
 * blocking expression (matching.repository.ts) computes exactly the same value on PostgreSQL and
 * PGlite without an extension: letters a–z only, so the two can never disagree.
 */

/** Lower-case letters with accents removed; hyphens and spaces kept as single separators. */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z\s-]/g, '')
    .replace(/[\s-]+/g, ' ')
    .trim();
}

/** The parts of a hyphenated or double name ("mary jane" → ["mary", "jane"]). */
export function nameParts(normalised: string): string[] {
  return normalised.split(' ').filter(Boolean);
}

/** Letters only: how two spellings that differ by hyphen or space compare equal. */
export const lettersOnly = (normalised: string): string => normalised.replace(/[^a-z]/g, '');

const SOUNDEX_CODES = '01230120022455012623010202';

/**
 * A Soundex-style key: first letter and three consonant codes. Vowels, h, w and y all count as
 * separators (unlike classic Soundex's h/w rule) because that is what a single SQL expression of
 * translate/regexp_replace can reproduce identically.
 */
export function phoneticKey(value: string): string {
  const letters = value.toLowerCase().replace(/[^a-z]/g, '');
  const codes = [...letters].map((c) => SOUNDEX_CODES[c.charCodeAt(0) - 97]).join('');
  const collapsed = codes.replace(/(.)\1+/g, '$1');
  return letters.slice(0, 1) + collapsed.slice(1).replace(/0/g, '').slice(0, 3).padEnd(3, '0');
}

/** Jaro–Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let halfTranspositions = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) halfTranspositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - halfTranspositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Upper case, no spaces: "le1 6zz" → "LE16ZZ". */
export const compactPostcode = (value: string): string => value.replace(/\s/g, '').toUpperCase();

/** The outward code (postcode district): everything before the three-character inward code. */
export function postcodeDistrict(value: string): string {
  const compact = compactPostcode(value);
  return compact.slice(0, Math.max(0, compact.length - 3));
}

/** A date of birth with day and month exchanged, when both could be months; else null. */
export function swappedDate(iso: string): string | null {
  const [y, m, d] = iso.split('-');
  if (!y || !m || !d || m === d || Number(d) > 12) return null;
  return `${y}-${d}-${m}`;
}
