/**
 * Health's own way into Early Help: a health visitor or school nurse whose caseload holds a child
 * at Universal Partnership Plus opens the multi-agency case and leads it, without a referral to
 * EH DAS. Such a case has no EH DAS contact, and its EHA, TAFs, plan and reviews are held in the
 * hub, not in Liquid Logic's Early Help module (partnership-plus.rule.ts decides that at delivery,
 * from the lead's organisation and the child's current health level). The council still names the
 * Family Support Manager who oversees every EHA in the cluster.
 */
import { CAPABILITIES, Capability, practitionerHolds, requireCapability } from '../access/capabilities';
import { isUniqueViolation, type Db } from '../db';
import { createEha, type EhaRow } from '../eha/eha.repo';
import { BadUserInputError, ConflictError, ConsentRequiredError, ForbiddenError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireOneOf, requireUuid } from '../shared/validate';
import { CLUSTERS, type Actor } from '../workflow/actor';
import * as wf from '../workflow/workflow.repo';
import { currentHealthLevel } from './partnership-plus.repo';
import { PARTNERSHIP_PLUS_LEVEL } from './partnership-plus.rule';

export interface OpenHealthLedEhaInput {
  childId: string;
  /** The family's consent to Early Help, in force, recorded for this child. */
  consentId: string;
  cluster: string;
  familySupportManagerId: string;
}

export class HealthLedEhaService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  /** Opens the EHA awaiting its first TAF, with the caller as lead practitioner. */
  async open(input: OpenHealthLedEhaInput, actor: Actor): Promise<EhaRow> {
    const childId = requireUuid('childId', input.childId);
    const consentId = requireUuid('consentId', input.consentId);
    const cluster = requireOneOf('cluster', input.cluster, CLUSTERS);
    const fsmId = requireUuid('familySupportManagerId', input.familySupportManagerId);
    requireCapability(actor.caller, Capability.OpenHealthLedEha);
    // The caller's own caseload: no relationship, no case (and the same refusal for an unknown child).
    await actor.access.requireWrite(childId, 'early_help');
    const lead = await wf.practitionerBySubject(this.db, actor.caller.subject);
    if (!lead || lead.organisationId !== actor.caller.organisationId)
      throw new ForbiddenError(
        'You are not registered as a practitioner of your organisation, so cannot lead a case: ask your administrator',
      );
    const now = this.clock.now();
    const today = partnershipDate(now);
    return this.db.transaction(async (tx) => {
      // The rule the case exists for: below Partnership Plus, health refers to EH DAS like anyone.
      if ((await currentHealthLevel(tx, childId)) !== PARTNERSHIP_PLUS_LEVEL)
        throw new BadUserInputError(
          'childId',
          "the child's latest health level is not Universal Partnership Plus: refer the family to EH DAS (submitReferral)",
        );
      const consent = await wf.findConsent(tx, consentId);
      if (!consent || consent.childId !== childId)
        throw new BadUserInputError('consentId', 'is not a consent recorded for this child');
      if (!wf.consentInForce(consent, 'early_help', now)) throw new ConsentRequiredError('early_help');
      // The lead must be able to read the case it leads: the consent shares Early Help with health
      // (every health organisation, or the lead's own by name).
      if (!consent.organisationKinds.includes('health') && !consent.organisationIds.includes(lead.organisationId))
        throw new BadUserInputError('consentId', "does not share the family's Early Help information with health");
      const [fsm] = await wf.findPractitioners(tx, [fsmId]);
      if (!fsm || !practitionerHolds(fsm, Capability.BeAllocatedReferral))
        throw new BadUserInputError('familySupportManagerId', CAPABILITIES[Capability.BeAllocatedReferral].refusal);
      const local = await wf.rollClusters(tx, childId, now);
      if (local.length > 0 && !local.includes(cluster))
        throw new BadUserInputError('cluster', `the child's setting is in the ${local.join(' / ')} cluster`);
      const eha = await createEha(tx, {
        childId,
        status: 'awaiting_first_taf',
        origin: 'health_partnership_plus',
        cluster,
        startedOn: today,
        familySupportManagerId: fsm.id,
        leadPractitionerId: lead.id,
      }).catch((error: unknown) => {
        if (isUniqueViolation(error))
          throw new ConflictError('The child already has an open Early Help Assessment', { field: 'childId' });
        throw error;
      });
      for (const [who, kind] of [
        [fsm, 'allocated_family_support'],
        [lead, 'lead_practitioner'],
      ] as const)
        await wf.startInvolvement(tx, {
          childId,
          organisationId: who.organisationId,
          practitionerId: who.id,
          kind,
          startedOn: today,
          source: 'case_workflow',
          assertedBySubject: actor.caller.subject,
        });
      await wf.recordTransition(tx, {
        machine: 'eha',
        entityId: eha.id,
        childId,
        cluster,
        fromState: null,
        action: 'open_health_led',
        toState: 'awaiting_first_taf',
        onDate: today,
        actorSubject: actor.caller.subject,
        at: now,
      });
      await recordCaseEvent(tx, {
        childId,
        kind: 'eha_opened',
        categories: ['early_help'],
        changedFields: FIELDS,
        refs: { ehaId: eha.id },
        cluster,
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [{ childId, action: 'openHealthLedEha', fields: FIELDS }]);
      return eha;
    });
  }
}

const FIELDS = ['eha', 'leadPractitioner', 'familySupportManager', 'involvements'];
