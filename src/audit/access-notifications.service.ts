/**
 * Notify-on-access, as NHS CP-IS does: the team around the family (the TAF) hears who outside it
 * viewed the child. The team is the lead practitioner, the named TAF members and the allocated
 * council Early Help team (the open EHA's family support manager); a school on roll, a health
 * caseload or a police notification alone does not make an organisation part of it. Told: the
 * lead practitioner and the responsible council team; the DPO may ask about any child.
 *
 * What is told about a view: the organisation (name, kind), the role, the purpose stated, the
 * time and the categories returned — never the viewer's name or subject, never case content. An
 * organisation and a role are enough to ask the organisation why; naming the practitioner would
 * disclose personal data of someone who may have had every reason to look.
 *
 * The same people are told as it happens: as the audit checkpointer logs each row, the first view
 * of the child by an organisation outside the team in a day (ANNOUNCE_WINDOW_MS) becomes an
 * `accessed_by_others` case event, delivered on `caseChanged` only to those who may ask
 * `recentAccessByOthers` (src/gateway/transports/websocket-events.ts), which lists every view. A
 * school looking a pupil up twenty times a day is one thing for the team to know, not twenty,
 * and announcing each would cost every lookup a case event and its team's reads. The checkpointer
 * runs once per row, under its lock and off the request path, so a view is announced at most once
 * and no request waits for it.
 */
import type { AccessDecider } from '../access/access-decider';
import { isDataCategory } from '../access/categories';
import type { Caller } from '../auth/caller';
import { recordCaseEvent } from '../events/case-events';
import { practitionerBySubject } from '../access/access.repo';
import { Capability, hasCapability } from '../access/capabilities';
import type { Db, DbOrTx } from '../db';
import { BadUserInputError, NoRelationshipError, NotFoundError } from '../errors';
import type { Clock } from '../shared/clock';
import { isUuid, requireUuid } from '../shared/validate';
import type { AuditCollector } from './audit-collector';
import { mergeGroup } from './audit.repo';
import type { HashableAuditRow } from './audit-hash';
import { DPO_AUDIT_BASIS } from './dpo.service';
import {
  isLeadPractitioner,
  isResponsibleCouncilPractitioner,
  lastAnnouncedView,
  organisationLabel,
  teamOrganisations,
  viewsByOthers,
  type OutsideView,
} from './access-notifications.repo';

export interface AccessNotificationServiceOptions {
  db: Db;
  clock: Clock;
  /** Most views returned per child: CP-IS keeps the last 25 [25]. */
  limit?: number;
}

/** The case event kind of a view from outside the team (a kind no other module records). */
export const ACCESSED_BY_OTHERS = 'accessed_by_others' as const;
/** The actor of that event: the hub, never the viewer, whose subject is not disclosed. */
export const NOTIFY_ON_ACCESS_ACTOR = 'hub:notify-on-access';

export const LEAD_PRACTITIONER_BASIS = 'lead_practitioner:access notification (Children Act 2004 s10)';

/** An organisation's views of a child are announced at most once in this window (a day). */
export const ANNOUNCE_WINDOW_MS = 86_400_000;
/** How long "this organisation is in the child's team" is trusted before the team is read again. */
const TEAM_DECISION_MS = 60_000;
/** Decisions kept in memory (child, organisation); the oldest go first. */
const DECISIONS_KEPT = 50_000;

export class AccessNotificationService {
  private readonly db: Db;
  private readonly clock: Clock;
  readonly limit: number;
  /**
   * (child, organisation) → until when (by the audit's time) a view needs no announcement: one
   * was made, or the organisation is in the team. A miss reads the database, so a restart or
   * another hub's checkpointer announces nothing twice.
   */
  private readonly quietUntil = new Map<string, number>();

  constructor({ db, clock, limit = 25 }: AccessNotificationServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.limit = limit;
  }

