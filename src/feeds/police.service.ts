/**
 * Operation Encompass. The police post an incident with the children present; for each matched
 * child of school age (reception to 17) the hub notifies the designated safeguarding lead of the
 * child's school (active on_roll involvement) — or, with no school (home educated, not on any
 * roll), the council Early Help team — with a deadline at the start of the recipient's next
 * school day after the hub received it. Children not matched with certainty are held for review;
 * their notification is created when the match is resolved, its deadline counted from then.
 * The location and circumstances are stored for the recipient; never logged.
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db } from '../db';
import { openEhaSummaryOfChild } from '../eha/eha.repo';
import { BadUserInputError, NotFoundError, invariant } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { localDate, partnershipDate, type Clock } from '../shared/clock';
import { optionalText, requireText, requireUuid } from '../shared/validate';
import { matchChild, type ChildDescription } from './child-matcher';
import { validateDescription } from './feed-validate';
import { holdForReview, type FeedReceipt } from './pending';
import * as repo from './police.repo';
import { closuresBetween, ensureInvolvement, firstOrganisationOfKind, schoolOnRoll } from './relations.repo';
import { DEFAULT_SCHOOL_DAY, isSchoolAge, nextSchoolDayStart, type SchoolDayRule } from './school-day';
import { addDays } from '../shared/calendar';
import { runOnce, type FeedWork } from './submission';

export interface PoliceChildInput extends ChildDescription {
  present: boolean;
  whereDuring?: string | null;
  voiceOfChild?: string | null;
}

/** An incident in the hub's shape (adapters map each force's message to it). */
export interface PoliceIncidentSubmission {
  policeReference: string;
  /** ISO 8601 instant with a zone, e.g. 2026-10-23T22:30:00+01:00. */
  occurredAt: string;
  location: string;
  circumstances: string;
  children: PoliceChildInput[];
}

export interface ValidPoliceChild extends ChildDescription {
  present: boolean;
  whereDuring: string | null;
  voiceOfChild: string | null;
}

export interface ValidIncident {
  policeReference: string;
  occurredAt: string;
  location: string;
  circumstances: string;
  children: ValidPoliceChild[];
}

export type NotificationRoute = 'school_dsl' | 'early_help_team' | 'none';

export interface PoliceChildReceipt extends FeedReceipt {
  index: number;
  route: NotificationRoute | null;
  deadline: string | null;
}

