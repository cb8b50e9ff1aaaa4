/**
 * A synthetic population and noisy re-registrations with ground truth, for the probabilistic
 * matcher (bench/matching.ts and test/matching-bench.spec.ts). Deterministic for a seed.
 *
 * Families share a family name and a postcode; siblings are born at least ten months apart,
 * except twins (2% of families), who share a date of birth and have different given names.
 * Queries are either a known child described again with noise (nickname, typos, hyphenation,
 * a move, swapped day/month, a mistyped digit, missing fields, names the wrong way round), or a
 * child the hub does not hold yet: the second twin of every twin pair, and other new children.
 */
import { BlockingIndex } from '../src/matching/blocking';
import { variantsOf } from '../src/matching/nicknames';
import { scorePair, type MatchPerson, type MatchScore, type Thresholds } from '../src/matching/score';

export interface Person extends MatchPerson {
  id: number;
  family: number;
}

export interface Query {
  person: MatchPerson;
  /** The id of the held record this describes, or null for a child the hub does not hold. */
  truth: number | null;
  /** The held twin, when the query is the other twin. */
  twinOf: number | null;
  noise: string[];
}

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN_F = [
  'olivia',
  'amelia',
  'isla',
  'ava',
  'ivy',
  'freya',
  'lily',
  'florence',
  'mia',
  'willow',
  'rosie',
  'sophia',
  'isabella',
  'grace',
  'daisy',
  'sienna',
  'poppy',
  'elsie',
  'emily',
  'ella',
  'evelyn',
  'phoebe',
  'sofia',
  'evie',
  'charlotte',
  'harper',
  'millie',
  'matilda',
  'maya',
  'sophie',
  'alice',
  'emilia',
  'isabelle',
  'ruby',
  'luna',
  'maisie',
  'aria',
  'penelope',
  'mila',
  'bonnie',
  'eva',
  'hallie',
  'eliza',
  'ada',
  'violet',
  'esme',
  'arabella',
  'imogen',
  'jessica',
  'delilah',
  'elizabeth',
  'katherine',
  'margaret',
  'rebecca',
  'victoria',
  'abigail',
  'hannah',
  'aisha',
  'zara',
  'fatima',
  'maryam',
  'priya',
  'amara',
  'chloe',
  'lucy',
  'megan',
  'holly',
  'erin',
  'niamh',
  'orla',
];
const GIVEN_M = [
  'muhammad',
  'noah',
  'oliver',
  'george',
  'leo',
  'arthur',
  'oscar',
  'theodore',
  'freddie',
  'theo',
  'harry',
  'finley',
  'archie',
  'jack',
  'henry',
  'alfie',
  'charlie',
  'thomas',
  'jacob',
  'lucas',
  'william',
  'arlo',
  'isaac',
  'tommy',
  'edward',
  'roman',
  'joshua',
  'james',
  'max',
  'ezra',
  'rory',
  'louie',
  'mason',
  'hugo',
  'albert',
  'reggie',
  'elijah',
  'ronnie',
  'teddy',
  'harrison',
  'jonathan',
  'robert',
  'richard',
  'michael',
  'daniel',
  'matthew',
  'christopher',
  'alexander',
  'samuel',
  'joseph',
  'benjamin',
  'nicholas',
  'anthony',
  'frederick',
  'zachary',
  'ibrahim',
  'yusuf',
  'omar',
  'ravi',
  'arjun',
  'kofi',
  'dylan',
  'callum',
  'kieran',
  'sean',
  'liam',
  'ethan',
  'ryan',
  'adam',
  'aaron',
];
const SYL_A = [
  'ash',
  'brad',
  'carr',
  'dal',
  'ell',
  'fair',
  'grant',
  'hal',
  'ing',
  'kent',
  'lang',
  'mar',
  'north',
  'oak',
  'pen',
  'ray',
  'shaw',
  'thorn',
  'wal',
  'whit',
  'bar',
  'cole',
  'dun',
  'fox',
  'good',
  'hart',
  'kil',
  'lock',
  'mill',
  'new',
  'pat',
  'rob',
  'stan',
  'turn',
  'war',
  'wood',
  'black',
  'brook',
  'church',
  'clay',
];
const SYL_B = [
  'by',
  'ton',
  'ley',
  'well',
  'ford',
  'ham',
  'field',
  'wood',
  'son',
  'man',
  'er',
  'more',
  'stone',
  'worth',
  'land',
  'bridge',
  'ington',
  'hurst',
  'ridge',
  'croft',
  'cott',
  'den',
  'gate',
  'low',
  'mouth',
];
const COMMON = [
  'smith',
  'jones',
  'taylor',
  'brown',
  'williams',
  'wilson',
  'johnson',
  'davies',
  'patel',
  'robinson',
  'wright',
  'thompson',
  'evans',
  'walker',
  'white',
  'roberts',
  'green',
  'hall',
  'thomas',
  'clarke',
  'jackson',
  'wood',
  'harris',
  'edwards',
  'turner',
  'martin',
  'cooper',
  'hill',
  'ward',
  'hughes',
  'moore',
  'clark',
  'king',
  'harrison',
  'lewis',
  'baker',
  'lee',
  'allen',
  'morris',
  'khan',
  'scott',
  'watson',
  'davis',
  'parker',
  'james',
  'bennett',
  'young',
  'phillips',
  'richardson',
  'mitchell',
  'bailey',
  'carter',
  'cook',
  'singh',
  'shaw',
  'bell',
  'collins',
  'morgan',
  'kelly',
  'begum',
  'miller',
  'cox',
  'hussain',
  'marshall',
  'simpson',
  'price',
  'anderson',
  'adams',
  'wilkinson',
  'ali',
  'ahmed',
  'foster',
  'ellis',
  'murphy',
  'chapman',
  'mason',
  'gray',
  'richards',
  'webb',
  'griffiths',
  'hunt',
  'palmer',
  'campbell',
  'holmes',
  'mills',
  'rogers',
  'barnes',
  'knight',
  'matthews',
  'barker',
  'powell',
  'stevens',
  'kaur',
  'fisher',
  'butler',
  'dixon',
  'russell',
  'harvey',
  'pearson',
  'graham',
];
const LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

