/**
 * Recording case changes. `recordCaseEvent` must run inside the transaction of the change it
 * describes: the row and its NOTIFY commit with the change or not at all (NOTIFY is delivered on
 * commit), so no subscriber or adapter hears of a change that was rolled back. The NOTIFY is
 * the database's: a trigger on `case_events` announces each row's seq on CASE_EVENTS_CHANNEL
 * (migration 0004) — the payload is the seq only, as NOTIFY payloads are capped at 8000 bytes.
 */
import { caseEvents, outbox } from '../../schema';
import type { DataCategory } from '../access/categories';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db';
import { outboxEntitiesFor } from '../outbox/outbox-routing';

/** Named in migration 0004's trigger too. */
export const CASE_EVENTS_CHANNEL = 'ehh_case_events';

export const CASE_EVENT_KINDS = [
  'child_registered',
  'child_merged',
  'child_unmerged',
  'nhs_number_traced',
  'referral_submitted',
  'referral_screened',
  'taf_recorded',
  'plan_set',
  'review_recorded',
  'eha_closed',
  'stepped_up',
  'stepped_down',
  'masp_referred',
  'masp_outcome',
  'health_level_changed',
  'attendance_flagged',
  'police_notification',
  'vcs_contact',
  'consent_changed',
  'override_declared',
  'override_reviewed',
  'eha_opened',
  'social_care_changed',
  'missing_episode_recorded',
  'return_interview_recorded',
  'outcome_scores_recorded',
  'headline_outcomes_recorded',
  'family_plan_set',
  'voice_of_child_recorded',
  'signposted',
  'priority_list_changed',
  'case_audited',
  'eha_flagged',
  'accessed_by_others',
] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];

export type CaseEventRow = typeof caseEvents.$inferSelect;

export interface CaseEventInput {
  childId: string;
  kind: CaseEventKind;
  categories: DataCategory[];
  changedFields: string[];
  refs?: Record<string, string>;
  cluster?: string | null;
  actor: Pick<Caller, 'subject' | 'organisationId' | 'requestId'>;
  at: Date;
}

export async function recordCaseEvent(tx: DbOrTx, input: CaseEventInput): Promise<CaseEventRow> {
  const [row] = await tx
    .insert(caseEvents)
    .values({
      childId: input.childId,
      kind: input.kind,
      occurredAt: input.at,
      categories: [...new Set(input.categories)].sort(),
      changedFields: [...new Set(input.changedFields)].sort(),
      refs: input.refs ?? {},
      cluster: input.cluster ?? null,
      actorSubject: input.actor.subject,
      actorOrganisationId: input.actor.organisationId,
    })
    .returning();
  // Liquid Logic must hear about some kinds: its outbox rows commit (or roll back) with the change.
  const entities = outboxEntitiesFor(input);
  if (entities.length > 0) {
    await tx.insert(outbox).values(
      entities.map((entity) => ({
        childId: input.childId,
        eventKind: input.kind,
        entity,
        refs: input.refs ?? {},
        caseEventSeq: row!.seq,
        requestId: input.actor.requestId ?? null,
      })),
    );
  }
  return row!;
}
