/**
 * What the case journeys share (examples/referral.ts, step-down.ts, masp.ts): the people of the
 * demo city who act in them, each with a client stating the purpose their step serves, and the
 * steps every journey starts with — a school refers a new (synthetic) child with the family's
 * consent, EH DAS accepts it for an EHA, the Family Support Manager chairs the first Team Around
 * the Family, and the plan is agreed with a review inside three months.
 */
import {
  RecordTafMeetingDocument,
  ReferralToScreenDocument,
  ScreenReferralDocument,
  SetActionPlanDocument,
  SubmitReferralDocument,
  type EhaStepFragment,
  type HubClient,
  type HubPurpose,
  type SetActionPlanMutation,
} from '../src/client';
import { connect, demoPersona } from './support';

/** The demo city's people in the journeys, by their persona subject. */
export const PEOPLE = {
  school: 'demo-school-dsl',
  screener: 'demo-screener',
  fsm: 'demo-fsm',
  lead: 'demo-lead-practitioner',
  socialWorker: 'demo-social-worker',
  maspChair: 'demo-masp-chair',
} as const;
export type Person = keyof typeof PEOPLE;

/** A person of the journey: a client per purpose, and their practitioner and organisation ids. */
export interface Actor {
  as(purpose: HubPurpose): Promise<HubClient>;
  practitionerId: string;
  organisationId: string;
}

export async function actor(person: Person): Promise<Actor> {
  const persona = await demoPersona(PEOPLE[person]);
  const clients = new Map<HubPurpose, Promise<HubClient>>();
  return {
    as(purpose) {
      if (!clients.has(purpose)) clients.set(purpose, connect(PEOPLE[person], purpose));
      return clients.get(purpose)!;
    },
    practitionerId: persona.practitionerId,
    organisationId: persona.organisationId,
  };
}

/** Today in the partnership's time zone: the hub dates meetings and reviews by it. */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

/** A calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A name no other demo child has (letters only: the hub's matching ignores digits). */
function syntheticName(): string {
  const letters = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  return letters[0]!.toUpperCase() + letters.slice(1);
}

/** One line of a journey's output. */
export const say = (line: string) => console.log(line);

export interface Accepted {
  referralId: string;
  childId: string;
  consentId: string;
  eha: EhaStepFragment;
}

/**
 * The school's DSL refers a new child with three needs and the mother's written consent (naming the
 * council's Early Help service, the school and social care); EH DAS accepts it at the early_help
 * level and allocates it to the Central Family Support Manager.
 */
export async function referAndAccept(journey: string): Promise<Accepted> {
  const [school, screener, fsm] = await Promise.all([actor('school'), actor('screener'), actor('fsm')]);
  const { submitReferral } = await (await school.as('direct_support')).request(SubmitReferralDocument, {
    input: {
      child: {
        givenName: syntheticName(),
        familyName: `${syntheticName()}-Example`,
        dateOfBirth: '2016-03-14',
        postcode: 'LE1 9ZZ',
      },
      needs: [
        { category: 'good_education', description: 'Attendance below 85% this term' },
        { category: 'family_relationships', description: 'Conflict at home since a separation' },
        { category: 'financial_stability', description: 'Rent arrears and a notice seeking possession' },
      ],
      consent: {
        givenBy: 'family_member',
        giverName: 'Synthetic Parent',
        giverRelationship: 'mother',
        method: 'written',
        categories: ['identity', 'education', 'early_help', 'family', 'social_care'],
        purposes: ['direct_support', 'screening', 'service_planning', 'safeguarding'],
        organisationKinds: ['school', 'council_early_help', 'social_care'],
      },
    },
  });
  const referralId = submitReferral.referralId!;
  say(`${journey}: the school referred a child (referral ${referralId}), three needs, written consent`);
  const screening = await screener.as('screening');
  const { referral } = await screening.request(ReferralToScreenDocument, { id: referralId });
  if (!referral) throw new Error('EH DAS cannot see the referral');
  say(
    `  EH DAS screens it: ${referral.needs?.length} needs, the eligibility rule recommends ${referral.recommendation}`,
  );
  const { screenReferral } = await screening.request(ScreenReferralDocument, {
    id: referralId,
    expectedVersion: referral.version!,
    decision: 'accept',
    rationale: 'Three needs across education, family relationships and money; no single agency can meet them',
    levelOfNeed: 'early_help',
    familySupportManagerId: fsm.practitionerId,
    cluster: 'central',
  });
  say(
    `  accepted at level ${screenReferral.levelOfNeed}: EHA ${screenReferral.ehaId}, allocated to the ${screenReferral.cluster} Family Support Manager`,
  );
  return {
    referralId,
    childId: referral.childId,
    consentId: referral.consentId!,
    eha: {
      id: screenReferral.ehaId!,
      childId: referral.childId,
      status: 'awaiting_first_taf',
      version: 1,
      origin: 'referral',
      firstTafDueBy: null,
      firstTafOn: null,
      firstTafOnTime: null,
      nextReviewDue: null,
      closureOutcome: null,
      maspOutcome: null,
      singleAssessmentOutcome: null,
    },
  };
}

