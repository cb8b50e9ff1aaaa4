/**
 * A small partnership for the workflow tests: the council's Early Help service (screener, Family
 * Support Manager, lead practitioner, MASP chair), social care, two schools; and helpers that drive
 * a case over HTTP into any state of the EHA state machine.
 */
import { expect } from 'vitest';
import type { EhaState } from '../src/workflow/transitions';
import { fixture, type Fixture } from './support/fixtures';
import { fixedClock, startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

export const Q = {
  submit: `mutation ($input: SubmitReferralInput!) { submitReferral(input: $input) { outcome referralId childId candidates { childId matchedOn } } }`,
  screen: `mutation ($id: ID!, $v: Int!, $d: ScreeningDecision!, $r: String!, $lvl: LevelOfNeed = early_help, $btr: String, $ocr: String, $tso: ID, $s: [String!], $fsm: ID, $c: Cluster, $lead: ID) {
    screenReferral(id: $id, expectedVersion: $v, decision: $d, rationale: $r, levelOfNeed: $lvl, belowThresholdReason: $btr, outOfClusterReason: $ocr, targetedSupportOrganisationId: $tso, signposting: $s, familySupportManagerId: $fsm, cluster: $c, leadPractitionerId: $lead) {
      id status version ehaId cluster recommendation levelOfNeed belowThresholdReason outOfClusterReason targetedSupportOrganisationId targetedSupportReviewBy frontDoorOrganisationId frontDoorReferredAt } }`,
  referral: `query ($id: ID!) { referral(id: $id) { id status version recommendation needs { category description } consentId overrideId } }`,
  eha: `query ($id: ID!) { eha(id: $id) { id status version nextReviewDue firstTafDueBy firstTafOn firstTafOnTime planActions { id owningOrganisationId status } } }`,
  taf: `mutation ($input: RecordTafMeetingInput!) { recordTafMeeting(input: $input) { id status version firstTafOn } }`,
  plan: `mutation ($input: SetActionPlanInput!) { setActionPlan(input: $input) { id status version nextReviewDue } }`,
  review: `mutation ($input: RecordReviewInput!) { recordReview(input: $input) { id status version nextReviewDue } }`,
  close: `mutation ($id: ID!, $v: Int!, $o: CloseOutcome!, $r: String!, $s: [String!], $m: [MaspCriterion!], $sw: ID) {
    closeEha(id: $id, expectedVersion: $v, outcome: $o, rationale: $r, signposting: $s, maspCriteria: $m, socialWorkerId: $sw) { id status version closureOutcome } }`,
  escalate: `mutation ($id: ID!, $v: Int!) { escalateToEha(ehaId: $id, expectedVersion: $v, rationale: "Needs beyond one agency") { id status version firstTafDueBy escalatedToEhaOn escalationRationale } }`,
  stepUp: `mutation ($id: ID!, $v: Int!, $sw: ID!) { stepUp(ehaId: $id, expectedVersion: $v, rationale: "Immediate safeguarding concern", socialWorkerId: $sw) { id status version } }`,
  masp: `mutation ($id: ID!, $v: Int!, $c: [MaspCriterion!]!) { referToMasp(ehaId: $id, expectedVersion: $v, criteria: $c, rationale: "No improvement after two reviews") { id status version } }`,
  maspOutcome: `mutation ($id: ID!, $v: Int!, $o: MaspOutcome!) { recordMaspOutcome(ehaId: $id, expectedVersion: $v, outcome: $o, rationale: "Panel decision") { id status version } }`,
  sa: `mutation ($id: ID!, $v: Int!, $o: SingleAssessmentOutcome!) { recordSingleAssessmentOutcome(ehaId: $id, expectedVersion: $v, outcome: $o) { id status version closureOutcome } }`,
  stepDown: `mutation ($child: ID!, $ref: String!, $consent: ID!, $fsm: ID!, $c: Cluster!, $rep: ID!, $on: String!, $meeting: StepDownMeeting = cin_meeting, $support: StepDownSupport = early_help_assessment, $worker: ID) {
    stepDown(childId: $child, singleAssessmentRef: $ref, consentId: $consent, familySupportManagerId: $fsm, cluster: $c, meeting: $meeting, meetingHeldOn: $on, ehDasRepresentativeId: $rep, support: $support, familySupportWorkerId: $worker) {
      id status version firstTafDueBy origin stepDownMeeting stepDownMeetingOn stepDownEhDasRepresentativeId stepDownSupport } }`,
};

export interface World {
  t: TestHub;
  f: Fixture;
  clock: ReturnType<typeof fixedClock>;
  org: { council: string; socialCare: string; school: string; otherSchool: string; health: string };
  person: { screener: string; fsm: string; lead: string; socialWorker: string; maspChair: string };
  token: {
    screener: string;
    fsm: string;
    lead: string;
    socialWorker: string;
    maspChair: string;
    school: string;
    otherSchool: string;
  };
  /** A child on the school's roll with consent for early_help (schools, council, social care). */
  newChild(): Promise<{ id: string; nhsNumber: string; consentId: string; child: Record<string, unknown> }>;
  ok<T = any>(token: string, query: string, variables?: Record<string, unknown>, purpose?: string): Promise<T>;
  today(): string;
}

export async function buildWorld(at = '2027-03-10T09:00:00Z'): Promise<World> {
  const clock = fixedClock(at);
  const t = await startTestHub({ clock });
  const f = fixture(t.database.db);
  const council = await f.org('council', 'council_early_help');
  const socialCare = await f.org('social-care', 'social_care');
  const school = await f.org('school', 'school');
  const otherSchool = await f.org('other-school', 'school');
  const health = await f.org('health', 'health');
  const person = {
    screener: await f.practitioner(council, 'wf-screener', 'eh_das_screener'),
    fsm: await f.practitioner(council, 'wf-fsm', 'family_support_manager'),
    lead: await f.practitioner(council, 'wf-lead', 'lead_practitioner'),
    socialWorker: await f.practitioner(socialCare, 'wf-social-worker', 'social_worker'),
    maspChair: await f.practitioner(council, 'wf-masp-chair', 'masp_chair'),
  };
  const token = {
    screener: await t.token({ role: 'eh_das_screener', org: council, sub: 'wf-screener' }),
    fsm: await t.token({ role: 'family_support_manager', org: council, sub: 'wf-fsm' }),
    lead: await t.token({ role: 'lead_practitioner', org: council, sub: 'wf-lead' }),
    socialWorker: await t.token({ role: 'social_worker', org: socialCare, sub: 'wf-social-worker' }),
    maspChair: await t.token({ role: 'masp_chair', org: council, sub: 'wf-masp-chair' }),
    school: await t.token({ role: 'school_dsl', org: school, sub: 'wf-school-dsl' }),
    otherSchool: await t.token({ role: 'school_dsl', org: otherSchool, sub: 'wf-other-dsl' }),
  };
  let n = 0;
  const world: World = {
    t,
    f,
    clock,
    org: { council, socialCare, school, otherSchool, health },
    person,
    token,
    async newChild() {
      n++;
      // Letters only: the match key ignores digits, and each child must be its own probable match.
      const tag = n
        .toString(26)
        .split('')
        .map((d) => String.fromCharCode(97 + parseInt(d, 26)))
        .join('');
      const givenName = `Wfgiven${tag}`;
      const familyName = `Wffamily${tag}`;
      const c = await f.child({ givenName, familyName, dateOfBirth: '2015-05-05', postcode: 'LE1 1AA' });
      await f.involve(c.id, school, 'on_roll');
      const consentId = await f.consent(c.id, {
        organisationKinds: ['school', 'council_early_help', 'social_care'],
        categories: ['early_help'],
        purposes: ['direct_support', 'screening', 'service_planning'],
      });
      return {
        id: c.id,
        nhsNumber: c.nhsNumber,
        consentId,
        child: {
          givenName,
          familyName,
          dateOfBirth: '2015-05-05',
          postcode: 'LE1 1AA',
          nhsNumber: c.nhsNumber,
          nhsNumberTraced: true,
        },
      };
    },
    async ok(tok, query, variables, purpose) {
      const res: GraphQLResponse = await t.post(tok, query, variables, purpose);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return res.data;
    },
    today: () => clock.now().toISOString().slice(0, 10),
  };
  return world;
}

export function planInput(
  w: World,
  ehaId: string,
  version: number,
  reviewDate: string,
  dueDate: string,
): Record<string, unknown> {
  return {
    ehaId,
    expectedVersion: version,
    desiredOutcome: 'Regular school attendance and a calmer home',
    familyStrengths: 'Close family, engaged parent',
    needs: [
      { category: 'good_education', services: 'School attendance support' },
      { category: 'family_relationships', services: 'Parenting programme' },
    ],
    actions: [
      {
        description: 'Attendance plan and weekly check-in',
        owningOrganisationId: w.org.school,
        dueDate,
        frequencyOfContact: 'weekly',
      },
      {
        description: 'Parenting programme place',
        owningOrganisationId: w.org.council,
        dueDate,
        frequencyOfContact: 'fortnightly',
      },
    ],
    contingencyPlan: 'Escalate to the Family Support Manager if attendance falls further',
    timescales: 'Twelve weeks',
    keyAgencies: [{ organisationId: w.org.school, responsibilities: 'Attendance', frequencyOfContact: 'weekly' }],
    reviewDate,
  };
}

export interface Case {
  childId: string;
  consentId: string;
  /** Null for a case that came by step down, not by a referral. */
  referralId: string | null;
  ehaId: string;
  version: number;
}

/** Submits and accepts a referral: an EHA awaiting its first TAF. */
export async function acceptedCase(w: World): Promise<Case> {
  const c = await w.newChild();
  const sub = await w.ok(w.token.school, Q.submit, {
    input: { child: c.child, consentId: c.consentId, needs: threeNeeds },
  });
  const ref = await w.ok(
    w.token.screener,
    Q.screen,
    {
      id: sub.submitReferral.referralId,
      v: 1,
      d: 'accept',
      r: 'Three needs, family engaged',
      fsm: w.person.fsm,
      c: 'central',
    },
    'screening',
  );
  return {
    childId: c.id,
    consentId: c.consentId,
    referralId: sub.submitReferral.referralId,
    ehaId: ref.screenReferral.ehaId,
    version: 1,
  };
}

export const threeNeeds = [
  { category: 'good_education', description: 'Attendance below 85%' },
  { category: 'family_relationships', description: 'Conflict at home' },
  { category: 'financial_stability', description: 'Rent arrears' },
];

/** Drives a fresh case into `state` along the main path (MASP and step up from plan_in_place). */
export async function caseIn(w: World, state: EhaState): Promise<Case> {
  if (state === 'family_support_work') return familySupportWorkCase(w);
  const k = await acceptedCase(w);
  const step = async (query: string, vars: Record<string, unknown>, token = w.token.fsm) => {
    const data = await w.ok(token, query, {
      ...vars,
      ...(vars.input
        ? { input: { ...(vars.input as object), ehaId: k.ehaId, expectedVersion: k.version } }
        : { id: k.ehaId, v: k.version }),
    });
    k.version = (Object.values(data)[0] as { version: number }).version;
  };
  if (state === 'awaiting_first_taf') return k;
  await step(Q.taf, { input: tafInput(w) });
  if (state === 'taf_held') return k;
  const today = w.today();
  await step(Q.plan, { input: planInput(w, k.ehaId, k.version, addDaysIso(today, 30), addDaysIso(today, 20)) });
  if (state === 'plan_in_place') return k;
  if (state === 'under_review') {
    await step(Q.review, { input: await reviewInput(w, k) });
    return k;
  }
  if (state === 'at_masp') {
    await step(Q.masp, { c: ['no_improvement'] });
    return k;
  }
  if (state === 'stepped_up_awaiting_outcome') {
    await step(Q.stepUp, { sw: w.person.socialWorker });
    return k;
  }
  await step(Q.close, { o: 'needs_met', r: 'Needs met', s: ["Universal: children's centre"] });
  return k;
}

/** A child stepped down by their social worker to single-agency Family Support Work. */
export async function familySupportWorkCase(w: World): Promise<Case> {
  const c = await w.newChild();
  await w.f.involve(c.id, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
  const { stepDown } = await w.ok(w.token.socialWorker, Q.stepDown, {
    child: c.id,
    ref: `SA-FSW-${c.id.slice(0, 8)}`,
    consent: c.consentId,
    fsm: w.person.fsm,
    c: 'central',
    rep: w.person.screener,
    on: w.today(),
    support: 'family_support_work',
  });
  return { childId: c.id, consentId: c.consentId, referralId: null, ehaId: stepDown.id, version: stepDown.version };
}

export function tafInput(w: World): Record<string, unknown> {
  return {
    heldOn: w.today(),
    attendeeOrganisationIds: [w.org.school, w.org.council],
    chairPractitionerId: w.person.fsm,
    leadPractitionerId: w.person.lead,
  };
}

export async function reviewInput(w: World, k: Case): Promise<Record<string, unknown>> {
  const data = await w.ok(w.token.fsm, Q.eha, { id: k.ehaId });
  return {
    heldOn: w.today(),
    nextReviewDate: addDaysIso(w.today(), 60),
    levelOfNeed: 'early_help',
    progress: data.eha.planActions.map((a: { id: string }) => ({
      actionId: a.id,
      status: 'in_progress',
      note: 'Started',
    })),
  };
}

export function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
