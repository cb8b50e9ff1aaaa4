/**
 * Relationships from authoritative records: a school MIS pushes its roll, a community trust its
 * health caseload — a full snapshot as of a date, or starters and leavers — and the hub starts and
 * ends the organisation's involvements on those dates, each with its source and who asserted it.
 * Idempotent on the partner's reference (a retry changes nothing). A child the hub cannot match
 * with certainty is held for EH DAS, and the receipt is RECEIVED whatever was matched: a push
 * must not tell the school which UPNs the hub holds.
 */
import type { InvolvementKind } from '../access/relationship-kinds';
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db } from '../db';
import { BadUserInputError } from '../errors';
import { addDays } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireIsoDate, requireOneOf, requireText } from '../shared/validate';
import type { MatchResult } from './child-matcher';
import { validateDemographics, type Demographics } from './feed-validate';
import { holdForReview, received, type PostReceipt } from './pending';
import { activeInvolvementOf, activeInvolvements, endInvolvement, startInvolvementFrom } from './relations.repo';
import { runOnce, type FeedName, type FeedWork } from './submission';

export const PUSH_KINDS = ['SNAPSHOT', 'CHANGES'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

export interface ValidPush {
  reference: string;
  kind: PushKind;
  effectiveDate: string;
  entries: { id: string; child: Demographics; startedOn: string | null; leftOn: string | null }[];
}

export interface PushSpec {
  feed: FeedName;
  /** The involvement the push asserts (on_roll, caseload). */
  involvement: InvolvementKind;
  /** Recorded on each involvement as its source. */
  source: string;
  /** Audit action name. */
  action: string;
  /** Matches one entry's identifier to the one record, with certainty or not at all. */
  match(work: FeedWork, id: string, child: Demographics): Promise<MatchResult>;
}

/** Entries per push at most: a large secondary school's roll, with room. */
export const MAX_PUSH_ENTRIES = 5000;

export function validatePush(
  input: {
    reference: string;
    kind: string;
    effectiveDate: string;
    entries: { id: string; child?: Demographics | null; startedOn?: string | null; leftOn?: string | null }[];
  },
  field: { list: string; id: string },
  requireId: (field: string, value: string) => string,
  today: string,
): ValidPush {
  const kind = requireOneOf('kind', input.kind, PUSH_KINDS);
  const effectiveDate = requireIsoDate('effectiveDate', input.effectiveDate);
  if (input.entries.length > MAX_PUSH_ENTRIES)
    throw new BadUserInputError(field.list, `give at most ${MAX_PUSH_ENTRIES} per push`);
  const seen = new Set<string>();
  const entries = input.entries.map((e, i) => {
    const at = `${field.list}[${i}]`;
    const id = requireId(`${at}.${field.id}`, e.id);
    if (seen.has(id)) throw new BadUserInputError(`${at}.${field.id}`, 'is listed twice');
    seen.add(id);
    const startedOn = e.startedOn ? requireIsoDate(`${at}.startedOn`, e.startedOn) : null;
    const leftOn = e.leftOn ? requireIsoDate(`${at}.leftOn`, e.leftOn) : null;
    if (leftOn && kind === 'SNAPSHOT')
      throw new BadUserInputError(
        `${at}.leftOn`,
        'a snapshot lists who is there; send leavers in a CHANGES push (or leave them out of the snapshot)',
      );
    if (leftOn && startedOn && leftOn < startedOn)
      throw new BadUserInputError(`${at}.leftOn`, 'must not be before startedOn');
    return { id, child: validateDemographics(`${at}.child.`, e.child, today), startedOn, leftOn };
  });
  return { reference: requireText('reference', input.reference, { max: 100 }), kind, effectiveDate, entries };
}

export class RelationshipPush {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  today(): string {
    return partnershipDate(this.deps.clock.now());
  }

  async push(spec: PushSpec, push: ValidPush, caller: Caller, audit: AuditCollector): Promise<PostReceipt> {
    const at = this.deps.clock.now();
    const { response } = await runOnce<PostReceipt>({
      db: this.deps.db,
      caller,
      at,
      audit,
      payload: push,
      key: { organisationId: caller.organisationId, feed: spec.feed, externalRef: push.reference },
      apply: async (work, submissionId) => {
        const matched = new Set<string>();
        for (const entry of push.entries) {
          const match = await spec.match(work, entry.id, entry.child);
          if (!match.matched) {
            await holdForReview(work, {
              submissionId,
              feed: spec.feed,
              reason: match.reason,
              candidates: match.candidates,
              explanation: match.explanation,
              payload: {
                id: entry.id,
                child: entry.child,
                startedOn: entry.startedOn ?? push.effectiveDate,
                leftOn: entry.leftOn,
              },
            });
            continue;
          }
          matched.add(match.child.id);
          await applyEntry(work, spec, caller.organisationId, match.child.id, {
            startedOn: entry.startedOn ?? push.effectiveDate,
            leftOn: entry.leftOn,
          });
        }
        if (push.kind === 'SNAPSHOT') {
          // Not in the snapshot: no longer on the roll (caseload) from the snapshot's date.
          const lastDay = addDays(push.effectiveDate, -1);
          for (const inv of await activeInvolvements(
            work.tx,
            caller.organisationId,
            spec.involvement,
            push.effectiveDate,
          )) {
            if (matched.has(inv.childId)) continue;
            await endInvolvement(work.tx, inv.id, inv.startedOn > lastDay ? inv.startedOn : lastDay);
            work.changes.push({ childId: inv.childId, action: spec.action, fields: ['involvements'] });
          }
        }
        return received(submissionId);
      },
    });
    return response;
  }
}

/** Starts (or, for a leaver, ends) the organisation's involvement with a known child. */
export async function applyEntry(
  work: FeedWork,
  spec: Pick<PushSpec, 'involvement' | 'source' | 'action'>,
  organisationId: string,
  childId: string,
  dates: { startedOn: string; leftOn: string | null },
): Promise<void> {
  // The child's own row by the child index: reading the organisation's whole roll for each entry
  // made a push quadratic in its size.
  const active = await activeInvolvementOf(
    work.tx,
    childId,
    organisationId,
    spec.involvement,
    dates.leftOn ?? dates.startedOn,
  );
  if (dates.leftOn) {
    if (!active) return;
    await endInvolvement(work.tx, active.id, dates.leftOn);
  } else {
    if (active) return;
    await startInvolvementFrom(work.tx, {
      childId,
      organisationId,
      kind: spec.involvement,
      startedOn: dates.startedOn,
      source: spec.source,
      assertedBySubject: work.caller.subject,
    });
  }
  work.changes.push({ childId, action: spec.action, fields: ['involvements'] });
}
