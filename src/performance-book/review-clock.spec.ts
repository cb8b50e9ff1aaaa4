import { describe, expect, it } from 'vitest';
import { reviewsDueIn } from './performance-book.service';

// Period: the first quarter of 2027, looked at after it ended.
const due = (
  restarts: string[],
  closedOn: string | null = null,
  today = '2027-04-15',
  suspended: { from: string; until: string | null }[] = [],
) => reviewsDueIn({ restarts, closedOn, suspended }, '2027-01-01', '2027-03-31', today);

describe('reviews falling due in a period', () => {
  it('a review held exactly 3 months after the plan meets it; a day later misses it', () => {
    expect(due(['2026-11-15', '2027-02-15'])).toEqual({ due: 1, missed: 0 });
    expect(due(['2026-11-15', '2027-02-16'])).toEqual({ due: 1, missed: 1 });
  });

  it('counts 3 calendar months from the month’s end, as the plan’s review date is checked', () => {
    expect(due(['2026-11-30', '2027-02-28'])).toEqual({ due: 1, missed: 0 });
  });

  it('keeps an unreviewed EHA due every 3 months, and a late review restarts the clock', () => {
    // Due 2026-12-01 (before the period), again 2027-03-01 (in it, missed); reviewed late on 2027-03-20.
    expect(due(['2026-09-01', '2027-03-20'])).toEqual({ due: 1, missed: 1 });
    expect(due(['2026-09-01'])).toEqual({ due: 1, missed: 1 });
  });

  it('does not count a review that was not yet due, or one the EHA closed before', () => {
    expect(due(['2027-01-10'])).toEqual({ due: 0, missed: 0 });
    expect(due(['2026-12-10'], '2027-03-10')).toEqual({ due: 0, missed: 0 });
    expect(due(['2026-12-10'], '2027-03-11')).toEqual({ due: 1, missed: 1 });
  });

  it('counts a missed review only once its day has passed', () => {
    expect(due(['2026-12-10'], null, '2027-03-10')).toEqual({ due: 0, missed: 0 });
    expect(due(['2026-12-10'], null, '2027-03-11')).toEqual({ due: 1, missed: 1 });
  });

  it('does not count a review due while the EHA was at MASP or stepped up, when none could be held', () => {
    expect(due(['2026-12-10'], null, '2027-04-15', [{ from: '2027-03-01', until: null }])).toEqual({
      due: 0,
      missed: 0,
    });
    expect(due(['2026-12-10'], null, '2027-04-15', [{ from: '2027-02-01', until: '2027-03-10' }])).toEqual({
      due: 1,
      missed: 1,
    });
  });
});