const cap = (s: string): string =>
  s
    .split(/([ -])/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
const pad = (n: number): string => String(n).padStart(2, '0');
const iso = (d: Date): string => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

export interface Population {
  held: Person[];
  queries: Query[];
}

export function generate(
  seed: number,
  children: number,
  reRegistrations: number,
  newChildren = Math.round(reRegistrations / 4),
): Population {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  // Family names: a Zipf-ish head of common names and a long tail of composed ones.
  const tail = SYL_A.flatMap((a) => SYL_B.map((b) => a + b));
  // Weights 1/√rank over the common names: Smith comes out near 1.3%, as in England and Wales.
  const cumulative: number[] = [];
  COMMON.forEach((_, k) => {
    cumulative.push((cumulative[k - 1] ?? 0) + 1 / Math.sqrt(k + 1));
  });
  const common = (): string => {
    const x = r() * cumulative[cumulative.length - 1]!;
    return COMMON[cumulative.findIndex((c) => c >= x)]!;
  };
  const familyName = (): string => (r() < 0.25 ? common() : pick(tail));
  const districts = Array.from({ length: 60 }, (_, i) => `${['LE', 'NG', 'DE', 'CV'][i % 4]}${1 + Math.floor(i / 4)}`);
  const postcode = (district = pick(districts)): string =>
    `${district} ${Math.floor(r() * 10)}${pick([...LETTERS])}${pick([...LETTERS])}`;
  const today = Date.UTC(2026, 10, 26);
  const DAY = 86_400_000;
  const all: Person[] = [];
  const pending: Person[] = []; // children not yet held: second twins, and new children
  let id = 0;
  let family = 0;
  const total = children + newChildren;
  while (all.length + pending.length < total) {
    family++;
    const surname = familyName();
    const home = postcode();
    const size = 1 + Math.floor(r() * r() * 4);
    let born = today - Math.floor(r() * 17 * 365) * DAY;
    for (let k = 0; k < size; k++) {
      const gender = r() < 0.5 ? 'female' : 'male';
      const person: Person = {
        id: ++id,
        family,
        givenName: cap(pick(gender === 'female' ? GIVEN_F : GIVEN_M)),
        familyName: cap(surname),
        dateOfBirth: iso(new Date(born)),
        postcode: home,
        gender,
        nhsNumber: r() < 0.7 ? String(9_000_000_000 + id) : null,
        upn: r() < 0.5 ? `U${id}` : null,
      };
      person.nhsNumberTraced = Boolean(person.nhsNumber && r() < 0.6);
      (all.length < children ? all : pending).push(person);
      if (k === 0 && r() < 0.02) {
        // Twins: the same day and address; a different given name (drawn until it differs).
        const sex = r() < 0.5 ? 'female' : 'male';
        let name = person.givenName!;
        while (
          name.toLowerCase() === person.givenName!.toLowerCase() ||
          variantsOf(name.toLowerCase()).includes(person.givenName!.toLowerCase())
        )
          name = cap(pick(sex === 'female' ? GIVEN_F : GIVEN_M));
        pending.push({
          ...person,
          id: ++id,
          givenName: name,
          gender: sex,
          nhsNumber: null,
          upn: null,
          nhsNumberTraced: false,
          twinOf: person.id,
        } as Person & { twinOf: number });
      }
      born -= (300 + Math.floor(r() * 900)) * DAY;
      if (born < today - 18 * 365 * DAY) break;
    }
  }
  const held = all;
  const queries: Query[] = [];
  for (let i = 0; i < reRegistrations; i++) {
    const source = held[Math.floor(r() * held.length)]!;
    queries.push(noisy(source, r, postcode, districts));
  }
  for (const p of pending) {
    const twinOf = (p as Person & { twinOf?: number }).twinOf ?? null;
    if (twinOf && !held.some((h) => h.id === twinOf)) continue;
    const { twinOf: _t, ...person } = p as Person & { twinOf?: number };
    queries.push({
      person: { ...person, nhsNumber: null, upn: null, nhsNumberTraced: false },
      truth: null,
      twinOf,
      noise: twinOf ? ['twin'] : ['new_child'],
    });
  }
  return { held, queries };
}

function typo(word: string, r: () => number): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(r() * (word.length - 2));
  const kind = r();
  if (kind < 0.35) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // transposition
  if (kind < 0.7) return word.slice(0, i) + word.slice(i + 1); // deletion
  const keyboard = 'aeioulnrst';
  return word.slice(0, i) + keyboard[Math.floor(r() * keyboard.length)] + word.slice(i + 1); // substitution
}

