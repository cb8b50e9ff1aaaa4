/**
 * The full performance book: each indicator computed from the hub's own data,
 * with its owner and a narrative per period. Counts and rates only: no child is named.
 */
import type { Db } from '../db';
import { BadUserInputError } from '../errors';
import { clusterDistances } from '../outcomes/outcomes.service';
import { assessmentsWithCluster } from '../outcomes/outcomes.repo';
import type { ClusterIndicators, PerformanceService } from '../performance/performance.service';
import { completedInTime, returnInterviewDueBy } from '../missing/return-window';
import { addMonths, ageOn } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireIsoDate, requireOneOf, requireText } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import {
  INDICATOR_KEYS,
  INDICATORS,
  SECONDARY_FROM_AGE,
  SUBMITTED_INDICATOR_KEYS,
  type IndicatorKey,
  type SubmittedIndicatorKey,
} from './indicators';
import { recordAdminChange, type AdminRequest } from '../admin-audit/admin-audit';
import * as repo from './performance-book.repo';

export interface BookIndicator {
  key: IndicatorKey;
  title: string;
  unit: string;
  owner: string;
  narrative: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  breakdown: { label: string; value: number }[];
  /** `hub` when computed live; else the submitted figure's source (null while none is submitted). */
  source: string | null;
  provenance: string | null;
  version: number | null;
}

export class PerformanceBookService {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly performance: PerformanceService;

  constructor({ db, clock, performance }: { db: Db; clock: Clock; performance: PerformanceService }) {
    this.db = db;
    this.clock = clock;
    this.performance = performance;
  }

