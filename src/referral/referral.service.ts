/**
 * Referrals: "anyone may refer (consent gained …) → EH DAS screens every referral → declined:
 * decision-making recorded and family signposted … → accepted: … logged with the EHA coordinator …,
 * allocated to a Family Support Manager in one of the six clusters" (the partnership's Early Help protocol).
 *
 * Submitting matches the child internally (ChildService.matchQuietly): a certain match is the
 * child, anything less a new record with the candidates kept for EH DAS — never shown to the
 * referrer, who may be anyone and may refer a child the hub does not know. The consent must name
 * the council's Early Help service (referral-consent.ts). A refused referral writes nothing but its
 * audit row (the child's id, or a keyed hash of a child the hub does not hold) and answers the
 * same for both. Accepted, the referral joins the EH DAS queue (a `screening` involvement).
 * Screening is the screener's decision; the hub only recommends.
 */
import { and, eq } from 'drizzle-orm';
import { referrals } from '../../schema';
import type { ChildService, RegisterChildInput } from '../child/child.service';
import { CAPABILITIES, Capability, practitionerHolds, requireCapability } from '../access/capabilities';
import { isUniqueViolation, type Db, type Tx } from '../db';
import { attemptedChildId } from '../audit/attempt-id';
import { insertConsent } from '../consent/consent.repo';
import { DEFAULT_CONSENT_AGES, type ConsentAges } from '../consent/consent-givers';
import { BadUserInputError, ConflictError, ConsentRequiredError, invariant, NoRelationshipError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { optionalText, requireIsoDate, requireOneOf, requireText, requireUuid } from '../shared/validate';
import { CLUSTERS, type Actor, type Cluster } from '../workflow/actor';
import { EHA_NEEDS_THRESHOLD, LEVELS_OF_NEED, NEED_CATEGORY_KEYS, type NeedCategory } from '../workflow/needs';
import { addDays, addMonths } from '../shared/calendar';
import { nextReferralState, REFERRAL_ACTIONS, type ReferralAction } from '../workflow/transitions';
import * as wf from '../workflow/workflow.repo';
import { createEha } from '../eha/eha.repo';
import * as repo from './referral.repo';
import type { ReferralRow } from './referral.repo';
import {
  coversReferral,
  validateStatedConsent,
  type ReferralConsentInput,
  type StatedConsent,
} from './referral-consent';

export interface SubmitReferralInput {
  child: RegisterChildInput;
  needs: { category: string; description: string }[];
  consentId?: string | null;
  /** The consent as the family gave it, when the hub holds none the referrer can name. */
  consent?: ReferralConsentInput | null;
  familyMembers?:
    | {
        givenName: string;
        familyName: string;
        dateOfBirth?: string | null;
        relation: string;
        hasParentalResponsibility?: boolean | null;
      }[]
    | null;
  existingFamilyMemberIds?: string[] | null;
}

/** The referrer learns its referral's id and nothing of matching (candidates go to EH DAS). */
export type Submission = { outcome: 'submitted'; referral: ReferralRow };

export interface ScreenReferralInput {
  referralId: string;
  expectedVersion: number;
  decision: ReferralAction;
  rationale: string;
  /** The level of need the screener judges (universal, early_help, specialist). */
  levelOfNeed: string;
  /** Required to accept an EHA with fewer needs than the eligibility rule's three. */
  belowThresholdReason?: string | null;
  /** A single agency response: the organisation giving the Targeted Support. */
  targetedSupportOrganisationId?: string | null;
  /** Required to allocate outside the cluster of the setting whose roll holds the child. */
  outOfClusterReason?: string | null;
  signposting?: string[] | null;
  familySupportManagerId?: string | null;
  cluster?: string | null;
  leadPractitionerId?: string | null;
}

export interface ReferralServiceOptions {
  db: Db;
  clock: Clock;
  children: ChildService;
  /** Key of the hash under which attempts on children the hub does not hold are audited (attempt-id.ts). */
  attemptKey: string;
  /** Ages of a young person's own consent (default 12 with an assessment, 16 without). */
  consentAges?: ConsentAges;
}

export class ReferralService {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly children: ChildService;
  private readonly attemptKey: string;
  private readonly consentAges: ConsentAges;

  constructor({ db, clock, children, attemptKey, consentAges = DEFAULT_CONSENT_AGES }: ReferralServiceOptions) {
    this.consentAges = consentAges;
    this.db = db;
    this.clock = clock;
    this.children = children;
    this.attemptKey = attemptKey;
  }

  async submit(input: SubmitReferralInput, actor: Actor): Promise<Submission> {
    const needs = validateNeeds(input.needs);
    const consentId = input.consentId ? requireUuid('consentId', input.consentId) : null;
    if (consentId && input.consent)
      throw new BadUserInputError(
        'consent',
        'give either the consent as given or the id of a recorded consent, not both',
      );
    const newMembers = (input.familyMembers ?? []).map((m, i) => ({
      givenName: requireText(`familyMembers[${i}].givenName`, m.givenName, { max: 100 }),
      familyName: requireText(`familyMembers[${i}].familyName`, m.familyName, { max: 100 }),
      dateOfBirth: m.dateOfBirth ? requireIsoDate(`familyMembers[${i}].dateOfBirth`, m.dateOfBirth) : null,
      relation: requireOneOf(`familyMembers[${i}].relation`, m.relation, REFERRAL_FAMILY_RELATIONS),
      hasParentalResponsibility: Boolean(m.hasParentalResponsibility),
    }));
    const existingMembers = (input.existingFamilyMemberIds ?? []).map((id, i) =>
      requireUuid(`existingFamilyMemberIds[${i}]`, id),
    );
    const described = this.children.validate(input.child);
    const now = this.clock.now();
    const today = partnershipDate(now);
    const stated = input.consent
      ? validateStatedConsent(input.consent, {
          dateOfBirth: described.dateOfBirth ?? null,
          today,
          ages: this.consentAges,
        })
      : null;
    // Audited under the child's id, or for a child the hub does not hold, a keyed hash of the description.
    let attempted = attemptedChildId(this.attemptKey, [described.nhsNumber, described.upn, described.matchKey]);

    try {
      const referral = await this.db.transaction(async (tx) => {
        const match = await this.children.matchQuietly(tx, described);
        if (match.child) attempted = match.child.id;
        const council = await wf.councilEarlyHelpOrganisation(tx);
        invariant(council, 'the partnership has a council Early Help organisation');
        // Every refusal below is the same CONSENT_REQUIRED whether or not the child exists, and
        // comes before anything is written: a refused referral leaves only its audit row.
        let overrideId: string | null = null;
        if (stated) {
          if (!coversReferral(stated, council.id)) throw new ConsentRequiredError('early_help');
        } else if (consentId) {
          const consent = match.child ? await wf.findConsent(tx, consentId) : null;
          if (
            !consent ||
            consent.childId !== match.child!.id ||
            !wf.consentInForce(consent, 'early_help', now) ||
            !coversReferral(consent, council.id)
          ) {
            throw new ConsentRequiredError('early_help');
          }
        } else {
          // "Information may be shared without consent only where seeking it would place the child at
          // increased risk of significant harm": the referrer's own organisation's override, in force,
          // opening early_help to the council, who screen the referral.
          overrideId = match.child
            ? ((
                await wf.overrideInForce(tx, match.child.id, 'early_help', now, actor.caller.organisationId, council.id)
              )?.id ?? null)
            : null;
          if (!overrideId) throw new ConsentRequiredError('early_help');
        }
        const child = match.child ?? (await this.children.createIn(tx, match.newRow, actor.caller));
        attempted = child.id;
        // Only links the family record bears out are kept, and the answer is the same either way:
        // refusing an unlinked id told the referrer which adults are linked to the child (and that it exists).
        const linked = await repo.linkedFamilyMemberIds(tx, child.id, existingMembers);
        const recordedConsentId = stated ? await this.recordStatedConsent(tx, child.id, stated, actor, now) : consentId;
        const memberIds = existingMembers.filter((id) => linked.has(id));
        for (const member of newMembers) memberIds.push(await repo.addFamilyMember(tx, child.id, member));
        const [referrerOrg] = await wf.findOrganisations(tx, [actor.caller.organisationId]);
        const row = await repo.insertReferral(tx, {
          childId: child.id,
          status: 'submitted',
          referralDate: today,
          referrerSubject: actor.caller.subject,
          referrerOrganisationId: actor.caller.organisationId,
          needs,
          familyMemberIds: memberIds,
          consentId: recordedConsentId,
          overrideId,
          cluster: referrerOrg?.cluster ?? null,
          matchCandidateIds: match.candidates,
        });
        // The EH DAS queue: the council's screeners see the child from now until they decide.
        await wf.startInvolvement(tx, {
          childId: child.id,
          organisationId: council.id,
          kind: 'screening',
          startedOn: today,
          source: 'case_workflow',
          assertedBySubject: actor.caller.subject,
        });
        await wf.recordTransition(tx, {
          machine: 'referral',
          entityId: row.id,
          childId: child.id,
          cluster: row.cluster,
          fromState: null,
          action: 'submit',
          toState: 'submitted',
          onDate: today,
          actorSubject: actor.caller.subject,
          at: now,
        });
        await recordCaseEvent(tx, {
          childId: child.id,
          kind: 'referral_submitted',
          categories: ['early_help', 'family'],
          changedFields: SUBMIT_FIELDS,
          refs: { referralId: row.id },
          cluster: row.cluster,
          actor: actor.caller,
          at: now,
        });
        await actor.audit.changedIn(tx, [{ childId: child.id, action: 'submitReferral', fields: SUBMIT_FIELDS }]);
        return row;
      });
      return { outcome: 'submitted', referral };
    } catch (error) {
      actor.audit.refused(attempted);
      throw error;
    }
  }

  /** The consent as the referrer stated it, recorded for the child from now (the giver is written, not read). */
  private async recordStatedConsent(
    tx: Tx,
    childId: string,
    stated: StatedConsent,
    actor: Actor,
    now: Date,
  ): Promise<string> {
    const consent = await insertConsent(tx, {
      ...stated,
      childId,
      startsAt: now,
      recordedAt: now,
      recordedBySubject: actor.caller.subject,
      recordedByOrganisationId: actor.caller.organisationId,
    });
    await recordCaseEvent(tx, {
      childId,
      kind: 'consent_changed',
      categories: ['early_help'],
      changedFields: ['consents'],
      refs: { consentId: consent.id, action: 'recorded' },
      actor: actor.caller,
      at: now,
    });
    return consent.id;
  }

  async screen(input: ScreenReferralInput, actor: Actor): Promise<ReferralRow> {
    const referralId = requireUuid('referralId', input.referralId);
    const decision = requireOneOf('decision', input.decision, REFERRAL_ACTIONS);
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    const level = requireOneOf('levelOfNeed', input.levelOfNeed, LEVELS_OF_NEED);
    const signposting = (input.signposting ?? []).map((s, i) => requireText(`signposting[${i}]`, s, { max: 300 }));
    const belowThresholdReason = optionalText('belowThresholdReason', input.belowThresholdReason, 2000);
    const outOfClusterReason = optionalText('outOfClusterReason', input.outOfClusterReason, 2000);
    let allocation: { fsmId: string; cluster: Cluster; leadId: string | null } | null = null;
    let targetedBy: string | null = null;
    if (decision === 'decline' || decision === 'single_agency_response') {
      if (signposting.length === 0) {
        throw new BadUserInputError(
          'signposting',
          decision === 'decline'
            ? 'list the services the family is signposted to (single agency, universal or targeted)'
            : 'name the single agency (and service) that will meet the needs',
        );
      }
    } else if (decision === 'refer_to_social_care') {
      // "May be at risk of significant harm — follow safeguarding procedures now": a specialist need.
      if (level !== 'specialist')
        throw new BadUserInputError(
          'levelOfNeed',
          "a referral to children's social care is at the specialist level of need",
        );
    } else {
      if (level !== 'early_help')
        throw new BadUserInputError(
          'levelOfNeed',
          "an Early Help Assessment is at the early_help level of need; route a specialist need to children's social care",
        );
      if (!input.familySupportManagerId)
        throw new BadUserInputError(
          'familySupportManagerId',
          'an accepted referral is allocated to a Family Support Manager',
        );
      if (!input.cluster)
        throw new BadUserInputError('cluster', 'an accepted referral is allocated to one of the six clusters');
      allocation = {
        fsmId: requireUuid('familySupportManagerId', input.familySupportManagerId),
        cluster: requireOneOf('cluster', input.cluster, CLUSTERS),
        leadId: input.leadPractitionerId ? requireUuid('leadPractitionerId', input.leadPractitionerId) : null,
      };
    }
    if (decision === 'single_agency_response') {
      if (!input.targetedSupportOrganisationId)
        throw new BadUserInputError(
          'targetedSupportOrganisationId',
          'a single agency response is Targeted Support: name the organisation that gives it',
        );
      targetedBy = requireUuid('targetedSupportOrganisationId', input.targetedSupportOrganisationId);
    } else if (input.targetedSupportOrganisationId)
      throw new BadUserInputError('targetedSupportOrganisationId', 'is named only for a single agency response');
    if (outOfClusterReason && decision !== 'accept')
      throw new BadUserInputError('outOfClusterReason', 'is recorded only when allocating an accepted referral');
    if (belowThresholdReason && decision !== 'accept')
      throw new BadUserInputError(
        'belowThresholdReason',
        'is recorded only when accepting below the eligibility threshold',
      );
    requireCapability(actor.caller, Capability.ScreenReferral);
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
      // "3 or more needs … beyond a single agency": below it an EHA is the screener's exception, with a reason.
      if (allocation && referral.needs.length < EHA_NEEDS_THRESHOLD && !belowThresholdReason) {
        throw new BadUserInputError(
          'belowThresholdReason',
          `the referral names ${referral.needs.length} need(s); the eligibility rule asks for ${EHA_NEEDS_THRESHOLD} or more: record why an EHA is right, or choose a single agency response`,
        );
      }
      if (allocation && referral.needs.length >= EHA_NEEDS_THRESHOLD && belowThresholdReason) {
        throw new BadUserInputError(
          'belowThresholdReason',
          'the referral meets the eligibility threshold: no reason is needed',
        );
      }
      // Allocation is local: within the cluster of the child's school (or college, or early years
      // setting), unless the screener records why not (a move, a sibling's case elsewhere …).
      if (allocation) {
        const local = await wf.rollClusters(tx, referral.childId, now);
        const outside = local.length > 0 && !local.includes(allocation.cluster);
        if (outside && !outOfClusterReason)
          throw new BadUserInputError(
            'cluster',
            `the child's setting is in the ${local.join(' / ')} cluster: allocate there, or record why not (outOfClusterReason)`,
          );
        if (!outside && outOfClusterReason)
          throw new BadUserInputError(
            'outOfClusterReason',
            "the allocation is within the child's cluster: no reason is needed",
          );
      }
      if (targetedBy && (await wf.findOrganisations(tx, [targetedBy])).length === 0)
        throw new BadUserInputError('targetedSupportOrganisationId', 'is not a partner organisation');
      let frontDoor: { organisationId: string; at: Date } | null = null;
      if (decision === 'refer_to_social_care') {
        const door = await wf.socialCareFrontDoor(tx);
        invariant(door, "the partnership has a children's social care organisation (its front door)");
        frontDoor = { organisationId: door.id, at: now };
      }
      let ehaId: string | null = null;
      let cluster = referral.cluster;
      if (allocation) {
        const people = await wf.findPractitioners(tx, [
          allocation.fsmId,
          ...(allocation.leadId ? [allocation.leadId] : []),
        ]);
        const fsm = people.find((p) => p.id === allocation.fsmId);
        if (!fsm || !practitionerHolds(fsm, Capability.BeAllocatedReferral))
          throw new BadUserInputError('familySupportManagerId', CAPABILITIES[Capability.BeAllocatedReferral].refusal);
        const lead = allocation.leadId ? people.find((p) => p.id === allocation.leadId) : null;
        if (allocation.leadId && !lead)
          throw new BadUserInputError('leadPractitionerId', 'is not a practitioner of the partnership');
        cluster = allocation.cluster;
        const eha = await createEha(tx, {
          childId: referral.childId,
          status: 'awaiting_first_taf',
          origin: 'referral',
          referralId,
          cluster,
          startedOn: today,
          familySupportManagerId: fsm.id,
          leadPractitionerId: lead?.id ?? null,
        }).catch((error: unknown) => {
          if (isUniqueViolation(error))
            throw new ConflictError('The child already has an open Early Help Assessment', { field: 'referralId' });
          throw error;
        });
        ehaId = eha.id;
        await wf.startInvolvement(tx, {
          childId: referral.childId,
          organisationId: fsm.organisationId,
          practitionerId: fsm.id,
          kind: 'allocated_family_support',
          startedOn: today,
          source: 'case_workflow',
          assertedBySubject: actor.caller.subject,
        });
        if (lead)
          await wf.startInvolvement(tx, {
            childId: referral.childId,
            organisationId: lead.organisationId,
            practitionerId: lead.id,
            kind: 'lead_practitioner',
            startedOn: today,
            source: 'case_workflow',
            assertedBySubject: actor.caller.subject,
          });
        await wf.recordTransition(tx, {
          machine: 'eha',
          entityId: eha.id,
          childId: referral.childId,
          cluster,
          fromState: null,
          action: 'accept_referral',
          toState: 'awaiting_first_taf',
          onDate: today,
          actorSubject: actor.caller.subject,
          at: now,
        });
      }
      // The screening is over: the EH DAS queue no longer holds the child after today — except
      // a referral passed to the front door, which EH DAS tracks until social care answers, and
      // Targeted Support, which EH DAS follows until it ends (endTargetedSupport).
      if (!targetedBy)
        await wf.endInvolvements(
          tx,
          referral.childId,
          ['screening'],
          frontDoor ? addDays(today, FRONT_DOOR_TRACKING_DAYS) : today,
        );
      const updated = await repo.updateReferral(tx, referralId, referral.version, {
        status: to,
        screenedBySubject: actor.caller.subject,
        screenedOn: today,
        decisionRationale: rationale,
        signposting: signposting.length ? signposting : null,
        ehaId,
        cluster,
        levelOfNeed: level,
        belowThresholdReason,
        outOfClusterReason,
        targetedSupportOrganisationId: targetedBy,
        targetedSupportReviewBy: targetedBy ? addMonths(today, TARGETED_SUPPORT_MONTHS) : null,
        frontDoorOrganisationId: frontDoor?.organisationId ?? null,
        frontDoorReferredAt: frontDoor?.at ?? null,
      });
      invariant(updated, 'the locked referral row is updated');
      await wf.recordTransition(tx, {
        machine: 'referral',
        entityId: referralId,
        childId: referral.childId,
        cluster,
        fromState: referral.status,
        action: decision,
        toState: to,
        onDate: today,
        actorSubject: actor.caller.subject,
        at: now,
      });
      await recordCaseEvent(tx, {
        childId: referral.childId,
        kind: 'referral_screened',
        categories: ['early_help'],
        changedFields: SCREEN_FIELDS,
        refs: {
          referralId,
          ...(ehaId ? { ehaId } : {}),
          ...(frontDoor ? { frontDoorOrganisationId: frontDoor.organisationId } : {}),
        },
        cluster,
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [{ childId: referral.childId, action: 'screenReferral', fields: SCREEN_FIELDS }]);
      return updated;
    });
    return result;
  }

  /** A referral the caller has a relationship with (the same NO_RELATIONSHIP when it does not exist). */
  async getForCaller(id: string, actor: Actor): Promise<ReferralRow> {
    actor.access.requirePurpose();
    const row = await repo.findReferral(this.db, requireUuid('id', id));
    // A missing referral is refused like another child's, on a stand-in child: same work, same audit.
    await actor.access.requireRelationship(row?.childId ?? actor.audit.standIn(['referral', id]), 'early_help', [
      'referral',
      id,
    ]);
    return row!;
  }

  /** Referrals EH DAS passed to children's social care's front door and still follows up. */
  async atFrontDoor(actor: Actor): Promise<ReferralRow[]> {
    actor.access.requirePurpose();
    const where = and(
      eq(referrals.status, 'referred_to_social_care'),
      await actor.access.relationshipWhere(referrals.childId),
    );
    return repo.listReferralsWhere(this.db, where!);
  }

  /** The EH DAS queue: submitted referrals of children the caller's organisation is screening. */
  async awaitingScreening(actor: Actor): Promise<ReferralRow[]> {
    actor.access.requirePurpose();
    const where = and(eq(referrals.status, 'submitted'), await actor.access.relationshipWhere(referrals.childId));
    return repo.listReferralsWhere(this.db, where!);
  }
}

/** The household relations a referral may name: siblings have child records of their own. */
export const REFERRAL_FAMILY_RELATIONS = ['parent', 'carer'] as const;

const SUBMIT_FIELDS = ['referral', 'needs', 'consentId', 'familyMembers', 'involvements'];
const SCREEN_FIELDS = [
  'status',
  'decisionRationale',
  'signposting',
  'eha',
  'cluster',
  'levelOfNeed',
  'belowThresholdReason',
  'outOfClusterReason',
  'targetedSupport',
  'frontDoor',
  'involvements',
];

/** Targeted Support lasts "up to about 3 months": EH DAS looks again then. */
export const TARGETED_SUPPORT_MONTHS = 3;

/** Days EH DAS keeps the child of a referral passed to the front door, to follow it up. */
export const FRONT_DOOR_TRACKING_DAYS = 28;

export function validateNeeds(
  needs: { category: string; description: string }[] | null | undefined,
): { category: NeedCategory; description: string }[] {
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
  return new ConflictError('The record was changed by someone else; reload it and try again', {
    currentVersion: current,
  });
}
