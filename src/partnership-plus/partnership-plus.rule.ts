/**
 * The partnership's Partnership Plus rule: multi-agency cases led by the community health trust at
 * Universal Partnership Plus are NOT recorded in the Liquid Logic Early Help module. The hub holds
 * them in full; the outbox worker settles their Early Help rows as `skipped` instead of sending.
 *
 * Decided at delivery time from the database as it is then (like every outbox record): an EHA whose
 * lead practitioner belongs to a health organisation, for a child whose current health level is
 * Universal Partnership Plus. The person record itself (LCS) is still sent: the rule is about the
 * Early Help module only.
 */
import type { DbOrTx } from '../db';
import { currentHealthLevel, ehaLeadership } from './partnership-plus.repo';

/** Outbox entities that live in the Liquid Logic Early Help module (one EHA's episode and its steps). */
export const EARLY_HELP_MODULE_ENTITIES: ReadonlySet<string> = new Set([
  'early_help_episode',
  'meeting',
  'plan',
  'review',
  'masp_outcome',
  'step_up',
  'step_down',
]);

export const PARTNERSHIP_PLUS_LEVEL = 'UNIVERSAL_PARTNERSHIP_PLUS';

/**
 * `content_hash` of an outbox row skipped under the rule (nothing was built or sent). The partial
 * index `outbox_held_eha_idx` (schema/tables/outbox.ts) repeats it as a literal.
 */
export const HELD_IN_HUB_MARKER = 'held_in_hub:partnership_plus';

/** True when this EHA is a health-led Universal Partnership Plus case (kept out of the Early Help module). */
export async function isHealthLedPartnershipPlus(db: DbOrTx, ehaId: string): Promise<boolean> {
  const lead = await ehaLeadership(db, ehaId);
  if (lead?.leadOrganisationKind !== 'health') return false;
  return (await currentHealthLevel(db, lead.childId)) === PARTNERSHIP_PLUS_LEVEL;
}

/** Whether an outbox row must not reach Liquid Logic's Early Help module under the rule. */
export async function heldInHubOnly(
  db: DbOrTx,
  row: { entity: string; refs: Record<string, string> },
): Promise<boolean> {
  if (!EARLY_HELP_MODULE_ENTITIES.has(row.entity)) return false;
  const ehaId = row.refs.ehaId;
  return Boolean(ehaId) && isHealthLedPartnershipPlus(db, ehaId!);
}
