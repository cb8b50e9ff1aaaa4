/**
 * The review queue: held submissions an EH DAS screener (or an administrator) resolves, either to
 * an existing record or by creating a new one from the details the partner sent. Resolution
 * applies the held submission exactly as if it had matched, under the reviewer's name, in one
 * transaction; identifiers the record lacked are added from the submission. The submitter's
 * stored answer stays HELD_FOR_REVIEW, so its retries keep getting the same answer.
 */
import { children } from '../../schema';
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import { resolveLiveId } from '../child/child.repo';
import type { NewChildRow } from '../child/child.repo';
import type { ChildService, RegisterChildInput } from '../child/child.service';
import { isUniqueViolation, type Db } from '../db';
import {
  BadUserInputError,
  ConflictError,
  ConsentRequiredError,
  InvalidTransitionError,
  NotFoundError,
} from '../errors';
import { recordCaseEvent } from '../events/case-events';
import type { Clock } from '../shared/clock';
import { requireUuid } from '../shared/validate';
import { applyAttendance, type ValidPupil } from './attendance.service';
import type { Demographics } from './feed-validate';
import { applyHealth, type ValidHealthSubmission } from './health.service';
import type { PoliceFeed } from './police.service';
import type { MissingReportFeed, ValidMissingReport } from './missing-report.service';
import { fillIdentifiers, liveChildById } from './relations.repo';
import type { AuditChange, FeedWork } from './submission';
import * as repo from './submissions.repo';
import { applyVcs, type ValidVcsContact } from './vcs.service';
import { CASELOAD } from './caseload.service';
import { applyEntry } from './relationship-push';
import { ROLL } from './roll.service';
import { REGISTRATION_FEED } from './registration-hold';

export const PENDING_MATCH_STATUSES = ['pending', 'resolved'] as const;
export type PendingMatchStatus = (typeof PENDING_MATCH_STATUSES)[number];

export interface ResolveInput {
  id: string;
  childId?: string | null;
  createNew?: boolean | null;
}

export interface PendingMatchesOptions {
  db: Db;
  clock: Clock;
  children: ChildService;
  police: PoliceFeed;
  missing: MissingReportFeed;
}

export class PendingMatches {
  constructor(private readonly deps: PendingMatchesOptions) {}

