/**
 * SQL of "who else is involved": every organisation in touch with a child today, from the three
 * places the hub knows it — involvements (roll, caseload, allocations, TAF), partner feeds (health
 * levels, attendance returns, police notifications, VCS contacts) and open cases (EHA, social care).
 * One row per (source, organisation, relationship); the service decides which rows a caller sees.
 */
import { and, eq, gt, isNull, lte, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  ehas,
  healthUpdates,
  involvements,
  organisations,
  policeIncidents,
  policeNotifications,
  practitioners,
  schoolAttendance,
  socialCareStatuses,
  vcsContacts,
} from '../../schema';
import { rowsOf, type DbOrTx } from '../db';
import { partnershipDate } from '../shared/clock';

/** One organisation's link with the child, before the access filter. */
export interface InvolvedRow {
  source: 'involvement' | 'health_feed' | 'attendance_feed' | 'police_feed' | 'vcs_feed' | 'open_eha' | 'social_care';
  relationship: string;
  organisationId: string | null;
  organisationName: string | null;
  organisationKind: string | null;
  since: string | null;
  lastActivityOn: string | null;
  practitionerName: string | null;
  practitionerEmail: string | null;
  practitionerPhone: string | null;
  detail: string | null;
}

const base = { practitionerName: null, practitionerEmail: null, practitionerPhone: null, detail: null } as const;

/** Involvements in force at the instant: started by its calendar day, not yet at their end instant. */
export async function currentInvolvements(db: DbOrTx, childId: string, at: Date): Promise<InvolvedRow[]> {
  const rows = await db
    .select({
      kind: involvements.kind,
      startedOn: involvements.startedOn,
      orgId: organisations.id,
      orgName: organisations.name,
      orgKind: organisations.kind,
      pName: practitioners.displayName,
      pEmail: practitioners.email,
      pPhone: practitioners.phone,
    })
    .from(involvements)
    .innerJoin(organisations, eq(organisations.id, involvements.organisationId))
    .leftJoin(practitioners, eq(practitioners.id, involvements.practitionerId))
    .where(
      and(
        eq(involvements.childId, childId),
        lte(involvements.startedOn, partnershipDate(at)),
        or(isNull(involvements.endsAt), gt(involvements.endsAt, at)),
      ),
    )
    .orderBy(involvements.startedOn, involvements.id);
  return rows.map((r) => ({
    source: 'involvement',
    relationship: r.kind,
    organisationId: r.orgId,
    organisationName: r.orgName,
    organisationKind: r.orgKind,
    since: r.startedOn,
    lastActivityOn: null,
    practitionerName: r.pName ?? null,
    practitionerEmail: r.pEmail ?? null,
    practitionerPhone: r.pPhone ?? null,
    detail: null,
  }));
}

export async function feedContacts(db: DbOrTx, childId: string): Promise<InvolvedRow[]> {
  const out: InvolvedRow[] = [];
  const health = await db.execute(sql`
    select distinct on (h.organisation_id) h.organisation_id as org_id, o.name, o.kind, h.level,
      min(h.effective_date) over (partition by h.organisation_id) as since,
      max(h.effective_date) over (partition by h.organisation_id) as last
    from ${healthUpdates} h join ${organisations} o on o.id = h.organisation_id
    where h.child_id = ${childId}
    order by h.organisation_id, h.effective_date desc, h.received_at desc`);
  for (const r of rowsOf<FeedRaw & { level: string }>(health))
    out.push(feedRow('health_feed', 'health_level', r, r.level));
  const school = await db
    .select({
      org_id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      since: sql<string>`min(${schoolAttendance.periodStart})::text`,
      last: sql<string>`max(${schoolAttendance.periodEnd})::text`,
    })
    .from(schoolAttendance)
    .innerJoin(organisations, eq(organisations.id, schoolAttendance.organisationId))
    .where(eq(schoolAttendance.childId, childId))
    .groupBy(organisations.id, organisations.name, organisations.kind);
  for (const r of school) out.push(feedRow('attendance_feed', 'attendance_return', r, null));
  const police = await db
    .select({
      org_id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      since: sql<string>`min(${policeIncidents.occurredAt})::date::text`,
      last: sql<string>`max(${policeIncidents.occurredAt})::date::text`,
    })
    .from(policeNotifications)
    .innerJoin(policeIncidents, eq(policeIncidents.id, policeNotifications.incidentId))
    .innerJoin(organisations, eq(organisations.id, policeIncidents.organisationId))
    .where(eq(policeNotifications.childId, childId))
    .groupBy(organisations.id, organisations.name, organisations.kind);
  for (const r of police) out.push(feedRow('police_feed', 'operation_encompass', r, null));
  const vcs = await db
    .select({
      org_id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      since: sql<string>`min(${vcsContacts.contactDate})::text`,
      last: sql<string>`max(${vcsContacts.contactDate})::text`,
    })
    .from(vcsContacts)
    .innerJoin(organisations, eq(organisations.id, vcsContacts.organisationId))
    .where(eq(vcsContacts.childId, childId))
    .groupBy(organisations.id, organisations.name, organisations.kind);
  for (const r of vcs) out.push(feedRow('vcs_feed', 'vcs_contact', r, null));
  return out;
}

export async function openCases(db: DbOrTx, childId: string): Promise<InvolvedRow[]> {
  const fsm = alias(practitioners, 'fsm');
  const fsmOrg = alias(organisations, 'fsm_org');
  const eha = await db
    .select({
      startedOn: ehas.startedOn,
      status: ehas.status,
      orgId: fsmOrg.id,
      orgName: fsmOrg.name,
      orgKind: fsmOrg.kind,
      pName: fsm.displayName,
      pEmail: fsm.email,
      pPhone: fsm.phone,
    })
    .from(ehas)
    .innerJoin(fsm, eq(fsm.id, ehas.familySupportManagerId))
    .innerJoin(fsmOrg, eq(fsmOrg.id, fsm.organisationId))
    .where(and(eq(ehas.childId, childId), ne(ehas.status, 'closed')));
  const out: InvolvedRow[] = eha.map((r) => ({
    source: 'open_eha',
    relationship: 'open_eha',
    organisationId: r.orgId,
    organisationName: r.orgName,
    organisationKind: r.orgKind,
    since: r.startedOn,
    lastActivityOn: null,
    practitionerName: r.pName,
    practitionerEmail: r.pEmail ?? null,
    practitionerPhone: r.pPhone ?? null,
    detail: r.status,
  }));
  const care = await db
    .select()
    .from(socialCareStatuses)
    .where(and(eq(socialCareStatuses.childId, childId), isNull(socialCareStatuses.endedOn)));
  for (const r of care) {
    out.push({
      ...base,
      source: 'social_care',
      relationship: r.kind,
      organisationId: null,
      organisationName: "Children's social care",
      organisationKind: 'social_care',
      since: r.startedOn,
      lastActivityOn: null,
      detail: r.status,
    });
  }
  return out;
}

interface FeedRaw {
  org_id: string;
  name: string;
  kind: string;
  since: string | Date | null;
  last: string | Date | null;
}

function feedRow(source: InvolvedRow['source'], relationship: string, r: FeedRaw, detail: string | null): InvolvedRow {
  return {
    ...base,
    source,
    relationship,
    organisationId: r.org_id,
    organisationName: r.name,
    organisationKind: r.kind,
    since: dateText(r.since),
    lastActivityOn: dateText(r.last),
    detail,
  };
}

function dateText(v: string | Date | null): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v.slice(0, 10) : partnershipDate(v);
}
