/** Counting queries behind the performance book; each returns counts grouped by cluster. */
import { and, between, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { ehaReviews, ehas, referrals, workflowTransitions } from '../../schema';
import type { DbOrTx } from '../db';

export interface Counted {
  cluster: string | null;
  key: string | null;
  n: number;
}

const n = () => sql<number>`cast(count(*) as int)`;

export async function referralsReceived(db: DbOrTx, from: string, to: string): Promise<Counted[]> {
  return db
    .select({ cluster: referrals.cluster, key: sql<null>`null`, n: n() })
    .from(referrals)
    .where(between(referrals.referralDate, from, to))
    .groupBy(referrals.cluster);
}

export async function transitionsByAction(
  db: DbOrTx,
  machine: string,
  actions: string[],
  from: string,
  to: string,
): Promise<Counted[]> {
  return db
    .select({ cluster: workflowTransitions.cluster, key: workflowTransitions.action, n: n() })
    .from(workflowTransitions)
    .where(
      and(
        eq(workflowTransitions.machine, machine),
        inArray(workflowTransitions.action, actions),
        between(workflowTransitions.onDate, from, to),
      ),
    )
    .groupBy(workflowTransitions.cluster, workflowTransitions.action);
}

/** EHAs open at the end of the period. */
export async function ehasOpenOn(db: DbOrTx, on: string): Promise<Counted[]> {
  return db
    .select({ cluster: ehas.cluster, key: sql<null>`null`, n: n() })
    .from(ehas)
    .where(and(lte(ehas.startedOn, on), or(isNull(ehas.closedOn), gt(ehas.closedOn, on))))
    .groupBy(ehas.cluster);
}

export async function ehasClosedByOutcome(db: DbOrTx, from: string, to: string): Promise<Counted[]> {
  return db
    .select({ cluster: ehas.cluster, key: ehas.closureOutcome, n: n() })
    .from(ehas)
    .where(between(ehas.closedOn, from, to))
    .groupBy(ehas.cluster, ehas.closureOutcome);
}

/** Stepped-down EHAs whose first-TAF deadline fell in the period; key 'on_time' or 'late'. */
export async function firstTafsDue(db: DbOrTx, from: string, to: string): Promise<Counted[]> {
  const onTime = sql<string>`case when ${ehas.firstTafOn} is not null and ${ehas.firstTafOn} <= ${ehas.firstTafDueBy} then 'on_time' else 'late' end`;
  return db
    .select({ cluster: ehas.cluster, key: onTime, n: n() })
    .from(ehas)
    .where(and(eq(ehas.origin, 'step_down'), between(ehas.firstTafDueBy, from, to)))
    .groupBy(ehas.cluster, onTime);
}

/** Reviews held in the period; key 'on_time' or 'late'. */
export async function reviewsHeld(db: DbOrTx, from: string, to: string): Promise<Counted[]> {
  const onTime = sql<string>`case when ${ehaReviews.onTime} then 'on_time' else 'late' end`;
  return db
    .select({ cluster: ehas.cluster, key: onTime, n: n() })
    .from(ehaReviews)
    .innerJoin(ehas, eq(ehas.id, ehaReviews.ehaId))
    .where(between(ehaReviews.heldOn, from, to))
    .groupBy(ehas.cluster, onTime);
}

/** Referrals accepted in the period below the eligibility threshold, with the screener's reason. */
export async function acceptedBelowThreshold(db: DbOrTx, from: string, to: string): Promise<Counted[]> {
  return db
    .select({ cluster: referrals.cluster, key: sql<null>`null`, n: n() })
    .from(referrals)
    .where(
      and(
        eq(referrals.status, 'accepted'),
        isNotNull(referrals.belowThresholdReason),
        between(referrals.screenedOn, from, to),
      ),
    )
    .groupBy(referrals.cluster);
}
