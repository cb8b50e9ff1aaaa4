/**
 * Finds personal data in log text: exact values a test seeded, and shapes no log line should
 * hold — a valid NHS number, a valid UPN, a UK postcode, a calendar date, the seed city's and
 * the fixtures' names. Used by the log-scan test and by the suite-wide check after every file.
 */
import { nhsNumberProblem, upnProblem } from '../../src/child/identifiers';

const isValidNhsNumber = (v: string) => nhsNumberProblem(v) === null;
const isValidUpn = (v: string) => upnProblem(v) === null;
import { FAMILY_NAMES, GIVEN_NAMES } from '../../seeds/synthetic';

export interface LogHit {
  what: string;
  value: string;
  line: string;
}

const POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b/g;
const DATE = /\b(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/g;
const TEN_DIGITS = /(?<![\d.])\d{10}(?![\d.])/g;
const UPN_SHAPE = /\b[A-Z]\d{11}[A-Z\d]\b/g;
const FIXTURE_NAME = /\b(Given|Family)\d{3,}\b/g;
/** Ids are not personal data, but a UUID's last group can hold ten digits that pass modulus 11. */
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

export function scanLogs(text: string, seeded: readonly string[] = []): LogHit[] {
  const hits: LogHit[] = [];
  const names = new RegExp(`\\b(${[...GIVEN_NAMES, ...FAMILY_NAMES].join('|')})\\b`, 'g');
  for (const line of text.split('\n')) {
    if (!line) continue;
    const found = (what: string, value: string) => hits.push({ what, value, line: line.slice(0, 300) });
    for (const value of seeded) if (value && line.includes(value)) found('seeded value', value);
    const withoutIds = line.replace(UUID, '<id>');
    for (const m of withoutIds.matchAll(TEN_DIGITS)) if (isValidNhsNumber(m[0])) found('NHS number', m[0]);
    for (const m of line.matchAll(UPN_SHAPE)) if (isValidUpn(m[0])) found('UPN', m[0]);
    for (const m of line.matchAll(POSTCODE)) found('postcode', m[0]);
    for (const m of line.matchAll(DATE)) found('date', m[0]);
    for (const m of line.matchAll(FIXTURE_NAME)) found('fixture name', m[0]);
    for (const m of line.matchAll(names)) found('seed name', m[0]);
  }
  return hits;
}
