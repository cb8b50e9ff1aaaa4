/**
 * Early Help cases for the demo city: a referral waiting for EH DAS, a declined one, and an EHA in
 * every state of the workflow (src/workflow/transitions.ts), on pupils of Central Primary so the
 * demo school DSL sees them through `openEha`. Each case is worked through the services the
 * GraphQL mutations call, by the practitioner who would do it, on the day it happened (the clock
 * is moved back from SEED_DAY): the school DSL refers with the family's consent, EH DAS screens and
 * allocates, the Family Support Manager records the TAF, the plan, the review and the ending, and
 * social care steps cases down (one to the Family Support Facilitator, see partnersCase). So every case-team relationship stands on the case's own record.
 * The social worker's allocation to the stepped-down child before the step down is social care's
 * own record: it comes in as Liquid Logic reports it, through the inbound sync.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { children, involvements } from '../schema';
import type { Db } from '../src/db';
import { findEha } from '../src/eha/eha.repo';
import { currentPlanActionsOf } from '../src/eha/eha.repo';
import { invariant } from '../src/errors';
import { addDays, addMonths } from '../src/shared/calendar';
import type { EhaState } from '../src/workflow/transitions';
import { hubPersonId } from '../adapters/liquid-logic/mapping';
import { demoWork, type DemoWork } from './demo-acting';

export interface DemoCaseIds {
  orgId(key: string): string;
  practitionerId(subject: string): string;
  seedDay: string;
}

const NEEDS = [
  { category: 'good_education', description: 'Persistent absence this term' },
  { category: 'family_relationships', description: 'Conflict between parents and child' },
  { category: 'financial_stability', description: 'Rent arrears and debt' },
];

/** The family's consent as the referrer records it: the school, Early Help and social care may share. */
export const DEMO_REFERRAL_CONSENT = {
  givenBy: 'family_member',
  giverName: 'Parent (synthetic)',
  giverRelationship: 'parent',
  method: 'written',
  organisationKinds: ['school', 'council_early_help', 'social_care'],
  categories: ['early_help', 'family', 'contact'],
  purposes: ['direct_support', 'screening', 'service_planning'],
};

/** The child as a referrer describes it: the hub matches it on its UPN (or traced NHS number). */
export async function describeChild(db: Db, childId: string) {
  const [c] = await db.select().from(children).where(eq(children.id, childId));
  invariant(c, 'a demo child exists');
  return {
    givenName: c.givenName,
    familyName: c.familyName,
    dateOfBirth: c.dateOfBirth,
    expectedDate: c.expectedDate,
    gender: c.gender,
    nhsNumber: c.nhsNumber,
    nhsNumberTraced: c.nhsNumberTraced,
    upn: c.upn,
    postcode: c.postcode,
  };
}

/** EH DAS accepts a submitted referral and allocates it; returns the new EHA's id. */
export async function acceptReferral(
  work: DemoWork,
  referral: { id: string; version: number },
  allocation: { fsmId: string; cluster: string; leadId?: string | null },
  screener = 'demo-screener',
): Promise<string> {
  const screened = await work.referrals.screen(
    {
      referralId: referral.id,
      expectedVersion: referral.version,
      decision: 'accept',
      rationale: 'Three needs, beyond a single agency',
      levelOfNeed: 'early_help',
      familySupportManagerId: allocation.fsmId,
      cluster: allocation.cluster,
      leadPractitionerId: allocation.leadId ?? null,
    },
    work.as(screener, 'screening'),
  );
  invariant(screened.ehaId, 'an accepted referral opens an EHA');
  return screened.ehaId;
}

