/**
 * Records an administrator's change inside the change's transaction: the record and the
 * attribute names changed, never their values (a practitioner's email is personal data too).
 */
import type { Caller } from '../auth/caller';
import type { Tx } from '../db';
import { insertAdminChange } from './admin-audit.repo';

export interface AdminChange {
  action: string;
  entity: 'practitioner' | 'organisation' | 'term_dates' | 'indicator_figure';
  entityId: string;
  fields: string[];
}

export interface AdminRequest {
  caller: Caller;
  requestId: string;
  channel: 'scim' | 'graphql';
  at: Date;
}

export async function recordAdminChange(tx: Tx, request: AdminRequest, change: AdminChange): Promise<void> {
  await insertAdminChange(tx, {
    occurredAt: request.at,
    requestId: request.requestId,
    callerSubject: request.caller.subject,
    callerOrganisationId: request.caller.organisationId,
    callerRole: request.caller.role,
    clientId: request.caller.clientId,
    channel: request.channel,
    action: change.action,
    entity: change.entity,
    entityId: change.entityId,
    fields: [...new Set(change.fields)].sort(),
  });
}