  /** The last views (25) of the child by organisations outside the team, newest first; since a time when given. */
  async recentAccessByOthers(
    childId: string,
    since: Date | null,
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<OutsideView[]> {
    access.requirePurpose();
    const now = this.clock.now();
    if (since !== null && (Number.isNaN(since.getTime()) || since > now))
      throw new BadUserInputError('since', 'must be a date-time in the past');
    if (hasCapability(access.caller, Capability.OverseeAccess)) {
      const group = await mergeGroup(this.db, requireUuid('childId', childId));
      if (!group) throw new NotFoundError('Child');
      const views = await viewsByOthers(
        this.db,
        group.ids,
        since,
        await teamOrganisations(this.db, group.ids, now),
        this.limit,
      );
      audit.oversaw(group.liveId, 'Query.recentAccessByOthers', DPO_AUDIT_BASIS);
      return views;
    }
    // Not in the team that is told, unknown child, unknown practitioner: the same NO_RELATIONSHIP.
    const group = isUuid(childId) ? await mergeGroup(this.db, childId.toLowerCase()) : null;
    const practitioner = await practitionerBySubject(this.db, access.caller.subject, access.caller.organisationId);
    // An unknown child is checked on a stand-in id (the keyed hash of the id asked for): the same
    // statements as a known one, and the refusal audited alike.
    const ids = group?.ids ?? [audit.standIn(['child', childId])];
    const told = practitioner ? await this.isTold(this.db, ids, practitioner.id, now) : false;
    if (!group || !told) {
      audit.attempted(group?.liveId ?? null, ['child', childId]);
      throw new NoRelationshipError();
    }
    const team = await teamOrganisations(this.db, group.ids, now);
    const views = await viewsByOthers(this.db, group.ids, since, team, this.limit);
    audit.oversaw(group.liveId, 'Query.recentAccessByOthers', LEAD_PRACTITIONER_BASIS);
    return views;
  }

  /**
   * The basis on which the caller is told of views of the child from outside the team (the same
   * people `recentAccessByOthers` answers), or null: decided afresh for each notification.
   */
  async toldBasis(childId: string, caller: Caller): Promise<string | null> {
    const group = isUuid(childId) ? await mergeGroup(this.db, childId.toLowerCase()) : null;
    if (!group) return null;
    if (hasCapability(caller, Capability.OverseeAccess)) return DPO_AUDIT_BASIS;
    const practitioner = await practitionerBySubject(this.db, caller.subject, caller.organisationId);
    if (!practitioner) return null;
    return (await this.isTold(this.db, group.ids, practitioner.id, this.clock.now())) ? LEAD_PRACTITIONER_BASIS : null;
  }

  /**
   * Records an `accessed_by_others` event for each of the rows that is a view (categories
   * returned) by an organisation outside the child's team now — what `recentAccessByOthers`
   * would list. The event holds only what that query shows: the organisation (as actor and ref),
   * the role and purpose (refs), the time and the categories; the hub is its actor subject.
   */
  async recordOutsideViews(tx: DbOrTx, rows: readonly HashableAuditRow[]): Promise<() => void> {
    const decided = new Map<string, number>();
    const remember = () => {
      for (const [key, until] of decided) this.quiet(key, until);
    };
    const views = rows.filter((r) => r.categoriesReturned.length > 0);
    if (views.length === 0) return remember;
    const now = this.clock.now();
    // A batch holds many views of few children: each child's team is read once per batch.
    const teams = new Map<string, { liveId: string; team: Set<string> } | null>();
    for (const row of views) {
      const key = `${row.childId}|${row.callerOrganisationId}`;
      const at = row.occurredAt.getTime();
      // A view older than the window (a backlog after an outage, history from before the log) is
      // listed by recentAccessByOthers and not pushed: the team is told of what is happening now.
      if (now.getTime() - at > ANNOUNCE_WINDOW_MS) continue;
      if ((decided.get(key) ?? this.quietUntil.get(key) ?? Number.NEGATIVE_INFINITY) > at) continue;
      // Announced already (the usual case once a hub has run a day): one read, no team.
      const last = await lastAnnouncedView(
        tx,
        [row.childId],
        row.callerOrganisationId,
        new Date(at - ANNOUNCE_WINDOW_MS),
      );
      if (last) {
        decided.set(key, last.getTime() + ANNOUNCE_WINDOW_MS);
        continue;
      }
      let team = teams.get(row.childId);
      if (team === undefined) {
        const group = await mergeGroup(tx, row.childId);
        team = group ? { liveId: group.liveId, team: new Set(await teamOrganisations(tx, group.ids, now)) } : null;
        teams.set(row.childId, team);
      }
      if (!team) continue;
      if (team.team.has(row.callerOrganisationId)) {
        decided.set(key, at + TEAM_DECISION_MS);
        continue;
      }
      await recordCaseEvent(tx, {
        childId: team.liveId,
        kind: ACCESSED_BY_OTHERS,
        categories: row.categoriesReturned.filter(isDataCategory),
        changedFields: [],
        refs: {
          organisationId: row.callerOrganisationId,
          callerRole: row.callerRole,
          ...(row.purpose ? { purpose: row.purpose } : {}),
        },
        actor: { subject: NOTIFY_ON_ACCESS_ACTOR, organisationId: row.callerOrganisationId },
        at: row.occurredAt,
      });
      decided.set(key, at + ANNOUNCE_WINDOW_MS);
    }
    return remember;
  }

  /** Remembers a decision once what it rests on has committed; the oldest decisions go first. */
  private quiet(key: string, until: number): void {
    this.quietUntil.delete(key);
    this.quietUntil.set(key, until);
    if (this.quietUntil.size > DECISIONS_KEPT) {
      const oldest = this.quietUntil.keys().next().value;
      if (oldest !== undefined) this.quietUntil.delete(oldest);
    }
  }

  /** The view an `accessed_by_others` event announces, in the form `recentAccessByOthers` gives it. */
  async viewOf(event: {
    occurredAt: Date;
    categories: readonly string[];
    refs: Readonly<Record<string, unknown>>;
  }): Promise<OutsideView> {
    const ref = (name: string) => (typeof event.refs[name] === 'string' ? (event.refs[name] as string) : null);
    const organisationId = ref('organisationId') ?? '';
    const organisation = isUuid(organisationId) ? await organisationLabel(this.db, organisationId) : null;
    return {
      organisationId,
      organisationName: organisation?.name ?? null,
      organisationKind: organisation?.kind ?? null,
      callerRole: ref('callerRole') ?? '',
      purpose: ref('purpose'),
      occurredAt: event.occurredAt,
      categories: [...event.categories],
    };
  }

  private async isTold(db: DbOrTx, ids: readonly string[], practitionerId: string, now: Date): Promise<boolean> {
    return (
      (await isLeadPractitioner(db, ids, practitionerId, now)) ||
      (await isResponsibleCouncilPractitioner(db, ids, practitionerId, now))
    );
  }
}
