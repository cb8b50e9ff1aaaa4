/**
 * Which case events Liquid Logic must hear about, and through which adapter call. This table is
 * the one hook point: `recordCaseEvent` consults it and writes the outbox rows in the change's own
 * transaction, so no workflow module has to remember the outbox.
 */

/** One adapter call each (see adapters/liquid-logic/case-record-adapter.ts). */
export const OUTBOX_ENTITIES = [
  'person', 'person_merge', 'early_help_episode', 'meeting', 'plan', 'review', 'masp_outcome', 'step_up', 'step_down',
] as const;
export type OutboxEntity = (typeof OUTBOX_ENTITIES)[number];

/** The subject Liquid Logic's own changes are recorded under: they are never echoed back to it. */
export const LIQUID_LOGIC_ACTOR_SUBJECT = 'system:liquid-logic';

export interface RoutableEvent {
  kind: string;
  refs?: Record<string, string>;
  actor: { subject: string };
}

/**
 * The outbox rows (in delivery order) a case event needs. A screening only matters when it opened
 * an EHA (`refs.ehaId`); a step down opens an episode and then records the step down against it.
 */
export function outboxEntitiesFor(event: RoutableEvent): OutboxEntity[] {
  if (event.actor.subject === LIQUID_LOGIC_ACTOR_SUBJECT) return [];
  switch (event.kind) {
    case 'child_registered': return ['person'];
    case 'child_merged': return ['person_merge'];
    case 'referral_screened': return event.refs?.ehaId ? ['early_help_episode'] : [];
    case 'eha_opened': return ['early_help_episode'];
    case 'eha_closed': return ['early_help_episode'];
    case 'taf_recorded': return ['meeting'];
    case 'plan_set': return ['plan'];
    case 'review_recorded': return ['review'];
    case 'masp_outcome': return ['masp_outcome'];
    case 'stepped_up': return ['step_up'];
    case 'stepped_down': return ['early_help_episode', 'step_down'];
    default: return [];
  }
}