  async book(fromInput: string, toInput: string): Promise<{ from: string; to: string; indicators: BookIndicator[] }> {
    const { from, to } = period(fromInput, toInput);
    const now = this.clock.now();
    const today = partnershipDate(now);
    // Instants are kept to the London dates of the period: a day's margin each side, then filtered.
    const fromInstant = new Date(Date.parse(`${from}T00:00:00Z`) - DAY_MS);
    const beforeInstant = new Date(Date.parse(`${to}T00:00:00Z`) + 2 * DAY_MS);
    const inPeriod = (at: Date) => {
      const day = partnershipDate(at);
      return day >= from && day <= to;
    };
    const [base, attendance, da, assessments, notes, sources, figures] = await Promise.all([
      this.performance.indicators(from, to),
      repo.attendanceByChild(this.db, from, to),
      repo.domesticAbuseAtStartAndEnd(this.db, from, to),
      assessmentsWithCluster(this.db),
      repo.narratives(this.db, from, to),
      repo.referralsBySource(this.db, from, to),
      repo.latestFigures(this.db, from, to),
    ]);
    const [reReferrals, reviewClocks, stepDowns, returns, notifications, steppedUp] = await Promise.all([
      repo.reReferrals(this.db, from, to),
      repo.reviewClocks(this.db, from, to),
      repo.stepDownFirstTafs(this.db, from, to),
      repo.returnsBetween(this.db, fromInstant, beforeInstant),
      repo.encompassDeadlinesBetween(this.db, fromInstant, beforeInstant),
      repo.steppedUpAfterClosure(this.db, from, to),
    ]);
    const figureBy = new Map(figures.map((f) => [f.indicator, f]));
    const submitted = (key: SubmittedIndicatorKey) => {
      const f = figureBy.get(key);
      return {
        value: f?.value ?? null,
        numerator: f?.numerator ?? null,
        denominator: f?.denominator ?? null,
        breakdown: [],
      };
    };
    const t = base.total;
    const phase = (secondary: boolean) =>
      attendance.filter((a) => a.dateOfBirth && ageOn(a.dateOfBirth, to) >= SECONDARY_FROM_AGE === secondary);
    const absence = (secondary: boolean) => {
      const group = phase(secondary);
      return rate(group.filter((a) => a.persistent).length, group.length);
    };
    // The DfE measure: the share of pupils with one or more fixed-period exclusions, not a count of them.
    const excluded = (secondary: boolean) => {
      const group = phase(secondary);
      return {
        ...rate(group.filter((a) => a.exclusions > 0).length, group.length),
        breakdown: [{ label: 'fixed-period exclusions', value: group.reduce((n, a) => n + a.exclusions, 0) }],
      };
    };
    const distances = clusterDistances(assessments, from, to);
    const families = distances.reduce((n, c) => n + c.families, 0);
    const improved = distances.reduce((n, c) => n + c.improvedFamilies, 0);
    const totalDistance = distances.reduce((n, c) => n + (c.meanDistanceTravelled ?? 0) * c.families, 0);
    const reviews = reviewClocks.map((c) => reviewsDueIn(c, from, to, today));
    const reviewed = reviews.filter((r) => r.due > 0);
    // Step down: day 21 is on time; one still inside its 21 days without a TAF is not yet due.
    const tafAwaited = stepDowns.filter((s) => !s.firstTafOn && s.firstTafDueBy !== null && today <= s.firstTafDueBy);
    const tafDue = stepDowns.filter((s) => !tafAwaited.includes(s));
    const tafInTime = tafDue.filter((s) => s.firstTafOn && s.firstTafDueBy && s.firstTafOn <= s.firstTafDueBy);
    // Return interviews: offered at or before 72 hours after the return (an interview held counts as offered).
    const returned = returns.filter((e) => inPeriod(e.returnedAt));
    const offeredAt = (e: (typeof returns)[number]) => e.interviewOfferedAt ?? e.interviewCompletedAt;
    const offerAwaited = returned.filter((e) => !offeredAt(e) && now <= returnInterviewDueBy(e.returnedAt));
    const offerDue = returned.filter((e) => !offerAwaited.includes(e));
    const offeredInTime = offerDue.filter((e) => {
      const at = offeredAt(e);
      return at !== null && completedInTime(e.returnedAt, at);
    });
    const heldInTime = offerDue.filter(
      (e) => e.interviewCompletedAt && completedInTime(e.returnedAt, e.interviewCompletedAt),
    );
    // Encompass: a notification whose deadline has not yet passed and is unacknowledged is not yet due.
    const notified = notifications.filter((n) => inPeriod(n.deadline));
    const ackDue = notified.filter((n) => n.acknowledgedAt !== null || now > n.deadline);
    const acknowledgedInTime = (n: (typeof notifications)[number]) =>
      n.acknowledgedAt !== null && n.acknowledgedAt.getTime() <= n.deadline.getTime();
    const needsMet = t.closedByOutcome.find((o) => o.outcome === 'needs_met')?.count ?? 0;
    const values: Record<
      IndicatorKey,
      Omit<BookIndicator, 'key' | 'title' | 'unit' | 'owner' | 'narrative' | 'source' | 'provenance' | 'version'>
    > = {
      contacts_requesting_targeted_early_help: count(
        t.contactsRequestingEarlyHelp,
        sources.map((s) => ({ label: s.source, value: s.n })),
      ),
      early_help_casework: count(t.ehasOpen, [
        { label: 'EHAs accepted in the period', value: t.referralsAccepted },
        { label: 'Targeted Support (single agency) started in the period', value: t.referralsSingleAgencyResponse },
        ...byCluster(base.clusters, 'ehasOpen'),
      ]),
      step_up: count(t.stepUps, byCluster(base.clusters, 'stepUps')),
      step_down: count(t.stepDowns, byCluster(base.clusters, 'stepDowns')),
      primary_persistent_absence: absence(false),
      secondary_persistent_absence: absence(true),
      primary_fixed_period_exclusions: excluded(false),
      secondary_fixed_period_exclusions: excluded(true),
      domestic_abuse_incidents_start_end: {
        value: da.atEnd - da.atStart,
        numerator: da.atEnd,
        denominator: da.atStart,
        breakdown: [
          { label: 'families (EHAs closed)', value: da.families },
          { label: 'incidents at start', value: da.atStart },
          { label: 'incidents at end', value: da.atEnd },
        ],
      },
      family_wellbeing_improvement: rate(improved, families),
      re_referrals_within_12_months: rate(reReferrals.reReferred, reReferrals.accepted),
      ehas_reviewed_within_3_months: rate(reviewed.filter((r) => r.missed === 0).length, reviewed.length),
      step_down_first_taf_within_21_days: {
        ...rate(tafInTime.length, tafDue.length),
        breakdown: [{ label: 'awaiting the first TAF, still within 21 days', value: tafAwaited.length }],
      },
      return_interviews_within_72_hours: {
        ...rate(offeredInTime.length, offerDue.length),
        breakdown: [
          { label: 'interview held within 72 hours', value: heldInTime.length },
          { label: 'awaiting an offer, still within 72 hours', value: offerAwaited.length },
        ],
      },
      encompass_acknowledged_by_deadline: {
        ...rate(ackDue.filter(acknowledgedInTime).length, ackDue.length),
        // By route (school DSL or the council's Early Help team), each as its own percentage.
        breakdown: [...new Set(ackDue.map((n) => n.route))].sort().map((route) => {
          const group = ackDue.filter((n) => n.route === route);
          return { label: route, value: rate(group.filter(acknowledgedInTime).length, group.length).value ?? 0 };
        }),
      },
      ehas_closed_outcomes_met: {
        ...rate(needsMet, t.ehasClosed),
        breakdown: t.closedByOutcome.map((o) => ({ label: o.outcome, value: o.count })),
      },
      stepped_up_within_12_months_of_closure: count(
        steppedUp.children,
        steppedUp.byRoute.map((r) => ({ label: STEP_UP_ROUTE_LABELS[r.route], value: r.children })),
      ),
      under_18_conceptions: submitted('under_18_conceptions'),
      infant_mortality: submitted('infant_mortality'),
      eyfs_good_level_of_development: submitted('eyfs_good_level_of_development'),
      first_time_entrants: submitted('first_time_entrants'),
      homeless_16_17: submitted('homeless_16_17'),
      neet_16_17: submitted('neet_16_17'),
      distance_travelled: {
        value: families ? Math.round((100 * totalDistance) / families) / 100 : null,
        numerator: null,
        denominator: families,
        breakdown: distances.map((c) => ({ label: c.cluster, value: c.meanDistanceTravelled ?? 0 })),
      },
    };
    const notesBy = new Map(notes.map((n) => [n.indicator, n]));
    return {
      from,
      to,
      indicators: INDICATOR_KEYS.map((key) => ({
        key,
        title: INDICATORS[key].title,
        unit: INDICATORS[key].unit,
        owner: notesBy.get(key)?.owner ?? INDICATORS[key].owner,
        narrative: notesBy.get(key)?.narrative ?? null,
        ...values[key],
        source: figureBy.get(key)?.source ?? ('submitted' in INDICATORS[key] ? null : 'hub'),
        provenance: figureBy.get(key)?.provenance ?? null,
        version: figureBy.get(key)?.version ?? null,
      })),
    };
  }

