/** SQL of referrer feedback and of the audit of step-ups by referring organisation. */
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { ehas, organisations, referrals, workflowTransitions, type ReferralStatus } from '../../schema';
import { rowsOf, type DbOrTx } from '../db';

export interface ReferrerReferralRow {
  id: string;
  childId: string;
  referralDate: string;
  status: ReferralStatus;
  screenedOn: string | null;
  decisionRationale: string | null;
  signposting: string[] | null;
}

/** The referrals this practitioner (subject, within their organisation) made, oldest first. */
export async function referralsMadeBy(
  db: DbOrTx,
  subject: string,
  organisationId: string,
  from: string,
  to: string,
): Promise<ReferrerReferralRow[]> {
  return db
    .select({
      id: referrals.id,
      childId: referrals.childId,
      referralDate: referrals.referralDate,
      status: referrals.status,
      screenedOn: referrals.screenedOn,
      decisionRationale: referrals.decisionRationale,
      signposting: referrals.signposting,
    })
    .from(referrals)
    .where(
      and(
        eq(referrals.referrerSubject, subject),
        eq(referrals.referrerOrganisationId, organisationId),
        gte(referrals.referralDate, from),
        lte(referrals.referralDate, to),
      ),
    )
    .orderBy(asc(referrals.referralDate), asc(referrals.id))
    .limit(500);
}

export interface ReferringOrganisationRow {
  organisationId: string;
  organisationName: string;
  organisationKind: string;
  referrals: number;
  accepted: number;
  declined: number;
  stepUps: number;
}

/**
 * Per referring organisation: referrals made in the period, their screening outcomes, and step-ups
 * to social care in the period of EHAs that came from its referrals.
 */
export async function stepUpsByReferringOrganisation(
  db: DbOrTx,
  from: string,
  to: string,
): Promise<ReferringOrganisationRow[]> {
  const result = await db.execute(sql`
    with made as (
      select r.referrer_organisation_id as org, count(*)::int as referrals,
        count(*) filter (where r.status = 'accepted')::int as accepted,
        count(*) filter (where r.status = 'declined')::int as declined
      from ${referrals} r where r.referral_date between ${from} and ${to}
      group by r.referrer_organisation_id
    ), ups as (
      select r.referrer_organisation_id as org, count(*)::int as step_ups
      from ${workflowTransitions} t
      join ${ehas} e on e.id = t.entity_id
      join ${referrals} r on r.id = e.referral_id
      where t.machine = 'eha' and t.action = 'step_up' and t.on_date between ${from} and ${to}
      group by r.referrer_organisation_id
    )
    select o.id, o.name, o.kind, coalesce(m.referrals, 0) as referrals, coalesce(m.accepted, 0) as accepted,
      coalesce(m.declined, 0) as declined, coalesce(u.step_ups, 0) as step_ups
    from ${organisations} o
    left join made m on m.org = o.id
    left join ups u on u.org = o.id
    where m.org is not null or u.org is not null
    order by coalesce(u.step_ups, 0) desc, o.name, o.id`);
  return rowsOf<{
    id: string;
    name: string;
    kind: string;
    referrals: number;
    accepted: number;
    declined: number;
    step_ups: number;
  }>(result).map((r) => ({
    organisationId: r.id,
    organisationName: r.name,
    organisationKind: r.kind,
    referrals: Number(r.referrals),
    accepted: Number(r.accepted),
    declined: Number(r.declined),
    stepUps: Number(r.step_ups),
  }));
}
