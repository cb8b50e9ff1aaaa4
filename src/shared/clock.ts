/** Time as a dependency, so calendar rules ("within 3 weeks") are tested with a fixed clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(
  at: Date | string,
): Clock & { set(at: Date | string): void; advanceDays(days: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set: (next) => {
      current = new Date(next);
    },
    advanceDays: (days) => {
      current = new Date(current.getTime() + days * 86_400_000);
    },
  };
}

/**
 * The partnership's time zone. Every date the hub keeps — a roll's start and end, a TAF held on,
 * "cannot be in the future", "day 21 on time" — is an English calendar date, so "today" is
 * London's date. (The UTC date is still yesterday's between midnight and 01:00 in summer: an
 * involvement that ended yesterday would still have granted access for that hour.)
 */
export const PARTNERSHIP_TIME_ZONE = 'Europe/London';

/** One formatter per zone: building an Intl.DateTimeFormat costs more than formatting with it. */
const calendars = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  let calendar = calendars.get(timeZone);
  if (!calendar) {
    // en-CA formats a date as YYYY-MM-DD.
    calendar = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    calendars.set(timeZone, calendar);
  }
  return calendar.format(at);
}

// Zone offsets are whole quarter hours, so the date cannot change within a quarter hour of UTC:
// one format per quarter hour instead of one per call (every request asks for today's date).
const QUARTER_HOUR_MS = 900_000;
let lastQuarter = Number.NaN;
let lastDate = '';

/** The partnership's calendar date (YYYY-MM-DD) of an instant. */
export function partnershipDate(at: Date): string {
  const quarter = Math.floor(at.getTime() / QUARTER_HOUR_MS);
  if (quarter !== lastQuarter) {
    lastDate = localDate(at, PARTNERSHIP_TIME_ZONE);
    lastQuarter = quarter;
  }
  return lastDate;
}
