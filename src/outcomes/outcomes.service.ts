/**
 * Outcomes — distance travelled: Rickter Scale scores per life area (0–10) at
 * the start, each review and closure of an EHA; distance travelled per family (per EHA) and per
 * cluster, which feeds the performance book; and, per child, the Supporting Families headline
 * outcomes present at the start, achieved, and sustained 6 months after closure — measured from the
 * closure date with the calendar rule (a closure on 31 August is checked from the end of February).
 */
import { Capability, hasCapability } from '../access/capabilities';
import { isUniqueViolation, type Db } from '../db';
import { findEha, type EhaRow } from '../eha/eha.repo';
import { readableEha, writableEha } from '../eha/eha-access';
import { BadUserInputError, ConflictError, InvalidTransitionError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { addDays, addMonths } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireIsoDate, requireOneOf, requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import { findPractitioners } from '../workflow/workflow.repo';
import { NEED_CATEGORY_KEYS } from '../workflow/needs';
import * as repo from './outcomes.repo';
import { ASSESSMENT_POINTS, distanceTravelled, RICKTER_AREAS, type Distance } from './rickter';

/** Months after closure at which a headline outcome counts as sustained. */
export const SUSTAINMENT_MONTHS = 6;

export function sustainmentDueOn(closedOn: string): string {
  return addMonths(closedOn, SUSTAINMENT_MONTHS);
}

export interface FamilyOutcomesView {
  eha: EhaRow;
  assessments: repo.AssessmentRow[];
  distance: Distance;
  headlines: repo.HeadlineRow[];
}

export interface ClusterDistance {
  cluster: string;
  families: number;
  improvedFamilies: number;
  meanStartTotal: number | null;
  meanLatestTotal: number | null;
  meanDistanceTravelled: number | null;
}

export class OutcomesService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  async recordAssessment(
    input: { ehaId: string; point: string; assessedOn: string; scores: { area: string; score: number }[] },
    actor: Actor,
  ): Promise<FamilyOutcomesView> {
    const ehaId = requireUuid('ehaId', input.ehaId);
    const point = requireOneOf('point', input.point, ASSESSMENT_POINTS);
    const assessedOn = this.pastDate('assessedOn', input.assessedOn);
    if (!input.scores?.length) throw new BadUserInputError('scores', 'score at least one life area');
    const seen = new Set<string>();
    const scores = input.scores.map((s, i) => {
      const area = requireOneOf(`scores[${i}].area`, s.area, RICKTER_AREAS);
      if (seen.has(area)) throw new BadUserInputError(`scores[${i}].area`, 'is scored twice');
      seen.add(area);
      if (!Number.isInteger(s.score) || s.score < 0 || s.score > 10)
        throw new BadUserInputError(`scores[${i}].score`, 'must be a whole number from 0 to 10');
      return { area, score: s.score };
    });
    const eha = await writableEha(this.db, ehaId, actor);
    if (assessedOn < eha.startedOn) throw new BadUserInputError('assessedOn', 'is before the EHA started');
    if (point === 'closure' && eha.closedOn && assessedOn > eha.closedOn)
      throw new BadUserInputError('assessedOn', 'is after the EHA closed');
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      await repo
        .insertAssessment(tx, {
          ehaId,
          childId: eha.childId,
          point,
          assessedOn,
          scores,
          recordedBySubject: actor.caller.subject,
          recordedAt: now,
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error))
            throw new ConflictError(`The EHA already has a ${point} assessment`, { field: 'point' });
          throw error;
        });
      await recordCaseEvent(tx, {
        childId: eha.childId,
        kind: 'outcome_scores_recorded',
        categories: ['early_help'],
        changedFields: ['rickterAssessments'],
        refs: { ehaId },
        cluster: eha.cluster,
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [
        { childId: eha.childId, action: 'recordRickterAssessment', fields: ['rickterAssessments'] },
      ]);
    });
    return this.view(eha);
  }

  async recordHeadlinesAtStart(
    input: { ehaId: string; outcomes: string[] },
    actor: Actor,
  ): Promise<FamilyOutcomesView> {
    const ehaId = requireUuid('ehaId', input.ehaId);
    if (!input.outcomes?.length)
      throw new BadUserInputError('outcomes', 'name at least one headline outcome present at the start');
    const outcomes = input.outcomes.map((o, i) => requireOneOf(`outcomes[${i}]`, o, NEED_CATEGORY_KEYS));
    if (new Set(outcomes).size !== outcomes.length) throw new BadUserInputError('outcomes', 'names an outcome twice');
    const eha = await writableEha(this.db, ehaId, actor);
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      if ((await repo.headlinesOf(tx, ehaId)).length)
        throw new ConflictError('The headline outcomes at the start are already recorded', { field: 'ehaId' });
      await repo.insertHeadlines(
        tx,
        outcomes.map((outcome) => ({
          ehaId,
          childId: eha.childId,
          outcome,
          recordedAtStartOn: partnershipDate(now),
          recordedBySubject: actor.caller.subject,
          updatedAt: now,
        })),
      );
      await this.event(tx, eha, actor, now);
      await actor.audit.changedIn(tx, [
        { childId: eha.childId, action: 'recordHeadlineOutcomesAtStart', fields: ['headlineOutcomes'] },
      ]);
    });
    return this.view(eha);
  }

  /** Achieved (on a date), and later sustained or not — checked no earlier than closure + 6 months. */
  async recordHeadlineProgress(
    input: {
      ehaId: string;
      outcome: string;
      achievedOn?: string | null;
      sustainmentCheckedOn?: string | null;
      sustained?: boolean | null;
    },
    actor: Actor,
  ): Promise<FamilyOutcomesView> {
    const ehaId = requireUuid('ehaId', input.ehaId);
    const outcome = requireOneOf('outcome', input.outcome, NEED_CATEGORY_KEYS);
    const achievedOn = input.achievedOn ? this.pastDate('achievedOn', input.achievedOn) : null;
    const checkedOn = input.sustainmentCheckedOn
      ? this.pastDate('sustainmentCheckedOn', input.sustainmentCheckedOn)
      : null;
    if (!achievedOn && !checkedOn)
      throw new BadUserInputError('achievedOn', 'give achievedOn, or sustainmentCheckedOn with sustained');
    if (checkedOn && (input.sustained === null || input.sustained === undefined))
      throw new BadUserInputError('sustained', 'say whether the outcome was sustained');
    // After closure the case team's involvement has ended: recording achievement and the sustainment
    // check is the closed case's owner's — a Family Support Manager of the organisation that held it.
    const eha = await this.writableAfterClosure(ehaId, actor);
    const current = (await repo.headlinesOf(this.db, ehaId)).find((h) => h.outcome === outcome);
    if (!current) throw new BadUserInputError('outcome', 'was not recorded as a headline outcome at the start');
    if (achievedOn && achievedOn < eha.startedOn)
      throw new BadUserInputError('achievedOn', 'is before the EHA started');
    if (checkedOn) {
      if (!eha.closedOn) throw new InvalidTransitionError(eha.status, 'check_sustainment');
      const due = sustainmentDueOn(eha.closedOn);
      if (checkedOn < due)
        throw new BadUserInputError(
          'sustainmentCheckedOn',
          `sustainment is measured ${SUSTAINMENT_MONTHS} months after closure: from ${due}`,
        );
      if (!(achievedOn ?? current.achievedOn))
        throw new BadUserInputError('sustained', 'an outcome not achieved cannot be sustained');
    }
    const set = {
      ...(achievedOn ? { achievedOn } : {}),
      ...(checkedOn ? { sustainmentCheckedOn: checkedOn, sustained: Boolean(input.sustained) } : {}),
      updatedAt: this.clock.now(),
    };
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      await repo.updateHeadline(tx, ehaId, outcome, set);
      await this.event(tx, eha, actor, now);
      await actor.audit.changedIn(tx, [
        { childId: eha.childId, action: 'recordHeadlineOutcomeProgress', fields: ['headlineOutcomes'] },
      ]);
    });
    return this.view(eha);
  }

  async familyOutcomes(ehaId: string, actor: Actor): Promise<FamilyOutcomesView> {
    return this.view(await readableEha(this.db, requireUuid('ehaId', ehaId), actor));
  }

  /** Mean distance travelled per cluster, over families whose latest assessment fell in the period. */
  async clusterDistance(range: { from?: string | null; to?: string | null }): Promise<ClusterDistance[]> {
    const to = range.to ? requireIsoDate('to', range.to) : partnershipDate(this.clock.now());
    const from = range.from ? requireIsoDate('from', range.from) : addDays(to, -365);
    if (from > to) throw new BadUserInputError('from', 'must be on or before to');
    return clusterDistances(await repo.assessmentsWithCluster(this.db), from, to);
  }

  private async view(eha: EhaRow): Promise<FamilyOutcomesView> {
    const assessments = await repo.assessmentsOf(this.db, eha.id);
    const fresh = (await findEha(this.db, eha.id)) ?? eha;
    return {
      eha: fresh,
      assessments,
      distance: distanceTravelled(assessments),
      headlines: await repo.headlinesOf(this.db, eha.id),
    };
  }

  private async writableAfterClosure(ehaId: string, actor: Actor): Promise<EhaRow> {
    const eha = await findEha(this.db, ehaId);
    // A missing EHA goes the way of an open one: the same refusal, audited under a stand-in.
    if (!eha?.closedOn) return writableEha(this.db, ehaId, actor);
    if (
      !hasCapability(actor.caller, Capability.RecordOutcomesAfterClosure) ||
      !actor.access.permission.write.includes('early_help')
    )
      return writableEha(this.db, ehaId, actor);
    const [fsm] = await findPractitioners(this.db, [eha.familySupportManagerId]);
    if (fsm?.organisationId !== actor.caller.organisationId) return writableEha(this.db, ehaId, actor);
    return eha;
  }

  private pastDate(field: string, value: string): string {
    const date = requireIsoDate(field, value);
    if (date > partnershipDate(this.clock.now())) throw new BadUserInputError(field, 'cannot be in the future');
    return date;
  }

  private event(tx: Parameters<Parameters<Db['transaction']>[0]>[0], eha: EhaRow, actor: Actor, now: Date) {
    return recordCaseEvent(tx, {
      childId: eha.childId,
      kind: 'headline_outcomes_recorded',
      categories: ['early_help'],
      changedFields: ['headlineOutcomes'],
      refs: { ehaId: eha.id },
      cluster: eha.cluster,
      actor: actor.caller,
      at: now,
    });
  }
}

