/**
 * What Liquid Logic tells the hub (webhook or poll): social care episodes opening and closing
 * (CIN, CP plan, looked after) and person merges. Each message is applied once — its id is
 * recorded in the same transaction as the change — updates the child's social care status and
 * emits a case event; an opening CP plan, looked-after or CIN episode acts on an open EHA as the
 * protocol says (social-care-protocol.ts). A change about a person the hub does not know yet is
 * parked, never dropped. Changes are recorded under Liquid Logic's own actor, which the outbox
 * routing never echoes back.
 */
import { CHANGE_TYPES, type LiquidLogicChange } from '../../adapters/liquid-logic/ssd-records';
import type { ChildService } from '../child/child.service';
import type { Db, Tx } from '../db';
import { BadUserInputError, ConflictError } from '../errors';
import { recordCaseEvent, type CaseEventInput } from '../events/case-events';
import { LIQUID_LOGIC_ACTOR_SUBJECT } from '../outbox/outbox-routing';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { unstorableTextIn } from '../shared/storable-text';
import * as repo from './inbound.repo';
import { actOnOpenEha } from './social-care-protocol';

export const LIQUID_LOGIC_ACTOR: CaseEventInput['actor'] = {
  subject: LIQUID_LOGIC_ACTOR_SUBJECT,
  organisationId: '00000000-0000-4000-8000-000000000000',
};

/**
 * `parked`: about a person the hub does not know yet — kept, and applied when the person appears
 * (or sent to the review queue after `parkTimeoutMs`). `needs_review`: the hub cannot apply it as
 * is (e.g. both records hold an open EHA); logged for a person to resolve.
 */
export type InboundOutcome = 'applied' | 'duplicate' | 'parked' | 'needs_review';

/** How long a parked change waits for its person before it goes to the review queue (3 days). */
export const DEFAULT_PARK_TIMEOUT_MS = 3 * 24 * 3600_000;

export interface InboundServiceOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  children: ChildService;
  /** Wait for an unknown person before review (default DEFAULT_PARK_TIMEOUT_MS). */
  parkTimeoutMs?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}/;

/** The fields each record must carry: its own id, the person's, and what the change cannot mean without. */
const REQUIRED_FIELDS: Record<Exclude<LiquidLogicChange['type'], 'person_merge'>, readonly string[]> = {
  cin_episode: ['cine_referral_id', 'cine_person_id'],
  cp_plan: ['cppl_cp_plan_id', 'cppl_person_id'],
  cla_episode: ['clae_cla_episode_id', 'clae_person_id'],
  allocation: ['invo_involvements_id', 'invo_person_id', 'invo_professional_staff_id', 'invo_involvement_start_date'],
};

export class InboundService {
  constructor(private readonly options: InboundServiceOptions) {}

  /** Checks the shape of a message from outside; BAD_USER_INPUT names the field. */
  parse(body: unknown): LiquidLogicChange {
    const b = body as Record<string, any>;
    if (!b || typeof b !== 'object') throw new BadUserInputError('body', 'must be a JSON object');
    // Text PostgreSQL cannot hold (NUL) or UTF-8 cannot encode (a lone surrogate), anywhere in the message.
    const unstorable = unstorableTextIn(b, '');
    if (unstorable) throw new BadUserInputError(unstorable.path || 'body', unstorable.reason);
    if (typeof b.id !== 'string' || b.id.length < 1 || b.id.length > 200)
      throw new BadUserInputError('id', 'is required');
    if (!(CHANGE_TYPES as readonly string[]).includes(b.type))
      throw new BadUserInputError('type', `must be one of ${CHANGE_TYPES.join(', ')}`);
    if (b.type === 'person_merge') {
      if (typeof b.fromPersonId !== 'string' || typeof b.intoPersonId !== 'string')
        throw new BadUserInputError('fromPersonId', 'fromPersonId and intoPersonId are required');
      return b as LiquidLogicChange;
    }
    const r = b.record;
    if (!r || typeof r !== 'object') throw new BadUserInputError('record', 'is required');
    for (const f of REQUIRED_FIELDS[b.type as Exclude<LiquidLogicChange['type'], 'person_merge'>])
      if (typeof r[f] !== 'string' || !r[f] || r[f].length > 200)
        throw new BadUserInputError(`record.${f}`, 'is required');
    for (const [f, v] of Object.entries(r))
      if (/_date$/.test(f) && v != null && (typeof v !== 'string' || !DATE.test(v)))
        throw new BadUserInputError(`record.${f}`, 'must be an ISO date');
    return b as LiquidLogicChange;
  }

