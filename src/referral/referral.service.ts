/**
 * Referrals: "anyone may refer (consent gained …) → EH DAS screens every referral → declined:
 * decision-making recorded and family signposted … → accepted: … logged with the EHA coordinator …,
 * allocated to a Family Support Manager in one of the six clusters" (DESIGN.md §2).
 *
 * Submitting matches the child to the one record (ChildService.register: a probable match creates
 * nothing) and puts the referral in the EH DAS queue (a `screening` involvement of the council's
 * Early Help service). Screening is the screener's decision; the hub only recommends.
 */
import { and, eq } from 'drizzle-orm';
import { referrals } from '../../schema';
import type { ChildService, RegisterChildInput } from '../child/child.service';
import { isUniqueViolation, type Db } from '../db';
import { BadUserInputError, ConflictError, ConsentRequiredError, ForbiddenError, invariant, NoRelationshipError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireIsoDate, requireOneOf, requireText, requireUuid } from '../shared/validate';
import { CLUSTERS, type Actor, type Cluster } from '../workflow/actor';
import { NEED_CATEGORY_KEYS, type NeedCategory } from '../workflow/needs';
import { nextReferralState } from '../workflow/transitions';
import * as wf from '../workflow/workflow.repo';
import { createEha } from '../eha/eha.repo';
import * as repo from './referral.repo';
import type { ReferralRow } from './referral.repo';

export interface SubmitReferralInput {
  child: RegisterChildInput;
  needs: { category: string; description: string }[];
  consentId?: string | null;
  familyMembers?: { givenName: string; familyName: string; dateOfBirth?: string | null; relation: string; hasParentalResponsibility?: boolean | null }[] | null;
  existingFamilyMemberIds?: string[] | null;
}

export type Submission =
  | { outcome: 'submitted'; referral: ReferralRow }
  | { outcome: 'probable_match'; candidates: { childId: string; matchedOn: string }[] };

export interface ScreenReferralInput {
  referralId: string;
  expectedVersion: number;
  decision: 'accept' | 'decline';
  rationale: string;
  signposting?: string[] | null;
  familySupportManagerId?: string | null;
  cluster?: string | null;
  leadPractitionerId?: string | null;
}

export interface ReferralServiceOptions { db: Db; clock: Clock; children: ChildService }

export class ReferralService {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly children: ChildService;

  constructor({ db, clock, children }: ReferralServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.children = children;
  }

