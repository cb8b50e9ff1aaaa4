/**
 * Builds the record an outbox row delivers from the database as it is NOW (not as it was when the
 * row was written): a late delivery sends current data, and two rows about one entity that end
 * up with the same content are sent once (content hash). Which adapter call sends it is decided
 * here too.
 */
import { createHash } from 'node:crypto';
import type { CaseRecordAdapter, DeliveryReceipt } from '../../adapters/liquid-logic/case-record-adapter';
import {
  personIdOf,
  toEpisodeRecord,
  toPersonMergeRecord,
  toPersonRecord,
  toStepRecord,
} from '../../adapters/liquid-logic/mapping';
import type { EhmStepRecord } from '../../adapters/liquid-logic/ssd-records';
import type { DbOrTx } from '../db';
import { partnershipDate } from '../shared/clock';
import type { OutboxEntity } from './outbox-routing';
import * as source from './record-source.repo';

export interface OutboxRowRef {
  id: number;
  childId: string;
  entity: string;
  eventKind: string;
  refs: Record<string, string>;
  caseEventSeq: number;
  createdAt: Date;
}

export interface BuiltRecord {
  entity: OutboxEntity;
  /** Remote entity whose last delivered hash decides "unchanged": `person:<id>`, `early_help_episode:<id>` … */
  entityKey: string;
  record: unknown;
  contentHash: string;
  /** The live child the record is about (to remember Liquid Logic's person id). */
  childId: string;
  /** The row it was built for. */
  row: OutboxRowRef;
  send(adapter: CaseRecordAdapter, idempotencyKey: string): Promise<DeliveryReceipt>;
}

/** The record cannot be built (its source rows are gone or incomplete): retrying will not help. */
export class UnbuildableRecordError extends Error {
  constructor(readonly code: string) {
    super(`invalid_record: ${code}`);
  }
}

/** Case events whose episode row records the opening of an episode (see outbox-routing). */
const OPENING_EVENTS: ReadonlySet<string> = new Set(['eha_opened', 'referral_screened', 'stepped_down']);

/**
 * The Idempotency-Key of one delivery: a UUID derived from the row's key (or any stable base
 * id) and the hash of the content sent. The same content under the same row gets the same key —
 * a retry after a lost answer is recognised — while changed content gets a new key, so a
 * replayed answer can only ever confirm the content it was stored for.
 */