/**
 * The first Team Around the Family, chaired by the Family Support Manager (with whoever else
 * attended: `attendees`), appoints the lead practitioner; the plan is agreed with a review in six weeks.
 */
export async function tafAndPlan(
  eha: EhaStepFragment,
  attendees: string[] = [],
): Promise<SetActionPlanMutation['setActionPlan']> {
  const [fsm, lead, school] = await Promise.all([actor('fsm'), actor('lead'), actor('school')]);
  const working = await fsm.as('direct_support');
  const day = today();
  const { recordTafMeeting } = await working.request(RecordTafMeetingDocument, {
    input: {
      ehaId: eha.id,
      expectedVersion: eha.version!,
      heldOn: day,
      chairPractitionerId: fsm.practitionerId,
      leadPractitionerId: lead.practitionerId,
      attendeeOrganisationIds: [school.organisationId, fsm.organisationId, ...attendees],
    },
  });
  say(
    `  first TAF held ${recordTafMeeting.firstTafOn}, chaired by the Family Support Manager${recordTafMeeting.firstTafOnTime === null ? '' : recordTafMeeting.firstTafOnTime ? ' (on time)' : ' (late)'}`,
  );
  const { setActionPlan } = await working.request(SetActionPlanDocument, {
    input: {
      ehaId: eha.id,
      expectedVersion: recordTafMeeting.version!,
      desiredOutcome: 'Regular school attendance and a calmer home',
      familyStrengths: 'A close family; the parent is engaged',
      protectiveFactors: ['A grandmother nearby who helps every week', 'Settled in class with a trusted teacher'],
      needs: [
        { category: 'good_education', services: 'School attendance support' },
        { category: 'family_relationships', services: 'Parenting programme' },
        { category: 'financial_stability', services: 'Debt advice' },
      ],
      actions: [
        {
          description: 'Attendance plan and a weekly check-in',
          owningOrganisationId: school.organisationId,
          dueDate: addDays(day, 28),
          frequencyOfContact: 'weekly',
        },
        {
          description: 'Parenting programme place',
          owningOrganisationId: fsm.organisationId,
          dueDate: addDays(day, 35),
          frequencyOfContact: 'fortnightly',
        },
      ],
      contingencyPlan: 'Escalate to the Family Support Manager if attendance falls further',
      timescales: 'Twelve weeks',
      keyAgencies: [
        { organisationId: school.organisationId, responsibilities: 'Attendance', frequencyOfContact: 'weekly' },
      ],
      reviewDate: addDays(day, 42),
    },
  });
  say(
    `  action plan agreed: ${setActionPlan.planActions?.length ?? 0} actions, ${setActionPlan.actionPlan?.protectiveFactors?.length ?? 0} protective factors, status ${setActionPlan.status}, review due ${setActionPlan.nextReviewDue}`,
  );
  return setActionPlan;
}
