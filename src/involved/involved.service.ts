/**
 * Who else is involved: for a referral being screened and for a TAF, the
 * organisations already involved with the child — so the screener can "check with systems and
 * other professionals" (the partnership's Early Help protocol). Each link is filed under the ISA category it reveals (a
 * school roll is education, a health level is health, an Operation Encompass notification is
 * police …); the category guard then shows each list only where the caller's role and the family's
 * consent (or a safeguarding override) allow, redacting the rest with a typed error and auditing both.
 */
import type { DataCategory } from '../access/categories';
import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import { findReferral } from '../referral/referral.repo';
import { findEhaById } from './involved-case.repo';
import { currentInvolvements, feedContacts, openCases, type InvolvedRow } from './involved.repo';

/** The view's source: the child, what it is about, and the links sorted by category. */
export interface InvolvedView {
  childId: string;
  referralId: string | null;
  ehaId: string | null;
  byCategory: Map<DataCategory, InvolvedRow[]>;
}

/** Which ISA category a link reveals. */
export function categoryOf(row: InvolvedRow): DataCategory {
  switch (row.source) {
    case 'health_feed':
      return 'health';
    case 'attendance_feed':
      return 'education';
    case 'police_feed':
      return 'police';
    case 'social_care':
      return 'social_care';
    case 'vcs_feed':
    case 'open_eha':
      return 'early_help';
    case 'involvement':
      switch (row.relationship) {
        case 'on_roll':
          return 'education';
        case 'caseload':
          return row.organisationKind === 'health' ? 'health' : 'early_help';
        case 'police_notification':
        case 'operation_encompass':
          return 'police';
        case 'allocated_social_worker':
          return 'social_care';
        default:
          return 'early_help';
      }
  }
}

export class InvolvedService {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  async forReferral(referralId: string, actor: Actor): Promise<InvolvedView> {
    actor.access.requirePurpose();
    const referral = await findReferral(this.deps.db, requireUuid('referralId', referralId));
    const childId = await this.related(referral?.childId ?? null, ['referral', referralId], actor);
    return this.view(childId, referral!.id, referral!.ehaId ?? null);
  }

  async forEha(ehaId: string, actor: Actor): Promise<InvolvedView> {
    actor.access.requirePurpose();
    const eha = await findEhaById(this.deps.db, requireUuid('ehaId', ehaId));
    const childId = await this.related(eha?.childId ?? null, ['eha', ehaId], actor);
    return this.view(childId, eha!.referralId ?? null, eha!.id);
  }

  /** The same NO_RELATIONSHIP whether the record is missing or not the caller's. */
  private async related(childId: string | null, asked: string[], actor: Actor): Promise<string> {
    // A missing record is decided on a stand-in child (the keyed hash of what was asked): same work, same audit.
    const id = childId ?? actor.audit.standIn(asked);
    await actor.access.requireRelationship(id, 'early_help', asked);
    return id;
  }

  private async view(childId: string, referralId: string | null, ehaId: string | null): Promise<InvolvedView> {
    const now = this.deps.clock.now();
    const rows = [
      ...(await currentInvolvements(this.deps.db, childId, now)),
      ...(await feedContacts(this.deps.db, childId)),
      ...(await openCases(this.deps.db, childId)),
    ];
    const byCategory = new Map<DataCategory, InvolvedRow[]>();
    for (const row of rows) {
      const category = categoryOf(row);
      const list = byCategory.get(category);
      if (list) list.push(row);
      else byCategory.set(category, [row]);
    }
    return { childId, referralId, ehaId, byCategory };
  }
}
