/**
 * SCIM 2.0 provisioning of practitioners (RFC 7643/7644 Users). A SCIM User is a row of
 * `practitioners`: userName ↔ subject (the identity provider's `sub`), displayName, the primary
 * email and phone number, roles, and the organisation through the hub's extension. `active:
 * false` is a subject revocation, so the practitioner's tokens are refused on every instance
 * within the revocation cache window; DELETE deactivates rather than removes, because case
 * history and the audit name the practitioner. Every change is recorded with the attributes it
 * changed, in the change's transaction.
 */
import { isRole, type Role } from '../access/roles';
import { roleFitsOrganisationKind } from '../access/organisation-roles';
import { recordAdminChange, type AdminRequest } from '../admin-audit/admin-audit';
import { isUniqueViolation, type Db } from '../db';
import { invalidValue, ScimError } from './scim.errors';
import {
  deactivateSubject,
  findPractitioner,
  insertPractitioner,
  listPractitioners,
  organisationKind,
  reactivateSubject,
  subjectTaken,
  updatePractitioner,
  type ScimPractitioner,
} from './scim.repo';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const PRACTITIONER_EXTENSION = 'urn:early-help-hub:scim:schemas:extension:practitioner:2.0:User';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The same rule as a token's `sub`: 1–255 characters, not only white space, no control characters. */
const SUBJECT = /^(?=.*\S)[^\p{Cc}]{1,255}$/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,29}$/;
export const MAX_PAGE = 200;

/** The attributes the hub stores, validated. */
interface Practitioner {
  userName: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  roles: Role[];
  organisationId: string;
  active: boolean;
}

type Json = Record<string, unknown>;

export interface ScimDeps {
  db: Db;
}

export function toScim(row: ScimPractitioner, baseUrl: string): Json {
  return {
    schemas: [USER_SCHEMA, PRACTITIONER_EXTENSION],
    id: row.id,
    userName: row.subject,
    displayName: row.displayName,
    active: row.active,
    ...(row.email ? { emails: [{ value: row.email, primary: true }] } : {}),
    ...(row.phone ? { phoneNumbers: [{ value: row.phone, primary: true }] } : {}),
    roles: row.roles.map((value) => ({ value })),
    [PRACTITIONER_EXTENSION]: { organisationId: row.organisationId },
    meta: { resourceType: 'User', location: `${baseUrl}/Users/${row.id}` },
  };
}

function text(body: Json, attribute: string, max: number): string {
  const value = body[attribute];
  if (typeof value !== 'string' || !value.trim())
    throw invalidValue(attribute, 'is required and must be a non-empty string');
  if (value.trim().length > max) throw invalidValue(attribute, `must be at most ${max} characters`);
  return value.trim();
}

/** The primary (or else first) `value` of a multi-valued attribute, or null when absent. */
function primaryValue(body: Json, attribute: string, pattern: RegExp, what: string): string | null {
  const list = body[attribute];
  if (list === undefined || list === null) return null;
  if (!Array.isArray(list) || list.some((e) => typeof e !== 'object' || e === null))
    throw invalidValue(attribute, 'must be a list of objects with a value');
  if (list.length === 0) return null;
  const chosen = (list.find((e) => (e as Json).primary === true) ?? list[0]) as Json;
  if (typeof chosen.value !== 'string' || !pattern.test(chosen.value.trim()))
    throw invalidValue(`${attribute}.value`, `must be ${what}`);
  return chosen.value.trim();
}

function parseUser(body: unknown): Omit<Practitioner, 'roles'> & { roles: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ScimError(400, 'the request body must be a SCIM User object', 'invalidSyntax');
  const user = body as Json;
  const schemas = user.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(USER_SCHEMA))
    throw invalidValue('schemas', `must include ${USER_SCHEMA}`);
  const userName = user.userName;
  if (typeof userName !== 'string' || !SUBJECT.test(userName))
    throw invalidValue('userName', "must be 1–255 characters without control characters (the identity provider's sub)");
  const active = user.active ?? true;
  if (typeof active !== 'boolean') throw invalidValue('active', 'must be true or false');
  const roles = user.roles ?? [];
  if (
    !Array.isArray(roles) ||
    roles.some((r) => typeof r !== 'object' || r === null || typeof (r as Json).value !== 'string')
  ) {
    throw invalidValue('roles', 'must be a list of objects with a value');
  }
  const extension = user[PRACTITIONER_EXTENSION];
  const organisationId =
    typeof extension === 'object' && extension !== null ? (extension as Json).organisationId : undefined;
  if (typeof organisationId !== 'string' || !UUID.test(organisationId))
    throw invalidValue(`${PRACTITIONER_EXTENSION}:organisationId`, 'is required and must be an organisation id');
  return {
    userName,
    displayName: text(user, 'displayName', 200),
    email: primaryValue(user, 'emails', EMAIL, 'an email address'),
    phone: primaryValue(user, 'phoneNumbers', PHONE, 'a telephone number'),
    roles: (roles as Json[]).map((r) => r.value as string),
    organisationId: organisationId.toLowerCase(),
    active,
  };
}

