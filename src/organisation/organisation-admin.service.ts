/**
 * Onboarding partners: creating and updating organisations (kind, cluster, external code, the
 * Designated Safeguarding Lead) and setting term dates — the closures behind Operation
 * Encompass's "next school day" — for a school or for the local authority's calendar.
 * Every input is checked before any write (BAD_USER_INPUT naming the field, nothing changed),
 * and every change is recorded with the fields it changed, in its own transaction.
 */
import {
  EDUCATION_SETTING_KINDS,
  ORGANISATION_KIND_ROLES,
  roleFitsOrganisationKind,
  type OrganisationKind,
} from '../access/organisation-roles';
import { isRole } from '../access/roles';
import { recordAdminChange, type AdminRequest } from '../admin-audit/admin-audit';
import type { Db } from '../db';
import { BadUserInputError } from '../errors';
import { addDays } from '../shared/calendar';
import { CLUSTERS } from '../workflow/actor';
import { optionalText, requireIsoDate, requireText, requireUuid } from '../shared/validate';
import {
  findOrganisation,
  insertOrganisation,
  practitionerOrganisation,
  replaceClosures,
  rolesHeldIn,
  updateOrganisationRow,
  type ClosureRow,
  type OrganisationRow,
} from './organisation.repo';
import type { OrganisationService } from './organisation.service';

const KINDS = Object.keys(ORGANISATION_KIND_ROLES) as OrganisationKind[];
/** A term calendar is set a year or so at a time; more is a mistake, not a plan. */
const MAX_CALENDAR_DAYS = 400;

export interface CreateOrganisationInput {
  name: string;
  kind: string;
  cluster?: string | null;
  externalCode?: string | null;
}
export interface UpdateOrganisationInput {
  id: string;
  name?: string | null;
  kind?: string | null;
  /** undefined: unchanged; null: cleared. */
  cluster?: string | null;
  externalCode?: string | null;
  designatedSafeguardingLeadId?: string | null;
}
export interface TermDatesInput {
  /** null: the local authority's calendar, which every school follows unless it has its own. */
  organisationId: string | null;
  from: string;
  to: string;
  closures: { firstDay: string; lastDay: string; label: string }[];
}

interface Deps {
  db: Db;
  organisations: OrganisationService;
}

function kindOf(value: string): OrganisationKind {
  if (!(KINDS as string[]).includes(value)) throw new BadUserInputError('kind', `must be one of ${KINDS.join(', ')}`);
  return value as OrganisationKind;
}

function clusterOf(value: string | null | undefined): (typeof CLUSTERS)[number] | null {
  if (value === null || value === undefined) return null;
  if (!(CLUSTERS as readonly string[]).includes(value))
    throw new BadUserInputError('cluster', `must be one of ${CLUSTERS.join(', ')}`);
  return value as (typeof CLUSTERS)[number];
}

/**
 * `id`: only for callers inside the hub that keep ids stable across builds (the demo city); the
 * API never passes one, so a partner cannot choose or probe ids.
 */
export async function createOrganisation(
  { db }: Pick<Deps, 'db'>,
  input: CreateOrganisationInput,
  request: AdminRequest,
  id?: string,
): Promise<OrganisationRow> {
  const row = {
    name: requireText('name', input.name, { max: 200 }),
    kind: kindOf(input.kind),
    cluster: clusterOf(input.cluster),
    externalCode: optionalText('externalCode', input.externalCode, 50),
  };
  return db.transaction(async (tx) => {
    const created = await insertOrganisation(tx, { ...row, ...(id ? { id } : {}) });
    await recordAdminChange(tx, request, {
      action: 'organisation.create',
      entity: 'organisation',
      entityId: created.id,
      fields: Object.keys(row),
    });
    return created;
  });
}

