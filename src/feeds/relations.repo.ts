/**
 * SQL the feeds share: live child lookups for matching, involvements they create, the child's
 * school, the council Early Help team and the term calendar (a child's open EHA is eha.repo's).
 */
import { and, asc, desc, eq, gte, inArray, isNull, like, lte, or, sql, type Placeholder } from 'drizzle-orm';
import { children, involvements, organisations, schoolClosures } from '../../schema';
import type { OrganisationKind } from '../access/organisation-roles';
import type { InvolvementKind } from '../access/relationship-kinds';
import type { DbOrTx } from '../db';
import { preparedOn } from '../db/prepared';
import { addDays } from '../shared/calendar';

export interface LiveChild {
  id: string;
  nhsNumber: string | null;
  nhsNumberTraced: boolean;
  upn: string | null;
  postcode: string | null;
  dateOfBirth: string | null;
}

const liveChildColumns = {
  id: children.id,
  nhsNumber: children.nhsNumber,
  nhsNumberTraced: children.nhsNumberTraced,
  upn: children.upn,
  postcode: children.postcode,
  dateOfBirth: children.dateOfBirth,
};

export async function liveChildByNhsNumber(tx: DbOrTx, nhsNumber: string): Promise<LiveChild | null> {
  const [row] = await tx
    .select(liveChildColumns)
    .from(children)
    .where(and(eq(children.nhsNumber, nhsNumber), isNull(children.mergedInto)));
  return row ?? null;
}

export async function liveChildByUpn(tx: DbOrTx, upn: string): Promise<LiveChild | null> {
  const [row] = await tx
    .select(liveChildColumns)
    .from(children)
    .where(and(eq(children.upn, upn), isNull(children.mergedInto)));
  return row ?? null;
}

export async function liveChildById(tx: DbOrTx, id: string): Promise<LiveChild | null> {
  const [row] = await tx
    .select(liveChildColumns)
    .from(children)
    .where(and(eq(children.id, id), isNull(children.mergedInto)));
  return row ?? null;
}

/** Live children whose match key starts with name + date (any postcode). */
export async function liveChildrenByMatchKeyPrefix(tx: DbOrTx, prefix: string, limit = 10): Promise<LiveChild[]> {
  return tx
    .select(liveChildColumns)
    .from(children)
    .where(and(like(children.matchKey, `${prefix}%`), isNull(children.mergedInto)))
    .limit(limit);
}

/** Adds identifiers a record lacked (after a reviewer confirmed the match); never overwrites. */
export async function fillIdentifiers(
  tx: DbOrTx,
  childId: string,
  ids: { nhsNumber?: string | null; upn?: string | null },
): Promise<string[]> {
  const filled: string[] = [];
  if (ids.nhsNumber) {
    const r = await tx
      .update(children)
      .set({ nhsNumber: ids.nhsNumber, updatedAt: new Date(), version: sql`${children.version} + 1` })
      .where(and(eq(children.id, childId), isNull(children.nhsNumber)))
      .returning({ id: children.id });
    if (r.length) filled.push('nhsNumber');
  }
  if (ids.upn) {
    const r = await tx
      .update(children)
      .set({ upn: ids.upn, updatedAt: new Date(), version: sql`${children.version} + 1` })
      .where(and(eq(children.id, childId), isNull(children.upn)))
      .returning({ id: children.id });
    if (r.length) filled.push('upn');
  }
  return filled;
}

function activeOn(onDate: string | Placeholder) {
  return and(lte(involvements.startedOn, onDate), or(isNull(involvements.endedOn), gte(involvements.endedOn, onDate)));
}

// Every feed record asks this of its child: prepared (one round trip; the child's few
// involvements by the child index whatever the values, so a generic plan is as good).
const activeInvolvement = preparedOn((db) =>
  db
    .select({ id: involvements.id })
    .from(involvements)
    .where(
      and(
        eq(involvements.childId, sql.placeholder('childId')),
        eq(involvements.organisationId, sql.placeholder('organisationId')),
        eq(involvements.kind, sql.placeholder('kind')),
        activeOn(sql.placeholder('onDate')),
      ),
    )
    .limit(1)
    .prepare('active_involvement_of_child'),
);

/** The child's involvement of this kind with the organisation active on a date, if any. */
export async function activeInvolvementOf(
  tx: DbOrTx,
  childId: string,
  organisationId: string,
  kind: InvolvementKind,
  onDate: string,
): Promise<{ id: string } | null> {
  const [row] = await activeInvolvement(tx).execute({ childId, organisationId, kind, onDate });
  return row ?? null;
}

/** The record an involvement comes from and who asserted it (kept on the row, for the DPO and the access log). */
export interface InvolvementSource {
  source: string;
  assertedBySubject: string;
}

/** Adds an organisation-level involvement unless one of that kind is already active. */
export async function ensureInvolvement(
  tx: DbOrTx,
  childId: string,
  organisationId: string,
  kind: InvolvementKind,
  onDate: string,
  from: InvolvementSource,
): Promise<boolean> {
  const [existing] = await activeInvolvement(tx).execute({ childId, organisationId, kind, onDate });
  if (existing) return false;
  await tx.insert(involvements).values({ childId, organisationId, kind, startedOn: onDate, ...from });
  return true;
}