  async apply(change: LiquidLogicChange, via: 'webhook' | 'poll'): Promise<InboundOutcome> {
    const { db, clock } = this.options;
    const now = clock.now();
    if (change.type === 'person_merge') return this.applyMerge(change, via);
    return db.transaction(async (tx) => {
      if (!(await repo.markProcessed(tx, change.id, change.type, via, now))) return 'duplicate';
      const childId = await repo.childIdForPerson(tx, personIdOf(change));
      if (!childId) return this.park(tx, change, via, now);
      await this.applyToChild(tx, change, childId, now);
      return 'applied';
    });
  }

  /**
   * Applies the parked changes whose person the hub now knows (Liquid Logic gave it its id), in
   * the order they came; sends those that waited past the review deadline to the review queue.
   */
  async releaseParked(limit = 100): Promise<{ applied: number; toReview: number }> {
    const { db, clock, logger } = this.options;
    let applied = 0;
    for (const parked of await repo.parkedWaiting(db, limit)) {
      if (!(await repo.childIdForPerson(db, parked.personId))) continue;
      const change = parked.change as LiquidLogicChange;
      if (change.type === 'person_merge') {
        if (
          !(await repo.childIdForPerson(db, change.fromPersonId)) ||
          !(await repo.childIdForPerson(db, change.intoPersonId))
        )
          continue;
        if (!(await repo.takeParked(db, parked.messageId))) continue;
        const outcome = await this.mergePersons(change);
        logger.info({ messageId: parked.messageId, outcome }, 'parked Liquid Logic person merge applied');
        applied++;
        continue;
      }
      const done = await db
        .transaction(async (tx) => {
          if (!(await repo.takeParked(tx, parked.messageId))) return false;
          const childId = await repo.childIdForPerson(tx, parked.personId);
          if (!childId) throw new ConflictError("The parked change's person went away while it was applied");
          await this.applyToChild(tx, change, childId, clock.now());
          return true;
        })
        .catch((error: unknown) => {
          // Still refused (its worker is not provisioned): it stays parked, and goes to review when due.
          if (!(error instanceof BadUserInputError)) throw error;
          return false;
        });
      if (done) {
        applied++;
        logger.info(
          { messageId: parked.messageId, type: change.type },
          'parked Liquid Logic change applied: its person is known now',
        );
      }
    }
    const toReview = await repo.sendOverdueToReview(db, clock.now());
    if (toReview > 0)
      logger.warn({ count: toReview }, 'Liquid Logic changes waited too long for their person: in the review queue');
    return { applied, toReview };
  }

  private async park(tx: Tx, change: LiquidLogicChange, via: string, now: Date): Promise<InboundOutcome> {
    const personId = change.type === 'person_merge' ? change.fromPersonId : personIdOf(change);
    await repo.park(tx, {
      messageId: change.id,
      kind: change.type,
      personId,
      change,
      via,
      parkedAt: now,
      reviewAfter: new Date(now.getTime() + (this.options.parkTimeoutMs ?? DEFAULT_PARK_TIMEOUT_MS)),
    });
    this.options.logger.info(
      { messageId: change.id, type: change.type },
      'Liquid Logic change for a person the hub does not know yet: parked',
    );
    return 'parked';
  }

  private async applyToChild(tx: Tx, change: ChildChange, childId: string, now: Date): Promise<void> {
    if (change.type === 'allocation') await this.applyAllocation(tx, change, childId, now);
    else await this.applySocialCare(tx, change, childId, now);
  }

  /**
   * A social worker allocated (or no longer allocated) to the child in Liquid Logic: social care's
   * own record is the authority for its allocations, so this is how a case the hub never stepped up
   * gets its worker. A worker the hub does not know is refused whole, so Liquid Logic retries it once
   * the practitioner is provisioned, rather than the allocation being lost.
   */
  private async applyAllocation(
    tx: Tx,
    change: Extract<LiquidLogicChange, { type: 'allocation' }>,
    childId: string,
    now: Date,
  ): Promise<void> {
    const r = change.record;
    const worker = await repo.socialWorkerByStaffId(tx, r.invo_professional_staff_id);
    if (!worker)
      throw new BadUserInputError('record.invo_professional_staff_id', 'names no social worker known to the hub');
    const startedOn = r.invo_involvement_start_date.slice(0, 10);
    const endedOn = r.invo_involvement_end_date?.slice(0, 10) ?? null;
    if (endedOn && endedOn < startedOn)
      throw new BadUserInputError('record.invo_involvement_end_date', 'is before the start date');
    const changed = await repo.recordAllocation(tx, {
      childId,
      organisationId: worker.organisationId,
      practitionerId: worker.id,
      startedOn,
      endedOn,
      assertedBySubject: LIQUID_LOGIC_ACTOR_SUBJECT,
    });
    if (!changed) return;
    await recordCaseEvent(tx, {
      childId,
      kind: 'social_care_changed',
      categories: ['social_care'],
      changedFields: ['allocatedSocialWorker'],
      refs: { practitionerId: worker.id, status: endedOn ? 'ended' : 'allocated' },
      actor: LIQUID_LOGIC_ACTOR,
      at: now,
    });
  }