export async function updateOrganisation(
  { db, organisations }: Deps,
  input: UpdateOrganisationInput,
  request: AdminRequest,
): Promise<OrganisationRow> {
  const id = requireUuid('id', input.id);
  const current = await findOrganisation(db, id);
  if (!current) throw new BadUserInputError('id', 'is not an organisation of this hub');
  const set: Partial<OrganisationRow> = {};
  if (input.name !== undefined) set.name = requireText('name', input.name ?? '', { max: 200 });
  if (input.kind !== undefined && input.kind !== null) {
    const kind = kindOf(input.kind);
    // Practitioners keep their roles: a kind that cannot hold them would lock them out.
    const misfit = (await rolesHeldIn(db, id)).find((role) => !isRole(role) || !roleFitsOrganisationKind(role, kind));
    if (misfit) throw new BadUserInputError('kind', "cannot hold a role this organisation's practitioners hold");
    set.kind = kind;
  }
  if (input.cluster !== undefined) set.cluster = clusterOf(input.cluster);
  if (input.externalCode !== undefined) set.externalCode = optionalText('externalCode', input.externalCode, 50);
  if (input.designatedSafeguardingLeadId !== undefined) {
    if (input.designatedSafeguardingLeadId === null) set.designatedSafeguardingLeadId = null;
    else {
      const lead = requireUuid('designatedSafeguardingLeadId', input.designatedSafeguardingLeadId);
      if ((await practitionerOrganisation(db, lead)) !== id)
        throw new BadUserInputError('designatedSafeguardingLeadId', 'must be a practitioner of this organisation');
      set.designatedSafeguardingLeadId = lead;
    }
  }
  const changed = (Object.keys(set) as (keyof OrganisationRow)[]).filter((k) => set[k] !== current[k]);
  if (changed.length === 0) return current;
  const updated = await db.transaction(async (tx) => {
    const row = await updateOrganisationRow(tx, id, set);
    await recordAdminChange(tx, request, {
      action: 'organisation.update',
      entity: 'organisation',
      entityId: id,
      fields: changed,
    });
    return row;
  });
  organisations.forget(id);
  return updated;
}

/**
 * Replaces the closures of one calendar that start between `from` and `to` with those given:
 * the whole year's holidays and INSET days sent at once, so a correction is a resend.
 */
export async function setTermDates({ db }: Deps, input: TermDatesInput, request: AdminRequest): Promise<ClosureRow[]> {
  let organisationId: string | null = null;
  if (input.organisationId !== null && input.organisationId !== undefined) {
    organisationId = requireUuid('organisationId', input.organisationId);
    const school = await findOrganisation(db, organisationId);
    if (!school || !(EDUCATION_SETTING_KINDS as readonly string[]).includes(school.kind)) {
      throw new BadUserInputError(
        'organisationId',
        'must be a school, college or early years setting (or null for the local authority calendar)',
      );
    }
  }
  const from = requireIsoDate('from', input.from);
  const to = requireIsoDate('to', input.to);
  if (to < from) throw new BadUserInputError('to', 'must not be before from');
  if (addDays(from, MAX_CALENDAR_DAYS) < to)
    throw new BadUserInputError('to', `must be within ${MAX_CALENDAR_DAYS} days of from`);
  const closures = input.closures
    .map((c, i) => {
      const firstDay = requireIsoDate(`closures[${i}].firstDay`, c.firstDay);
      const lastDay = requireIsoDate(`closures[${i}].lastDay`, c.lastDay);
      if (lastDay < firstDay) throw new BadUserInputError(`closures[${i}].lastDay`, 'must not be before firstDay');
      if (firstDay < from || firstDay > to)
        throw new BadUserInputError(`closures[${i}].firstDay`, 'must be between from and to');
      return { firstDay, lastDay, label: requireText(`closures[${i}].label`, c.label, { max: 100 }) };
    })
    .sort((a, b) => a.firstDay.localeCompare(b.firstDay));
  const overlap = closures.findIndex((c, i) => i > 0 && c.firstDay <= closures[i - 1]!.lastDay);
  if (overlap > 0) throw new BadUserInputError('closures', 'must not overlap one another');
  return db.transaction(async (tx) => {
    const rows = await replaceClosures(tx, organisationId, from, to, closures);
    // The LA calendar has no organisation row: recorded under the nil id.
    await recordAdminChange(tx, request, {
      action: 'term_dates.set',
      entity: 'term_dates',
      entityId: organisationId ?? LA_CALENDAR_ID,
      fields: ['closures'],
    });
    return rows;
  });
}

export const LA_CALENDAR_ID = '00000000-0000-0000-0000-000000000000';
