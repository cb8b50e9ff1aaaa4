/**
 * SCIM 2.0 Groups (RFC 7643 §4.2) as the hub's roles: one Group per role, its `id` and
 * `displayName` the role's name, its members the practitioners holding it. Identity providers
 * (Entra ID, Okta) assign roles by pushing group membership: adding a member gives the
 * practitioner the role, removing one takes it away. Groups are the hub's fixed set of roles, so
 * they are neither created, renamed nor deleted over SCIM. A role is given only where the
 * practitioner's organisation's kind can hold it (the same rule as a User's roles and a token's
 * role), and the whole request is checked before anything is written. Each practitioner whose
 * roles changed gets an admin_changes row naming `roles`.
 */
import { ROLES, isRole, type Role } from '../access/roles';
import { roleFitsOrganisationKind } from '../access/organisation-roles';
import { recordAdminChange, type AdminRequest } from '../admin-audit/admin-audit';
import { invalidValue, ScimError } from './scim.errors';
import { addRole, practitionerKinds, removeRole, roleHolders } from './scim.repo';
import { LIST_RESPONSE, MAX_PAGE, type ScimDeps } from './scim.service';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Members changed by one PATCH at most: identity providers batch far fewer. */
const MAX_MEMBERS = 1000;

type Json = Record<string, unknown>;

function group(role: Role, members: { id: string; displayName: string }[] | null, baseUrl: string): Json {
  return {
    schemas: [GROUP_SCHEMA],
    id: role,
    displayName: role,
    ...(members
      ? {
          members: members.map((m) => ({
            value: m.id,
            display: m.displayName,
            $ref: `${baseUrl}/Users/${m.id}`,
            type: 'User',
          })),
        }
      : {}),
    meta: { resourceType: 'Group', location: `${baseUrl}/Groups/${role}` },
  };
}

/** `excludedAttributes=members`: what identity providers ask for when they only need the id. */
function wantsMembers(excludedAttributes: string | undefined): boolean {
  return !(excludedAttributes ?? '')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .includes('members');
}

function roleOf(id: string): Role {
  if (!isRole(id)) throw new ScimError(404, 'no Group with this id');
  return id;
}

/** Only `displayName eq "…"` is supported: what identity providers send to find a group. */
export function parseGroupFilter(filter: string | undefined): { displayName?: string } {
  if (filter === undefined || filter === '') return {};
  const match = /^\s*displayName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  if (!match) throw new ScimError(400, 'filter: only displayName eq "..." is supported', 'invalidFilter');
  return { displayName: match[1]!.replace(/\\(.)/g, '$1') };
}

function whole(value: string | undefined, attribute: string, fallback: number, min: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value)) throw invalidValue(attribute, 'must be a whole number');
  return Math.max(min, Number(value));
}

