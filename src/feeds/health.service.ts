/**
 * The health feed: a trust posts a child's health level (Universal, Universal Plus, Universal
 * Partnership Plus) with a contact, by NHS number, under its own record id. Idempotent on
 * (trust, record id). Posting gives the trust no relationship with the child (its caseload comes
 * from its own caseload push), and the receipt says only RECEIVED: whether the NHS number matched
 * a record, an untraced one or none is for EH DAS's pending queue, not the sender. The request
 * only stores the update and audits its receipt; matching and applying it or holding it happen in
 * the feed inbox after the answer, so a known child's post costs the request no more than an
 * unknown one's and takes no longer (absent and refused look the same). A move up into
 * Universal Plus or Partnership Plus while the child has an open EHA is flagged on the case event
 * for the lead practitioner.
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db } from '../db';
import { openEhaSummaryOfChild } from '../eha/eha.repo';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireOneOf, requireText } from '../shared/validate';
import { matchChild } from './child-matcher';
import { requireNhsNumber, requirePastDate, validateDemographics, type Demographics } from './feed-validate';
import { insertHealthUpdate, laterInForce, updateInForce } from './health.repo';
import type { FeedInbox } from './feed-inbox';
import { askedFor, holdForReview, received, type PostReceipt } from './pending';
import { runOnce, type FeedWork } from './submission';

export const HEALTH_LEVELS = ['UNIVERSAL', 'UNIVERSAL_PLUS', 'UNIVERSAL_PARTNERSHIP_PLUS'] as const;
export type HealthLevel = (typeof HEALTH_LEVELS)[number];

/** A health update in the hub's shape (adapters map each trust system's payload to it). */
export interface HealthSubmission {
  recordId: string;
  nhsNumber: string;
  level: string;
  effectiveDate: string;
  contactType: string;
  summary: string;
  child?: Demographics | null;
}

export type ValidHealthSubmission = HealthSubmission & { level: HealthLevel; child: Demographics };

export class HealthFeed {
  constructor(private readonly deps: { db: Db; clock: Clock; inbox: FeedInbox }) {
    deps.inbox.handle('health', (work, submission, payload, audit) =>
      this.receive(work, submission, payload as ValidHealthSubmission, audit),
    );
  }

  validate(input: HealthSubmission): ValidHealthSubmission {
    const today = partnershipDate(this.deps.clock.now());
    return {
      recordId: requireText('recordId', input.recordId, { max: 100 }),
      nhsNumber: requireNhsNumber('nhsNumber', input.nhsNumber),
      level: requireOneOf('level', input.level, HEALTH_LEVELS),
      effectiveDate: requirePastDate('effectiveDate', input.effectiveDate, today),
      contactType: requireText('contactType', input.contactType, { max: 100 }),
      summary: requireText('summary', input.summary, { max: 1000 }),
      child: validateDemographics('child.', input.child, today),
    };
  }

  async post(input: HealthSubmission, caller: Caller, audit: AuditCollector): Promise<PostReceipt> {
    const payload = this.validate(input);
    const at = this.deps.clock.now();
    const { response } = await runOnce<PostReceipt>({
      db: this.deps.db,
      caller,
      at,
      audit,
      payload,
      key: { organisationId: caller.organisationId, feed: 'health', externalRef: payload.recordId },
      inbox: this.deps.inbox.entry(payload, audit),
      apply: async (work, submissionId) => {
        // Under what was sent, known child or not: the request must not look the child up.
        work.changes.push({
          childId: audit.standIn(askedFor(payload)),
          action: 'postHealthUpdate',
          fields: ['received'],
        });
        return received(submissionId);
      },
    });
    this.deps.inbox.kick(audit);
    return response;
  }

  /** After the receipt (the feed inbox): applied to the child it names, or held for EH DAS. */
  private async receive(
    work: FeedWork,
    submission: { id: string; organisationId: string },
    payload: ValidHealthSubmission,
    audit: AuditCollector,
  ): Promise<void> {
    const match = await matchChild(work.tx, { nhsNumber: payload.nhsNumber });
    if (match.matched) {
      await applyHealth(work, match.child.id, payload, submission.organisationId, 'postHealthUpdate');
      return;
    }
    await holdForReview(work, {
      submissionId: submission.id,
      feed: 'health',
      reason: match.reason,
      candidates: match.candidates,
      payload,
      audited: { childId: audit.standIn(askedFor(payload)), action: 'postHealthUpdate' },
    });
  }
}

const RANK: Record<HealthLevel, number> = { UNIVERSAL: 0, UNIVERSAL_PLUS: 1, UNIVERSAL_PARTNERSHIP_PLUS: 2 };

/** Applies a validated update to a known child (directly, or when a held match is resolved). */
export async function applyHealth(
  work: FeedWork,
  childId: string,
  payload: ValidHealthSubmission,
  trustId: string,
  action: string,
): Promise<void> {
  const { tx, at } = work;
  const inForce = await updateInForce(tx, childId);
  const previous = (inForce?.level ?? null) as HealthLevel | null;
  const row = await insertHealthUpdate(tx, {
    childId,
    organisationId: trustId,
    recordId: payload.recordId,
    level: payload.level,
    previousLevel: previous,
    effectiveDate: payload.effectiveDate,
    contactType: payload.contactType,
    summary: payload.summary,
    receivedAt: at,
  });
  const levelNow = laterInForce(row, inForce).level as HealthLevel;
  const levelChanged = levelNow !== previous;
  const eha = await openEhaSummaryOfChild(tx, childId);
  const escalatedDuringEha =
    Boolean(eha) && levelChanged && levelNow !== 'UNIVERSAL' && RANK[levelNow] > RANK[previous ?? 'UNIVERSAL'];
  const fields = levelChanged ? ['healthHistory', 'healthLevel'] : ['healthHistory'];
  await recordCaseEvent(tx, {
    childId,
    kind: 'health_level_changed',
    categories: ['health'],
    changedFields: fields,
    at,
    refs: { healthUpdateId: row.id, ...(escalatedDuringEha && eha ? { ehaId: eha.id } : {}) },
    cluster: eha?.cluster ?? null,
    actor: work.caller,
  });
  work.changes.push({ childId, action, fields });
}
