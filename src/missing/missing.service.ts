/**
 * Missing from home: episodes reported by the police or a practitioner, the
 * return interview offered → accepted (or declined) → completed, and the queue of interviews still
 * outstanding 72 hours after the return. A report puts the child in the EH DAS queue (a `screening`
 * involvement of the council's Early Help service), because "EH DAS ensures return interviews".
 * Looked-after young people are refused here: their social worker arranges theirs.
 */
import { missingEpisodes } from '../../schema';
import { Capability, hasCapability } from '../access/capabilities';
import type { Db, Tx } from '../db';
import { BadUserInputError, ConflictError, InvalidTransitionError, invariant } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { isUuid, optionalText, requireOneOf, requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import * as wf from '../workflow/workflow.repo';
import * as repo from './missing.repo';
import type { MissingEpisodeRow, NewMissingEpisodeRow } from './missing.repo';
import type { Caller } from '../auth/caller';
import { interviewStatus } from './return-window';
import { hasOpenInvolvement } from './missing-involvement.repo';

export const INTERVIEW_STEPS = ['offered', 'accepted', 'declined', 'completed'] as const;
export type InterviewStep = (typeof INTERVIEW_STEPS)[number];

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with a zone, not after `now`. */
export function requireInstant(field: string, value: string, now: Date): Date {
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new BadUserInputError(field, 'must be an ISO 8601 date-time with a time zone, e.g. 2027-03-10T18:30:00Z');
  }
  const at = new Date(value);
  if (at.getTime() > now.getTime()) throw new BadUserInputError(field, 'cannot be in the future');
  return at;
}

