/**
 * Missing from home as the police report it. The police are the authoritative source of missing
 * episodes, so a force reports any child it names — not only one it has notified about before —
 * the way it posts an Operation Encompass incident: the child described by identifiers (or name
 * and date of birth), matched internally, held for EH DAS when not matched with certainty, and a
 * receipt that says only RECEIVED. The post gives the force no relationship with the child.
 *
 * The force's reference keys the episode: the report of the return is a second post under the
 * same reference with `returnedAt`, which starts the 72-hour window. A looked-after child's
 * episode is recorded too (the police do not know the status, and the receipt must not tell
 * them); their social worker arranges the return interview, so EH DAS is not asked to.
 */
import type { AuditCollector } from '../audit/audit-collector';
import type { Caller } from '../auth/caller';
import type { Db } from '../db';
import { BadUserInputError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { EPISODE_FIELDS, recordEpisodeIn, requireInstant } from '../missing/missing.service';
import * as missing from '../missing/missing.repo';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireText } from '../shared/validate';
import { matchChild, type ChildDescription } from './child-matcher';
import { validateDescription } from './feed-validate';
import { askedFor, holdForReview, received, type PostReceipt } from './pending';
import { runOnce, type FeedWork } from './submission';

export interface MissingReportSubmission extends ChildDescription {
  policeReference: string;
  startedAt: string;
  returnedAt?: string | null;
}

export interface ValidMissingReport {
  policeReference: string;
  startedAt: string;
  returnedAt: string | null;
  child: ChildDescription;
}

export class MissingReportFeed {
  constructor(private readonly options: { db: Db; clock: Clock }) {}

  validate(input: MissingReportSubmission): ValidMissingReport {
    const now = this.options.clock.now();
    const startedAt = requireInstant('startedAt', input.startedAt, now);
    const returnedAt = input.returnedAt ? requireInstant('returnedAt', input.returnedAt, now) : null;
    if (returnedAt && returnedAt < startedAt) throw new BadUserInputError('returnedAt', 'must be after startedAt');
    const { policeReference: _, startedAt: __, returnedAt: ___, ...who } = input;
    return {
      policeReference: requireText('policeReference', input.policeReference, { max: 50 }),
      startedAt: startedAt.toISOString(),
      returnedAt: returnedAt?.toISOString() ?? null,
      child: validateDescription('', who, partnershipDate(now)),
    };
  }

  async report(input: MissingReportSubmission, caller: Caller, audit: AuditCollector): Promise<PostReceipt> {
    const report = this.validate(input);
    const at = this.options.clock.now();
    // The missing report and the return report are two posts under one reference: each is idempotent.
    const externalRef = `${report.policeReference}#${report.returnedAt ? 'returned' : 'missing'}`;
    const { response } = await runOnce<PostReceipt>({
      db: this.options.db,
      caller,
      at,
      audit,
      payload: report,
      key: { organisationId: caller.organisationId, feed: 'missing', externalRef },
      apply: async (work, submissionId) => {
        const match = await matchChild(work.tx, report.child);
        if (!match.matched) {
          await holdForReview(work, {
            submissionId,
            feed: 'missing',
            reason: match.reason,
            candidates: match.candidates,
            payload: { report, child: report.child },
            audited: { childId: audit.standIn(askedFor(report.child)), action: 'reportMissingFromHome' },
          });
        } else {
          await this.applyChild(work, match.child.id, report, caller.organisationId, 'reportMissingFromHome');
        }
        return received(submissionId);
      },
    });
    return response;
  }

  /** Records the episode (or its return) for a matched child. */
  async applyChild(
    work: FeedWork,
    childId: string,
    report: ValidMissingReport,
    forceId: string,
    action: string,
  ): Promise<void> {
    const { tx, at, caller } = work;
    const returnedAt = report.returnedAt ? new Date(report.returnedAt) : null;
    const existing = await missing.episodeByPoliceReference(tx, forceId, report.policeReference, childId);
    if (existing) {
      // Already known: only a return not yet recorded adds anything.
      if (!returnedAt || existing.returnedAt) return;
      await missing.updateEpisode(tx, existing.id, existing.version, {
        returnedAt: returnedAt < existing.startedAt ? existing.startedAt : returnedAt,
      });
      await recordCaseEvent(tx, {
        childId,
        kind: 'missing_episode_recorded',
        categories: ['early_help'],
        changedFields: ['returnedAt'],
        refs: { missingEpisodeId: existing.id },
        actor: caller,
        at,
      });
      work.changes.push({ childId, action, fields: ['returnedAt'] });
      return;
    }
    const lookedAfter = await missing.isLookedAfter(tx, childId);
    await recordEpisodeIn(
      tx,
      {
        childId,
        startedAt: new Date(report.startedAt),
        returnedAt,
        reportedBy: 'police',
        reportedByOrganisationId: forceId,
        reportedBySubject: caller.subject,
        policeReference: report.policeReference,
        createdAt: at,
      },
      { actor: caller, toEhDas: !lookedAfter },
    );
    work.changes.push({ childId, action, fields: EPISODE_FIELDS });
  }
}