  async submit(input: SubmitReferralInput, actor: Actor): Promise<Submission> {
    const needs = validateNeeds(input.needs);
    const consentId = input.consentId ? requireUuid('consentId', input.consentId) : null;
    const newMembers = (input.familyMembers ?? []).map((m, i) => ({
      givenName: requireText(`familyMembers[${i}].givenName`, m.givenName, { max: 100 }),
      familyName: requireText(`familyMembers[${i}].familyName`, m.familyName, { max: 100 }),
      dateOfBirth: m.dateOfBirth ? requireIsoDate(`familyMembers[${i}].dateOfBirth`, m.dateOfBirth) : null,
      relation: requireOneOf(`familyMembers[${i}].relation`, m.relation, ['parent', 'carer'] as const),
      hasParentalResponsibility: Boolean(m.hasParentalResponsibility),
    }));
    const existingMembers = (input.existingFamilyMemberIds ?? []).map((id, i) => requireUuid(`existingFamilyMemberIds[${i}]`, id));
    this.children.validate(input.child);

    const registration = await this.children.register(input.child);
    if (registration.outcome === 'probable_match') return { outcome: 'probable_match', candidates: registration.candidates };
    const childId = registration.child.id;
    const now = this.clock.now();
    const today = partnershipDate(now);

    const referral = await this.db.transaction(async (tx) => {
      let overrideId: string | null = null;
      if (consentId) {
        const consent = await wf.findConsent(tx, consentId);
        if (!consent || consent.childId !== childId) throw new BadUserInputError('consentId', 'is not a consent recorded for this child');
        if (!wf.consentInForce(consent, 'early_help', now)) throw new ConsentRequiredError('early_help');
      } else {
        // "Information may be shared without consent only where seeking it would place the child at
        // increased risk of significant harm": a recorded override in force, never a silent bypass.
        overrideId = (await wf.overrideInForce(tx, childId, 'early_help', now))?.id ?? null;
        if (!overrideId) throw new ConsentRequiredError('early_help');
      }
      const linked = await repo.linkedFamilyMemberIds(tx, childId, existingMembers);
      existingMembers.forEach((id, i) => {
        if (!linked.has(id)) throw new BadUserInputError(`existingFamilyMemberIds[${i}]`, 'is not a parent or carer linked to this child');
      });
      const memberIds = [...existingMembers];
      for (const member of newMembers) memberIds.push(await repo.addFamilyMember(tx, childId, member));
      const council = await wf.councilEarlyHelpOrganisation(tx);
      invariant(council, 'the partnership has a council Early Help organisation');
      const [referrerOrg] = await wf.findOrganisations(tx, [actor.caller.organisationId]);
      const row = await repo.insertReferral(tx, {
        childId, status: 'submitted', referralDate: today, referrerSubject: actor.caller.subject,
        referrerOrganisationId: actor.caller.organisationId, needs, familyMemberIds: memberIds,
        consentId, overrideId, cluster: referrerOrg?.cluster ?? null,
      });
      // The EH DAS queue: the council's screeners see the child from now until they decide.
      await wf.startInvolvement(tx, { childId, organisationId: council.id, kind: 'screening', startedOn: today });
      await wf.recordTransition(tx, {
        machine: 'referral', entityId: row.id, childId, cluster: row.cluster, fromState: null, action: 'submit',
        toState: 'submitted', onDate: today, actorSubject: actor.caller.subject, at: now,
      });
      await recordCaseEvent(tx, {
        childId, kind: 'referral_submitted', categories: ['early_help', 'family'], changedFields: SUBMIT_FIELDS,
        refs: { referralId: row.id }, cluster: row.cluster, actor: actor.caller, at: now,
      });
      return row;
    });
    actor.audit.changed(childId, 'submitReferral', SUBMIT_FIELDS);
    return { outcome: 'submitted', referral };
  }

