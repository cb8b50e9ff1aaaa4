/**
 * Operation Encompass, for every child. The police post an incident with the children present;
 * for each matched child under 18 the hub notifies the designated safeguarding lead of the
 * education setting holding the child on roll (a school or college from reception age, an early
 * years setting below it) — or, with none, the council Early Help team (and below reception age
 * the health visitor's trust on whose caseload the child is) — with a deadline at the start of the
 * next school day after the hub received it, on the setting's own term calendar or the LA's. Children not matched with certainty are held for review;
 * their notification is created when the match is resolved, its deadline counted from then.
 * The location and circumstances are stored for the recipient; never logged.
 *
 * The receipt says only RECEIVED: whether a child matched, is on a roll or is unknown is not the
 * sender's to learn from it, nor from how long the answer took: the request only stores the
 * incident and audits its receipt; the children are matched, notified or held in the feed inbox
 * after the answer. A matched child gives the sending force a narrow link: an involvement
 * that counts only for the Operation Encompass purpose (relationship-kinds.ts) and ends after
 * `encompassLinkDays` — never a general relationship.
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
import type { FeedInbox } from './feed-inbox';
import { askedFor, holdForReview, received, type PostReceipt } from './pending';
import * as repo from './police.repo';
import {
  closuresBetween,
  ensureInvolvementUntil,
  firstOrganisationOfKind,
  healthCaseloadOf,
  settingOnRoll,
} from './relations.repo';
import { DEFAULT_SCHOOL_DAY, isSchoolAge, isUnder18, nextSchoolDayStart, type SchoolDayRule } from './school-day';
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

export const NOTIFICATION_ROUTES = [
  'school_dsl',
  'college_dsl',
  'early_years_setting',
  'health_visitor',
  'early_help_team',
  'none',
] as const;
export type NotificationRoute = (typeof NOTIFICATION_ROUTES)[number];

interface Recipient {
  organisationId: string;
  route: Exclude<NotificationRoute, 'none'>;
  /** Whose term calendar the deadline rolls over: the setting's own (else the LA's), or the LA's. */
  calendar: string | null;
  /** Whether the recipient needs the purpose-limited link to read the notification (no roll of its own). */
  link: boolean;
}

