import { CLUSTERS, type Cluster } from '../../schema/tables/core';
import type { AccessDecider } from '../access/access-decider';
import type { AuditCollector } from '../audit/audit-collector';
import type { Caller } from '../auth/caller';

/** Who is acting in a workflow call: the verified caller, the request's access decision and audit. */
export interface Actor {
  readonly caller: Caller;
  readonly access: AccessDecider;
  readonly audit: AuditCollector;
}

/** The six clusters are declared once, with the database enum built from them. */
export { CLUSTERS, type Cluster };
