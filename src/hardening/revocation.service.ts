/**
 * Revoking a service account: validated input, one row in revoked_credentials, a log line with
 * ids only. Every instance's RevocationList picks it up within its cache window.
 */
import type { Caller } from '../auth/caller';
import type { Db } from '../db';
import { BadUserInputError } from '../errors';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { insertRevocation, restoreRevocations } from './revocation.repo';

interface Deps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

const CLIENT_ID = /^[\w.:@/-]{1,200}$/;

function requireClientId(clientId: string): string {
  const value = clientId.trim();
  if (!CLIENT_ID.test(value)) throw new BadUserInputError('clientId', 'must be 1–200 letters, digits or . _ : @ / -');
  return value;
}

export async function revokeServiceAccount(
  deps: Deps,
  input: { clientId: string; reason: string; issuer: string | null },
  by: Caller,
): Promise<void> {
  const value = requireClientId(input.clientId);
  const reason = input.reason.trim();
  if (!reason || reason.length > 500) throw new BadUserInputError('reason', 'must be 1–500 characters');
  const issuer = input.issuer?.trim() || null;
  if (issuer !== null && issuer.length > 300) throw new BadUserInputError('issuer', 'must be at most 300 characters');
  await insertRevocation(deps.db, {
    kind: 'client',
    value,
    issuer,
    reason,
    revokedAt: deps.clock.now(),
    revokedBySubject: by.subject,
    revokedByOrganisationId: by.organisationId,
  });
  deps.logger.warn(
    { event: 'service_account_revoked', byOrganisationId: by.organisationId, byRole: by.role },
    'service account revoked',
  );
}

export async function restoreServiceAccount(deps: Deps, clientId: string): Promise<number> {
  return restoreRevocations(deps.db, 'client', requireClientId(clientId), deps.clock.now());
}