export interface PoliceOptions {
  db: Db;
  clock: Clock;
  inbox: FeedInbox;
  /** School day start and time zone (default 08:30 Europe/London); closures come from `school_closures`. */
  schoolDay?: SchoolDayRule;
  /** The council Early Help team receiving notifications for children with no school (default: the first council_early_help organisation). */
  earlyHelpTeamOrganisationId?: string;
  /** Days the sending force's Operation Encompass link to a matched child lasts (default 28). */
  encompassLinkDays?: number;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export class PoliceFeed {
  readonly schoolDay: SchoolDayRule;
  constructor(private readonly options: PoliceOptions) {
    this.schoolDay = options.schoolDay ?? DEFAULT_SCHOOL_DAY;
    options.inbox.handle('police', (work, submission, payload, audit) =>
      this.receive(work, submission, payload as ValidIncident, audit),
    );
  }

  validate(input: PoliceIncidentSubmission): ValidIncident {
    const now = this.options.clock.now();
    if (!ISO_INSTANT.test(input.occurredAt) || Number.isNaN(Date.parse(input.occurredAt))) {
      throw new BadUserInputError('occurredAt', 'must be a date and time with a zone, e.g. 2026-10-23T22:30:00+01:00');
    }
    const occurredAt = new Date(input.occurredAt);
    if (occurredAt.getTime() > now.getTime() + 5 * 60_000)
      throw new BadUserInputError('occurredAt', 'must not be in the future');
    if (input.children.length === 0 || input.children.length > 20)
      throw new BadUserInputError('children', 'give 1 to 20 children');
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

  async notify(input: PoliceIncidentSubmission, caller: Caller, audit: AuditCollector): Promise<PostReceipt> {
    const incident = this.validate(input);
    const at = this.options.clock.now();
    const { response } = await runOnce<PostReceipt>({
      db: this.options.db,
      caller,
      at,
      audit,
      payload: incident,
      key: { organisationId: caller.organisationId, feed: 'police', externalRef: incident.policeReference },
      inbox: this.options.inbox.entry(incident, audit),
      apply: async (work, submissionId) => {
        // Under what was sent for each child, known or not: the request must not look them up.
        for (const child of incident.children)
          work.changes.push({
            childId: audit.standIn(askedFor(child)),
            action: 'notifyPoliceIncident',
            fields: ['received'],
          });
        return received(submissionId);
      },
    });
    this.options.inbox.kick(audit);
    return response;
  }

  /** After the receipt (the feed inbox): the incident kept, each child matched and notified, or held. */
  private async receive(
    work: FeedWork,
    submission: { id: string; organisationId: string },
    incident: ValidIncident,
    audit: AuditCollector,
  ): Promise<void> {
    const row = await repo.insertIncident(work.tx, {
      organisationId: submission.organisationId,
      policeReference: incident.policeReference,
      occurredAt: new Date(incident.occurredAt),
      location: incident.location,
      circumstances: incident.circumstances,
      receivedAt: work.at,
    });
    for (const child of incident.children) {
      const part = await repo.insertIncidentChild(work.tx, {
        incidentId: row.id,
        present: child.present,
        whereDuring: child.whereDuring,
        voiceOfChild: child.voiceOfChild,
      });
      const match = await matchChild(work.tx, child);
      if (!match.matched) {
        await holdForReview(work, {
          submissionId: submission.id,
          feed: 'police',
          reason: match.reason,
          candidates: match.candidates,
          explanation: match.explanation,
          payload: {
            incidentId: row.id,
            incidentChildId: part.id,
            policeOrganisationId: submission.organisationId,
            child,
          },
          audited: { childId: audit.standIn(askedFor(child)), action: 'notifyPoliceIncident' },
        });
        continue;
      }
      await this.applyChild(
        work,
        match.child.id,
        match.child.dateOfBirth,
        row.id,
        part.id,
        submission.organisationId,
        'notifyPoliceIncident',
      );
    }
  }

  /** Links a matched child to the incident and notifies its setting, health visitor or the Early Help team. */
  async applyChild(
    work: FeedWork,
    childId: string,
    dateOfBirth: string | null,
    incidentId: string,
    incidentChildId: string,
    policeOrgId: string,
    action: string,
  ): Promise<void> {
    const { tx, at } = work;
    await repo.setIncidentChild(tx, incidentChildId, childId);
    const linkFrom = partnershipDate(at);
    await ensureInvolvementUntil(
      tx,
      childId,
      policeOrgId,
      'operation_encompass',
      linkFrom,
      addDays(linkFrom, this.options.encompassLinkDays ?? 28),
      { source: 'police_notification', assertedBySubject: work.caller.subject },
    );
    const today = localDate(at, this.schoolDay.timeZone);
    const notifications: repo.NotificationRow[] = [];
    for (const to of await this.recipients(work, childId, dateOfBirth, today)) {
      if (to.link)
        await ensureInvolvementUntil(
          tx,
          childId,
          to.organisationId,
          'encompass_recipient',
          linkFrom,
          addDays(linkFrom, this.options.encompassLinkDays ?? 28),
          { source: 'police_notification', assertedBySubject: work.caller.subject },
        );
      const closures = await closuresBetween(tx, today, addDays(today, 366), to.calendar);
      notifications.push(
        await repo.insertNotification(tx, {
          incidentId,
          incidentChildId,
          childId,
          recipientOrganisationId: to.organisationId,
          route: to.route,
          deadline: nextSchoolDayStart(at, closures, this.schoolDay),
          createdAt: at,
        }),
      );
    }
    const notification = notifications[0] ?? null;
    const fields = notification ? ['policeIncident', 'policeNotification'] : ['policeIncident'];
    const eha = await openEhaSummaryOfChild(tx, childId);
    await recordCaseEvent(tx, {
      childId,
      kind: 'police_notification',
      categories: ['police'],
      changedFields: fields,
      at,
      refs: { incidentId, ...(notification ? { notificationId: notification.id } : {}) },
      cluster: eha?.cluster ?? null,
      actor: work.caller,
    });
    work.changes.push({ childId, action, fields });
  }

  /**
   * Who is notified, on whose calendar. Reception to 17: the school or college holding the child on
   * roll, else the council Early Help team (home educated, 16–17 on no roll). Below reception: the
   * early years setting holding the child on roll, else the health visitor's trust on whose
   * caseload the child is and the council team. A recipient without another relationship to the
   * child gets the purpose-limited `encompass_recipient` link, which is what it reads by.
   */
  private async recipients(
    work: FeedWork,
    childId: string,
    dateOfBirth: string | null,
    today: string,
  ): Promise<Recipient[]> {
    const { tx } = work;
    if (!dateOfBirth || !isUnder18(dateOfBirth, today)) return [];
    const council = async (): Promise<Recipient> => {
      const id = this.options.earlyHelpTeamOrganisationId ?? (await firstOrganisationOfKind(tx, 'council_early_help'));
      invariant(id, 'no council Early Help team organisation to route police notifications to');
      return { organisationId: id, route: 'early_help_team', calendar: null, link: true };
    };
    if (isSchoolAge(dateOfBirth, today)) {
      const setting = await settingOnRoll(tx, childId, today, ['school', 'college']);
      if (setting)
        return [
          {
            organisationId: setting.id,
            route: setting.kind === 'college' ? 'college_dsl' : 'school_dsl',
            calendar: setting.id,
            link: false,
          },
        ];
      return [await council()];
    }
    const setting = await settingOnRoll(tx, childId, today, ['early_years']);
    if (setting)
      return [{ organisationId: setting.id, route: 'early_years_setting', calendar: setting.id, link: false }];
    const trust = await healthCaseloadOf(tx, childId, today);
    return [
      ...(trust ? [{ organisationId: trust, route: 'health_visitor' as const, calendar: null, link: true }] : []),
      await council(),
    ];
  }

  /** Notifications addressed to the caller's organisation (a DSL's school, or the Early Help team). */
  async listFor(caller: Caller, acknowledged: boolean | null, first: number): Promise<repo.NotificationView[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw new BadUserInputError('first', 'must be between 1 and 200');
    return repo.notificationsFor(this.options.db, caller.organisationId, acknowledged, first);
  }

  /** Acknowledges a notification addressed to the caller's organisation; others are NOT_FOUND. */
  async acknowledge(id: string, caller: Caller, audit: AuditCollector): Promise<repo.NotificationView> {
    requireUuid('id', id);
    const at = this.options.clock.now();
    const view = await this.options.db.transaction(async (tx) => {
      const found = await repo.notificationById(tx, id);
      if (!found || found.recipientOrganisationId !== caller.organisationId) {
        // Another organisation's notification and none at all look alike, and both are audited.
        audit.attempted(found?.childId ?? null, ['police_notification', id]);
        throw new NotFoundError('Police notification');
      }
      if (await repo.acknowledge(tx, id, caller.subject, at)) {
        const eha = await openEhaSummaryOfChild(tx, found.childId);
        await recordCaseEvent(tx, {
          childId: found.childId,
          kind: 'police_notification',
          categories: ['police'],
          changedFields: ['acknowledgedAt'],
          at,
          refs: { incidentId: found.incidentId, notificationId: id },
          cluster: eha?.cluster ?? null,
          actor: caller,
        });
        await audit.changedIn(tx, [
          { childId: found.childId, action: 'acknowledgePoliceNotification', fields: ['acknowledgedAt'] },
        ]);
      }
      return (await repo.notificationById(tx, id))!;
    });
    return view;
  }

  /**
   * The local authority's cross-setting view: every notification past its deadline and not yet
   * acknowledged, whoever it was routed to. Which setting is late, not what happened: no child
   * and no content, so it needs no relationship with the children.
   */
  async overdueAcrossSettings(
    first: number,
    after: string | null,
  ): Promise<{ rows: repo.OverdueNotificationRow[]; hasNextPage: boolean }> {
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw new BadUserInputError('first', 'must be between 1 and 200');
    const key = after ? { deadline: new Date(after.slice(0, 24)), id: after.slice(25) } : null;
    const rows = await repo.overdueUnacknowledged(this.options.db, this.options.clock.now(), key, first + 1);
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  isOverdue(n: { deadline: Date; acknowledgedAt: Date | null }): boolean {
    const ackOrNow = n.acknowledgedAt ?? this.options.clock.now();
    return ackOrNow.getTime() > n.deadline.getTime();
  }
}
