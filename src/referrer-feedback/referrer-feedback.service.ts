/**
 * Referrer feedback: the referring practitioner sees the outcome of each referral
 * they made — accepted, or declined with the screener's rationale and the services the family was
 * signposted to — and nothing else of the case. The basis is having made the referral, not a
 * relationship with the child: no EHA id, no allocation, no names. Each disclosure is audited.
 *
 * The partnership's "audit of referrals to social care from partners" is a count over step-ups by
 * the organisation whose referral opened the EHA (no child data).
 */
import type { Db } from '../db';
import { BadUserInputError } from '../errors';
import { addDays } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireIsoDate } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import * as repo from './referrer-feedback.repo';

export const REFERRAL_OUTCOMES = [
  'awaiting_screening',
  'accepted',
  'declined',
  'single_agency_response',
  'referred_to_social_care',
] as const;
export type ReferralOutcomeKind = (typeof REFERRAL_OUTCOMES)[number];

/** What the referrer is told about one referral. */
export interface ReferralFeedbackView {
  referralId: string;
  childId: null;
  referralDate: string;
  outcome: ReferralOutcomeKind;
  decidedOn: string | null;
  /** Declined only: the screener's decision-making. */
  rationale: string | null;
  /** Declined: the single agency, universal or targeted services the family was signposted to. */
  signposting: string[];
  signposted: boolean;
}

const REFERRER_BASIS = {
  kind: 'isa',
  reference: "Referrer feedback: the outcome of the caller's own referral",
} as const;

export class ReferrerFeedbackService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  /** The caller's own referrals made between `from` and `to` (default: the last 12 months). */
  async myReferralOutcomes(
    range: { from?: string | null; to?: string | null },
    actor: Actor,
  ): Promise<ReferralFeedbackView[]> {
    actor.access.requirePurpose();
    const { from, to } = this.period(range, 365);
    const rows = await repo.referralsMadeBy(this.db, actor.caller.subject, actor.caller.organisationId, from, to);
    return rows.map((r) => {
      actor.audit.disclosed(r.childId, 'early_help', 'ReferralFeedback.outcome', REFERRER_BASIS);
      // Declined and single agency responses both tell the referrer where the family was signposted.
      const declined = r.status === 'declined' || r.status === 'single_agency_response';
      return {
        // Not the child's id: which record a referral matched is EH DAS's, not the referrer's.
        referralId: r.id,
        childId: null,
        referralDate: r.referralDate,
        outcome: r.status === 'submitted' ? 'awaiting_screening' : r.status,
        decidedOn: r.screenedOn,
        rationale: declined ? r.decisionRationale : null,
        signposting: declined ? (r.signposting ?? []) : [],
        signposted: declined && (r.signposting ?? []).length > 0,
      };
    });
  }

  /** Step-ups to social care by referring organisation in the period (default: the last 12 months). */
  async stepUpsByReferringOrganisation(range: {
    from?: string | null;
    to?: string | null;
  }): Promise<repo.ReferringOrganisationRow[]> {
    const { from, to } = this.period(range, 365);
    return repo.stepUpsByReferringOrganisation(this.db, from, to);
  }

  private period(range: { from?: string | null; to?: string | null }, days: number): { from: string; to: string } {
    const to = range.to ? requireIsoDate('to', range.to) : partnershipDate(this.clock.now());
    const from = range.from ? requireIsoDate('from', range.from) : addDays(to, -days);
    if (from > to) throw new BadUserInputError('from', 'must be on or before to');
    return { from, to };
  }
}