export class MissingService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  async recordEpisode(
    input: { childId: string; startedAt: string; returnedAt?: string | null; policeReference?: string | null },
    actor: Actor,
  ): Promise<MissingEpisodeRow> {
    const now = this.clock.now();
    const childId = requireUuid('childId', input.childId);
    const startedAt = requireInstant('startedAt', input.startedAt, now);
    const returnedAt = input.returnedAt ? requireInstant('returnedAt', input.returnedAt, now) : null;
    if (returnedAt && returnedAt < startedAt) throw new BadUserInputError('returnedAt', 'must be after startedAt');
    const policeReference = optionalText('policeReference', input.policeReference, 50);
    const police = hasCapability(actor.caller, Capability.ReportMissingAsPolice);
    await actor.access.requireWrite(childId, police ? 'police' : 'early_help');
    if (await repo.isLookedAfter(this.db, childId)) {
      throw new BadUserInputError(
        'childId',
        'the young person is looked after: the return interview is arranged by their social worker',
      );
    }
    const row = await this.db.transaction(async (tx) => {
      const episode = await recordEpisodeIn(
        tx,
        {
          childId,
          startedAt,
          returnedAt,
          reportedBy: police ? 'police' : 'practitioner',
          reportedByOrganisationId: actor.caller.organisationId,
          reportedBySubject: actor.caller.subject,
          policeReference,
          createdAt: now,
        },
        { actor: actor.caller, toEhDas: true },
      );
      await actor.audit.changedIn(tx, [{ childId, action: 'recordMissingEpisode', fields: EPISODE_FIELDS }]);
      return episode;
    });
    return row;
  }

  async recordReturn(
    input: { episodeId: string; expectedVersion: number; returnedAt: string },
    actor: Actor,
  ): Promise<MissingEpisodeRow> {
    const now = this.clock.now();
    const id = requireUuid('episodeId', input.episodeId);
    const returnedAt = requireInstant('returnedAt', input.returnedAt, now);
    const existing = await this.writable(id, actor);
    if (returnedAt < existing.startedAt) throw new BadUserInputError('returnedAt', 'must be after the episode started');
    if (existing.returnedAt) throw new InvalidTransitionError('returned', 'record_return');
    return this.update(
      existing,
      input.expectedVersion,
      { returnedAt },
      'recordMissingReturn',
      ['returnedAt'],
      actor,
      now,
    );
  }

  async recordInterview(
    input: {
      episodeId: string;
      expectedVersion: number;
      step: string;
      at: string;
      interviewerPractitionerId?: string | null;
    },
    actor: Actor,
  ): Promise<MissingEpisodeRow> {
    const now = this.clock.now();
    const id = requireUuid('episodeId', input.episodeId);
    const step = requireOneOf('step', input.step, INTERVIEW_STEPS);
    const at = requireInstant('at', input.at, now);
    const interviewer = input.interviewerPractitionerId
      ? requireUuid('interviewerPractitionerId', input.interviewerPractitionerId)
      : null;
    const e = await this.writable(id, actor);
    const status = interviewStatus(e);
    const allowedFrom: Record<InterviewStep, string[]> = {
      offered: ['awaiting_offer'],
      accepted: ['offered'],
      declined: ['offered'],
      completed: ['accepted'],
    };
    if (!allowedFrom[step].includes(status)) throw new InvalidTransitionError(status, step);
    if (e.returnedAt && at < e.returnedAt) throw new BadUserInputError('at', 'must be after the young person returned');
    const set =
      step === 'offered'
        ? { interviewOfferedAt: at }
        : step === 'accepted'
          ? { interviewAcceptedAt: at }
          : step === 'declined'
            ? { interviewDeclinedAt: at }
            : { interviewCompletedAt: at, interviewerPractitionerId: interviewer };
    if (step === 'completed' && !interviewer)
      throw new BadUserInputError('interviewerPractitionerId', 'name who held the return interview');
    if (interviewer && (await wf.findPractitioners(this.db, [interviewer])).length === 0)
      throw new BadUserInputError('interviewerPractitionerId', 'is not a practitioner of the partnership');
    return this.update(e, input.expectedVersion, set, 'recordReturnInterview', Object.keys(set), actor, now);
  }

  /** Episodes of one child the caller has a relationship with. */
  async episodesOf(childId: string, actor: Actor): Promise<MissingEpisodeRow[]> {
    actor.access.requirePurpose();
    const id = requireUuid('childId', childId);
    await actor.access.requireRelationship(id, 'early_help');
    return repo.episodesOfChild(this.db, id);
  }

  /** Return interviews still outstanding more than 72 hours after the return, for the caller's children. */
  async overdue(actor: Actor): Promise<MissingEpisodeRow[]> {
    actor.access.requirePurpose();
    const dueBefore = new Date(this.clock.now().getTime() - 72 * 3_600_000);
    const where = await actor.access.relationshipWhere(missingEpisodes.childId);
    return repo.overdueInterviews(this.db, dueBefore, where);
  }

  private async writable(id: string, actor: Actor): Promise<MissingEpisodeRow> {
    const e = isUuid(id) ? await repo.findEpisode(this.db, id) : null;
    // A missing episode is refused like one of another child's, on a stand-in child.
    await actor.access.requireWrite(e?.childId ?? actor.audit.standIn(['missing_episode', id]), 'early_help');
    return e!;
  }

  private async update(
    e: MissingEpisodeRow,
    expectedVersion: number,
    set: Partial<MissingEpisodeRow>,
    mutation: string,
    fields: string[],
    actor: Actor,
    now: Date,
  ): Promise<MissingEpisodeRow> {
    const row = await this.db.transaction(async (tx) => {
      const locked = await repo.lockEpisode(tx, e.id);
      invariant(locked, 'an episode read a moment ago still exists');
      if (locked.version !== expectedVersion)
        throw new ConflictError('The record was changed by someone else; reload it and try again', {
          currentVersion: locked.version,
        });
      const updated = await repo.updateEpisode(tx, e.id, locked.version, set);
      invariant(updated, 'the locked episode is updated');
      await recordCaseEvent(tx, {
        childId: e.childId,
        kind: mutation === 'recordMissingReturn' ? 'missing_episode_recorded' : 'return_interview_recorded',
        categories: ['early_help'],
        changedFields: fields,
        refs: { missingEpisodeId: e.id },
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [{ childId: e.childId, action: mutation, fields }]);
      return updated;
    });
    return row;
  }
}

export const EPISODE_FIELDS = ['missingEpisode', 'involvements'];

/**
 * Writes an episode, in the caller's transaction, with its case event; with `toEhDas` the child
 * joins the EH DAS queue for a return interview (a looked-after child's is their social worker's).
 */
export async function recordEpisodeIn(
  tx: Tx,
  row: NewMissingEpisodeRow,
  { actor, toEhDas }: { actor: Caller; toEhDas: boolean },
): Promise<MissingEpisodeRow> {
  const episode = await repo.insertEpisode(tx, row);
  const today = partnershipDate(row.createdAt);
  if (toEhDas) {
    const council = await wf.councilEarlyHelpOrganisation(tx);
    invariant(council, 'the partnership has a council Early Help organisation');
    if (!(await hasOpenInvolvement(tx, row.childId, council.id, 'screening', today))) {
      await wf.startInvolvement(tx, {
        childId: row.childId,
        organisationId: council.id,
        kind: 'screening',
        startedOn: today,
        source: 'missing_episode',
        assertedBySubject: actor.subject,
      });
    }
  }
  await recordCaseEvent(tx, {
    childId: row.childId,
    kind: 'missing_episode_recorded',
    categories: ['early_help'],
    changedFields: EPISODE_FIELDS,
    refs: { missingEpisodeId: episode.id },
    actor,
    at: row.createdAt,
  });
  return episode;
}
