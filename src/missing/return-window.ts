/**
 * The statutory window for a return interview: 72 hours from the young person's return. Exact
 * instants (UTC), not calendar days: 71h59m after the return is in time, 72h01m is overdue.
 */
export const RETURN_INTERVIEW_WINDOW_MS = 72 * 3_600_000;

export function returnInterviewDueBy(returnedAt: Date): Date {
  return new Date(returnedAt.getTime() + RETURN_INTERVIEW_WINDOW_MS);
}

/** In time when completed at or before the due instant. */
export function completedInTime(returnedAt: Date, completedAt: Date): boolean {
  return completedAt.getTime() <= returnInterviewDueBy(returnedAt).getTime();
}

export const RETURN_INTERVIEW_STATUSES = [
  'still_missing',
  'awaiting_offer',
  'offered',
  'accepted',
  'declined',
  'completed_in_time',
  'completed_late',
] as const;
export type ReturnInterviewStatus = (typeof RETURN_INTERVIEW_STATUSES)[number];

export function interviewStatus(e: {
  returnedAt: Date | null;
  interviewOfferedAt: Date | null;
  interviewAcceptedAt: Date | null;
  interviewDeclinedAt: Date | null;
  interviewCompletedAt: Date | null;
}): ReturnInterviewStatus {
  if (!e.returnedAt) return 'still_missing';
  if (e.interviewCompletedAt)
    return completedInTime(e.returnedAt, e.interviewCompletedAt) ? 'completed_in_time' : 'completed_late';
  if (e.interviewDeclinedAt) return 'declined';
  if (e.interviewAcceptedAt) return 'accepted';
  if (e.interviewOfferedAt) return 'offered';
  return 'awaiting_offer';
}

/** Outstanding past the due instant: returned, not completed or declined, and `now` after the window. */
export function isOverdue(e: Parameters<typeof interviewStatus>[0], now: Date): boolean {
  if (!e.returnedAt || e.interviewCompletedAt || e.interviewDeclinedAt) return false;
  return now.getTime() > returnInterviewDueBy(e.returnedAt).getTime();
}
