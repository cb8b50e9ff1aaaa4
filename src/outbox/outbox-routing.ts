/**
 * Which case events Liquid Logic must hear about, and through which adapter call. This table is
 * the one hook point: `recordCaseEvent` consults it and writes the outbox rows in the change's own
 * transaction, so no workflow module has to remember the outbox.
 */

/** One adapter call each (see adapters/liquid-logic/case-record-adapter.ts). */
export const OUTBOX_ENTITIES = [
  'person',
  'person_merge',
  'early_help_episode',
  'meeting',
  'plan',
  'review',
  'masp_outcome',
  'step_up',
  'step_down',
] as const;
export type OutboxEntity = (typeof OUTBOX_ENTITIES)[number];

/** The subject Liquid Logic's own changes are recorded under: they are never echoed back to it. */
export const LIQUID_LOGIC_ACTOR_SUBJECT = 'system:liquid-logic';

export interface RoutableEvent {
  kind: string;
  refs?: Record<string, string>;
  actor: { subject: string };
  /** ISA categories the event changed: a change to the person's own data re-sends the person. */
  categories?: readonly string[];
}

/** Categories the person record carries (ssd_person, linked identifiers, address). */
const PERSON_CATEGORIES: ReadonlySet<string> = new Set(['identity', 'identifiers', 'contact']);

/**
 * The outbox rows (in delivery order) a case event needs. A screening that opened an EHA
 * (`refs.ehaId`) sends the episode (the person goes first, with the contact's outcome); one that
 * did not re-sends the person, whose contact now has its outcome; a step down opens an episode and then records the step down against it;
 * any other change to the child's identity, identifiers or contact details re-sends the person
 * (skipped at delivery when the record came out unchanged).
 */
export function outboxEntitiesFor(event: RoutableEvent): OutboxEntity[] {
  if (event.actor.subject === LIQUID_LOGIC_ACTOR_SUBJECT) return [];
  switch (event.kind) {
    case 'child_registered':
      return ['person'];
    case 'child_merged':
      return ['person_merge'];
    // Liquid Logic has no unmerge call: each record of an undone merge is sent again as its own person.
    case 'child_unmerged':
      return ['person'];
    // A referral is the SSD's contact, a missing episode its ssd_missing: both travel with the person.
    case 'referral_submitted':
      return ['person'];
    case 'referral_screened':
      return event.refs?.ehaId ? ['early_help_episode'] : ['person'];
    case 'missing_episode_recorded':
      return ['person'];
    case 'return_interview_recorded':
      return ['person'];
    case 'eha_opened':
      return ['early_help_episode'];
    case 'eha_closed':
      return ['early_help_episode'];
    case 'taf_recorded':
      return ['meeting'];
    case 'plan_set':
      return ['plan'];
    case 'review_recorded':
      return ['review'];
    case 'masp_outcome':
      return ['masp_outcome'];
    case 'stepped_up':
      return ['step_up'];
    case 'stepped_down':
      return ['early_help_episode', 'step_down'];
    // A view changes nothing in the record, whatever categories it returned.
    case 'accessed_by_others':
      return [];
    default:
      return event.categories?.some((c) => PERSON_CATEGORIES.has(c)) ? ['person'] : [];
  }
}