export async function listGroups(
  { db }: ScimDeps,
  query: { filter?: string; startIndex?: string; count?: string; excludedAttributes?: string },
  baseUrl: string,
): Promise<Json> {
  const { displayName } = parseGroupFilter(query.filter);
  const startIndex = whole(query.startIndex, 'startIndex', 1, 1);
  const count = Math.min(whole(query.count, 'count', 100, 0), MAX_PAGE);
  const matching = ROLES.filter((r) => displayName === undefined || r === displayName);
  const page = matching.slice(startIndex - 1, startIndex - 1 + count);
  const members = wantsMembers(query.excludedAttributes);
  const resources = await Promise.all(
    page.map(async (role) => group(role, members ? await roleHolders(db, role) : null, baseUrl)),
  );
  return {
    schemas: [LIST_RESPONSE],
    totalResults: matching.length,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

export async function getGroup(
  { db }: ScimDeps,
  id: string,
  excludedAttributes: string | undefined,
  baseUrl: string,
): Promise<Json> {
  const role = roleOf(id);
  return group(role, wantsMembers(excludedAttributes) ? await roleHolders(db, role) : null, baseUrl);
}

/** The User ids of a `members` value: a list of `{ value }`. */
function memberIds(value: unknown, at: string): string[] {
  if (!Array.isArray(value) || value.some((m) => typeof m !== 'object' || m === null))
    throw invalidValue(at, 'must be a list of members, each { "value": a User id }');
  return value.map((m, i) => {
    const id = (m as Json).value;
    if (typeof id !== 'string' || !UUID.test(id)) throw invalidValue(`${at}[${i}].value`, 'must be a User id');
    return id.toLowerCase();
  });
}

/**
 * The member a path names, as Entra ID removes one: `members[value eq "…"]`. Null for the plain
 * `members` path; an invalidPath error for anything else.
 */
function memberInPath(path: string, i: number): string | null {
  if (/^members$/i.test(path)) return null;
  const match = /^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$/i.exec(path);
  if (!match)
    throw new ScimError(
      400,
      `Operations[${i}].path: only members or members[value eq "..."] can be changed`,
      'invalidPath',
    );
  if (!UUID.test(match[1]!)) throw invalidValue(`Operations[${i}].path`, 'must name a User id');
  return match[1]!.toLowerCase();
}

/**
 * PATCH members: `add` and `remove` (a list in `value`, or one member in the path) and `replace`
 * (the whole membership). Applied in order to the current membership; the result is checked as a
 * whole, then each practitioner's role is given or taken in one transaction.
 */
export async function patchGroup(
  { db }: ScimDeps,
  id: string,
  body: unknown,
  request: AdminRequest,
  baseUrl: string,
): Promise<Json> {
  const role = roleOf(id);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ScimError(400, 'the request body must be a SCIM PatchOp', 'invalidSyntax');
  const { schemas, Operations } = body as Json;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP)) throw invalidValue('schemas', `must include ${PATCH_OP}`);
  if (!Array.isArray(Operations) || Operations.length === 0 || Operations.length > 50)
    throw invalidValue('Operations', 'must be a list of 1–50 operations');

  const current = new Set((await roleHolders(db, role)).map((m) => m.id));
  const members = new Set(current);
  for (const [i, raw] of Operations.entries()) {
    const op = (typeof raw === 'object' && raw !== null ? raw : {}) as Json;
    const kind = typeof op.op === 'string' ? op.op.toLowerCase() : '';
    if (!['add', 'replace', 'remove'].includes(kind))
      throw invalidValue(`Operations[${i}].op`, 'must be add, replace or remove');
    let path = op.path;
    let value = op.value;
    // Okta and others send `replace` without a path: { value: { displayName, members } }.
    if (
      path === undefined &&
      kind !== 'remove' &&
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value)
    ) {
      const attributes = value as Json;
      const other = Object.keys(attributes).find(
        (a) => a !== 'members' && !(a === 'displayName' && attributes.displayName === role) && a !== 'id',
      );
      if (other)
        throw new ScimError(
          400,
          `Operations[${i}].value.${other}: a Group is one of the hub's roles; only its members change`,
          'mutability',
        );
      if (!('members' in attributes)) continue;
      path = 'members';
      value = attributes.members;
    }
    if (typeof path !== 'string') throw new ScimError(400, `Operations[${i}].path: must be members`, 'invalidPath');
    if (/^displayName$/i.test(path)) {
      if (value === role) continue;
      throw new ScimError(400, `Operations[${i}].path: displayName is the role's name and cannot change`, 'mutability');
    }
    const named = memberInPath(path, i);
    if (named !== null) {
      if (kind !== 'remove')
        throw new ScimError(400, `Operations[${i}].path: a filtered members path is only for remove`, 'invalidPath');
      members.delete(named);
      continue;
    }
    if (kind === 'remove' && value === undefined) {
      members.clear();
      continue;
    }
    const ids = memberIds(value, `Operations[${i}].value`);
    if (kind === 'replace') members.clear();
    for (const member of ids) {
      if (kind === 'remove') members.delete(member);
      else members.add(member);
    }
  }

  const added = [...members].filter((m) => !current.has(m));
  const removed = [...current].filter((m) => !members.has(m));
  if (added.length + removed.length > MAX_MEMBERS)
    throw invalidValue('Operations', `must change at most ${MAX_MEMBERS} members at once`);
  const kinds = await practitionerKinds(db, added);
  for (const member of added) {
    const kind = kinds.get(member);
    if (!kind) throw invalidValue('members.value', 'names a User that is not provisioned');
    if (!roleFitsOrganisationKind(role, kind))
      throw invalidValue('members.value', "names a User whose organisation's kind cannot hold this role");
  }
  await db.transaction(async (tx) => {
    for (const member of added) {
      if (await addRole(tx, member, role))
        await recordAdminChange(tx, request, {
          action: 'practitioner.group_add',
          entity: 'practitioner',
          entityId: member,
          fields: ['roles'],
        });
    }
    for (const member of removed) {
      if (await removeRole(tx, member, role))
        await recordAdminChange(tx, request, {
          action: 'practitioner.group_remove',
          entity: 'practitioner',
          entityId: member,
          fields: ['roles'],
        });
    }
  });
  return group(role, await roleHolders(db, role), baseUrl);
}
