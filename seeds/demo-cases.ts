/**
 * Early Help cases for the demo city: a referral waiting for EH DAS, a declined one, and an EHA in
 * every state of the workflow (src/workflow/transitions.ts), on pupils of Central Primary so the
 * demo school DSL sees them through `openEha`. Rows are written directly (the seed is "as of"
 * SEED_DAY), consistent with the rules: plan review dates within 3 months of the meeting, a
 * stepped-down case past its 3-week first-TAF deadline, involvements for everyone working the case.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import {
  actionPlans,
  children,
  consents,
  ehaReviews,
  ehas,
  involvements,
  planActions,
  referrals,
  tafMeetings,
  workflowTransitions,
} from '../schema';
import type { Db } from '../src/db';
import { addDays, addMonths } from '../src/shared/calendar';
import type { EhaState, ReferralState } from '../src/workflow/transitions';
import { stableUuid } from './synthetic';

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

/** Seeds the cases; returns how many children have one. Needs at least 12 pupils at Central Primary. */
export async function seedDemoCases(db: Db, ids: DemoCaseIds): Promise<number> {
  const school = ids.orgId('school-central-primary');
  const council = ids.orgId('council-early-help');
  const socialCare = ids.orgId('social-care');
  const fsm = ids.practitionerId('demo-fsm');
  const lead = ids.practitionerId('demo-lead-practitioner');
  const socialWorker = ids.practitionerId('demo-social-worker');
  const day = ids.seedDay;
  const at = new Date(`${day}T09:00:00Z`);
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

  const consent = async (childId: string) => {
    const id = stableUuid(`consent:${childId}`);
    await db.insert(consents).values({
      id,
      childId,
      givenBy: 'family_member',
      method: 'written',
      organisationKinds: ['school', 'council_early_help', 'social_care'],
      categories: ['early_help', 'family', 'contact'],
      purposes: ['direct_support', 'screening', 'service_planning'],
      startsAt: new Date(`${addMonths(day, -6)}T09:00:00Z`),
      recordedBySubject: 'demo-screener',
      recordedByOrganisationId: council,
    });
    return id;
  };
  const involve = (
    childId: string,
    organisationId: string,
    kind: (typeof involvements.kind.enumValues)[number],
    startedOn: string,
    practitionerId: string | null = null,
    endedOn: string | null = null,
  ) => db.insert(involvements).values({ childId, organisationId, kind, startedOn, practitionerId, endedOn });
  const transition = (
    machine: string,
    entityId: string,
    childId: string,
    fromState: string | null,
    action: string,
    toState: string,
    onDate: string,
    cluster = 'central',
  ) =>
    db.insert(workflowTransitions).values({
      machine,
      entityId,
      childId,
      cluster,
      fromState,
      action,
      toState,
      onDate,
      actorSubject: 'seed',
      at: new Date(`${onDate}T09:00:00Z`),
    });
  const referral = async (childId: string, status: ReferralState, referralDate: string) => {
    const id = stableUuid(`referral:${childId}`);
    await db.insert(referrals).values({
      id,
      childId,
      status,
      referralDate,
      referrerSubject: 'demo-school-dsl',
      referrerOrganisationId: school,
      needs: NEEDS,
      consentId: await consent(childId),
      cluster: 'central',
      ...(status === 'submitted'
        ? {}
        : {
            screenedBySubject: 'demo-screener',
            screenedOn: addDays(referralDate, 2),
            decisionRationale:
              status === 'accepted' ? 'Three needs, beyond a single agency' : 'Needs can be met by a single agency',
          }),
      ...(status === 'declined'
        ? { signposting: ['School nurse drop-in', "Children's centre"], levelOfNeed: 'universal' as const }
        : {}),
      ...(status === 'accepted' ? { ehaId: stableUuid(`eha:${childId}`), levelOfNeed: 'early_help' as const } : {}),
    });
    await involve(
      childId,
      council,
      'screening',
      referralDate,
      null,
      status === 'submitted' ? null : addDays(referralDate, 2),
    );
    await transition('referral', id, childId, null, 'submit', 'submitted', referralDate);
    if (status !== 'submitted')
      await transition(
        'referral',
        id,
        childId,
        'submitted',
        status === 'accepted' ? 'accept' : 'decline',
        status,
        addDays(referralDate, 2),
      );
    return id;
  };

  await referral(next(), 'submitted', addDays(day, -1));
  await referral(next(), 'declined', addDays(day, -20));

  /** An EHA accepted `ageDays` ago, taken along the main path up to `state`. */
  const eha = async (state: EhaState, ageDays: number, viaStepDown = false) => {
    const childId = next();
    const id = stableUuid(`eha:${childId}`);
    const started = addDays(day, -ageDays);
    const referralId = viaStepDown ? null : await referral(childId, 'accepted', addDays(started, -2));
    if (viaStepDown) {
      await consent(childId);
      await involve(childId, socialCare, 'allocated_social_worker', addMonths(started, -4), socialWorker);
    }
    const tafOn = addDays(started, 14);
    const planned = !['awaiting_first_taf', 'taf_held'].includes(state);
    const reviewed = ['under_review', 'at_masp', 'stepped_up_awaiting_outcome', 'closed'].includes(state);
    const reviewOn = addMonths(tafOn, 3);
    const nextReviewDue = reviewed ? addMonths(reviewOn, 3) : planned ? addMonths(tafOn, 3) : null;
    await db.insert(ehas).values({
      id,
      childId,
      status: state,
      origin: viaStepDown ? 'step_down' : 'referral',
      referralId,
      cluster: 'central',
      startedOn: started,
      familySupportManagerId: fsm,
      leadPractitionerId: state === 'awaiting_first_taf' ? null : lead,
      singleAssessmentRef: viaStepDown ? `SA-DEMO-${childId.slice(0, 4)}` : null,
      firstTafDueBy: viaStepDown ? addDays(started, 21) : null,
      expectedFirstTafAttendeeId: viaStepDown ? socialWorker : null,
      firstTafOn: state === 'awaiting_first_taf' ? null : tafOn,
      nextReviewDue,
      resumeStatus: ['at_masp', 'stepped_up_awaiting_outcome'].includes(state) ? 'under_review' : null,
      maspCriteria: state === 'at_masp' ? ['no_improvement'] : null,
      maspRationale: state === 'at_masp' ? 'No improvement after two reviews' : null,
      stepUpRationale: state === 'stepped_up_awaiting_outcome' ? 'Disclosure at school' : null,
      socialWorkerId: state === 'stepped_up_awaiting_outcome' || viaStepDown ? socialWorker : null,
      closedOn: state === 'closed' ? day : null,
      closureOutcome: state === 'closed' ? 'needs_met' : null,
      closureRationale: state === 'closed' ? 'Attendance above 95%, family relationships improved' : null,
      signposting: state === 'closed' ? ['Youth club', "Children's centre"] : null,
    });
    const ended = state === 'closed' ? day : null;
    await involve(childId, council, 'allocated_family_support', started, fsm, ended);
    await transition(
      'eha',
      id,
      childId,
      null,
      viaStepDown ? 'step_down' : 'accept_referral',
      'awaiting_first_taf',
      started,
    );
    if (state === 'awaiting_first_taf') return;
    await involve(childId, council, 'lead_practitioner', tafOn, lead, ended);
    await involve(childId, school, 'taf_member', tafOn, null, ended);
    await db.insert(tafMeetings).values({
      ehaId: id,
      childId,
      heldOn: tafOn,
      isFirst: true,
      chairPractitionerId: fsm,
      leadPractitionerId: lead,
      attendeeOrganisationIds: [school, council],
      recordedBySubject: 'demo-fsm',
      recordedAt: at,
    });
    await transition('eha', id, childId, 'awaiting_first_taf', 'record_taf', 'taf_held', tafOn);
    if (!planned) return;
    const [plan] = await db
      .insert(actionPlans)
      .values({
        ehaId: id,
        childId,
        revision: 1,
        agreedOn: tafOn,
        desiredOutcome: 'Good attendance and a calmer home',
        familyStrengths: 'Loving family, engaged with school',
        needs: [
          { category: 'good_education', services: 'Attendance support' },
          { category: 'family_relationships', services: 'Parenting programme' },
          { category: 'financial_stability', services: 'Debt advice' },
        ],
        contingencyPlan: 'Escalate to the Family Support Manager if attendance falls below 85%',
        timescales: 'Three months',
        keyAgencies: [
          { organisationId: school, responsibilities: 'Attendance plan', frequencyOfContact: 'weekly' },
          { organisationId: council, responsibilities: 'Parenting programme', frequencyOfContact: 'fortnightly' },
        ],
        reviewDate: addMonths(tafOn, 3),
        recordedBySubject: 'demo-fsm',
        recordedAt: at,
      })
      .returning({ id: actionPlans.id });
    const actionRows = await db
      .insert(planActions)
      .values([
        {
          planId: plan!.id,
          ehaId: id,
          childId,
          position: 0,
          description: 'Attendance plan with weekly check-in',
          owningOrganisationId: school,
          dueDate: addDays(tafOn, 28),
          frequencyOfContact: 'weekly',
          status: reviewed ? 'in_progress' : 'not_started',
        },
        {
          planId: plan!.id,
          ehaId: id,
          childId,
          position: 1,
          description: 'Place on the parenting programme',
          owningOrganisationId: council,
          dueDate: addDays(tafOn, 42),
          frequencyOfContact: 'fortnightly',
          status: reviewed ? 'done' : 'not_started',
        },
      ])
      .returning({ id: planActions.id });
    await transition('eha', id, childId, 'taf_held', 'set_plan', 'plan_in_place', tafOn);
    if (!reviewed) return;
    await db.insert(ehaReviews).values({
      ehaId: id,
      childId,
      heldOn: reviewOn,
      wasDueBy: addMonths(tafOn, 3),
      onTime: true,
      circumstancesChanged: false,
      progress: [
        { actionId: actionRows[0]!.id, status: 'in_progress', note: 'Attendance improving' },
        { actionId: actionRows[1]!.id, status: 'done', note: 'Programme completed' },
      ],
      nextReviewDate: addMonths(reviewOn, 3),
      levelOfNeed: 'early_help',
      recordedBySubject: 'demo-fsm',
      recordedAt: at,
    });
    await transition('eha', id, childId, 'plan_in_place', 'record_review', 'under_review', reviewOn);
    if (state === 'at_masp') {
      await involve(childId, council, 'masp', day);
      await transition('eha', id, childId, 'under_review', 'refer_to_masp', 'at_masp', day);
    } else if (state === 'stepped_up_awaiting_outcome') {
      await involve(childId, socialCare, 'allocated_social_worker', day, socialWorker);
      await transition('eha', id, childId, 'under_review', 'step_up', 'stepped_up_awaiting_outcome', day);
    } else if (state === 'closed') {
      await transition('eha', id, childId, 'under_review', 'close_needs_met', 'closed', day);
    }
  };

  await eha('awaiting_first_taf', 5);
  await eha('awaiting_first_taf', 30, true); // stepped down 30 days ago: first TAF overdue
  await eha('taf_held', 20);
  await eha('plan_in_place', 40);
  await eha('under_review', 120);
  await eha('at_masp', 130);
  await eha('stepped_up_awaiting_outcome', 140);
  await eha('closed', 150);
  return 10;
}