/**
 * A time-limited organisation-level involvement covering [from, until]: nothing when an active one
 * already lasts that long, else a new one (a later notification extends the link, never shortens it).
 */
export async function ensureInvolvementUntil(
  tx: DbOrTx,
  childId: string,
  organisationId: string,
  kind: InvolvementKind,
  from: string,
  until: string,
  by: InvolvementSource,
): Promise<void> {
  const [lasting] = await tx
    .select({ id: involvements.id })
    .from(involvements)
    .where(
      and(
        eq(involvements.childId, childId),
        eq(involvements.organisationId, organisationId),
        eq(involvements.kind, kind),
        lte(involvements.startedOn, from),
        or(isNull(involvements.endedOn), gte(involvements.endedOn, until)),
      ),
    )
    .limit(1);
  if (!lasting)
    await tx.insert(involvements).values({ childId, organisationId, kind, startedOn: from, endedOn: until, ...by });
}

/** The organisation's involvements of a kind active on a date (a school's roll, a trust's caseload). */
export async function activeInvolvements(
  tx: DbOrTx,
  organisationId: string,
  kind: InvolvementKind,
  onDate: string,
): Promise<{ id: string; childId: string; startedOn: string }[]> {
  return tx
    .select({ id: involvements.id, childId: involvements.childId, startedOn: involvements.startedOn })
    .from(involvements)
    .where(and(eq(involvements.organisationId, organisationId), eq(involvements.kind, kind), activeOn(onDate)));
}

export async function endInvolvement(tx: DbOrTx, id: string, endedOn: string): Promise<void> {
  await tx.update(involvements).set({ endedOn }).where(eq(involvements.id, id));
}

export async function startInvolvementFrom(
  tx: DbOrTx,
  row: {
    childId: string;
    organisationId: string;
    kind: InvolvementKind;
    startedOn: string;
    source: string;
    assertedBySubject: string;
  },
): Promise<void> {
  await tx.insert(involvements).values(row);
}

export async function isOnRoll(tx: DbOrTx, childId: string, schoolId: string, onDate: string): Promise<boolean> {
  const [row] = await activeInvolvement(tx).execute({ childId, organisationId: schoolId, kind: 'on_roll', onDate });
  return Boolean(row);
}

/** The education setting of one of `kinds` holding the child on roll on a date (the most recent enrolment), or null. */
export async function settingOnRoll(
  tx: DbOrTx,
  childId: string,
  onDate: string,
  kinds: readonly OrganisationKind[],
): Promise<{ id: string; kind: OrganisationKind } | null> {
  const [row] = await tx
    .select({ id: involvements.organisationId, kind: organisations.kind })
    .from(involvements)
    .innerJoin(organisations, eq(organisations.id, involvements.organisationId))
    .where(
      and(
        eq(involvements.childId, childId),
        eq(involvements.kind, 'on_roll'),
        inArray(organisations.kind, [...kinds]),
        activeOn(onDate),
      ),
    )
    .orderBy(desc(involvements.startedOn))
    .limit(1);
  return row ?? null;
}

/** The health organisation holding the child on its caseload on a date (the most recent), or null. */
export async function healthCaseloadOf(tx: DbOrTx, childId: string, onDate: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: involvements.organisationId })
    .from(involvements)
    .innerJoin(organisations, eq(organisations.id, involvements.organisationId))
    .where(
      and(
        eq(involvements.childId, childId),
        eq(involvements.kind, 'caseload'),
        eq(organisations.kind, 'health'),
        activeOn(onDate),
      ),
    )
    .orderBy(desc(involvements.startedOn))
    .limit(1);
  return row?.id ?? null;
}

export async function firstOrganisationOfKind(tx: DbOrTx, kind: 'council_early_help'): Promise<string | null> {
  const [row] = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.kind, kind))
    .orderBy(asc(organisations.createdAt), asc(organisations.id))
    .limit(1);
  return row?.id ?? null;
}

/**
 * Closures (holidays, INSET days) overlapping [from, to] on one calendar: the organisation's own
 * when it has one for the period (a school, college or setting with its own terms), else the local authority's
 * (organisationId null, or an organisation that keeps none).
 */
export async function closuresBetween(
  tx: DbOrTx,
  from: string,
  to: string,
  organisationId: string | null,
): Promise<{ firstDay: string; lastDay: string }[]> {
  const onCalendar = (calendar: string | null) =>
    tx
      .select({ firstDay: schoolClosures.firstDay, lastDay: schoolClosures.lastDay })
      .from(schoolClosures)
      .where(
        and(
          lte(schoolClosures.firstDay, to),
          gte(schoolClosures.lastDay, from),
          calendar === null ? isNull(schoolClosures.organisationId) : eq(schoolClosures.organisationId, calendar),
        ),
      );
  if (organisationId !== null) {
    // A calendar kept for other years only does not replace the LA's for these dates.
    const [own] = await tx
      .select({ id: schoolClosures.id })
      .from(schoolClosures)
      .where(
        and(
          eq(schoolClosures.organisationId, organisationId),
          lte(schoolClosures.firstDay, to),
          gte(schoolClosures.lastDay, addDays(from, -366)),
        ),
      )
      .limit(1);
    if (own) return onCalendar(organisationId);
  }
  return onCalendar(null);
}