export interface PoliceOptions {
  db: Db;
  clock: Clock;
  /** School day start and time zone (default 08:30 Europe/London); closures come from `school_closures`. */
  schoolDay?: SchoolDayRule;
  /** The council Early Help team receiving notifications for children with no school (default: the first council_early_help organisation). */
  earlyHelpTeamOrganisationId?: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export class PoliceFeed {
  readonly schoolDay: SchoolDayRule;
  constructor(private readonly options: PoliceOptions) {
    this.schoolDay = options.schoolDay ?? DEFAULT_SCHOOL_DAY;
  }

  validate(input: PoliceIncidentSubmission): ValidIncident {
    const now = this.options.clock.now();
    if (!ISO_INSTANT.test(input.occurredAt) || Number.isNaN(Date.parse(input.occurredAt))) {
      throw new BadUserInputError('occurredAt', 'must be a date and time with a zone, e.g. 2026-10-23T22:30:00+01:00');
    }
    const occurredAt = new Date(input.occurredAt);
    if (occurredAt.getTime() > now.getTime() + 5 * 60_000) throw new BadUserInputError('occurredAt', 'must not be in the future');
    if (input.children.length === 0 || input.children.length > 20) throw new BadUserInputError('children', 'give 1 to 20 children');
    const today = partnershipDate(now);
    return {
      policeReference: requireText('policeReference', input.policeReference, { max: 60 }),
      occurredAt: occurredAt.toISOString(),
      location: requireText('location', input.location, { max: 300 }),
      circumstances: requireText('circumstances', input.circumstances, { max: 2000 }),
      children: input.children.map((c, i) => ({
        ...validateDescription(`children[${i}].`, c, today),
        present: Boolean(c.present),
        whereDuring: optionalText(`children[${i}].whereDuring`, c.whereDuring, 300),
        voiceOfChild: optionalText(`children[${i}].voiceOfChild`, c.voiceOfChild, 2000),
      })),
    };
  }

  async notify(input: PoliceIncidentSubmission, caller: Caller, audit: AuditCollector): Promise<PoliceChildReceipt[]> {
    const incident = this.validate(input);
    const at = this.options.clock.now();
    const { response } = await runOnce<PoliceChildReceipt[]>({
      db: this.options.db, caller, at, audit, payload: incident,
      key: { organisationId: caller.organisationId, feed: 'police', externalRef: incident.policeReference },
      apply: async (work, submissionId) => {
        const row = await repo.insertIncident(work.tx, {
          organisationId: caller.organisationId, policeReference: incident.policeReference, occurredAt: new Date(incident.occurredAt),
          location: incident.location, circumstances: incident.circumstances, receivedAt: at,
        });
        const receipts: PoliceChildReceipt[] = [];
        for (const [index, child] of incident.children.entries()) {
          const part = await repo.insertIncidentChild(work.tx, {
            incidentId: row.id, present: child.present, whereDuring: child.whereDuring, voiceOfChild: child.voiceOfChild,
          });
          const match = await matchChild(work.tx, child);
          if (!match.matched) {
            const held = await holdForReview(work, {
              submissionId, feed: 'police', reason: match.reason, candidates: match.candidates,
              payload: { incidentId: row.id, incidentChildId: part.id, policeOrganisationId: caller.organisationId, child },
            });
            receipts.push({ index, ...held, route: null, deadline: null });
            continue;
          }
          receipts.push({ index, ...(await this.applyChild(work, match.child.id, match.child.dateOfBirth, row.id, part.id, caller.organisationId, 'notifyPoliceIncident')) });
        }
        return receipts;
      },
    });
    return response;
  }

  /** Links a matched child to the incident and notifies its school or the Early Help team. */
  async applyChild(work: FeedWork, childId: string, dateOfBirth: string | null, incidentId: string, incidentChildId: string, policeOrgId: string, action: string): Promise<Omit<PoliceChildReceipt, 'index'>> {
    const { tx, at } = work;
    await repo.setIncidentChild(tx, incidentChildId, childId);
    await ensureInvolvement(tx, childId, policeOrgId, 'police_notification', partnershipDate(at));
    const today = localDate(at, this.schoolDay.timeZone);
    let notification: repo.NotificationRow | null = null;
    let route: NotificationRoute = 'none';
    if (isSchoolAge(dateOfBirth, today)) {
      const school = await schoolOnRoll(tx, childId, today);
      const recipient = school ?? this.options.earlyHelpTeamOrganisationId ?? await firstOrganisationOfKind(tx, 'council_early_help');
      invariant(recipient, 'no council Early Help team organisation to route police notifications to');
      route = school ? 'school_dsl' : 'early_help_team';
      const closures = await closuresBetween(tx, today, addDays(today, 366), school ? [school] : []);
      notification = await repo.insertNotification(tx, {
        incidentId, incidentChildId, childId, recipientOrganisationId: recipient, route,
        deadline: nextSchoolDayStart(at, closures, this.schoolDay), createdAt: at,
      });
    }
    const fields = notification ? ['policeIncident', 'policeNotification'] : ['policeIncident'];
    const eha = await openEhaSummaryOfChild(tx, childId);
    await recordCaseEvent(tx, {
      childId, kind: 'police_notification', categories: ['police'], changedFields: fields, at,
      refs: { incidentId, ...(notification ? { notificationId: notification.id } : {}) }, cluster: eha?.cluster ?? null, actor: work.caller,
    });
    work.changes.push({ childId, action, fields });
    return {
      status: 'APPLIED', childId, recordId: notification?.id ?? incidentChildId, reference: null, route,
      deadline: notification ? notification.deadline.toISOString() : null,
    };
  }

  /** Notifications addressed to the caller's organisation (a DSL's school, or the Early Help team). */
  async listFor(caller: Caller, acknowledged: boolean | null, first: number): Promise<repo.NotificationView[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200) throw new BadUserInputError('first', 'must be between 1 and 200');
    return repo.notificationsFor(this.options.db, caller.organisationId, acknowledged, first);
  }

  /** Acknowledges a notification addressed to the caller's organisation; others are NOT_FOUND. */
  async acknowledge(id: string, caller: Caller, audit: AuditCollector): Promise<repo.NotificationView> {
    requireUuid('id', id);
    const at = this.options.clock.now();
    const view = await this.options.db.transaction(async (tx) => {
      const found = await repo.notificationById(tx, id);
      if (!found || found.recipientOrganisationId !== caller.organisationId) throw new NotFoundError('Police notification');
      if (await repo.acknowledge(tx, id, caller.subject, at)) {
        const eha = await openEhaSummaryOfChild(tx, found.childId);
        await recordCaseEvent(tx, {
          childId: found.childId, kind: 'police_notification', categories: ['police'], changedFields: ['acknowledgedAt'], at,
          refs: { incidentId: found.incidentId, notificationId: id }, cluster: eha?.cluster ?? null, actor: caller,
        });
        audit.changed(found.childId, 'acknowledgePoliceNotification', ['acknowledgedAt']);
      }
      return (await repo.notificationById(tx, id))!;
    });
    return view;
  }

  isOverdue(n: { deadline: Date; acknowledgedAt: Date | null }): boolean {
    const ackOrNow = n.acknowledgedAt ?? this.options.clock.now();
    return ackOrNow.getTime() > n.deadline.getTime();
  }
}