  /**
   * The owner's figure for an indicator the hub cannot compute: validated, kept as a new version
   * (the latest is shown), and recorded in the administrators' change log in the same transaction.
   */
  async submitFigure(input: SubmitFigureInput, request: AdminRequest): Promise<repo.FigureRow> {
    const indicator = requireOneOf('indicator', input.indicator, INDICATOR_KEYS);
    if (!(SUBMITTED_INDICATOR_KEYS as readonly string[]).includes(indicator))
      throw new BadUserInputError('indicator', "is computed live from the hub's data; only its narrative can be set");
    const { from, to } = period(input.from, input.to);
    if (!Number.isFinite(input.value) || input.value < 0)
      throw new BadUserInputError('value', 'must be a number of zero or more');
    if (INDICATORS[indicator].unit === 'percent' && input.value > 100)
      throw new BadUserInputError('value', 'is a percentage: at most 100');
    if (INDICATORS[indicator].unit === 'count' && !Number.isInteger(input.value))
      throw new BadUserInputError('value', 'is a count: a whole number');
    const whole = (field: 'numerator' | 'denominator') => {
      const n = input[field];
      if (n === null || n === undefined) return null;
      if (!Number.isInteger(n) || n < 0) throw new BadUserInputError(field, 'must be a whole number of zero or more');
      return n;
    };
    const numerator = whole('numerator');
    const denominator = whole('denominator');
    if ((numerator === null) !== (denominator === null))
      throw new BadUserInputError(
        numerator === null ? 'numerator' : 'denominator',
        'give both numerator and denominator, or neither',
      );
    if (numerator !== null && denominator !== null && numerator > denominator)
      throw new BadUserInputError('numerator', 'must not exceed the denominator');
    const source = requireText('source', input.source, { max: 500 });
    const provenance = requireText('provenance', input.provenance, { max: 2000 });
    return this.db.transaction(async (tx) => {
      const row = await repo.insertFigure(tx, {
        indicator,
        periodFrom: from,
        periodTo: to,
        value: input.value,
        numerator,
        denominator,
        source,
        provenance,
        submittedBySubject: request.caller.subject,
        submittedByOrganisationId: request.caller.organisationId,
        submittedAt: request.at,
      });
      await recordAdminChange(tx, request, {
        action: 'indicator_figure.submit',
        entity: 'indicator_figure',
        entityId: row.id,
        fields: ['value', 'numerator', 'denominator', 'source', 'provenance'],
      });
      return row;
    });
  }

