/**
 * Priority Children's List. A practitioner with a relationship adds a child to
 * their cluster's list with a reason; the child then enters the council Early Help team's view
 * (a `screening` involvement), whose locality meeting decides. "EHA required" allocates the child
 * to the most relevant professional (any agency), who becomes the lead practitioner.
 */
import { priorityListEntries } from '../../schema';
import { Capability, requireCapability } from '../access/capabilities';
import { isUniqueViolation, type Db } from '../db';
import { BadUserInputError, ConflictError, invariant, NoRelationshipError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireIsoDate, requireOneOf, requireText, requireUuid } from '../shared/validate';
import { CLUSTERS, type Actor } from '../workflow/actor';
import * as wf from '../workflow/workflow.repo';
import { hasOpenInvolvement } from '../missing/missing-involvement.repo';
import * as repo from './priority-list.repo';

export const PRIORITY_STATUSES = ['listed', 'decided'] as const;
export const PRIORITY_DECISIONS = [
  'eha_required',
  'single_agency_support',
  'monitor',
  'refer_to_das',
  'no_further_action',
] as const;
/** Who decides at the locality meeting. */

export class PriorityListService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  async add(input: { childId: string; cluster: string; reason: string }, actor: Actor): Promise<repo.PriorityEntryRow> {
    const childId = requireUuid('childId', input.childId);
    const cluster = requireOneOf('cluster', input.cluster, CLUSTERS);
    const reason = requireText('reason', input.reason, { max: 2000 });
    await actor.access.requireWrite(childId, 'early_help');
    const now = this.clock.now();
    const today = partnershipDate(now);
    const row = await this.db.transaction(async (tx) => {
      const entry = await repo
        .insertEntry(tx, {
          cluster,
          childId,
          reason,
          addedOn: today,
          addedBySubject: actor.caller.subject,
          addedByOrganisationId: actor.caller.organisationId,
          createdAt: now,
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error))
            throw new ConflictError("The child is already on this cluster's list awaiting the meeting", {
              field: 'childId',
            });
          throw error;
        });
      const council = await wf.councilEarlyHelpOrganisation(tx);
      invariant(council, 'the partnership has a council Early Help organisation');
      if (!(await hasOpenInvolvement(tx, childId, council.id, 'screening', today))) {
        await wf.startInvolvement(tx, {
          childId,
          organisationId: council.id,
          kind: 'screening',
          startedOn: today,
          source: 'case_workflow',
          assertedBySubject: actor.caller.subject,
        });
      }
      await recordCaseEvent(tx, {
        childId,
        kind: 'priority_list_changed',
        categories: ['early_help'],
        changedFields: ['priorityList', 'involvements'],
        refs: { priorityListEntryId: entry.id },
        cluster,
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [
        { childId, action: 'addToPriorityList', fields: ['priorityList', 'involvements'] },
      ]);
      return entry;
    });
    return row;
  }

  async decide(
    input: {
      entryId: string;
      expectedVersion: number;
      meetingOn: string;
      decision: string;
      rationale: string;
      allocatedPractitionerId?: string | null;
    },
    actor: Actor,
  ): Promise<repo.PriorityEntryRow> {
    const entryId = requireUuid('entryId', input.entryId);
    const meetingOn = requireIsoDate('meetingOn', input.meetingOn);
    const now = this.clock.now();
    if (meetingOn > partnershipDate(now)) throw new BadUserInputError('meetingOn', 'cannot be in the future');
    const decision = requireOneOf('decision', input.decision, PRIORITY_DECISIONS);
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    const allocatedId = input.allocatedPractitionerId
      ? requireUuid('allocatedPractitionerId', input.allocatedPractitionerId)
      : null;
    if (decision === 'eha_required' && !allocatedId)
      throw new BadUserInputError('allocatedPractitionerId', 'an EHA is allocated to the most relevant professional');
    requireCapability(actor.caller, Capability.DecidePriorityList);
    const entry = await repo.findEntry(this.db, entryId);
    if (!entry) throw new NoRelationshipError('early_help');
    await actor.access.requireWrite(entry.childId, 'early_help');
    if (meetingOn < entry.addedOn) throw new BadUserInputError('meetingOn', 'is before the child was added');
    const allocated = allocatedId ? (await wf.findPractitioners(this.db, [allocatedId]))[0] : null;
    if (allocatedId && !allocated)
      throw new BadUserInputError('allocatedPractitionerId', 'is not a practitioner of the partnership');
    const row = await this.db.transaction(async (tx) => {
      if (entry.status !== 'listed') throw new ConflictError('The meeting has already decided', { field: 'entryId' });
      const updated = await repo.updateEntry(tx, entryId, input.expectedVersion, {
        status: 'decided',
        meetingOn,
        decision,
        decisionRationale: rationale,
        allocatedPractitionerId: allocated?.id ?? null,
        decidedBySubject: actor.caller.subject,
      });
      if (!updated)
        throw new ConflictError('The entry was changed by someone else; reload it and try again', {
          field: 'expectedVersion',
        });
      if (allocated && decision === 'eha_required') {
        await wf.startInvolvement(tx, {
          childId: entry.childId,
          organisationId: allocated.organisationId,
          practitionerId: allocated.id,
          kind: 'lead_practitioner',
          startedOn: partnershipDate(now),
          source: 'case_workflow',
          assertedBySubject: actor.caller.subject,
        });
      }
      await recordCaseEvent(tx, {
        childId: entry.childId,
        kind: 'priority_list_changed',
        categories: ['early_help'],
        changedFields: DECIDE_FIELDS,
        refs: { priorityListEntryId: entryId },
        cluster: entry.cluster,
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [
        { childId: entry.childId, action: 'decidePriorityListEntry', fields: DECIDE_FIELDS },
      ]);
      return updated;
    });
    return row;
  }

  async list(clusterInput: string, statusInput: string | null, actor: Actor): Promise<repo.PriorityEntryRow[]> {
    actor.access.requirePurpose();
    const cluster = requireOneOf('cluster', clusterInput, CLUSTERS);
    const status = statusInput ? requireOneOf('status', statusInput, PRIORITY_STATUSES) : null;
    return repo.listOfCluster(
      this.db,
      cluster,
      status,
      await actor.access.relationshipWhere(priorityListEntries.childId),
    );
  }
}

const DECIDE_FIELDS = ['priorityList', 'decision', 'involvements'];
