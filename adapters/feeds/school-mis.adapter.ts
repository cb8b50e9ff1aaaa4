/**
 * School MIS payloads → an attendance submission: the hub's GraphQL input, and a flat CSV-style
 * export (one row per pupil, percentages as text) as common MIS attendance reports produce.
 */
import type { AttendanceSubmission } from '../../src/feeds/attendance.service';
import type { Demographics } from '../../src/feeds/feed-validate';
import type { FeedAdapter } from './feed-adapter';

export interface AttendanceGraphqlPayload {
  periodStart: string;
  periodEnd: string;
  pupils: {
    upn: string;
    attendancePercent: number;
    fixedPeriodExclusions?: number | null;
    exclusionDays?: number | null;
    child?: Demographics | null;
  }[];
}

export const attendanceGraphqlAdapter: FeedAdapter<AttendanceGraphqlPayload, AttendanceSubmission> = {
  system: 'hub-graphql',
  feed: 'school',
  toSubmission: (p) => ({
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    pupils: p.pupils.map((x) => ({
      upn: x.upn,
      attendancePercent: x.attendancePercent,
      fixedPeriodExclusions: x.fixedPeriodExclusions,
      exclusionDays: x.exclusionDays,
      child: x.child ? { ...x.child } : null,
    })),
  }),
};

export const toAttendanceSubmission = (p: AttendanceGraphqlPayload): AttendanceSubmission =>
  attendanceGraphqlAdapter.toSubmission(p);

/** A row of a CSV attendance export: `UPN, From, To, Attendance %, FPE count, FPE days`. */
export interface MisCsvRow {
  UPN: string;
  From: string;
  To: string;
  'Attendance %': string;
  'FPE count'?: string;
  'FPE days'?: string;
}

/** dd/mm/yyyy (as MIS exports write dates) → YYYY-MM-DD; anything else passes through for validation to name. */
function ukDate(value: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : value.trim();
}

/** One return per period: rows for several periods are the MIS's mistake, refused by validation of the first period. */
export const attendanceCsvAdapter: FeedAdapter<MisCsvRow[], AttendanceSubmission> = {
  system: 'mis-csv',
  feed: 'school',
  toSubmission: (rows) => ({
    periodStart: ukDate(rows[0]?.From ?? ''),
    periodEnd: ukDate(rows[0]?.To ?? ''),
    pupils: rows.map((r) => ({
      upn: r.UPN.trim(),
      attendancePercent: Number(r['Attendance %'].replace('%', '').trim()),
      fixedPeriodExclusions: r['FPE count'] ? Number(r['FPE count']) : 0,
      exclusionDays: r['FPE days'] ? Number(r['FPE days']) : 0,
    })),
  }),
};