function noisy(source: Person, r: () => number, postcode: (district?: string) => string, districts: string[]): Query {
  const p: MatchPerson = {
    givenName: source.givenName,
    familyName: source.familyName,
    dateOfBirth: source.dateOfBirth,
    postcode: source.postcode,
    gender: source.gender,
  };
  const noise: string[] = [];
  // Most re-registrations come without a traced number (that would match exactly, before scoring).
  if (r() < 0.15) {
    p.nhsNumber = source.nhsNumber;
    p.nhsNumberTraced = source.nhsNumberTraced;
    if (p.nhsNumber) noise.push('nhs_number_given');
  }
  if (r() < 0.1) {
    p.upn = source.upn;
    if (p.upn) noise.push('upn_given');
  }
  const ops = r() < 0.12 ? 0 : 1 + Math.floor(r() * r() * 3);
  const applied = new Set<string>();
  for (let k = 0; k < ops; k++) {
    const op = r();
    if (op < 0.2 && !applied.has('given')) {
      const variants = variantsOf(source.givenName!.toLowerCase());
      p.givenName = variants.length
        ? cap(variants[Math.floor(r() * variants.length)]!)
        : cap(typo(source.givenName!.toLowerCase(), r));
      noise.push(variants.length ? 'nickname' : 'given_typo');
      applied.add('given');
    } else if (op < 0.32 && !applied.has('given')) {
      p.givenName = cap(typo(source.givenName!.toLowerCase(), r));
      noise.push('given_typo');
      applied.add('given');
    } else if (op < 0.44 && !applied.has('family')) {
      p.familyName = cap(typo(source.familyName!.toLowerCase(), r));
      noise.push('family_typo');
      applied.add('family');
    } else if (op < 0.5 && !applied.has('family')) {
      p.familyName = cap(`${source.familyName!.toLowerCase()}-${COMMON[Math.floor(r() * COMMON.length)]}`);
      noise.push('hyphenated');
      applied.add('family');
    } else if (op < 0.64 && !applied.has('postcode')) {
      p.postcode =
        r() < 0.4 ? postcode(source.postcode!.split(' ')[0]) : postcode(districts[Math.floor(r() * districts.length)]);
      noise.push('moved');
      applied.add('postcode');
    } else if (op < 0.72 && !applied.has('date')) {
      const [y, m, d] = source.dateOfBirth!.split('-');
      if (Number(d) <= 12 && m !== d) {
        p.dateOfBirth = `${y}-${d}-${m}`;
        noise.push('swapped_date');
        applied.add('date');
      }
    } else if (op < 0.8 && !applied.has('date')) {
      const digits = source.dateOfBirth!.replace(/-/g, '').split('');
      const i = 6 + Math.floor(r() * 2);
      digits[i] = String((Number(digits[i]) + 1) % (i === 6 ? 3 : 10));
      const typed = `${digits.slice(0, 4).join('')}-${digits.slice(4, 6).join('')}-${digits.slice(6).join('')}`;
      if (!Number.isNaN(Date.parse(`${typed}T00:00:00Z`)) && typed.slice(8) !== '00' && typed !== source.dateOfBirth) {
        p.dateOfBirth = typed;
        noise.push('date_typo');
        applied.add('date');
      }
    } else if (op < 0.88 && !applied.has('postcode')) {
      p.postcode = null;
      noise.push('no_postcode');
      applied.add('postcode');
    } else if (op < 0.95) {
      p.gender = 'not_known';
      noise.push('no_sex');
    } else if (!applied.has('given') && !applied.has('family')) {
      [p.givenName, p.familyName] = [p.familyName, p.givenName];
      noise.push('names_swapped');
      applied.add('given');
      applied.add('family');
    }
  }
  return { person: p, truth: source.id, twinOf: null, noise: noise.length ? noise : ['exact'] };
}

