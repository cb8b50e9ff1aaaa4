/**
 * What an event says happened (its kind, when, which fields and categories changed, the ids
 * involved) is itself case information: "a police notification arrived" is police data. So a
 * `CaseChange` envelope field is disclosed only when the subscriber may read EVERY category the
 * event touched, decided with the event's fresh context; otherwise it is redacted exactly like a
 * guarded field (null + the typed error of the first refused category), and audited either way.
 */
import { denialError } from '../access/access-decider';
import { isDataCategory } from '../access/categories';
import { ACCESSED_BY_OTHERS } from '../audit/access-notifications.service';
import { NoRelationshipError } from '../errors';
import type { AccessDecision } from '../access/decision';
import type { HubContext } from '../server/context';

export interface EventEnvelope {
  childId: string;
  kind?: string;
  categories: readonly string[];
}

/** One decision per event delivery (a fresh context each): the fields of a notification share it. */
const toldOf = new WeakMap<object, Promise<string | null>>();

export async function discloseEventField<T>(
  ctx: Pick<HubContext, 'access' | 'audit' | 'services'>,
  event: EventEnvelope,
  field: string,
  value: T,
): Promise<T> {
  if (event.kind === ACCESSED_BY_OTHERS) {
    // A view from outside the team: its categories are what the viewer saw, not data of this
    // event. Shown to those told of such views, as recentAccessByOthers; audited on delivery.
    let told = toldOf.get(ctx.audit);
    if (!told)
      toldOf.set(ctx.audit, (told = ctx.services.accessNotifications.toldBasis(event.childId, ctx.access.caller)));
    if (!(await told)) throw new NoRelationshipError();
    return value;
  }
  const decisions: AccessDecision[] = await Promise.all(
    event.categories.filter(isDataCategory).map((category) => ctx.access.decide(event.childId, category)),
  );
  const denied = decisions.find((d): d is AccessDecision & { allowed: false } => !d.allowed);
  if (denied) {
    ctx.audit.redacted(event.childId, denied.category, field, denied.code);
    throw denialError(denied);
  }
  for (const d of decisions) if (d.allowed) ctx.audit.disclosed(event.childId, d.category, field, d.basis);
  return value;
}
