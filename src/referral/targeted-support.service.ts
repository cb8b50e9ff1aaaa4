/**
 * Targeted Support: the single agency response of screening, given by one agency for up to about
 * 3 months ("two or fewer unmet needs = single agency response"). EH DAS follows each one: its
 * queue shows those due for a look (or past it), and it records how each ended — needs met, or
 * referred on for an EHA or to social care — which ends EH DAS's involvement.
 */
import { and, eq, isNull, lte } from 'drizzle-orm';
import { referrals } from '../../schema';
import type { Db } from '../db';
import { BadUserInputError, invariant, NoRelationshipError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { addDays } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireOneOf, requireText, requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import * as wf from '../workflow/workflow.repo';
import * as repo from './referral.repo';
import { staleVersion } from './referral.service';
import type { ReferralRow } from './referral.repo';

/** How Targeted Support ends. */
export const TARGETED_SUPPORT_OUTCOMES = ['needs_met', 'referred_for_early_help', 'referred_to_social_care'] as const;

export interface EndTargetedSupportInput {
  referralId: string;
  expectedVersion: number;
  outcome: string;
  note: string;
}

export class TargetedSupportService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  /** Targeted Support still running whose 3 months end within `within` days (or have ended), oldest first. */
  async due(within: number, actor: Actor): Promise<ReferralRow[]> {
    actor.access.requirePurpose();
    if (!Number.isInteger(within) || within < 0 || within > 366)
      throw new BadUserInputError('within', 'must be a whole number of days from 0 to 366');
    const by = addDays(partnershipDate(this.clock.now()), within);
    const where = and(
      eq(referrals.status, 'single_agency_response'),
      isNull(referrals.targetedSupportEndedOn),
      lte(referrals.targetedSupportReviewBy, by),
      await actor.access.relationshipWhere(referrals.childId),
    );
    return repo.listReferralsWhere(this.db, where!);
  }

  async end(input: EndTargetedSupportInput, actor: Actor): Promise<ReferralRow> {
    const referralId = requireUuid('referralId', input.referralId);
    const outcome = requireOneOf('outcome', input.outcome, TARGETED_SUPPORT_OUTCOMES);
    const note = requireText('note', input.note, { max: 2000 });
    const existing = await repo.findReferral(this.db, referralId);
    if (!existing) throw new NoRelationshipError('early_help');
    await actor.access.requireWrite(existing.childId, 'early_help');
    const now = this.clock.now();
    const today = partnershipDate(now);
    return this.db.transaction(async (tx) => {
      const referral = await repo.lockReferral(tx, referralId);
      invariant(referral, 'a referral read a moment ago still exists');
      if (referral.version !== input.expectedVersion) throw staleVersion(referral.version);
      if (referral.status !== 'single_agency_response' || !referral.targetedSupportOrganisationId)
        throw new BadUserInputError('referralId', 'is not Targeted Support (a single agency response)');
      if (referral.targetedSupportEndedOn) throw new BadUserInputError('referralId', 'Targeted Support already ended');
      const updated = await repo.updateReferral(tx, referralId, referral.version, {
        targetedSupportEndedOn: today,
        targetedSupportOutcome: outcome,
        targetedSupportNote: note,
      });
      invariant(updated, 'the locked referral row is updated');
      await wf.endInvolvements(tx, referral.childId, ['screening'], today);
      await recordCaseEvent(tx, {
        childId: referral.childId,
        kind: 'referral_screened',
        categories: ['early_help'],
        changedFields: END_FIELDS,
        refs: { referralId },
        cluster: referral.cluster,
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [
        { childId: referral.childId, action: 'endTargetedSupport', fields: END_FIELDS },
      ]);
      return updated;
    });
  }
}

const END_FIELDS = ['targetedSupport', 'involvements'];