/** Every candidate's score for one query (thresholds applied later, so one run serves a sweep). */
export interface Scored {
  query: Query;
  candidates: { id: number; result: MatchScore }[];
  micros: number;
}

export function scoreAll(
  population: Population,
  onProgress?: (done: number, total: number) => void,
): { scored: Scored[]; indexMs: number } {
  const started = performance.now();
  const index = new BlockingIndex<Person>();
  for (const h of population.held) index.add(h);
  const indexMs = performance.now() - started;
  const scored: Scored[] = [];
  const step = Math.max(1, Math.floor(population.queries.length / 10));
  population.queries.forEach((query, i) => {
    const t0 = performance.now();
    const candidates = index.candidates(query.person).map((c) => ({ id: c.id, result: scorePair(query.person, c) }));
    scored.push({ query, candidates, micros: (performance.now() - t0) * 1000 });
    if (onProgress && (i + 1) % step === 0) onProgress(i + 1, population.queries.length);
  });
  return { scored, indexMs };
}

export interface Figures {
  thresholds: Thresholds;
  queries: number;
  matchQueries: number;
  autoLinks: number;
  autoCorrect: number;
  precisionAuto: number;
  recall: number;
  recallAuto: number;
  reviewed: number;
  /** Children the hub does not hold sent to review (a screener's wasted look). */
  newChildrenReviewed: number;
  newChildren: number;
  twins: number;
  twinsMerged: number;
  twinsReviewed: number;
  missedByNoise: Record<string, number>;
}

/** Applies thresholds the way rankCandidates does: the rules' bands stand, one auto link or review. */
function decide(s: Scored, t: Thresholds): { band: 'auto' | 'review' | 'none'; ids: number[]; top: number | null } {
  const kept = s.candidates
    .map((c) => {
      const band = c.result.rule
        ? c.result.band
        : c.result.score >= t.auto
          ? 'auto'
          : c.result.score >= t.review
            ? 'review'
            : 'none';
      return { id: c.id, band, score: c.result.score };
    })
    .filter((c) => c.band !== 'none');
  if (!kept.length) return { band: 'none', ids: [], top: null };
  const autos = kept.filter((c) => c.band === 'auto');
  kept.sort((a, b) => Number(b.band === 'auto') - Number(a.band === 'auto') || b.score - a.score);
  const ids = kept.slice(0, 5).map((c) => c.id);
  return autos.length === 1 ? { band: 'auto', ids, top: autos[0]!.id } : { band: 'review', ids, top: null };
}

export function evaluate(scored: Scored[], thresholds: Thresholds): Figures {
  const f: Figures = {
    thresholds,
    queries: scored.length,
    matchQueries: 0,
    autoLinks: 0,
    autoCorrect: 0,
    precisionAuto: 1,
    recall: 0,
    recallAuto: 0,
    reviewed: 0,
    newChildrenReviewed: 0,
    newChildren: 0,
    twins: 0,
    twinsMerged: 0,
    twinsReviewed: 0,
    missedByNoise: {},
  };
  let found = 0;
  for (const s of scored) {
    const d = decide(s, thresholds);
    if (d.band === 'auto') {
      f.autoLinks++;
      if (d.top === s.query.truth) f.autoCorrect++;
    }
    if (d.band === 'review') f.reviewed++;
    if (s.query.truth !== null) {
      f.matchQueries++;
      const hit =
        (d.band === 'auto' && d.top === s.query.truth) || (d.band === 'review' && d.ids.includes(s.query.truth));
      if (hit) found++;
      else for (const n of s.query.noise) f.missedByNoise[n] = (f.missedByNoise[n] ?? 0) + 1;
    } else {
      f.newChildren++;
      if (d.band === 'review') f.newChildrenReviewed++;
      if (s.query.twinOf !== null) {
        f.twins++;
        if (d.band === 'auto') f.twinsMerged++;
        if (d.band === 'review') f.twinsReviewed++;
      }
    }
  }
  f.precisionAuto = f.autoLinks ? f.autoCorrect / f.autoLinks : 1;
  f.recall = f.matchQueries ? found / f.matchQueries : 1;
  f.recallAuto = f.matchQueries ? f.autoCorrect / f.matchQueries : 1;
  return f;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
