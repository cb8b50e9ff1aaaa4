import { describe, expect, it } from 'vitest';
import { partnershipDate } from './clock';

describe('partnershipDate', () => {
  it.each([
    ['winter (GMT): 23:59 UTC is the same day', '2026-11-13T23:59:00Z', '2026-11-13'],
    ['winter (GMT): midnight UTC is the next day', '2026-11-14T00:00:00Z', '2026-11-14'],
    ['summer (BST): 22:59 UTC is 23:59 the same day', '2026-06-01T22:59:59Z', '2026-06-01'],
    ['summer (BST): 23:00 UTC is already tomorrow', '2026-06-01T23:00:00Z', '2026-06-02'],
    ['clocks go forward (29 March 2026): 00:59 UTC is 00:59 GMT', '2026-03-29T00:59:00Z', '2026-03-29'],
    ['clocks go forward: the evening of that day is BST', '2026-03-29T23:00:00Z', '2026-03-30'],
    ['clocks go back (25 October 2026): 23:00 UTC the day before is 00:00 BST', '2026-10-24T23:00:00Z', '2026-10-25'],
    ['clocks go back: 23:59 UTC that day is 23:59 GMT', '2026-10-25T23:59:00Z', '2026-10-25'],
  ])('%s', (_case, instant, date) => {
    expect(partnershipDate(new Date(instant))).toBe(date);
  });

  it('answers for each instant, not the last one asked, however they alternate', () => {
    const late = new Date('2026-06-01T23:30:00Z');
    const early = new Date('2026-06-01T22:30:00Z');
    for (let i = 0; i < 3; i++) {
      expect(partnershipDate(late)).toBe('2026-06-02');
      expect(partnershipDate(early)).toBe('2026-06-01');
    }
    // Same quarter hour of UTC, either side of nothing: the same date.
    expect(partnershipDate(new Date('2026-06-01T23:14:59Z'))).toBe('2026-06-02');
  });

  it('refuses an invalid instant as toISOString did', () => {
    expect(() => partnershipDate(new Date('not a date'))).toThrow(RangeError);
  });
});
