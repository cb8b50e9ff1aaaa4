/**
 * Reading EHAs: one by id, the open one of a child (the school MIS plugin's main read), and the
 * work queues. Every list is cut by the caller's relationships in SQL (the row rule), and every
 * field is then decided per category by the guard.
 */
import { and } from 'drizzle-orm';
import { ehas } from '../../schema';
import type { Db } from '../db';
import { BadUserInputError } from '../errors';
import { addDays, addMonths } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import { ehaVisible, readableEha, visibleEhas } from './eha-access';
import * as repo from './eha.repo';
import type { EhaRow } from './eha.repo';

export interface EhaQueryServiceOptions {
  db: Db;
  clock: Clock;
}

export class EhaQueryService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: EhaQueryServiceOptions) {
    this.db = db;
    this.clock = clock;
  }

  /** An EHA the caller has a relationship with; a missing one gets the same NO_RELATIONSHIP. */
  get(id: string, actor: Actor): Promise<EhaRow> {
    return readableEha(this.db, id, actor);
  }

  /** The child's open EHA, or null; refused without a relationship with the child. */
  async openForChild(childId: string, actor: Actor): Promise<EhaRow | null> {
    actor.access.requirePurpose();
    const id = requireUuid('childId', childId);
    await actor.access.requireRelationship(id, 'early_help');
    // No early_help for this caller: the same null as a child without an open EHA.
    return (await ehaVisible(actor, id)) ? repo.openEhaOfChild(this.db, id) : null;
  }

  /** Open EHAs of children the caller is involved with (allocated, lead, on roll …). */
  async caseload(actor: Actor): Promise<EhaRow[]> {
    actor.access.requirePurpose();
    return visibleEhas(
      actor,
      await repo.listEhasWhere(this.db, and(repo.isOpenEha(), await actor.access.relationshipWhere(ehas.childId))!),
    );
  }

  /** EHAs whose next review is due within `withinDays` (overdue ones included). */
  async dueForReview(withinDays: number, actor: Actor): Promise<EhaRow[]> {
    actor.access.requirePurpose();
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 366)
      throw new BadUserInputError('within', 'must be a whole number of days from 0 to 366');
    const by = addDays(partnershipDate(this.clock.now()), withinDays);
    return visibleEhas(
      actor,
      await repo.listEhasWhere(
        this.db,
        and(repo.dueForReview(by), await actor.access.relationshipWhere(ehas.childId))!,
        'review',
      ),
    );
  }

  /**
   * Open EHAs that have run for `months` calendar months or more (default 12): Early Help is meant
   * to meet needs in months, so a manager looks again at each — close, step up or take to MASP.
   */
  async longRunning(months: number, actor: Actor): Promise<EhaRow[]> {
    actor.access.requirePurpose();
    if (!Number.isInteger(months) || months < 1 || months > 60)
      throw new BadUserInputError('months', 'must be a whole number of months from 1 to 60');
    const startedBy = addMonths(partnershipDate(this.clock.now()), -months);
    return visibleEhas(
      actor,
      await repo.listEhasWhere(
        this.db,
        and(repo.openSince(startedBy), await actor.access.relationshipWhere(ehas.childId))!,
        'started',
      ),
    );
  }

  /** Stepped-down EHAs still waiting for a first TAF after its 3-week deadline. */
  async overdueFirstTaf(actor: Actor): Promise<EhaRow[]> {
    actor.access.requirePurpose();
    const today = partnershipDate(this.clock.now());
    return visibleEhas(
      actor,
      await repo.listEhasWhere(
        this.db,
        and(repo.firstTafOverdue(today), await actor.access.relationshipWhere(ehas.childId))!,
        'firstTaf',
      ),
    );
  }
}
