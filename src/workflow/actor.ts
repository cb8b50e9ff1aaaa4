import type { AccessDecider } from '../access/access-decider';
import type { AuditCollector } from '../audit/audit-collector';
import type { Caller } from '../auth/caller';

/** Who is acting in a workflow call: the verified caller, the request's access decision and audit. */
export interface Actor {
  readonly caller: Caller;
  readonly access: AccessDecider;
  readonly audit: AuditCollector;
}

export const CLUSTERS = ['north_west', 'north', 'west', 'east', 'central', 'south'] as const;
export type Cluster = (typeof CLUSTERS)[number];