const userNameTaken = () => new ScimError(409, 'userName: is already provisioned', 'uniqueness');

/**
 * The check before the write leaves a window: a second request for the same userName can pass it
 * while the first is inserting (identity providers retry and run in parallel). The unique index on
 * the subject decides; its refusal is the same answer the check gives.
 */
async function uniqueUserName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw userNameTaken();
    throw error;
  }
}

/** Checks what needs the database: the organisation exists, each role fits its kind, the userName is free. */
async function validate(db: Db, parsed: ReturnType<typeof parseUser>, exceptId: string | null): Promise<Practitioner> {
  const kind = await organisationKind(db, parsed.organisationId);
  if (!kind) throw invalidValue(`${PRACTITIONER_EXTENSION}:organisationId`, 'is not an organisation of this hub');
  for (const role of parsed.roles) {
    if (!isRole(role)) throw invalidValue('roles', 'holds a value that is not a role of this hub');
    if (!roleFitsOrganisationKind(role, kind))
      throw invalidValue('roles', 'holds a role this kind of organisation cannot hold');
  }
  if (await subjectTaken(db, parsed.userName, exceptId)) throw userNameTaken();
  return { ...parsed, roles: [...new Set(parsed.roles)] as Role[] };
}

export async function getUser({ db }: ScimDeps, id: string): Promise<ScimPractitioner> {
  const row = UUID.test(id) ? await findPractitioner(db, id) : null;
  if (!row) throw new ScimError(404, 'no User with this id');
  return row;
}

/** Only `userName eq "…"` is supported: what identity providers send to find an existing account. */
export function parseFilter(filter: string | undefined): { subject?: string } {
  if (filter === undefined || filter === '') return {};
  const match = /^\s*userName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  if (!match) throw new ScimError(400, 'filter: only userName eq "..." is supported', 'invalidFilter');
  return { subject: match[1]!.replace(/\\(.)/g, '$1') };
}

function positiveInteger(value: string | undefined, attribute: string, fallback: number, min: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value)) throw invalidValue(attribute, 'must be a whole number');
  return Math.max(min, Number(value));
}

export async function listUsers(
  { db }: ScimDeps,
  query: { filter?: string; startIndex?: string; count?: string },
  baseUrl: string,
): Promise<Json> {
  const filter = parseFilter(query.filter);
  const startIndex = positiveInteger(query.startIndex, 'startIndex', 1, 1);
  const count = Math.min(positiveInteger(query.count, 'count', 100, 0), MAX_PAGE);
  const { total, rows } = await listPractitioners(db, filter, startIndex - 1, count);
  return {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    startIndex,
    itemsPerPage: rows.length,
    Resources: rows.map((r) => toScim(r, baseUrl)),
  };
}

/** `id`: as createOrganisation's, for the demo city's stable ids only; SCIM never passes one. */
export async function createUser(
  { db }: ScimDeps,
  body: unknown,
  request: AdminRequest,
  id?: string,
): Promise<ScimPractitioner> {
  const user = await validate(db, parseUser(body), null);
  return uniqueUserName(() =>
    db.transaction(async (tx) => {
      const row = await insertPractitioner(tx, {
        ...(id ? { id } : {}),
        organisationId: user.organisationId,
        subject: user.userName,
        displayName: user.displayName,
        email: user.email,
        phone: user.phone,
        roles: user.roles,
      });
      // A subject revoked earlier (someone who left and returns) stays refused only if asked.
      if (user.active) await reactivateSubject(tx, user.userName, request.at);
      else await deactivateSubject(tx, user.userName, request.at, request.caller);
      await recordAdminChange(tx, request, {
        action: 'practitioner.create',
        entity: 'practitioner',
        entityId: row.id,
        fields: [
          'userName',
          'displayName',
          'active',
          'roles',
          'organisationId',
          ...(user.email ? ['emails'] : []),
          ...(user.phone ? ['phoneNumbers'] : []),
        ],
      });
      return { ...row, active: user.active };
    }),
  );
}

/** PUT: the body replaces every attribute the hub stores. */
export async function replaceUser(
  deps: ScimDeps,
  id: string,
  body: unknown,
  request: AdminRequest,
): Promise<ScimPractitioner> {
  const current = await getUser(deps, id);
  const next = await validate(deps.db, parseUser(body), current.id);
  return apply(deps, current, next, request, 'practitioner.replace');
}

/**
 * PATCH: the operations are applied to the current User and the result validated as a whole, so
 * a patch can never leave a practitioner a PUT would refuse. `active` also takes "True"/"False"
 * strings, as some identity providers send them.
 */
