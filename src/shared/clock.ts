/** Time as a dependency, so calendar rules ("within 3 weeks") are tested with a fixed clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advanceDays(days: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set: (next) => { current = new Date(next); },
    advanceDays: (days) => { current = new Date(current.getTime() + days * 86_400_000); },
  };
}

/** The UTC calendar date (YYYY-MM-DD) of an instant. */
export function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
