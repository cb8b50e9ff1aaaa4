/**
 * Notify-on-access (as NHS CP-IS does): the child's lead practitioner can ask who outside the
 * team around the family — organisations with no involvement in force — viewed the child
 * recently: organisation, role, time and categories. Never case content, never the viewer's name.
 */
import type { AccessDecider } from '../access/access-decider';
import { practitionerBySubject } from '../access/access.repo';
import type { Db } from '../db';
import { BadUserInputError, NoRelationshipError } from '../errors';
import { partnershipDate, type Clock } from '../shared/clock';
import { isUuid } from '../shared/validate';
import type { AuditCollector } from './audit-collector';
import { mergeGroup } from './audit.repo';
import { isLeadPractitioner, teamOrganisations, viewsByOthers, type OutsideView } from './access-notifications.repo';

export interface AccessNotificationServiceOptions {
  db: Db;
  clock: Clock;
  /** Most views returned [200]. */
  limit?: number;
}

export const LEAD_PRACTITIONER_BASIS = 'lead_practitioner:access notification (Children Act 2004 s10)';

export class AccessNotificationService {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly limit: number;

  constructor({ db, clock, limit = 200 }: AccessNotificationServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.limit = limit;
  }

  async recentAccessByOthers(childId: string, since: Date, access: AccessDecider, audit: AuditCollector): Promise<OutsideView[]> {
    access.requirePurpose();
    const now = this.clock.now();
    if (Number.isNaN(since.getTime()) || since > now) throw new BadUserInputError('since', 'must be a date-time in the past');
    const today = partnershipDate(now);
    // Not the lead practitioner, unknown child, unknown practitioner: the same NO_RELATIONSHIP.
    const group = isUuid(childId) ? await mergeGroup(this.db, childId.toLowerCase()) : null;
    const practitioner = await practitionerBySubject(this.db, access.caller.subject, access.caller.organisationId);
    if (!group || !practitioner || !(await isLeadPractitioner(this.db, group.ids, practitioner.id, today))) {
      throw new NoRelationshipError();
    }
    const team = await teamOrganisations(this.db, group.ids, today);
    const views = await viewsByOthers(this.db, group.ids, since, team, this.limit);
    audit.oversaw(group.liveId, 'Query.recentAccessByOthers', LEAD_PRACTITIONER_BASIS);
    return views;
  }
}