  async setNarrative(
    input: { indicator: string; from: string; to: string; owner: string; narrative: string },
    actor: Actor,
  ): Promise<repo.NarrativeRow> {
    const indicator = requireOneOf('indicator', input.indicator, INDICATOR_KEYS);
    const { from, to } = period(input.from, input.to);
    return repo.upsertNarrative(this.db, {
      indicator,
      periodFrom: from,
      periodTo: to,
      owner: requireText('owner', input.owner, { max: 200 }),
      narrative: requireText('narrative', input.narrative, { max: 4000 }),
      updatedBySubject: actor.caller.subject,
      updatedAt: this.clock.now(),
    });
  }
}

export interface SubmitFigureInput {
  indicator: string;
  from: string;
  to: string;
  value: number;
  numerator?: number | null;
  denominator?: number | null;
  source: string;
  provenance: string;
}

const DAY_MS = 86_400_000;

const STEP_UP_ROUTE_LABELS: Readonly<Record<repo.StepUpRoute, string>> = {
  eha_step_up: 'stepped up from an EHA',
  referral_to_social_care: 'referral passed to social care at screening',
};

/**
 * One EHA's reviews falling due in a period. The review clock restarts at every plan agreed and
 * every review held (`restarts`, sorted); a review is due 3 calendar months after a restart. It is
 * met when the next restart comes on or before that day; while none comes the clock keeps running,
 * so an EHA left unreviewed is due again every 3 months. A due day counts when it falls in the
 * period while the EHA is open (not closed on or before it) and not suspended (at MASP or stepped
 * up awaiting social care's outcome, when the workflow allows no review); a missed one only once
 * it has passed.
 */
export function reviewsDueIn(
  eha: { restarts: readonly string[]; closedOn: string | null; suspended?: readonly repo.Suspension[] },
  from: string,
  to: string,
  today: string,
): { due: number; missed: number } {
  const { restarts, closedOn, suspended = [] } = eha;
  const isSuspended = (day: string) => suspended.some((s) => s.from <= day && (s.until === null || day < s.until));
  let due = 0;
  let missed = 0;
  restarts.forEach((start, i) => {
    const next = restarts[i + 1] ?? null;
    for (let k = 1; ; k++) {
      const dueOn = addMonths(start, 3 * k);
      if (dueOn > to || (closedOn !== null && closedOn <= dueOn)) break;
      if (next !== null && next <= dueOn) {
        // Held by the first due day: met. Held later: the late review restarts the clock instead.
        if (k === 1 && dueOn >= from) due++;
        break;
      }
      if (dueOn >= from && dueOn < today && !isSuspended(dueOn)) {
        due++;
        missed++;
      }
    }
  });
  return { due, missed };
}

function period(fromInput: string, toInput: string): { from: string; to: string } {
  const from = requireIsoDate('from', fromInput);
  const to = requireIsoDate('to', toInput);
  if (to < from) throw new BadUserInputError('to', 'must not be before from');
  return { from, to };
}

function count(value: number, breakdown: { label: string; value: number }[]) {
  return { value, numerator: null, denominator: null, breakdown };
}

function rate(part: number, whole: number) {
  return {
    value: whole ? Math.round((1000 * part) / whole) / 10 : null,
    numerator: part,
    denominator: whole,
    breakdown: [],
  };
}

function byCluster(clusters: ClusterIndicators[], key: 'ehasOpen' | 'stepUps' | 'stepDowns') {
  return clusters.filter((c) => c[key] > 0).map((c) => ({ label: c.cluster ?? 'not yet placed', value: c[key] }));
}