/** Per cluster: families with a start and a later assessment whose latest point is in [from, to]. */
export function clusterDistances(
  rows: (repo.AssessmentRow & { cluster: string })[],
  from: string,
  to: string,
): ClusterDistance[] {
  const byEha = new Map<string, (repo.AssessmentRow & { cluster: string })[]>();
  for (const r of rows) byEha.set(r.ehaId, [...(byEha.get(r.ehaId) ?? []), r]);
  const acc = new Map<string, { n: number; improved: number; start: number; latest: number; distance: number }>();
  for (const list of byEha.values()) {
    const d = distanceTravelled(list);
    const last = list
      .map((a) => a.assessedOn)
      .sort()
      .at(-1)!;
    if (d.total === null || last < from || last > to) continue;
    const c = acc.get(list[0]!.cluster) ?? { n: 0, improved: 0, start: 0, latest: 0, distance: 0 };
    c.n++;
    c.start += d.startTotal!;
    c.latest += d.latestTotal!;
    c.distance += d.total;
    if (d.total > 0) c.improved++;
    acc.set(list[0]!.cluster, c);
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  return [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, c]) => ({
      cluster,
      families: c.n,
      improvedFamilies: c.improved,
      meanStartTotal: round(c.start / c.n),
      meanLatestTotal: round(c.latest / c.n),
      meanDistanceTravelled: round(c.distance / c.n),
    }));
}