export async function patchUser(
  deps: ScimDeps,
  id: string,
  body: unknown,
  request: AdminRequest,
): Promise<ScimPractitioner> {
  const current = await getUser(deps, id);
  if (typeof body !== 'object' || body === null)
    throw new ScimError(400, 'the request body must be a SCIM PatchOp', 'invalidSyntax');
  const { schemas, Operations } = body as Json;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP)) throw invalidValue('schemas', `must include ${PATCH_OP}`);
  if (!Array.isArray(Operations) || Operations.length === 0 || Operations.length > 50)
    throw invalidValue('Operations', 'must be a list of 1–50 operations');
  const user = toScim(current, '') as Json;
  for (const [i, raw] of Operations.entries()) {
    const op = raw as Json;
    const kind = typeof op?.op === 'string' ? op.op.toLowerCase() : '';
    if (!['add', 'replace', 'remove'].includes(kind))
      throw invalidValue(`Operations[${i}].op`, 'must be add, replace or remove');
    const path = op.path;
    if (path === undefined) {
      if (kind === 'remove' || typeof op.value !== 'object' || op.value === null || Array.isArray(op.value))
        throw invalidValue(`Operations[${i}].value`, 'must be an object of attributes when there is no path');
      for (const [attribute, value] of Object.entries(op.value as Json)) setAttribute(user, attribute, value, i);
    } else if (typeof path !== 'string') {
      throw new ScimError(400, `Operations[${i}].path: must be an attribute name`, 'invalidPath');
    } else if (kind === 'remove') {
      setAttribute(user, path, undefined, i);
    } else {
      setAttribute(user, path, op.value, i);
    }
  }
  const next = await validate(deps.db, parseUser(user), current.id);
  return apply(deps, current, next, request, 'practitioner.patch');
}

const PATCHABLE = new Set(['userName', 'displayName', 'active', 'emails', 'phoneNumbers', 'roles']);

function setAttribute(user: Json, path: string, value: unknown, i: number): void {
  const extensionAttribute = path.startsWith(`${PRACTITIONER_EXTENSION}:`)
    ? path.slice(PRACTITIONER_EXTENSION.length + 1)
    : null;
  if (extensionAttribute === 'organisationId' || path === PRACTITIONER_EXTENSION) {
    user[PRACTITIONER_EXTENSION] = path === PRACTITIONER_EXTENSION ? value : { organisationId: value };
    return;
  }
  if (!PATCHABLE.has(path))
    throw new ScimError(400, `Operations[${i}].path: not an attribute that can be changed`, 'invalidPath');
  if (path === 'active' && typeof value === 'string' && /^(true|false)$/i.test(value))
    value = value.toLowerCase() === 'true';
  if (value === undefined) delete user[path];
  else user[path] = value;
}

async function apply(
  { db }: ScimDeps,
  current: ScimPractitioner,
  next: Practitioner,
  request: AdminRequest,
  action: string,
): Promise<ScimPractitioner> {
  const changed = [
    current.subject !== next.userName && 'userName',
    current.displayName !== next.displayName && 'displayName',
    (current.email ?? null) !== next.email && 'emails',
    (current.phone ?? null) !== next.phone && 'phoneNumbers',
    [...current.roles].sort().join() !== [...next.roles].sort().join() && 'roles',
    current.organisationId !== next.organisationId && 'organisationId',
    current.active !== next.active && 'active',
  ].filter((f): f is string => Boolean(f));
  if (changed.length === 0) return current;
  return uniqueUserName(() =>
    db.transaction(async (tx) => {
      await updatePractitioner(tx, current.id, {
        subject: next.userName,
        displayName: next.displayName,
        email: next.email,
        phone: next.phone,
        roles: next.roles,
        organisationId: next.organisationId,
      });
      // The revocation follows the subject: a renamed, deactivated practitioner stays refused under both names.
      if (current.active && !next.active) await deactivateSubject(tx, next.userName, request.at, request.caller);
      if (!current.active && next.active) await reactivateSubject(tx, current.subject, request.at);
      if (!current.active && !next.active && current.subject !== next.userName)
        await deactivateSubject(tx, next.userName, request.at, request.caller);
      const verb =
        current.active && !next.active
          ? 'practitioner.deactivate'
          : !current.active && next.active
            ? 'practitioner.reactivate'
            : action;
      await recordAdminChange(tx, request, {
        action: verb,
        entity: 'practitioner',
        entityId: current.id,
        fields: changed,
      });
      return {
        ...current,
        subject: next.userName,
        displayName: next.displayName,
        email: next.email,
        phone: next.phone,
        roles: next.roles,
        organisationId: next.organisationId,
        active: next.active,
      };
    }),
  );
}

/** DELETE deactivates: the row stays, since case history and the audit name the practitioner. */
export async function deleteUser(deps: ScimDeps, id: string, request: AdminRequest): Promise<void> {
  const current = await getUser(deps, id);
  if (!current.active) return;
  await apply(
    deps,
    current,
    {
      userName: current.subject,
      displayName: current.displayName,
      email: current.email,
      phone: current.phone,
      roles: current.roles as Role[],
      organisationId: current.organisationId,
      active: false,
    },
    request,
    'practitioner.deactivate',
  );
}
