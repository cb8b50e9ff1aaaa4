/**
 * Builds the per-request context from HTTP headers: bearer token → verified caller (whose
 * organisation must be in the directory), `x-purpose-of-use` → purpose, fresh per-request caches.
 */
import { randomUUID } from 'node:crypto';
import { AccessDecider } from '../access/access-decider';
import { isPurpose, PURPOSE_HEADER, PURPOSES, type Purpose } from '../access/purposes';
import { roleFitsOrganisationKind } from '../access/organisation-roles';
import { AuditCollector } from '../audit/audit-collector';
import type { Caller } from '../auth/caller';
import type { VerifyToken } from '../auth/verify-token';
import { BadUserInputError, UnauthenticatedError } from '../errors';
import type { HubContext } from '../server/context';
import type { HubServices } from '../server/services';

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match ? match[1]! : null;
}

/**
 * Verifies a token and checks its organisation is one the hub knows and of a kind that can hold
 * the token's role (src/access/organisation-roles.ts): an issuer trusted for a school cannot make
 * a DPO of a school account.
 */
export async function authenticate(
  token: string | null,
  verifyToken: VerifyToken,
  services: HubServices,
): Promise<Caller> {
  if (!token) throw withStatus(new UnauthenticatedError(), 401);
  let caller: Caller;
  try {
    caller = await verifyToken(token);
  } catch (error) {
    throw withStatus(error instanceof UnauthenticatedError ? error : new UnauthenticatedError(), 401);
  }
  const organisation = await services.organisations.find(caller.organisationId);
  if (!organisation) throw withStatus(new UnauthenticatedError('Token organisation is not a partner of this hub'), 401);
  if (!roleFitsOrganisationKind(caller.role, organisation.kind)) {
    throw withStatus(new UnauthenticatedError('Token role cannot exist in this kind of organisation'), 401);
  }
  return caller;
}

export function parsePurpose(value: string | undefined): Purpose | null {
  if (value === undefined || value === '') return null;
  if (!isPurpose(value))
    throw withStatus(new BadUserInputError(PURPOSE_HEADER, `must be one of ${PURPOSES.join(', ')}`), 400);
  return value;
}

/** A context for one request, or one subscription event, for an already verified caller. */
export function contextFor(
  services: HubServices,
  caller: Caller,
  purpose: Purpose | null,
  requestId: string = randomUUID(),
): HubContext {
  caller = { ...caller, requestId };
  // Changes are written by mutations (graphql-js runs none in a query), named once parsed.
  const audit: AuditCollector = new AuditCollector(
    (tx, changes) =>
      services.audit.recordChanges(
        tx,
        {
          requestId,
          caller,
          purpose,
          operation: 'mutation',
          operationName: audit.operationName,
        },
        changes,
      ),
    services.auditIdentifierKey,
    { requestId, caller, purpose },
  );
  return {
    requestId,
    caller,
    purpose,
    services,
    access: new AccessDecider({
      db: services.db,
      caller,
      purpose,
      clock: services.clock,
      organisationKind: async () => (await services.organisations.find(caller.organisationId))?.kind ?? null,
      audit,
    }),
    audit,
  };
}

export async function contextFromHeaders(
  headers: Headers,
  requestId: string,
  verifyToken: VerifyToken,
  services: HubServices,
): Promise<HubContext> {
  const caller = await authenticate(bearerToken(header(headers, 'authorization')), verifyToken, services);
  return contextFor(services, caller, parsePurpose(header(headers, PURPOSE_HEADER)), requestId);
}

function withStatus<E extends { extensions: Record<string, unknown> }>(error: E, status: number): E {
  (error.extensions as Record<string, unknown>).http = { status };
  return error;
}
