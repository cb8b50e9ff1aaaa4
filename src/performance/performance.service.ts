/**
 * The partnership's performance book, for a period and by cluster: contacts
 * requesting targeted Early Help, referrals accepted and declined, EHAs open and closed (by
 * outcome), step ups and step downs, first TAFs within 3 weeks of step down, reviews on time.
 * Counts only — no child is named — and counted from the workflow's own records.
 */
import type { Db } from '../db';
import { BadUserInputError } from '../errors';
import { requireIsoDate } from '../shared/validate';
import { CLUSTERS } from '../workflow/actor';
import type { ReferralAction } from '../workflow/transitions';
import * as repo from './performance.repo';

export interface ClusterIndicators {
  /** null: referrals not yet placed in a cluster. */
  cluster: string | null;
  contactsRequestingEarlyHelp: number;
  referralsAccepted: number;
  referralsDeclined: number;
  referralsSingleAgencyResponse: number;
  /** Routed to children's social care's front door at screening. */
  referralsToSocialCare: number;
  /** Accepted for an EHA with fewer than 3 needs, each with a recorded reason. */
  referralsAcceptedBelowThreshold: number;
  ehasOpen: number;
  ehasClosed: number;
  closedByOutcome: { outcome: string; count: number }[];
  stepUps: number;
  stepDowns: number;
  firstTafsDue: number;
  firstTafsWithin3Weeks: number;
  firstTafsWithin3WeeksPercent: number | null;
  reviewsHeld: number;
  reviewsOnTime: number;
  reviewsOnTimePercent: number | null;
}

export interface PerformanceBook {
  from: string;
  to: string;
  clusters: ClusterIndicators[];
  total: ClusterIndicators;
}

export interface PerformanceServiceOptions {
  db: Db;
}

export class PerformanceService {
  private readonly db: Db;

  constructor({ db }: PerformanceServiceOptions) {
    this.db = db;
  }

  async indicators(fromInput: string, toInput: string): Promise<PerformanceBook> {
    const from = requireIsoDate('from', fromInput);
    const to = requireIsoDate('to', toInput);
    if (to < from) throw new BadUserInputError('to', 'must not be before from');
    const [received, screened, belowThreshold, open, closed, steps, firstTafs, reviews] = await Promise.all([
      repo.referralsReceived(this.db, from, to),
      repo.transitionsByAction(this.db, 'referral', Object.keys(SCREENED), from, to),
      repo.acceptedBelowThreshold(this.db, from, to),
      repo.ehasOpenOn(this.db, to),
      repo.ehasClosedByOutcome(this.db, from, to),
      repo.transitionsByAction(this.db, 'eha', ['step_up', 'masp_step_up', 'step_down'], from, to),
      repo.firstTafsDue(this.db, from, to),
      repo.reviewsHeld(this.db, from, to),
    ]);
    const rows = new Map<string | null, ClusterIndicators>();
    const row = (cluster: string | null) => {
      let r = rows.get(cluster);
      if (!r) rows.set(cluster, (r = empty(cluster)));
      return r;
    };
    for (const c of CLUSTERS) row(c);
    for (const c of received) row(c.cluster).contactsRequestingEarlyHelp += c.n;
    for (const c of screened) row(c.cluster)[SCREENED[c.key as ReferralAction]] += c.n; // the query asks for these actions only
    for (const c of belowThreshold) row(c.cluster).referralsAcceptedBelowThreshold += c.n;
    for (const c of open) row(c.cluster).ehasOpen += c.n;
    for (const c of closed) {
      const r = row(c.cluster);
      r.ehasClosed += c.n;
      addOutcome(r, c.key ?? 'unknown', c.n);
    }
    for (const c of steps) row(c.cluster)[c.key === 'step_down' ? 'stepDowns' : 'stepUps'] += c.n;
    for (const c of firstTafs) {
      const r = row(c.cluster);
      r.firstTafsDue += c.n;
      if (c.key === 'on_time') r.firstTafsWithin3Weeks += c.n;
    }
    for (const c of reviews) {
      const r = row(c.cluster);
      r.reviewsHeld += c.n;
      if (c.key === 'on_time') r.reviewsOnTime += c.n;
    }
    const clusters = [...rows.values()].sort((a, b) => order(a.cluster) - order(b.cluster));
    const total = empty(null);
    for (const r of clusters) {
      for (const k of NUMERIC) total[k] += r[k];
      for (const o of r.closedByOutcome) addOutcome(total, o.outcome, o.count);
    }
    for (const r of [...clusters, total]) {
      r.firstTafsWithin3WeeksPercent = percent(r.firstTafsWithin3Weeks, r.firstTafsDue);
      r.reviewsOnTimePercent = percent(r.reviewsOnTime, r.reviewsHeld);
    }
    return { from, to, clusters, total };
  }
}

/** Screening actions and the indicator each counts in: keyed by the actions, so a new one cannot go uncounted. */
const SCREENED: Readonly<
  Record<
    ReferralAction,
    'referralsAccepted' | 'referralsDeclined' | 'referralsSingleAgencyResponse' | 'referralsToSocialCare'
  >
> = {
  accept: 'referralsAccepted',
  decline: 'referralsDeclined',
  single_agency_response: 'referralsSingleAgencyResponse',
  refer_to_social_care: 'referralsToSocialCare',
};

const NUMERIC = [
  'contactsRequestingEarlyHelp',
  'referralsAccepted',
  'referralsDeclined',
  'referralsSingleAgencyResponse',
  'referralsToSocialCare',
  'referralsAcceptedBelowThreshold',
  'ehasOpen',
  'ehasClosed',
  'stepUps',
  'stepDowns',
  'firstTafsDue',
  'firstTafsWithin3Weeks',
  'reviewsHeld',
  'reviewsOnTime',
] as const;

function empty(cluster: string | null): ClusterIndicators {
  return {
    cluster,
    contactsRequestingEarlyHelp: 0,
    referralsAccepted: 0,
    referralsDeclined: 0,
    referralsSingleAgencyResponse: 0,
    referralsToSocialCare: 0,
    referralsAcceptedBelowThreshold: 0,
    ehasOpen: 0,
    ehasClosed: 0,
    closedByOutcome: [],
    stepUps: 0,
    stepDowns: 0,
    firstTafsDue: 0,
    firstTafsWithin3Weeks: 0,
    firstTafsWithin3WeeksPercent: null,
    reviewsHeld: 0,
    reviewsOnTime: 0,
    reviewsOnTimePercent: null,
  };
}

function addOutcome(r: ClusterIndicators, outcome: string, n: number): void {
  const existing = r.closedByOutcome.find((o) => o.outcome === outcome);
  if (existing) existing.count += n;
  else r.closedByOutcome.push({ outcome, count: n });
  r.closedByOutcome.sort((a, b) => a.outcome.localeCompare(b.outcome));
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}

function order(cluster: string | null): number {
  const i = (CLUSTERS as readonly string[]).indexOf(cluster ?? '');
  return i < 0 ? CLUSTERS.length : i;
}
