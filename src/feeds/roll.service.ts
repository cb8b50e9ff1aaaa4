/**
 * A school MIS keeps the school's roll current: by UPN, as the DfE Common Basic Data Set holds it
 * (UPN, legal names, date of birth, postcode; entry and leaving dates). The roll is the school's
 * only relationship with a pupil (relationship-push.ts).
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { requireUpn, type Demographics } from './feed-validate';
import type { PostReceipt } from './pending';
import { liveChildByUpn } from './relations.repo';
import { RelationshipPush, validatePush, type PushSpec } from './relationship-push';

export interface RollPushInput {
  reference: string;
  kind: string;
  effectiveDate: string;
  pupils: { upn: string; child?: Demographics | null; startedOn?: string | null; leftOn?: string | null }[];
}

export const ROLL: PushSpec = {
  feed: 'roll',
  involvement: 'on_roll',
  source: 'mis_roll',
  action: 'pushSchoolRoll',
  async match(work, upn) {
    const child = await liveChildByUpn(work.tx, upn);
    return child ? { matched: true, child } : { matched: false, reason: 'no_match', candidates: [] };
  },
};

export class RollFeed {
  private readonly push: RelationshipPush;
  constructor(deps: { db: Db; clock: Clock }) {
    this.push = new RelationshipPush(deps);
  }

  async post(input: RollPushInput, caller: Caller, audit: AuditCollector): Promise<PostReceipt> {
    const valid = validatePush(
      { ...input, entries: input.pupils.map((p) => ({ ...p, id: p.upn })) },
      { list: 'pupils', id: 'upn' },
      requireUpn,
      this.push.today(),
    );
    return this.push.push(ROLL, valid, caller, audit);
  }
}