/** Seeds the cases; returns how many children have one. Needs at least 12 pupils at Central Primary. */
export async function seedDemoCases(db: Db, ids: DemoCaseIds): Promise<number> {
  const school = ids.orgId('school-central-primary');
  const council = ids.orgId('council-early-help');
  const fsm = ids.practitionerId('demo-fsm');
  const lead = ids.practitionerId('demo-lead-practitioner');
  const socialWorker = ids.practitionerId('demo-social-worker');
  const day = ids.seedDay;
  const pupils = (
    await db
      .select({ id: children.id })
      .from(children)
      .innerJoin(
        involvements,
        and(
          eq(involvements.childId, children.id),
          eq(involvements.kind, 'on_roll'),
          eq(involvements.organisationId, school),
        ),
      )
      .where(isNull(children.mergedInto))
      .orderBy(asc(children.id))
      .limit(12)
  ).map((r) => r.id);
  if (pupils.length < 12) return 0;
  const next = (() => {
    let i = 0;
    return () => pupils[i++]!;
  })();
  const work = demoWork(db, day);
  const asFsm = () => work.as('demo-fsm', 'direct_support');
  const version = async (ehaId: string) => (await findEha(db, ehaId))!.version;

  /**
   * The school DSL refers the pupil with the family's consent on `referralDate`; EH DAS decides two
   * days later (the EHA Co-ordinator, registering the EHA, when `screener` names them).
   */
  const referral = async (
    childId: string,
    decision: 'wait' | 'decline' | 'accept',
    referralDate: string,
    screener = 'demo-screener',
  ) => {
    work.on(referralDate);
    const { referral: submitted } = await work.referrals.submit(
      { child: await describeChild(db, childId), needs: NEEDS, consent: DEMO_REFERRAL_CONSENT },
      work.as('demo-school-dsl', 'direct_support'),
    );
    if (decision === 'wait') return null;
    work.on(addDays(referralDate, 2));
    if (decision === 'accept') return acceptReferral(work, submitted, { fsmId: fsm, cluster: 'central' }, screener);
    await work.referrals.screen(
      {
        referralId: submitted.id,
        expectedVersion: submitted.version,
        decision: 'decline',
        rationale: 'Needs can be met by a single agency',
        levelOfNeed: 'universal',
        signposting: ['School nurse drop-in', "Children's centre"],
      },
      work.as('demo-screener', 'screening'),
    );
    return null;
  };

  await referral(next(), 'wait', addDays(day, -1));
  await referral(next(), 'decline', addDays(day, -20));

  /**
   * Social care steps its case down on `started`, allocating it to `allocatedTo` (a Family Support
   * Manager or Facilitator): the family's consent first, recorded by the social worker.
   */
  const stepDown = async (childId: string, started: string, allocatedTo = fsm) => {
    const allocatedOn = addMonths(started, -4);
    work.on(allocatedOn);
    const [child] = await db
      .select({ ssdPersonNumber: children.ssdPersonNumber })
      .from(children)
      .where(eq(children.id, childId));
    invariant(child, 'the child to step down is registered');
    await work.liquidLogic.apply(
      {
        id: `demo-allocation-${childId}`,
        type: 'allocation',
        occurredAt: `${allocatedOn}T09:00:00Z`,
        record: {
          invo_involvements_id: `INVO-DEMO-${child.ssdPersonNumber}`,
          invo_person_id: hubPersonId(child.ssdPersonNumber),
          invo_professional_staff_id: 'demo-social-worker',
          invo_involvement_start_date: allocatedOn,
          invo_involvement_end_date: null,
        },
      },
      'webhook',
    );
    work.on(started);
    const sw = () => work.as('demo-social-worker', 'direct_support');
    const consent = await work.consents.record(
      { childId, ...DEMO_REFERRAL_CONSENT, startsAt: `${started}T09:00:00Z` },
      sw(),
    );
    const eha = await work.escalations.stepDown(
      {
        childId,
        singleAssessmentRef: `SA-DEMO-${childId.slice(0, 4)}`,
        consentId: consent.id,
        familySupportManagerId: allocatedTo,
        cluster: 'central',
        // EH DAS sat in on the Child in Need meeting a week before.
        meeting: 'cin_meeting',
        meetingHeldOn: addDays(started, -7),
        ehDasRepresentativeId: ids.practitionerId('demo-screener'),
        support: 'early_help_assessment',
      },
      sw(),
    );
    return eha.id;
  };

  /** An EHA accepted `ageDays` ago, taken along the main path up to `state`. */
  const eha = async (state: EhaState, ageDays: number, viaStepDown = false, screener = 'demo-screener') => {
    const childId = next();
    const started = addDays(day, -ageDays);
    const id = viaStepDown
      ? await stepDown(childId, started)
      : await referral(childId, 'accept', addDays(started, -2), screener);
    invariant(id, 'the case has an EHA');
    if (state === 'awaiting_first_taf') return;
    const tafOn = addDays(started, 14);
    work.on(tafOn);
    await work.ehas.recordTafMeeting(
      {
        ehaId: id,
        expectedVersion: await version(id),
        heldOn: tafOn,
        attendeeOrganisationIds: [school, council],
        chairPractitionerId: fsm,
        leadPractitionerId: lead,
      },
      asFsm(),
    );
    if (state === 'taf_held') return;
    await work.ehas.setActionPlan(
      {
        ehaId: id,
        expectedVersion: await version(id),
        desiredOutcome: 'Good attendance and a calmer home',
        familyStrengths: 'Loving family, engaged with school',
        needs: [
          { category: 'good_education', services: 'Attendance support' },
          { category: 'family_relationships', services: 'Parenting programme' },
          { category: 'financial_stability', services: 'Debt advice' },
        ],
        actions: [
          {
            description: 'Attendance plan with weekly check-in',
            owningOrganisationId: school,
            dueDate: addDays(tafOn, 28),
            frequencyOfContact: 'weekly',
          },
          {
            description: 'Place on the parenting programme',
            owningOrganisationId: council,
            dueDate: addDays(tafOn, 42),
            frequencyOfContact: 'fortnightly',
          },
        ],
        contingencyPlan: 'Escalate to the Family Support Manager if attendance falls below 85%',
        timescales: 'Three months',
        keyAgencies: [
          { organisationId: school, responsibilities: 'Attendance plan', frequencyOfContact: 'weekly' },
          { organisationId: council, responsibilities: 'Parenting programme', frequencyOfContact: 'fortnightly' },
        ],
        reviewDate: addMonths(tafOn, 3),
      },
      asFsm(),
    );
    if (state === 'plan_in_place') return;
    const reviewOn = addMonths(tafOn, 3);
    work.on(reviewOn);
    const [attendance, programme] = (await currentPlanActionsOf(db, [id])).sort((a, b) => a.position - b.position);
    await work.ehas.recordReview(
      {
        ehaId: id,
        expectedVersion: await version(id),
        heldOn: reviewOn,
        progress: [
          { actionId: attendance!.id, status: 'in_progress', note: 'Attendance improving' },
          { actionId: programme!.id, status: 'done', note: 'Programme completed' },
        ],
        nextReviewDate: addMonths(reviewOn, 3),
        levelOfNeed: 'early_help',
      },
      asFsm(),
    );
    if (state === 'under_review') return;
    work.on(day);
    const expectedVersion = await version(id);
    if (state === 'at_masp') {
      await work.escalations.referToMasp(
        { ehaId: id, expectedVersion, criteria: ['no_improvement'], rationale: 'No improvement after two reviews' },
        asFsm(),
      );
    } else if (state === 'stepped_up_awaiting_outcome') {
      await work.escalations.stepUp(
        { ehaId: id, expectedVersion, rationale: 'Disclosure at school', socialWorkerId: socialWorker },
        asFsm(),
      );
    } else if (state === 'closed') {
      await work.escalations.closeEha(
        {
          ehaId: id,
          expectedVersion,
          outcome: 'needs_met',
          rationale: 'Attendance above 95%, family relationships improved',
          signposting: ['Youth club', "Children's centre"],
        },
        asFsm(),
      );
    }
  };

  await eha('awaiting_first_taf', 5);
  await eha('awaiting_first_taf', 30, true); // stepped down 30 days ago: first TAF overdue
  await eha('taf_held', 20, false, 'demo-eha-coordinator');
  await eha('plan_in_place', 40);
  await eha('under_review', 120);
  await eha('at_masp', 130);
  await eha('stepped_up_awaiting_outcome', 140);
  await eha('closed', 150);
  await partnersCase(work, next(), { ids, stepDown, version });
  return 11;
}