  /**
   * Held submissions for EH DAS review. Each discloses its subject's identifiers and demographics
   * and the candidate records: audited under the candidates' ids and, for the subject, the record
   * it was resolved to or a stand-in (keyed hash of the submission) while the hub holds none.
   */
  async list(status: PendingMatchStatus, first: number, audit: AuditCollector): Promise<repo.PendingMatchRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw new BadUserInputError('first', 'must be between 1 and 200');
    const rows = await repo.listPendingMatches(this.deps.db, repo.pendingStatusIs(status), first);
    for (const row of rows) {
      audit.identified(row.resolvedChildId ?? audit.standIn(['pending_match', row.id]), 'PendingMatch.submission');
      for (const candidate of row.candidateChildIds ?? [])
        audit.identified(candidate, 'PendingMatch.candidateChildIds');
    }
    return rows;
  }

  async resolve(input: ResolveInput, caller: Caller, audit: AuditCollector): Promise<repo.PendingMatchRow> {
    const id = requireUuid('id', input.id);
    if (Boolean(input.childId) === Boolean(input.createNew))
      throw new BadUserInputError('childId', 'give either childId or createNew: true');
    const targetId = input.childId ? requireUuid('childId', input.childId) : null;
    const at = this.deps.clock.now();
    const changes: AuditChange[] = [];
    const resolved = await this.deps.db.transaction(async (tx) => {
      const held = await repo.lockPendingMatch(tx, id);
      if (!held) throw new NotFoundError('Pending match');
      if (held.status !== 'pending') throw new InvalidTransitionError(held.status, 'resolve');
      const submission = await repo.findSubmissionById(tx, held.submissionId);
      if (!submission) throw new NotFoundError('Pending match');
      const work: FeedWork = { tx, caller, at, changes };
      const ids = identifiersOf(held.feed, held.payload);
      let childId: string;
      if (targetId) {
        const live = await resolveLiveId(tx, targetId);
        const child = live ? await liveChildById(tx, live) : null;
        if (!child) throw new NotFoundError('Child');
        if (ids.nhsNumber && child.nhsNumber && child.nhsNumber !== ids.nhsNumber)
          throw new BadUserInputError('childId', 'that record carries a different NHS number');
        if (ids.upn && child.upn && child.upn !== ids.upn)
          throw new BadUserInputError('childId', 'that record carries a different UPN');
        childId = child.id;
        const filled = await fillIdentifiers(tx, childId, ids);
        if (filled.length) changes.push({ childId, action: 'resolvePendingMatch', fields: filled });
      } else {
        childId =
          held.feed === REGISTRATION_FEED
            ? await this.insertChild(work, this.deps.children.validate(held.payload as RegisterChildInput))
            : await this.createChild(work, ids, demographicsOf(held.feed, held.payload));
      }
      await this.apply(work, held, submission.organisationId, childId);
      const marked = await repo.markResolved(tx, id, childId, caller.subject, at);
      await audit.changedIn(tx, changes);
      return marked;
    });
    return resolved;
  }

  private async createChild(
    work: FeedWork,
    ids: { nhsNumber?: string | null; upn?: string | null },
    who: Demographics,
  ): Promise<string> {
    if (!who.givenName || !who.familyName || !who.dateOfBirth) {
      throw new BadUserInputError(
        'createNew',
        'the held submission lacks the given name, family name and date of birth a new record needs; resolve it to an existing record',
      );
    }
    return this.insertChild(
      work,
      this.deps.children.validate({
        ...who,
        givenName: who.givenName,
        familyName: who.familyName,
        nhsNumber: ids.nhsNumber ?? null,
        upn: ids.upn ?? null,
      }),
    );
  }

  private async insertChild(work: FeedWork, row: NewChildRow): Promise<string> {
    try {
      const [created] = await work.tx.insert(children).values(row).returning({ id: children.id });
      const fields = [
        'givenName',
        'familyName',
        'dateOfBirth',
        ...(row.postcode ? ['postcode'] : []),
        ...(row.nhsNumber ? ['nhsNumber'] : []),
        ...(row.upn ? ['upn'] : []),
      ];
      await recordCaseEvent(work.tx, {
        childId: created!.id,
        kind: 'child_registered',
        categories: ['identity', 'identifiers'],
        changedFields: fields,
        at: work.at,
        actor: work.caller,
      });
      work.changes.push({ childId: created!.id, action: 'resolvePendingMatch:created', fields });
      return created!.id;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError('Another record holds this identifier: resolve to that record instead');
      throw error;
    }
  }

  private async apply(
    work: FeedWork,
    held: repo.PendingMatchRow,
    submitterOrgId: string,
    childId: string,
  ): Promise<void> {
    const payload = held.payload as Record<string, unknown>;
    switch (held.feed) {
      case 'health':
        await applyHealth(
          work,
          childId,
          payload as unknown as ValidHealthSubmission,
          submitterOrgId,
          'resolvePendingMatch',
        );
        return;
      case 'school':
        await applyAttendance(work, childId, payload as unknown as ValidPupil, submitterOrgId, 'resolvePendingMatch');
        return;
      case 'vcs':
        // EH DAS is told, as the sender is not: the family has not consented to the organisation.
        if (
          !(await applyVcs(work, childId, payload as unknown as ValidVcsContact, submitterOrgId, 'resolvePendingMatch'))
        )
          throw new ConsentRequiredError('early_help');
        return;
      case 'roll':
      case 'caseload': {
        const p = payload as { startedOn: string; leftOn: string | null };
        await applyEntry(work, held.feed === 'roll' ? ROLL : CASELOAD, submitterOrgId, childId, {
          startedOn: p.startedOn,
          leftOn: p.leftOn,
        });
        return;
      }
      // The registration itself is the record's details: linking or creating is all there is to apply.
      case REGISTRATION_FEED:
        return;
      case 'police': {
        const p = payload as { incidentId: string; incidentChildId: string; policeOrganisationId: string };
        const child = await liveChildById(work.tx, childId);
        await this.deps.police.applyChild(
          work,
          childId,
          child?.dateOfBirth ?? null,
          p.incidentId,
          p.incidentChildId,
          p.policeOrganisationId,
          'resolvePendingMatch',
        );
        return;
      }
      case 'missing': {
        const p = payload as { report: ValidMissingReport };
        await this.deps.missing.applyChild(work, childId, p.report, submitterOrgId, 'resolvePendingMatch');
        return;
      }
      default:
        throw new Error(`Invariant failed: unknown feed ${held.feed}`);
    }
  }
}

/** The identifiers a held submission carries, by feed. */
export function identifiersOf(feed: string, payload: unknown): { nhsNumber?: string | null; upn?: string | null } {
  const p = payload as Record<string, any>;
  if (feed === 'police' || feed === 'missing')
    return { nhsNumber: p.child?.nhsNumber ?? null, upn: p.child?.upn ?? null };
  if (feed === 'roll') return { upn: p.id };
  if (feed === 'caseload') return { nhsNumber: p.id };
  return { nhsNumber: p.nhsNumber ?? null, upn: p.upn ?? null };
}

export function demographicsOf(feed: string, payload: unknown): Demographics {
  const p = payload as Record<string, any>;
  if (
    feed === 'police' ||
    feed === 'missing' ||
    feed === 'health' ||
    feed === 'school' ||
    feed === 'roll' ||
    feed === 'caseload'
  )
    return (p.child ?? {}) as Demographics;
  return { givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, postcode: p.postcode };
}
