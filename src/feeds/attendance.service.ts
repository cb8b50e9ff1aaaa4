/**
 * The school attendance feed: per pupil by UPN, attendance for a period and fixed-period
 * exclusions. Under 90% is persistent absence (the partnership's >10% indicator). Idempotent per
 * (school, UPN, period); a whole batch is one transaction, validated before anything is written.
 *
 * A pupil not on the posting school's roll is held for review exactly like an unknown UPN: the
 * school is not told whether the UPN exists elsewhere (no probing), and nothing is attached to a
 * child it has no relationship with until a reviewer decides. Resolving it does not put the
 * pupil on the roll: rolls come from the roll sync, not from attendance returns.
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db } from '../db';
import { openEhaSummaryOfChild } from '../eha/eha.repo';
import { BadUserInputError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { addMonths } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { insertAttendance, persistentAbsenceCounts, type PersistentAbsenceCount } from './attendance.repo';
import { requirePastDate, requireUpn, validateDemographics, type Demographics } from './feed-validate';
import { askedFor, holdForReview, type FeedReceipt } from './pending';
import { isOnRoll, liveChildByUpn } from './relations.repo';
import { runOnceIn, type AuditChange, type FeedWork } from './submission';

/** Attendance under this percentage is persistent absence. */
export const PERSISTENT_ABSENCE_BELOW = 90;
export const MAX_PUPILS_PER_RETURN = 2000;

export interface PupilAttendance {
  upn: string;
  attendancePercent: number;
  fixedPeriodExclusions?: number | null;
  exclusionDays?: number | null;
  child?: Demographics | null;
}

/** An attendance return in the hub's shape (adapters map each MIS export to it). */
export interface AttendanceSubmission {
  periodStart: string;
  periodEnd: string;
  pupils: PupilAttendance[];
}

export interface ValidPupil {
  upn: string;
  periodStart: string;
  periodEnd: string;
  attendancePercent: number;
  fixedPeriodExclusions: number;
  exclusionDays: number;
  child: Demographics;
}

export interface AttendanceReceipt extends FeedReceipt {
  index: number;
  persistentAbsence: boolean;
}

export class AttendanceFeed {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  validate(input: AttendanceSubmission): ValidPupil[] {
    const today = partnershipDate(this.deps.clock.now());
    const periodStart = requirePastDate('periodStart', input.periodStart, today);
    const periodEnd = requirePastDate('periodEnd', input.periodEnd, today);
    if (periodEnd < periodStart) throw new BadUserInputError('periodEnd', 'must not be before periodStart');
    if (periodEnd > addMonths(periodStart, 12))
      throw new BadUserInputError('periodEnd', 'a period is at most one year');
    if (input.pupils.length === 0 || input.pupils.length > MAX_PUPILS_PER_RETURN) {
      throw new BadUserInputError('pupils', `give 1 to ${MAX_PUPILS_PER_RETURN} pupils`);
    }
    const seen = new Set<string>();
    return input.pupils.map((p, i) => {
      const at = `pupils[${i}].`;
      const upn = requireUpn(`${at}upn`, p.upn);
      if (seen.has(upn)) throw new BadUserInputError(`${at}upn`, 'appears twice in this return');
      seen.add(upn);
      if (!Number.isFinite(p.attendancePercent) || p.attendancePercent < 0 || p.attendancePercent > 100) {
        throw new BadUserInputError(`${at}attendancePercent`, 'must be between 0 and 100');
      }
      const exclusions = p.fixedPeriodExclusions ?? 0;
      if (!Number.isInteger(exclusions) || exclusions < 0 || exclusions > 100)
        throw new BadUserInputError(`${at}fixedPeriodExclusions`, 'must be a whole number from 0 to 100');
      const days = p.exclusionDays ?? 0;
      if (!Number.isFinite(days) || days < 0 || days > 366 || Math.round(days * 2) !== days * 2)
        throw new BadUserInputError(`${at}exclusionDays`, 'must be 0 or more, in half days');
      if (days > 0 && exclusions === 0)
        throw new BadUserInputError(`${at}fixedPeriodExclusions`, 'exclusion days need at least one exclusion');
      return {
        upn,
        periodStart,
        periodEnd,
        attendancePercent: Math.round(p.attendancePercent * 100) / 100,
        fixedPeriodExclusions: exclusions,
        exclusionDays: days,
        child: validateDemographics(`${at}child.`, p.child, today),
      };
    });
  }

