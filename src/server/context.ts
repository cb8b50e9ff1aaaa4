/**
 * The per-request context: who is calling (verified), why (purpose), and the per-request caches
 * (access decisions, loaders, audit collector). Built fresh for every request and every
 * subscription event, so nothing one caller was allowed leaks into another's answer.
 */
import type { AccessDecider } from '../access/access-decider';
import type { Purpose } from '../access/purposes';
import type { AuditCollector } from '../audit/audit-collector';
import type { Caller } from '../auth/caller';
import type { HubServices } from './services';

export interface HubContext {
  readonly requestId: string;
  readonly caller: Caller;
  readonly purpose: Purpose | null;
  readonly services: HubServices;
  readonly access: AccessDecider;
  readonly audit: AuditCollector;
  /** GraphQL operation type of the request, recorded in the audit. */
  operation?: string;
}
