/**
 * "Before the start of the next school day" (Operation Encompass): the first school day whose
 * start (local time in the school's time zone, 08:30 Europe/London by default) is after the
 * moment the school could first know. Weekends and closures (holidays, INSET days from the term
 * calendar) roll forward; daylight saving is handled by converting the local start per day.
 */
import { addDays } from '../shared/calendar';
import { localDate, PARTNERSHIP_TIME_ZONE } from '../shared/clock';

/** When school days start and which days are closed. */
export interface SchoolDayRule {
  /** HH:MM local time (default 08:30). */
  dayStart: string;
  /** IANA zone (default Europe/London). */
  timeZone: string;
}

export const DEFAULT_SCHOOL_DAY: SchoolDayRule = { dayStart: '08:30', timeZone: PARTNERSHIP_TIME_ZONE };

export interface Closure {
  firstDay: string;
  lastDay: string;
}

/** Offset of a zone from UTC at an instant, in minutes (Europe/London: 0 or 60). */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant of a local wall-clock time on a date in a zone. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const first = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess - offsetMinutes(new Date(first), timeZone) * 60_000);
}

export function isSchoolDay(date: string, closures: readonly Closure[]): boolean {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !closures.some((c) => c.firstDay <= date && date <= c.lastDay);
}

/** Start of the first school day that starts after `after`. Gives up after a year of closures. */
export function nextSchoolDayStart(
  after: Date,
  closures: readonly Closure[],
  rule: SchoolDayRule = DEFAULT_SCHOOL_DAY,
): Date {
  let date = localDate(after, rule.timeZone);
  for (let i = 0; i < 366; i++, date = addDays(date, 1)) {
    if (!isSchoolDay(date, closures)) continue;
    const start = zonedInstant(date, rule.dayStart, rule.timeZone);
    if (start.getTime() > after.getTime()) return start;
  }
  throw new Error('Invariant failed: no school day within a year; check the term calendar');
}

/**
 * Operation Encompass covers reception to 17: in reception or above in the academic year of the
 * date (a child starts reception in the September after their fourth birthday) and not yet 18.
 */
export function isSchoolAge(dateOfBirth: string | null, on: string): boolean {
  if (!dateOfBirth) return false;
  const [y, m] = on.split('-').map(Number) as [number, number];
  const academicYearStart = m >= 9 ? y : y - 1;
  if (dateOfBirth > `${academicYearStart - 4}-08-31`) return false;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [, , d] = on.split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return age <= 17;
}

/** Not yet 18 on the date (and born by then: an unborn baby has no date of birth here). */
export function isUnder18(dateOfBirth: string, on: string): boolean {
  if (dateOfBirth > on) return false;
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return dateOfBirth > `${y - 18}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
