import { describe, expect, it } from 'vitest';
import { attendanceCsvAdapter } from '../adapters/feeds/school-mis.adapter';
import { canonicalJson } from '../src/shared/canonical-json';
import { isSchoolAge, nextSchoolDayStart, zonedInstant } from '../src/feeds/school-day';

describe('school day rules (Operation Encompass deadlines)', () => {
  it('converts 08:30 London to UTC on both sides of the October clock change', () => {
    expect(zonedInstant('2026-10-23', '08:30', 'Europe/London').toISOString()).toBe('2026-10-23T07:30:00.000Z');
    expect(zonedInstant('2026-10-26', '08:30', 'Europe/London').toISOString()).toBe('2026-10-26T08:30:00.000Z');
    expect(zonedInstant('2026-03-30', '08:30', 'Europe/London').toISOString()).toBe('2026-03-30T07:30:00.000Z');
  });

  it('rolls past weekends and closures; the same morning counts before 08:30 and not after', () => {
    const closures = [{ firstDay: '2026-12-21', lastDay: '2027-01-01' }];
    expect(nextSchoolDayStart(new Date('2026-12-18T16:00:00Z'), closures).toISOString()).toBe(
      '2027-01-04T08:30:00.000Z',
    );
    expect(nextSchoolDayStart(new Date('2026-12-01T08:29:59Z'), []).toISOString()).toBe('2026-12-01T08:30:00.000Z');
    expect(nextSchoolDayStart(new Date('2026-12-01T08:30:00Z'), []).toISOString()).toBe('2026-12-02T08:30:00.000Z');
  });

  it('covers reception (the September after the fourth birthday) to 17', () => {
    // Academic year from 1 Sep 2026: reception children were born 1 Sep 2021 – 31 Aug 2022.
    expect(isSchoolAge('2022-08-31', '2026-10-23')).toBe(true);
    expect(isSchoolAge('2022-09-01', '2026-10-23')).toBe(false);
    expect(isSchoolAge('2008-10-24', '2026-10-23')).toBe(true); // 17, the day before turning 18
    expect(isSchoolAge('2008-10-23', '2026-10-23')).toBe(false); // 18 today
    expect(isSchoolAge(null, '2026-10-23')).toBe(false);
  });
});

describe('feed plumbing', () => {
  it('hashes content, not key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}',
    );
  });

  it('maps a CSV MIS export onto the same submission as the GraphQL input (a new system is a new adapter)', () => {
    expect(
      attendanceCsvAdapter.toSubmission([
        {
          UPN: ' B801200005001 ',
          From: '01/09/2026',
          To: '23/10/2026',
          'Attendance %': '85.5%',
          'FPE count': '1',
          'FPE days': '1.5',
        },
      ]),
    ).toEqual({
      periodStart: '2026-09-01',
      periodEnd: '2026-10-23',
      pupils: [{ upn: 'B801200005001', attendancePercent: 85.5, fixedPeriodExclusions: 1, exclusionDays: 1.5 }],
    });
  });
});
