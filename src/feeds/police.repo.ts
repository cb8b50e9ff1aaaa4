/** SQL of Operation Encompass: incidents, the children in them, notifications and acknowledgements. */
import { and, asc, eq, gt, isNotNull, isNull, lt, or, type SQL } from 'drizzle-orm';
import { organisations, policeIncidentChildren, policeIncidents, policeNotifications } from '../../schema';
import type { DbOrTx } from '../db';

export type IncidentRow = typeof policeIncidents.$inferSelect;
export type IncidentChildRow = typeof policeIncidentChildren.$inferSelect;
export type NotificationRow = typeof policeNotifications.$inferSelect;

/** A notification with what the DSL reads about the incident and the child's part in it. */
export interface NotificationView extends NotificationRow {
  policeReference: string;
  occurredAt: Date;
  location: string;
  circumstances: string;
  present: boolean;
  whereDuring: string | null;
  voiceOfChild: string | null;
}

export async function insertIncident(tx: DbOrTx, row: typeof policeIncidents.$inferInsert): Promise<IncidentRow> {
  const [created] = await tx.insert(policeIncidents).values(row).returning();
  return created!;
}

export async function insertIncidentChild(
  tx: DbOrTx,
  row: typeof policeIncidentChildren.$inferInsert,
): Promise<IncidentChildRow> {
  const [created] = await tx.insert(policeIncidentChildren).values(row).returning();
  return created!;
}

export async function setIncidentChild(tx: DbOrTx, incidentChildId: string, childId: string): Promise<void> {
  await tx.update(policeIncidentChildren).set({ childId }).where(eq(policeIncidentChildren.id, incidentChildId));
}

export async function insertNotification(
  tx: DbOrTx,
  row: typeof policeNotifications.$inferInsert,
): Promise<NotificationRow> {
  const [created] = await tx.insert(policeNotifications).values(row).returning();
  return created!;
}

const viewColumns = {
  policeReference: policeIncidents.policeReference,
  occurredAt: policeIncidents.occurredAt,
  location: policeIncidents.location,
  circumstances: policeIncidents.circumstances,
  present: policeIncidentChildren.present,
  whereDuring: policeIncidentChildren.whereDuring,
  voiceOfChild: policeIncidentChildren.voiceOfChild,
};

function views(tx: DbOrTx, where: SQL | undefined) {
  return tx
    .select({ n: policeNotifications, ...viewColumns })
    .from(policeNotifications)
    .innerJoin(policeIncidents, eq(policeIncidents.id, policeNotifications.incidentId))
    .innerJoin(policeIncidentChildren, eq(policeIncidentChildren.id, policeNotifications.incidentChildId))
    .where(where)
    .orderBy(asc(policeNotifications.deadline), asc(policeNotifications.id));
}

const flatten = ({
  n,
  ...rest
}: { n: NotificationRow } & Omit<NotificationView, keyof NotificationRow>): NotificationView => ({ ...n, ...rest });

/** Notifications addressed to an organisation; `acknowledged` filters when given. */
export async function notificationsFor(
  tx: DbOrTx,
  recipientId: string,
  acknowledged: boolean | null,
  limit: number,
): Promise<NotificationView[]> {
  const ack =
    acknowledged === null
      ? undefined
      : acknowledged
        ? isNotNull(policeNotifications.acknowledgedAt)
        : isNull(policeNotifications.acknowledgedAt);
  return (await views(tx, and(eq(policeNotifications.recipientOrganisationId, recipientId), ack)).limit(limit)).map(
    flatten,
  );
}

export async function notificationById(tx: DbOrTx, id: string): Promise<NotificationView | null> {
  const [row] = await views(tx, eq(policeNotifications.id, id));
  return row ? flatten(row) : null;
}

/** Sets the acknowledgement once; a second acknowledgement keeps the first. */
export async function acknowledge(tx: DbOrTx, id: string, subject: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(policeNotifications)
    .set({ acknowledgedAt: at, acknowledgedBySubject: subject })
    .where(and(eq(policeNotifications.id, id), isNull(policeNotifications.acknowledgedAt)))
    .returning({ id: policeNotifications.id });
  return rows.length > 0;
}

/** A notification past its deadline and not acknowledged, as the local authority oversees it: no case content. */
export interface OverdueNotificationRow {
  id: string;
  recipientOrganisationId: string;
  recipientName: string;
  route: string;
  deadline: Date;
  createdAt: Date;
}

/** Across every recipient, earliest deadline first; keyset after (deadline, id). */
export async function overdueUnacknowledged(
  tx: DbOrTx,
  now: Date,
  after: { deadline: Date; id: string } | null,
  limit: number,
): Promise<OverdueNotificationRow[]> {
  const n = policeNotifications;
  return tx
    .select({
      id: n.id,
      recipientOrganisationId: n.recipientOrganisationId,
      recipientName: organisations.name,
      route: n.route,
      deadline: n.deadline,
      createdAt: n.createdAt,
    })
    .from(n)
    .innerJoin(organisations, eq(organisations.id, n.recipientOrganisationId))
    .where(
      and(
        isNull(n.acknowledgedAt),
        lt(n.deadline, now),
        after ? or(gt(n.deadline, after.deadline), and(eq(n.deadline, after.deadline), gt(n.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(n.deadline), asc(n.id))
    .limit(limit);
}
