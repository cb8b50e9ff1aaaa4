/**
 * The voluntary sector feed: a contact a voluntary organisation had with a child whose family
 * consented to that organisation (consent in force naming it, or voluntary organisations, for
 * early_help). Without that consent: CONSENT_REQUIRED and nothing stored. The organisation gains
 * a vcs_support involvement. Idempotent on (organisation, its contact reference).
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db } from '../db';
import { openEhaSummaryOfChild } from '../eha/eha.repo';
import { BadUserInputError, ConsentRequiredError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireText, requireUuid } from '../shared/validate';
import { matchChild, type ChildDescription } from './child-matcher';
import { requirePastDate, validateDescription } from './feed-validate';
import { holdForReview, type FeedReceipt } from './pending';
import { ensureInvolvement, liveChildById } from './relations.repo';
import { resolveLiveId } from '../child/child.repo';
import { organisationKindOf } from '../access/access.repo';
import { runOnce, type FeedWork } from './submission';
import { consentFor, insertVcsContact } from './vcs.repo';

/** A contact in the hub's shape (adapters map each case system's record to it). */
export interface VcsContactSubmission extends ChildDescription {
  contactRef: string;
  /** The hub id, when the family's consent gave it to the organisation. */
  childId?: string | null;
  contactDate: string;
  contactType: string;
  summary: string;
}

export type ValidVcsContact = Omit<VcsContactSubmission, 'childId'> & { childId: string | null };

export class VcsFeed {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  validate(input: VcsContactSubmission): ValidVcsContact {
    const today = partnershipDate(this.deps.clock.now());
    const base = {
      contactRef: requireText('contactRef', input.contactRef, { max: 100 }),
      contactDate: requirePastDate('contactDate', input.contactDate, today),
      contactType: requireText('contactType', input.contactType, { max: 100 }),
      summary: requireText('summary', input.summary, { max: 1000 }),
    };
    if (input.childId) return { ...base, childId: requireUuid('childId', input.childId) };
    if (!input.nhsNumber && !input.upn && !input.givenName) throw new BadUserInputError('childId', 'give the child id, or the child\'s identifiers or name and date of birth');
    return { ...base, childId: null, ...validateDescription('', input, today) };
  }

  async post(input: VcsContactSubmission, caller: Caller, audit: AuditCollector): Promise<FeedReceipt> {
    const payload = this.validate(input);
    const at = this.deps.clock.now();
    const { response } = await runOnce<FeedReceipt>({
      db: this.deps.db, caller, at, audit, payload,
      key: { organisationId: caller.organisationId, feed: 'vcs', externalRef: payload.contactRef },
      apply: async (work, submissionId) => {
        let childId: string | null = null;
        if (payload.childId) {
          const live = await resolveLiveId(work.tx, payload.childId);
          childId = live && (await liveChildById(work.tx, live)) ? live : null;
          // An unknown id is not guessed at: the same CONSENT_REQUIRED as a child without consent.
          if (!childId) throw new ConsentRequiredError('early_help');
        } else {
          const match = await matchChild(work.tx, payload);
          if (!match.matched) return holdForReview(work, { submissionId, feed: 'vcs', reason: match.reason, candidates: match.candidates, payload });
          childId = match.child.id;
        }
        return applyVcs(work, childId, payload, caller.organisationId, 'postVcsContact');
      },
    });
    return response;
  }
}

/** Applies a contact to a known child, if the family consented to the organisation. */
export async function applyVcs(work: FeedWork, childId: string, payload: ValidVcsContact, vcsOrgId: string, action: string): Promise<FeedReceipt> {
  const kind = (await organisationKindOf(work.tx, vcsOrgId)) ?? 'voluntary';
  const consentId = await consentFor(work.tx, childId, vcsOrgId, kind, 'early_help', work.at);
  if (!consentId) throw new ConsentRequiredError('early_help');
  const row = await insertVcsContact(work.tx, {
    childId, organisationId: vcsOrgId, contactRef: payload.contactRef, contactDate: payload.contactDate,
    contactType: payload.contactType, summary: payload.summary, consentId, receivedAt: work.at,
  });
  await ensureInvolvement(work.tx, childId, vcsOrgId, 'vcs_support', partnershipDate(work.at));
  const eha = await openEhaSummaryOfChild(work.tx, childId);
  await recordCaseEvent(work.tx, {
    childId, kind: 'vcs_contact', categories: ['early_help'], changedFields: ['vcsContacts'], at: work.at,
    refs: { vcsContactId: row.id, consentId }, cluster: eha?.cluster ?? null, actor: work.caller,
  });
  work.changes.push({ childId, action, fields: ['vcsContacts'] });
  return { status: 'APPLIED', childId, recordId: row.id, reference: null };
}