  async screen(input: ScreenReferralInput, actor: Actor): Promise<ReferralRow> {
    const referralId = requireUuid('referralId', input.referralId);
    const decision = requireOneOf('decision', input.decision, ['accept', 'decline'] as const);
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    const signposting = (input.signposting ?? []).map((s, i) => requireText(`signposting[${i}]`, s, { max: 300 }));
    let allocation: { fsmId: string; cluster: Cluster; leadId: string | null } | null = null;
    if (decision === 'decline') {
      if (signposting.length === 0) throw new BadUserInputError('signposting', 'list the services the family is signposted to (single agency, universal or targeted)');
    } else {
      if (!input.familySupportManagerId) throw new BadUserInputError('familySupportManagerId', 'an accepted referral is allocated to a Family Support Manager');
      if (!input.cluster) throw new BadUserInputError('cluster', 'an accepted referral is allocated to one of the six clusters');
      allocation = {
        fsmId: requireUuid('familySupportManagerId', input.familySupportManagerId),
        cluster: requireOneOf('cluster', input.cluster, CLUSTERS),
        leadId: input.leadPractitionerId ? requireUuid('leadPractitionerId', input.leadPractitionerId) : null,
      };
    }
    if (actor.caller.role !== 'eh_das_screener') throw new ForbiddenError('Only an EH DAS screener screens referrals');
    const existing = await repo.findReferral(this.db, referralId);
    if (!existing) throw new NoRelationshipError('early_help');
    await actor.access.requireWrite(existing.childId, 'early_help');
    const now = this.clock.now();
    const today = partnershipDate(now);

    const result = await this.db.transaction(async (tx) => {
      const referral = await repo.lockReferral(tx, referralId);
      invariant(referral, 'a referral read a moment ago still exists');
      if (referral.version !== input.expectedVersion) throw staleVersion(referral.version);
      const to = nextReferralState(referral.status, decision);
      let ehaId: string | null = null;
      let cluster = referral.cluster;
      if (allocation) {
        const people = await wf.findPractitioners(tx, [allocation.fsmId, ...(allocation.leadId ? [allocation.leadId] : [])]);
        const fsm = people.find((p) => p.id === allocation.fsmId);
        if (!fsm || !fsm.roles.includes('family_support_manager')) throw new BadUserInputError('familySupportManagerId', 'is not a Family Support Manager');
        const lead = allocation.leadId ? people.find((p) => p.id === allocation.leadId) : null;
        if (allocation.leadId && !lead) throw new BadUserInputError('leadPractitionerId', 'is not a practitioner of the partnership');
        cluster = allocation.cluster;
        const eha = await createEha(tx, {
          childId: referral.childId, status: 'awaiting_first_taf', origin: 'referral', referralId, cluster,
          startedOn: today, familySupportManagerId: fsm.id, leadPractitionerId: lead?.id ?? null,
        }).catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new ConflictError('The child already has an open Early Help Assessment', { field: 'referralId' });
          throw error;
        });
        ehaId = eha.id;
        await wf.startInvolvement(tx, { childId: referral.childId, organisationId: fsm.organisationId, practitionerId: fsm.id, kind: 'allocated_family_support', startedOn: today });
        if (lead) await wf.startInvolvement(tx, { childId: referral.childId, organisationId: lead.organisationId, practitionerId: lead.id, kind: 'lead_practitioner', startedOn: today });
        await wf.recordTransition(tx, {
          machine: 'eha', entityId: eha.id, childId: referral.childId, cluster, fromState: null, action: 'accept_referral',
          toState: 'awaiting_first_taf', onDate: today, actorSubject: actor.caller.subject, at: now,
        });
      }
      // The screening is over: the EH DAS queue no longer holds the child after today.
      await wf.endInvolvements(tx, referral.childId, ['screening'], today);
      const updated = await repo.updateReferral(tx, referralId, referral.version, {
        status: to, screenedBySubject: actor.caller.subject, screenedOn: today, decisionRationale: rationale,
        signposting: decision === 'decline' ? signposting : (signposting.length ? signposting : null), ehaId, cluster,
      });
      invariant(updated, 'the locked referral row is updated');
      await wf.recordTransition(tx, {
        machine: 'referral', entityId: referralId, childId: referral.childId, cluster, fromState: referral.status, action: decision,
        toState: to, onDate: today, actorSubject: actor.caller.subject, at: now,
      });
      await recordCaseEvent(tx, {
        childId: referral.childId, kind: 'referral_screened', categories: ['early_help'], changedFields: SCREEN_FIELDS,
        refs: ehaId ? { referralId, ehaId } : { referralId }, cluster, actor: actor.caller, at: now,
      });
      return updated;
    });
    actor.audit.changed(result.childId, 'screenReferral', SCREEN_FIELDS);
    return result;
  }

  /** A referral the caller has a relationship with (the same NO_RELATIONSHIP when it does not exist). */
  async getForCaller(id: string, actor: Actor): Promise<ReferralRow> {
    actor.access.requirePurpose();
    const row = await repo.findReferral(this.db, requireUuid('id', id));
    if (!row || !(await actor.access.hasRelationship(row.childId))) {
      if (row) actor.audit.refused(row.childId);
      throw new NoRelationshipError('early_help');
    }
    return row;
  }

  /** The EH DAS queue: submitted referrals of children the caller's organisation is screening. */
  async awaitingScreening(actor: Actor): Promise<ReferralRow[]> {
    actor.access.requirePurpose();
    const where = and(eq(referrals.status, 'submitted'), await actor.access.relationshipWhere(referrals.childId));
    return repo.listReferralsWhere(this.db, where!);
  }
}

const SUBMIT_FIELDS = ['referral', 'needs', 'consentId', 'familyMembers', 'involvements'];
const SCREEN_FIELDS = ['status', 'decisionRationale', 'signposting', 'eha', 'cluster', 'involvements'];

export function validateNeeds(needs: { category: string; description: string }[] | null | undefined): { category: NeedCategory; description: string }[] {
  if (!needs || needs.length === 0) throw new BadUserInputError('needs', 'name at least one identified need');
  const seen = new Set<string>();
  return needs.map((need, i) => {
    const category = requireOneOf(`needs[${i}].category`, need.category, NEED_CATEGORY_KEYS);
    if (seen.has(category)) throw new BadUserInputError(`needs[${i}].category`, 'is named twice');
    seen.add(category);
    return { category, description: requireText(`needs[${i}].description`, need.description, { max: 500 }) };
  });
}

export function staleVersion(current: number): ConflictError {
  return new ConflictError('The record was changed by someone else; reload it and try again', { currentVersion: current });
}