export function deliveryKey(base: string, contentHash: string): string {
  const h = createHash('sha256').update(`${base}:${contentHash}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5 (name-based, SHA) layout
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function buildRecord(db: DbOrTx, row: OutboxRowRef): Promise<BuiltRecord> {
  const child = await source.liveChild(db, row.childId);
  if (!child) throw new UnbuildableRecordError('child_not_found');
  const personId = personIdOf(child);
  const entity = row.entity as OutboxEntity;
  const at = partnershipDate(row.createdAt);
  const built = (entityKey: string, record: unknown, send: BuiltRecord['send']): BuiltRecord => ({
    entity,
    entityKey,
    record,
    contentHash: hashOf(record),
    childId: child.id,
    row,
    send,
  });

  switch (entity) {
    case 'person': {
      const record = toPersonRecord(await source.personSource(db, child));
      return built(`person:${child.id}`, record, (a, k) => a.upsertPerson(record, k));
    }
    case 'person_merge': {
      const from = await source.childById(db, row.refs.fromChildId ?? '');
      if (!from) throw new UnbuildableRecordError('merged_child_not_found');
      const record = toPersonMergeRecord(from, await source.personSource(db, child), at);
      return built(`person_merge:${from.id}`, record, (a, k) => a.mergePerson(record, k));
    }
    case 'early_help_episode': {
      const eha = await requireEha(db, row);
      const worker = eha.leadPractitionerId ?? eha.familySupportManagerId;
      // The opening is a step of its own: when a later row will carry the closure, this one sends
      // the episode open, so Liquid Logic holds both steps even after a backlog.
      const asOpened = OPENING_EVENTS.has(row.eventKind) && (await source.laterEpisodeRowExists(db, eha.id, row.id));
      const record = toEpisodeRecord({
        id: eha.id,
        personId,
        startedOn: eha.startedOn,
        closedOn: asOpened ? null : eha.closedOn,
        closureOutcome: asOpened ? null : eha.closureOutcome,
        status: eha.status,
        needCategories: await source.referralNeedCategories(db, eha.referralId),
        organisationName:
          (await source.organisationNameOfPractitioner(db, eha.familySupportManagerId)) ?? `Early Help ${eha.cluster}`,
        workerId: worker,
        involvements: await source.involvementSources(db, child.id, [
          'lead_practitioner',
          'allocated_family_support',
          'allocated_social_worker',
          'taf_member',
        ]),
      });
      return built(`early_help_episode:${eha.id}`, record, (a, k) => a.upsertEarlyHelpEpisode(record, k));
    }
    case 'meeting': {
      const eha = await requireEha(db, row);
      const meeting = await source.tafMeeting(db, eha.id, row.refs.tafMeetingId ?? row.refs.meetingId);
      if (!meeting) throw new UnbuildableRecordError('meeting_not_found');
      const record = toStepRecord('TAF_MEETING', meeting.id, eha.id, personId, meeting.heldOn, {
        is_first: meeting.isFirst,
        chair_worker_id: meeting.chairPractitionerId,
        lead_worker_id: meeting.leadPractitionerId,
        attending_organisation_ids: [...meeting.attendeeOrganisationIds].sort(),
      });
      return built(`meeting:${meeting.id}`, record, (a, k) => a.recordMeeting(record, k));
    }
    case 'plan': {
      const eha = await requireEha(db, row);
      const plan = await source.actionPlan(db, eha.id, row.refs.planId ?? row.refs.actionPlanId);
      if (!plan) throw new UnbuildableRecordError('plan_not_found');
      const record = toStepRecord('PLAN', plan.id, eha.id, personId, plan.agreedOn, {
        revision: plan.revision,
        review_date: plan.reviewDate,
        need_categories: plan.needs.map((n) => n.category).sort(),
        key_agency_ids: plan.keyAgencies.map((k) => k.organisationId).sort(),
        action_count: await source.planActionCount(db, plan.id),
      });
      return built(`plan:${plan.id}`, record, (a, k) => a.recordPlan(record, k));
    }
    case 'review': {
      const eha = await requireEha(db, row);
      const review = await source.ehaReview(db, eha.id, row.refs.reviewId);
      if (!review) throw new UnbuildableRecordError('review_not_found');
      const record = toStepRecord('REVIEW', review.id, eha.id, personId, review.heldOn, {
        was_due_by: review.wasDueBy,
        on_time: review.onTime,
        circumstances_changed: review.circumstancesChanged,
        next_review_date: review.nextReviewDate,
      });
      return built(`review:${review.id}`, record, (a, k) => a.recordReview(record, k));
    }
    case 'masp_outcome':
    case 'step_up':
    case 'step_down': {
      const eha = await requireEha(db, row);
      const record = stepRecord(entity, eha, personId, at, row.caseEventSeq);
      const send: BuiltRecord['send'] =
        entity === 'masp_outcome'
          ? (a, k) => a.recordMaspOutcome(record, k)
          : entity === 'step_up'
            ? (a, k) => a.recordStepUp(record, k)
            : (a, k) => a.recordStepDown(record, k);
      return built(`${entity}:${record.ehm_step_id}`, record, send);
    }
    default:
      throw new UnbuildableRecordError(`unknown_entity_${String(entity)}`);
  }
}

function stepRecord(
  entity: 'masp_outcome' | 'step_up' | 'step_down',
  eha: source.EhaRow,
  personId: string,
  at: string,
  seq: number,
): EhmStepRecord {
  const stepId = `${eha.id}:${entity}:${seq}`;
  if (entity === 'masp_outcome') {
    return toStepRecord('MASP_OUTCOME', stepId, eha.id, personId, at, {
      outcome: eha.maspOutcome,
      criteria: [...(eha.maspCriteria ?? [])].sort(),
    });
  }
  if (entity === 'step_up') {
    return toStepRecord('STEP_UP', stepId, eha.id, personId, at, {
      social_worker_id: eha.socialWorkerId,
      single_assessment_ref: eha.singleAssessmentRef,
      single_assessment_outcome: eha.singleAssessmentOutcome,
    });
  }
  return toStepRecord('STEP_DOWN', stepId, eha.id, personId, at, {
    single_assessment_ref: eha.singleAssessmentRef,
    first_taf_due_by: eha.firstTafDueBy,
    social_worker_id: eha.expectedFirstTafAttendeeId ?? eha.socialWorkerId,
  });
}

async function requireEha(db: DbOrTx, row: OutboxRowRef): Promise<source.EhaRow> {
  const id = row.refs.ehaId;
  const eha = id ? await source.ehaById(db, id) : null;
  if (!eha) throw new UnbuildableRecordError('eha_not_found');
  return eha;
}

/** SHA-256 of a canonical JSON (keys sorted), so equal content hashes equally. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
