/**
 * A small synthetic table of given-name variants (short forms, diminutives, spellings). Each line
 * is one family of names; two names are variants when they share a family. Deliberately small:
 * a name missing here still scores through Jaro–Winkler, only lower.
 */
const FAMILIES: readonly string[] = [
  'jonathan johnathan jon john johnny jonny jack',
  'elizabeth beth betty liz lizzie eliza libby elisabeth',
  'william will bill billy liam',
  'robert rob bob bobby robbie',
  'richard rich rick ricky dick',
  'james jim jimmy jamie',
  'thomas tom tommy',
  'michael mike mikey mick',
  'daniel dan danny',
  'matthew matt matty',
  'christopher chris kit',
  'alexander alex alexandra sasha xander lexi',
  'samuel sam sammy samantha',
  'joseph joe joey',
  'benjamin ben benny',
  'nicholas nick nicky',
  'anthony tony',
  'edward ed eddie ted teddy',
  'charles charlie chas',
  'henry harry hal',
  'katherine catherine kate katie kathy cathy kat',
  'margaret maggie meg peggy',
  'rebecca becky becca',
  'jessica jess jessie',
  'victoria vicky tori',
  'abigail abby abbie',
  'olivia liv livvy',
  'isabella isabel isabelle bella izzy',
  'amelia millie amy',
  'sophia sophie',
  'charlotte lottie',
  'emily em emmy',
  'hannah hanna',
  'zachary zach zack',
  'oliver ollie olly',
  'frederick fred freddie',
  'mohammed muhammad mohammad mohamed',
  'aisha ayesha',
];

const FAMILY_OF = new Map<string, number[]>();
FAMILIES.forEach((line, index) => {
  for (const name of line.split(' ')) FAMILY_OF.set(name, [...(FAMILY_OF.get(name) ?? []), index]);
});

/** True when the two (normalised, single-part) given names are different forms of one name. */
export function areNameVariants(a: string, b: string): boolean {
  if (a === b) return false;
  const fa = FAMILY_OF.get(a);
  const fb = FAMILY_OF.get(b);
  return Boolean(fa && fb && fa.some((f) => fb.includes(f)));
}

/** Every name in the table (the bench draws its variants from it). */
export function variantsOf(name: string): string[] {
  const families = FAMILY_OF.get(name) ?? [];
  return [...new Set(families.flatMap((f) => FAMILIES[f]!.split(' ')))].filter((n) => n !== name);
}
