/**
 * A community trust's system keeps its health caseload current (health visitor / school nurse ↔
 * child) by NHS number: the trust's only relationship with a child (relationship-push.ts). Only a
 * traced NHS number matches; anything less is held for EH DAS.
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { matchChild } from './child-matcher';
import { requireNhsNumber, type Demographics } from './feed-validate';
import type { PostReceipt } from './pending';
import { RelationshipPush, validatePush, type PushSpec } from './relationship-push';

export interface CaseloadPushInput {
  reference: string;
  kind: string;
  effectiveDate: string;
  children: { nhsNumber: string; child?: Demographics | null; startedOn?: string | null; leftOn?: string | null }[];
}

export const CASELOAD: PushSpec = {
  feed: 'caseload',
  involvement: 'caseload',
  source: 'health_caseload',
  action: 'pushHealthCaseload',
  match: (work, nhsNumber) => matchChild(work.tx, { nhsNumber }),
};

export class CaseloadFeed {
  private readonly push: RelationshipPush;
  constructor(deps: { db: Db; clock: Clock }) {
    this.push = new RelationshipPush(deps);
  }

  async post(input: CaseloadPushInput, caller: Caller, audit: AuditCollector): Promise<PostReceipt> {
    const valid = validatePush(
      { ...input, entries: input.children.map((c) => ({ ...c, id: c.nhsNumber })) },
      { list: 'children', id: 'nhsNumber' },
      requireNhsNumber,
      this.push.today(),
    );
    return this.push.push(CASELOAD, valid, caller, audit);
  }
}