/**
 * A case stepped down to the Family Support Facilitator, who chairs its first TAF; the Family
 * Support Worker leads it; the family agrees that the partners at the TAF who work with them —
 * education welfare, youth justice, adult services, Jobcentre Plus and the trust's midwifery —
 * may see who the family are and the plan, and each owns an action in it.
 */
async function partnersCase(
  work: DemoWork,
  childId: string,
  k: {
    ids: DemoCaseIds;
    stepDown(childId: string, started: string, allocatedTo: string): Promise<string>;
    version(ehaId: string): Promise<number>;
  },
): Promise<void> {
  const { ids } = k;
  const fsf = ids.practitionerId('demo-fsf');
  const fsw = ids.practitionerId('demo-fsw');
  const school = ids.orgId('school-central-primary');
  const council = ids.orgId('council-early-help');
  const partners = {
    attendance: ids.orgId('education-welfare'),
    youthJustice: ids.orgId('youth-justice'),
    adults: ids.orgId('adult-services'),
    jobcentre: ids.orgId('jobcentre-plus'),
    trust: ids.orgId('health-trust'),
  };
  const started = addDays(ids.seedDay, -25);
  const id = await k.stepDown(childId, started, fsf);
  const tafOn = addDays(started, 14);
  work.on(tafOn);
  const asFsf = work.as('demo-fsf', 'direct_support');
  await work.consents.record(
    {
      childId,
      givenBy: 'family_member',
      giverName: 'Parent (synthetic)',
      giverRelationship: 'parent',
      method: 'written',
      organisationKinds: ['education_welfare', 'youth_justice', 'adult_services', 'jobcentre_plus', 'health'],
      categories: ['identity', 'contact', 'early_help', 'family'],
      purposes: ['direct_support'],
      startsAt: `${tafOn}T09:00:00Z`,
    },
    asFsf,
  );
  await work.ehas.recordTafMeeting(
    {
      ehaId: id,
      expectedVersion: await k.version(id),
      heldOn: tafOn,
      attendeeOrganisationIds: [school, council, ...Object.values(partners)],
      chairPractitionerId: fsf,
      leadPractitionerId: fsw,
    },
    asFsf,
  );
  // At the TAF the family also agrees that the midwife's health information may go to Early Help,
  // and the education welfare officer's attendance record to the youth justice service: each
  // partner records the consent for what it holds.
  const agreed = (organisationKinds: string[], categories: string[]) => ({
    childId,
    givenBy: 'family_member',
    giverName: 'Parent (synthetic)',
    giverRelationship: 'parent',
    method: 'written',
    organisationKinds,
    categories,
    purposes: ['direct_support'],
    startsAt: `${tafOn}T11:00:00Z`,
  });
  work.on(tafOn, '11:00:00');
  await work.consents.record(agreed(['council_early_help'], ['health']), work.as('demo-midwife', 'direct_support'));
  await work.consents.record(agreed(['youth_justice'], ['education']), work.as('demo-ewo', 'direct_support'));
  const action = (description: string, owningOrganisationId: string, frequencyOfContact: string) => ({
    description,
    owningOrganisationId,
    dueDate: addDays(tafOn, 42),
    frequencyOfContact,
  });
  await work.ehas.setActionPlan(
    {
      ehaId: id,
      expectedVersion: await k.version(id),
      desiredOutcome: 'Back in school every day, and a parent in work',
      familyStrengths: 'A parent who wants to work, a child who likes football',
      needs: [
        { category: 'good_education', services: 'Education welfare attendance plan' },
        { category: 'crime_prevention', services: 'Targeted youth support' },
        { category: 'financial_stability', services: 'Work coach support' },
      ],
      actions: [
        action('Attendance plan and home visits', partners.attendance, 'weekly'),
        action('Targeted youth support sessions', partners.youthJustice, 'weekly'),
        action("Parent's mental health support", partners.adults, 'fortnightly'),
        action('Work coach appointments for the parent', partners.jobcentre, 'fortnightly'),
      ],
      contingencyPlan: 'Back to the Family Support Facilitator if attendance falls below 85%',
      timescales: 'Three months',
      keyAgencies: [
        { organisationId: partners.attendance, responsibilities: 'Attendance', frequencyOfContact: 'weekly' },
        { organisationId: partners.youthJustice, responsibilities: 'Youth support', frequencyOfContact: 'weekly' },
      ],
      reviewDate: addMonths(tafOn, 3),
    },
    work.as('demo-fsw', 'direct_support'),
  );
}
