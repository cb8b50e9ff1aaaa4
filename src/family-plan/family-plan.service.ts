/**
 * The family plan view: the plan in the family's words — going well, worries,
 * what needs to happen, what everyone will see when things are better — and the voice of the
 * child, recorded at assessment and at each review. Each change is a new revision (the earlier
 * ones are kept), audited, and a case event in the same transaction.
 */
import { isUniqueViolation, type Db } from '../db';
import { readableEha, writableEha } from '../eha/eha-access';
import type { EhaRow } from '../eha/eha.repo';
import { BadUserInputError, ConflictError, InvalidTransitionError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireIsoDate, requireOneOf, requireText, requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import * as repo from './family-plan.repo';

export const VOICE_POINTS = ['assessment', 'review'] as const;

export interface FamilyPlanView {
  eha: EhaRow;
  plan: repo.FamilyPlanRow | null;
  voices: repo.VoiceRow[];
}

export class FamilyPlanService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  async setPlan(
    input: {
      ehaId: string;
      expectedRevision: number;
      goingWell: string;
      worries: string;
      needsToHappen: string;
      whenThingsAreBetter: string;
    },
    actor: Actor,
  ): Promise<FamilyPlanView> {
    const ehaId = requireUuid('ehaId', input.ehaId);
    const fields = {
      goingWell: requireText('goingWell', input.goingWell, { max: 4000 }),
      worries: requireText('worries', input.worries, { max: 4000 }),
      needsToHappen: requireText('needsToHappen', input.needsToHappen, { max: 4000 }),
      whenThingsAreBetter: requireText('whenThingsAreBetter', input.whenThingsAreBetter, { max: 4000 }),
    };
    const eha = await writableEha(this.db, ehaId, actor);
    if (eha.status === 'closed') throw new InvalidTransitionError('closed', 'set_family_plan');
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const current = await repo.currentPlan(tx, ehaId);
      const revision = (current?.revision ?? 0) + 1;
      if ((current?.revision ?? 0) !== input.expectedRevision) {
        throw new ConflictError('The family plan was changed by someone else; reload it and try again', {
          currentRevision: current?.revision ?? 0,
        });
      }
      await repo
        .insertPlan(tx, {
          ehaId,
          childId: eha.childId,
          revision,
          ...fields,
          agreedOn: partnershipDate(now),
          recordedBySubject: actor.caller.subject,
          recordedAt: now,
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error))
            throw new ConflictError('The family plan was changed by someone else; reload it and try again', {
              field: 'expectedRevision',
            });
          throw error;
        });
      await recordCaseEvent(tx, {
        childId: eha.childId,
        kind: 'family_plan_set',
        categories: ['early_help'],
        changedFields: ['familyPlan'],
        refs: { ehaId },
        cluster: eha.cluster,
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [{ childId: eha.childId, action: 'setFamilyPlan', fields: ['familyPlan'] }]);
    });
    return this.view(eha);
  }

  async recordVoice(
    input: { ehaId: string; point: string; recordedOn: string; words: string; capturedHow: string },
    actor: Actor,
  ): Promise<FamilyPlanView> {
    const ehaId = requireUuid('ehaId', input.ehaId);
    const point = requireOneOf('point', input.point, VOICE_POINTS);
    const recordedOn = requireIsoDate('recordedOn', input.recordedOn);
    if (recordedOn > partnershipDate(this.clock.now()))
      throw new BadUserInputError('recordedOn', 'cannot be in the future');
    const words = requireText('words', input.words, { max: 4000 });
    const capturedHow = requireText('capturedHow', input.capturedHow, { max: 200 });
    const eha = await writableEha(this.db, ehaId, actor);
    if (recordedOn < eha.startedOn) throw new BadUserInputError('recordedOn', 'is before the EHA started');
    if (point === 'review' && (await repo.reviewCount(this.db, ehaId)) === 0)
      throw new BadUserInputError('point', 'no review has been held yet: record it at assessment');
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      await repo.insertVoice(tx, {
        ehaId,
        childId: eha.childId,
        point,
        recordedOn,
        words,
        capturedHow,
        recordedBySubject: actor.caller.subject,
        recordedAt: now,
      });
      await recordCaseEvent(tx, {
        childId: eha.childId,
        kind: 'voice_of_child_recorded',
        categories: ['early_help'],
        changedFields: ['voiceOfChild'],
        refs: { ehaId },
        cluster: eha.cluster,
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [
        { childId: eha.childId, action: 'recordVoiceOfChild', fields: ['voiceOfChild'] },
      ]);
    });
    return this.view(eha);
  }

  async get(ehaId: string, actor: Actor): Promise<FamilyPlanView> {
    return this.view(await readableEha(this.db, requireUuid('ehaId', ehaId), actor));
  }

  private async view(eha: EhaRow): Promise<FamilyPlanView> {
    return { eha, plan: await repo.currentPlan(this.db, eha.id), voices: await repo.voicesOf(this.db, eha.id) };
  }
}