  async post(input: AttendanceSubmission, caller: Caller, audit: AuditCollector): Promise<AttendanceReceipt[]> {
    const pupils = this.validate(input);
    const at = this.deps.clock.now();
    const changes: AuditChange[] = [];
    const receipts = await this.deps.db.transaction(async (tx) => {
      const out: AttendanceReceipt[] = [];
      for (const [index, pupil] of pupils.entries()) {
        const { response } = await runOnceIn<Omit<AttendanceReceipt, 'index'>>(
          tx,
          {
            caller,
            at,
            payload: pupil,
            field: `pupils[${index}]`,
            key: {
              organisationId: caller.organisationId,
              feed: 'school',
              externalRef: `${pupil.upn}|${pupil.periodStart}|${pupil.periodEnd}`,
            },
            apply: async (work, submissionId) => {
              const found = await liveChildByUpn(tx, pupil.upn);
              const subject = found?.id ?? audit.standIn(askedFor(pupil));
              // The roll is asked about a UPN the hub does not hold too (under its stand-in, which no
              // roll holds), so it and a pupil on another school's roll take the same statements.
              const onRoll = await isOnRoll(tx, subject, caller.organisationId, partnershipDate(at));
              if (!found || !onRoll) {
                const held = await holdForReview(work, {
                  submissionId,
                  feed: 'school',
                  reason: found ? 'not_on_roll' : 'no_match',
                  candidates: found ? [found.id] : [],
                  payload: pupil,
                  audited: { childId: subject, action: 'postSchoolAttendance' },
                });
                return { ...held, persistentAbsence: pupil.attendancePercent < PERSISTENT_ABSENCE_BELOW };
              }
              return applyAttendance(work, found.id, pupil, caller.organisationId, 'postSchoolAttendance');
            },
          },
          changes,
        );
        out.push({ index, ...response });
      }
      await audit.changedIn(tx, changes);
      return out;
    });
    return receipts;
  }

  /** For the performance book (performanceIndicators) and the `persistentAbsence` query. */
  counts(from: string, to: string): Promise<PersistentAbsenceCount> {
    return persistentAbsenceCounts(this.deps.db, from, to);
  }
}

export async function applyAttendance(
  work: FeedWork,
  childId: string,
  pupil: ValidPupil,
  schoolId: string,
  action: string,
): Promise<Omit<AttendanceReceipt, 'index'>> {
  const persistentAbsence = pupil.attendancePercent < PERSISTENT_ABSENCE_BELOW;
  const row = await insertAttendance(work.tx, {
    childId,
    organisationId: schoolId,
    periodStart: pupil.periodStart,
    periodEnd: pupil.periodEnd,
    attendancePercent: pupil.attendancePercent,
    fixedPeriodExclusions: pupil.fixedPeriodExclusions,
    exclusionDays: pupil.exclusionDays,
    persistentAbsence,
    receivedAt: work.at,
  });
  const fields = [
    'attendance',
    ...(pupil.fixedPeriodExclusions > 0 ? ['exclusions'] : []),
    ...(persistentAbsence ? ['persistentAbsence'] : []),
  ];
  const eha = await openEhaSummaryOfChild(work.tx, childId);
  await recordCaseEvent(work.tx, {
    childId,
    kind: 'attendance_flagged',
    categories: ['education'],
    changedFields: fields,
    at: work.at,
    refs: { attendanceId: row.id },
    cluster: eha?.cluster ?? null,
    actor: work.caller,
  });
  work.changes.push({ childId, action, fields });
  return { status: 'APPLIED', childId, recordId: row.id, reference: null, persistentAbsence };
}
