/**
 * The voluntary sector feed: a contact a voluntary organisation had with a child whose family
 * consented to that organisation (consent in force naming it, or voluntary organisations, for
 * early_help). The organisation then gains a vcs_support involvement. The receipt says only
 * RECEIVED: without that consent, or for a child the hub does not hold, nothing is created, and
 * the attempt is audited alike (a keyed stand-in for a child not held), so the answer does not
 * tell the sender whether the hub holds the child. Idempotent on (organisation, its contact reference),
 * except that a refused contact is evaluated again when it is retried (submission.ts): the family
 * may have consented since, and the contact must then be kept, under the receipt first given.
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db } from '../db';
import { openEhaSummaryOfChild } from '../eha/eha.repo';
import { BadUserInputError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireText, requireUuid } from '../shared/validate';
import { matchChild, type ChildDescription } from './child-matcher';
import { requirePastDate, validateDescription } from './feed-validate';
import { askedFor, holdForReview, received, type PostReceipt } from './pending';
import { ensureInvolvement } from './relations.repo';
import { findLiveById } from '../child/child.repo';
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
    if (!input.nhsNumber && !input.upn && !input.givenName)
      throw new BadUserInputError('childId', "give the child id, or the child's identifiers or name and date of birth");
    return { ...base, childId: null, ...validateDescription('', input, today) };
  }

  async post(input: VcsContactSubmission, caller: Caller, audit: AuditCollector): Promise<PostReceipt> {
    const payload = this.validate(input);
    const at = this.deps.clock.now();
    const asked = askedFor(payload);
    const { response } = await runOnce<PostReceipt>({
      db: this.deps.db,
      caller,
      at,
      audit,
      payload,
      key: { organisationId: caller.organisationId, feed: 'vcs', externalRef: payload.contactRef },
      apply: async (work, submissionId) => {
        let childId: string | null;
        let consentId: string | null;
        if (payload.childId) {
          // An id the hub does not hold is not guessed at: it goes through the same statements as a
          // child without consent (a consent lookup that finds none) and is answered and audited alike.
          const live = await findLiveById(work.tx, payload.childId);
          childId = live?.id ?? null;
          consentId = await vcsConsentFor(work, live?.id ?? payload.childId, caller.organisationId);
        } else {
          const match = await matchChild(work.tx, payload);
          if (!match.matched) {
            await holdForReview(work, {
              submissionId,
              feed: 'vcs',
              reason: match.reason,
              candidates: match.candidates,
              explanation: match.explanation,
              payload,
            });
            audit.attempted(null, asked);
            return received(submissionId);
          }
          childId = match.child.id;
          consentId = await vcsConsentFor(work, childId, caller.organisationId);
        }
        if (childId !== null && consentId !== null)
          await keepVcs(work, childId, consentId, payload, caller.organisationId, 'postVcsContact');
        else {
          work.refused = true;
          audit.attempted(childId, asked);
        }
        return received(submissionId);
      },
    });
    return response;
  }
}

/**
 * Applies a contact to a known child if the family consented to the organisation; false, with
 * nothing written, if it did not.
 */
export async function applyVcs(
  work: FeedWork,
  childId: string,
  payload: ValidVcsContact,
  vcsOrgId: string,
  action: string,
): Promise<boolean> {
  const consentId = await vcsConsentFor(work, childId, vcsOrgId);
  if (!consentId) return false;
  await keepVcs(work, childId, consentId, payload, vcsOrgId, action);
  return true;
}

/** The early_help consent in force naming the organisation (or its kind) for the child; null if none. */
async function vcsConsentFor(work: FeedWork, childId: string, vcsOrgId: string): Promise<string | null> {
  const kind = (await organisationKindOf(work.tx, vcsOrgId)) ?? 'voluntary';
  return consentFor(work.tx, childId, vcsOrgId, kind, 'early_help', work.at);
}

async function keepVcs(
  work: FeedWork,
  childId: string,
  consentId: string,
  payload: ValidVcsContact,
  vcsOrgId: string,
  action: string,
): Promise<void> {
  const row = await insertVcsContact(work.tx, {
    childId,
    organisationId: vcsOrgId,
    contactRef: payload.contactRef,
    contactDate: payload.contactDate,
    contactType: payload.contactType,
    summary: payload.summary,
    consentId,
    receivedAt: work.at,
  });
  await ensureInvolvement(work.tx, childId, vcsOrgId, 'vcs_support', partnershipDate(work.at), {
    source: 'vcs_contact',
    assertedBySubject: work.caller.subject,
  });
  const eha = await openEhaSummaryOfChild(work.tx, childId);
  await recordCaseEvent(work.tx, {
    childId,
    kind: 'vcs_contact',
    categories: ['early_help'],
    changedFields: ['vcsContacts'],
    at: work.at,
    refs: { vcsContactId: row.id, consentId },
    cluster: eha?.cluster ?? null,
    actor: work.caller,
  });
  work.changes.push({ childId, action, fields: ['vcsContacts'] });
}
