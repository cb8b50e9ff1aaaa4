/**
 * Deterministic synthetic data: a seeded PRNG, stable UUIDs from names, and identifiers that pass
 * their checks but are reserved for testing (NHS numbers in the 999 range are never issued).
 */
import { withNhsCheckDigit, withUpnCheckLetter } from '../src/child/identifiers';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export { stableUuid } from '../src/dev/personas';

/** A valid NHS number in the 999 test range for index n. */
export function syntheticNhsNumber(n: number): string {
  for (let k = n * 7; ; k++) {
    const body = `999${String(k % 1_000_000).padStart(6, '0')}`;
    const full = withNhsCheckDigit(body);
    if (full) return full;
  }
}

/**
 * A valid UPN: LA 856, the school's establishment number, year and a 3-digit serial. A serial of
 * 1000 or more moves on to LA 857, 858 …, so distinct serials always give distinct UPNs.
 */
export function syntheticUpn(establishment: number, year: number, serial: number): string {
  const la = 856 + Math.floor(serial / 1000);
  return withUpnCheckLetter(
    `${la}${String(establishment).padStart(4, '0')}${String(year % 100).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`,
  );
}

/** syntheticNhsNumber is one-to-one up to this index (the 999 range holds a million bodies, stepped by 7). */
export const MAX_SYNTHETIC_NHS_INDEX = 142_000;

export const GIVEN_NAMES = [
  'Amari',
  'Bea',
  'Cai',
  'Dara',
  'Eshan',
  'Fenna',
  'Galen',
  'Hali',
  'Ilo',
  'Juno',
  'Kian',
  'Lumi',
  'Milo',
  'Nell',
  'Oren',
  'Pia',
  'Quill',
  'Rumi',
  'Suri',
  'Tove',
  'Ugo',
  'Vela',
  'Wren',
  'Xavi',
  'Yara',
  'Zeno',
  'Arlo',
  'Brin',
];
export const FAMILY_NAMES = [
  'Ashdown',
  'Birchfell',
  'Cobbleway',
  'Dunmere',
  'Elmstead',
  'Fernhollow',
  'Greystock',
  'Hartwell',
  'Ivybridge',
  'Juniper',
  'Kestrelby',
  'Larkmoor',
  'Millbeck',
  'Nettleford',
  'Oakhurst',
  'Pebbleton',
  'Quarrydale',
  'Rowanby',
  'Sedgewick',
  'Thornbury',
  'Underhill',
  'Vantridge',
  'Willowmere',
  'Yarrowby',
];
export const STREETS = [
  'Synthetic Row',
  'Example Street',
  'Sample Lane',
  'Fictional Road',
  'Testbed Close',
  'Demo Avenue',
];

/** Leicester's postcode district for each Early Help cluster. */
const POSTCODE_DISTRICT: Record<string, string> = {
  north_west: 'LE3',
  north: 'LE4',
  west: 'LE3',
  east: 'LE5',
  central: 'LE1',
  south: 'LE2',
};
const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/**
 * Family number `family`'s surname and home in its cluster: the same for the same family number
 * and generator state (two draws, surname then street), for the demo city and the scale city alike.
 */
export function syntheticHome(
  random: () => number,
  family: number,
  cluster: string,
): { familyName: string; postcode: string; addressLine: string } {
  const familyName = pick(random, FAMILY_NAMES);
  const postcode = `${POSTCODE_DISTRICT[cluster]} ${1 + (family % 9)}${POSTCODE_LETTERS[family % 20]}${POSTCODE_LETTERS[(family * 7) % 20]}`;
  const addressLine = `${1 + (family % 180)} ${pick(random, STREETS)}`;
  return { familyName, postcode, addressLine };
}