  /** The social care status, its case event, and what the protocol does to an open EHA. */
  private async applySocialCare(tx: Tx, change: EpisodeChange, childId: string, now: Date): Promise<void> {
    const { kind, remoteId, startedOn, endedOn, endReason } = socialCareFields(change);
    const row = await repo.upsertSocialCareStatus(tx, {
      childId,
      kind,
      remoteEpisodeId: remoteId,
      status: endedOn ? 'closed' : 'open',
      startedOn,
      endedOn,
      endReason,
      updatedAt: now,
    });
    await recordCaseEvent(tx, {
      childId,
      kind: 'social_care_changed',
      categories: ['social_care'],
      changedFields: ['socialCareStatus'],
      refs: { socialCareStatusId: row.id, socialCareKind: kind, status: row.status },
      actor: LIQUID_LOGIC_ACTOR,
      at: now,
    });
    if (row.status === 'open') await actOnOpenEha(tx, childId, kind, now);
  }

  private async applyMerge(
    change: Extract<LiquidLogicChange, { type: 'person_merge' }>,
    via: 'webhook' | 'poll',
  ): Promise<InboundOutcome> {
    const { db, clock } = this.options;
    if (await repo.wasProcessed(db, change.id)) return 'duplicate';
    const fromId = await repo.childIdForPerson(db, change.fromPersonId);
    const intoId = await repo.childIdForPerson(db, change.intoPersonId);
    if (!fromId || !intoId) {
      return db.transaction(async (tx) =>
        (await repo.markProcessed(tx, change.id, change.type, via, clock.now()))
          ? this.park(tx, { ...change }, via, clock.now())
          : 'duplicate',
      );
    }
    const outcome = await this.mergePersons(change);
    return (await repo.markProcessed(db, change.id, change.type, via, clock.now())) ? outcome : 'duplicate';
  }

  private async mergePersons(change: Extract<LiquidLogicChange, { type: 'person_merge' }>): Promise<InboundOutcome> {
    const { db, children } = this.options;
    const fromId = await repo.childIdForPerson(db, change.fromPersonId);
    const intoId = await repo.childIdForPerson(db, change.intoPersonId);
    if (!fromId || !intoId || fromId === intoId) return 'applied';
    try {
      await children.merge(
        fromId,
        intoId,
        'Person merge made in Liquid Logic',
        LIQUID_LOGIC_ACTOR_SUBJECT,
        LIQUID_LOGIC_ACTOR,
      );
    } catch (error) {
      if (error instanceof BadUserInputError || isUniqueViolation(error)) {
        this.options.logger.warn(
          { messageId: change.id },
          'Liquid Logic person merge cannot be applied automatically; needs review',
        );
        return 'needs_review';
      }
      if (!(error instanceof ConflictError)) throw error; // ConflictError: already merged, the outcome stands
    }
    return 'applied';
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 3; depth++, e = e.cause) if (e.code === '23505') return true;
  return false;
}

type ChildChange = Exclude<LiquidLogicChange, { type: 'person_merge' }>;
type EpisodeChange = Exclude<ChildChange, { type: 'allocation' }>;

function personIdOf(change: ChildChange): string {
  return change.type === 'allocation' ? change.record.invo_person_id : socialCareFields(change).personId;
}

function socialCareFields(change: EpisodeChange) {
  const d = (v: string | null | undefined) => (v ? v.slice(0, 10) : null);
  switch (change.type) {
    case 'cin_episode': {
      const r = change.record;
      return {
        kind: 'cin' as const,
        remoteId: r.cine_referral_id,
        personId: r.cine_person_id,
        startedOn: d(r.cine_referral_date),
        endedOn: d(r.cine_close_date),
        endReason: r.cine_close_reason ?? null,
      };
    }
    case 'cp_plan': {
      const r = change.record;
      return {
        kind: 'cp_plan' as const,
        remoteId: r.cppl_cp_plan_id,
        personId: r.cppl_person_id,
        startedOn: d(r.cppl_cp_plan_start_date),
        endedOn: d(r.cppl_cp_plan_end_date),
        endReason: null,
      };
    }
    case 'cla_episode': {
      const r = change.record;
      return {
        kind: 'looked_after' as const,
        remoteId: r.clae_cla_episode_id,
        personId: r.clae_person_id,
        startedOn: d(r.clae_cla_episode_start_date),
        endedOn: d(r.clae_cla_episode_ceased_date),
        endReason: r.clae_cla_episode_ceased_reason ?? null,
      };
    }
  }
}
