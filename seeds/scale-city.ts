/**
 * The city at scale (`npm run seed -- --children 100000`, up to 1,000,000+): the demo city as its
 * first BASE_CHILDREN children (personas, demo cases), then, written in bulk (seeds/bulk-sink.ts),
 * a school estate sized like a real city's, families, rolls, health caseloads, consents, Early
 * Help cases in every workflow state with plans, meetings, reviews and their transition history,
 * and an access audit history (seeds/scale-audit.ts). Deterministic: the same size always gives
 * the same rows and ids.
 */
import {
  actionPlans,
  children,
  consents,
  ehaReviews,
  ehas,
  familyMembers,
  householdLinks,
  involvements,
  organisations,
  planActions,
  practitioners,
  referrals,
  tafMeetings,
  workflowTransitions,
} from '../schema';
import { matchKey } from '../src/child/identifiers';
import type { Db } from '../src/db';
import { addDays, addMonths } from '../src/shared/calendar';
import type { EhaState } from '../src/workflow/transitions';
import { bulkSink } from './bulk-sink';
import { childId, CLUSTERS, orgId, practitionerId, seedDemoCity, SEED_DAY } from './demo-city';
import { seedAuditHistory } from './scale-audit';
import { scaleNhsNumbers } from './scale-identifiers';
import { GIVEN_NAMES, pick, prng, stableUuid, syntheticHome, syntheticUpn } from './synthetic';

/** The demo city (personas, demo cases at Central Primary) is the first part of every scale city. */
export const BASE_CHILDREN = 2000;
/** Children generated and written per chunk (bounded memory at any size). */
const CHUNK = 20_000;

export interface ScaleSeedOptions {
  children: number;
  /** Access audit rows of history to write (default: one per child). */
  auditRows?: number;
  /** The hub's audit row MAC key: rows without a valid MAC are refused by the audit log. */
  auditRowMacKey: Buffer;
  onProgress?: (message: string) => void;
}

export interface ScaleSeedSummary {
  children: number;
  schools: number;
  practitioners: number;
  ehas: number;
  referrals: number;
  consents: number;
  auditRows: number;
}

/** Schools of the scale estate: a primary per ~1,100 children and a secondary per ~4,000, in each cluster. */
export function scaleSchools(
  total: number,
): { key: string; cluster: string; phase: 'primary' | 'secondary'; establishment: number }[] {
  const perCluster = total / CLUSTERS.length;
  const primaries = Math.min(199, Math.max(1, Math.round(perCluster / 1100)));
  const secondaries = Math.min(99, Math.max(1, Math.round(perCluster / 4000)));
  return CLUSTERS.flatMap((cluster, c) => [
    ...Array.from({ length: primaries }, (_, i) => ({
      key: `scale-school-${cluster}-p${i}`,
      cluster,
      phase: 'primary' as const,
      establishment: 2100 + c * 200 + i,
    })),
    ...Array.from({ length: secondaries }, (_, i) => ({
      key: `scale-school-${cluster}-s${i}`,
      cluster,
      phase: 'secondary' as const,
      establishment: 5100 + c * 100 + i,
    })),
  ]);
}

/** Which case (if any) child n has: one in 25 children is referred; the state cycles through every state. */
export function caseOf(n: number): 'submitted' | 'declined' | EhaState | null {
  if (n % 25 !== 7) return null;
  const states = [
    'submitted',
    'declined',
    'awaiting_first_taf',
    'taf_held',
    'plan_in_place',
    'under_review',
    'under_review',
    'at_masp',
    'stepped_up_awaiting_outcome',
    'closed',
  ] as const;
  return states[Math.floor(n / 25) % states.length]!;
}

export async function seedScaleCity(db: Db, options: ScaleSeedOptions): Promise<ScaleSeedSummary> {
  const total = options.children;
  const progress = options.onProgress ?? (() => {});
  const started = Date.now();
  const base = Math.min(total, BASE_CHILDREN);
  await seedDemoCity(db, { children: base, onProgress: () => {} });
  progress(`demo city: ${base} children`);
  const sink = bulkSink(db);
  const summary: ScaleSeedSummary = {
    children: total,
    schools: 0,
    practitioners: 0,
    ehas: 0,
    referrals: 0,
    consents: 0,
    auditRows: 0,
  };
  try {
    const schools = scaleSchools(total);
    summary.schools = schools.length;
    await sink.write(
      organisations,
      schools.map((s) => ({
        id: orgId(s.key),
        name: `Scale ${s.phase} ${s.key.slice(13)}`,
        kind: 'school' as const,
        cluster: s.cluster as never,
        externalCode: String(s.establishment),
      })),
    );
    // One lead practitioner per 20 cases, one Family Support Manager per 40, spread over the clusters.
    const cases = Math.ceil(total / 25);
    const leads = Array.from({ length: Math.max(6, Math.ceil(cases / 20)) }, (_, i) => `scale-lead-${i}`);
    const fsms = Array.from({ length: Math.max(6, Math.ceil(cases / 40)) }, (_, i) => `scale-fsm-${i}`);
    const council = orgId('council-early-help');
    await sink.write(practitioners, [
      ...leads.map((subject) => ({
        id: practitionerId(subject),
        organisationId: council,
        subject,
        displayName: `Lead ${subject.slice(11)}`,
        email: `${subject}@example.invalid`,
        phone: '0000 000000',
        roles: ['lead_practitioner'],
      })),
      ...fsms.map((subject) => ({
        id: practitionerId(subject),
        organisationId: council,
        subject,
        displayName: `FSM ${subject.slice(10)}`,
        email: `${subject}@example.invalid`,
        phone: '0000 000000',
        roles: ['family_support_manager'],
      })),
    ]);
    summary.practitioners = leads.length + fsms.length;
    const schoolsOf = (cluster: string, phase: 'primary' | 'secondary') =>
      schools.filter((s) => s.cluster === cluster && s.phase === phase);
    const nhs = scaleNhsNumbers();
    const random = prng(0x5ca1e);
    const upnSerials = new Map<string, number>();
    let n = base;
    let family = 1_000_000;
    while (n < total) {
      const chunk = newChunk();
      const end = Math.min(total, n + CHUNK);
      while (n < end) {
        const f = family++;
        const cluster = CLUSTERS[f % CLUSTERS.length]!;
        const { familyName, postcode, addressLine } = syntheticHome(random, f, cluster);
        const parentId = stableUuid(`parent:${f}`);
        chunk.members.push({
          id: parentId,
          givenName: pick(random, GIVEN_NAMES),
          familyName,
          dateOfBirth: `19${80 + (f % 15)}-0${1 + (f % 9)}-1${f % 9}`,
          phone: '0000 000000',
          addressLine,
          postcode,
          createdAt: new Date(`${SEED_DAY}T00:00:00Z`),
        });
        const siblings: string[] = [];
        const size = 1 + Math.floor(random() * 3);
        for (let s = 0; s < size && n < end; s++, n++) {
          const id = childId(n);
          const givenName = pick(random, GIVEN_NAMES);
          const unborn = n % 97 === 13;
          const ageDays = Math.floor(random() * 17 * 365);
          const dateOfBirth = unborn ? null : addDays(SEED_DAY, -ageDays - 30);
          const expectedDate = unborn ? addDays(SEED_DAY, 120) : null;
          const age = ageDays / 365;
          const phase = age >= 4 && age < 11 ? 'primary' : age >= 11 && age < 16.9 ? 'secondary' : null;
          const options = phase ? schoolsOf(cluster, phase) : [];
          const school = phase ? options[f % options.length]! : null;
          let upn: string | null = null;
          if (school) {
            const key = `${school.establishment}:${n % 15}`;
            const serial = upnSerials.get(key) ?? 0;
            upnSerials.set(key, serial + 1);
            upn = syntheticUpn(school.establishment, 2010 + (n % 15), serial);
          }
          chunk.children.push({
            id,
            givenName,
            familyName,
            dateOfBirth,
            expectedDate,
            gender: n % 2 ? 'female' : 'male',
            nhsNumber: unborn ? null : nhs(n),
            nhsNumberTraced: !unborn && n % 10 !== 0,
            upn,
            liquidLogicPersonId: null,
            addressLine,
            postcode,
            phone: null,
            hasSend: n % 23 === 0,
            matchKey: matchKey({ givenName, familyName, date: dateOfBirth ?? expectedDate, postcode }),
            mergedInto: null,
            version: 1,
            createdAt: new Date(`${SEED_DAY}T00:00:00Z`),
            updatedAt: new Date(`${SEED_DAY}T00:00:00Z`),
          });
          chunk.links.push({
            id: stableUuid(`link:${id}:${parentId}`),
            childId: id,
            relation: 'parent',
            familyMemberId: parentId,
            siblingChildId: null,
            hasParentalResponsibility: true,
          });
          for (const sibling of siblings) {
            chunk.links.push({
              id: stableUuid(`link:${id}:${sibling}`),
              childId: id,
              relation: 'sibling',
              familyMemberId: null,
              siblingChildId: sibling,
              hasParentalResponsibility: false,
            });
            chunk.links.push({
              id: stableUuid(`link:${sibling}:${id}`),
              childId: sibling,
              relation: 'sibling',
              familyMemberId: null,
              siblingChildId: id,
              hasParentalResponsibility: false,
            });
          }
          siblings.push(id);
          const involve = (
            organisationId: string,
            kind: (typeof involvements.kind.enumValues)[number],
            startedOn: string,
            practitioner: string | null = null,
            endedOn: string | null = null,
          ) =>
            chunk.involvements.push({
              id: stableUuid(`involvement:${id}:${kind}:${organisationId}:${startedOn}`),
              childId: id,
              organisationId,
              practitionerId: practitioner,
              kind,
              startedOn,
              endedOn,
            });
          const schoolOrg = school ? orgId(school.key) : null;
          if (schoolOrg) involve(schoolOrg, 'on_roll', '2026-09-01');
          if (unborn || age < 5 || n % 5 === 0) involve(orgId('health-trust'), 'caseload', '2025-01-01');
          if (n % 11 === 0) involve(orgId('vcs-family-action'), 'vcs_support', '2026-03-01');
          const state = caseOf(n);
          // Three in ten families have consented to sharing with schools and Early Help; every case has consent.
          let consentId: string | null = null;
          if (state || n % 10 < 3) {
            consentId = stableUuid(`consent:${id}`);
            chunk.consents.push({
              id: consentId,
              childId: id,
              givenBy: 'family_member',
              familyMemberId: parentId,
              method: 'written',
              writtenConfirmedAt: null,
              organisationIds: [],
              organisationKinds: ['school', 'council_early_help', 'social_care'],
              categories: ['early_help', 'family', 'contact'],
              purposes: ['direct_support', 'screening', 'service_planning'],
              startsAt: new Date(`${addMonths(SEED_DAY, -6)}T09:00:00Z`),
              expiresAt: null,
              withdrawnAt: null,
              withdrawnReason: null,
              recordedBySubject: 'demo-screener',
              recordedByOrganisationId: council,
              recordedAt: new Date(`${addMonths(SEED_DAY, -6)}T09:00:00Z`),
            });
          }
          if (state)
            addCase(chunk, {
              n,
              childId: id,
              cluster,
              consentId: consentId!,
              schoolOrg,
              state,
              lead: practitionerId(leads[n % leads.length]!),
              fsm: practitionerId(fsms[n % fsms.length]!),
              involve,
            });
        }
      }
      summary.consents += chunk.consents.length;
      summary.referrals += chunk.referrals.length;
      summary.ehas += chunk.ehas.length;
      await writeChunk(sink, chunk);
      const seconds = (Date.now() - started) / 1000;
      progress(
        `seeded ${n}/${total} children (${Math.round((100 * n) / total)}%, ${seconds.toFixed(0)} s, ${Math.round(n / Math.max(seconds, 0.001))} children/s)`,
      );
    }
    summary.auditRows = await seedAuditHistory(sink, {
      children: total,
      rows: options.auditRows ?? total,
      schools,
      rowMacKey: options.auditRowMacKey,
      onProgress: progress,
    });
  } finally {
    await sink.close();
  }
  return summary;
}

type Rows<T extends { $inferInsert: unknown }> = T['$inferInsert'][];
interface Chunk {
  members: Rows<typeof familyMembers>;
  children: Rows<typeof children>;
  links: Rows<typeof householdLinks>;
  involvements: Rows<typeof involvements>;
  consents: Rows<typeof consents>;
  referrals: Rows<typeof referrals>;
  ehas: Rows<typeof ehas>;
  tafMeetings: Rows<typeof tafMeetings>;
  plans: Rows<typeof actionPlans>;
  actions: Rows<typeof planActions>;
  reviews: Rows<typeof ehaReviews>;
  transitions: Rows<typeof workflowTransitions>;
}

function newChunk(): Chunk {
  return {
    members: [],
    children: [],
    links: [],
    involvements: [],
    consents: [],
    referrals: [],
    ehas: [],
    tafMeetings: [],
    plans: [],
    actions: [],
    reviews: [],
    transitions: [],
  };
}

/** Parents before children, referrals before EHAs, plans before actions: foreign keys hold at every step. */
async function writeChunk(sink: ReturnType<typeof bulkSink>, c: Chunk): Promise<void> {
  await sink.write(familyMembers, c.members);
  await sink.write(children, c.children);
  await sink.write(householdLinks, c.links);
  await sink.write(involvements, c.involvements);
  await sink.write(consents, c.consents);
  await sink.write(referrals, c.referrals);
  await sink.write(ehas, c.ehas);
  await sink.write(tafMeetings, c.tafMeetings);
  await sink.write(actionPlans, c.plans);
  await sink.write(planActions, c.actions);
  await sink.write(ehaReviews, c.reviews);
  await sink.write(workflowTransitions, c.transitions);
}

interface CaseSeed {
  n: number;
  childId: string;
  cluster: string;
  consentId: string;
  schoolOrg: string | null;
  state: NonNullable<ReturnType<typeof caseOf>>;
  lead: string;
  fsm: string;
  involve(
    organisationId: string,
    kind: (typeof involvements.kind.enumValues)[number],
    startedOn: string,
    practitioner?: string | null,
    endedOn?: string | null,
  ): void;
}

const NEEDS = [
  { category: 'good_education', description: 'Persistent absence this term' },
  { category: 'family_relationships', description: 'Conflict between parents and child' },
  { category: 'financial_stability', description: 'Rent arrears and debt' },
];

/** A referral, and for accepted ones an EHA taken along the main path to its state, with history. */
function addCase(c: Chunk, k: CaseSeed): void {
  const council = orgId('council-early-help');
  const referrer = k.schoolOrg ?? orgId('health-trust');
  const ageDays = 5 + (k.n % 170);
  const started = addDays(SEED_DAY, -ageDays);
  const referralDate = addDays(started, -2);
  const referralId = stableUuid(`referral:${k.childId}`);
  const ehaId = stableUuid(`eha:${k.childId}`);
  const status = k.state === 'submitted' ? 'submitted' : k.state === 'declined' ? 'declined' : 'accepted';
  const at = (day: string) => new Date(`${day}T09:00:00Z`);
  const transition = (
    machine: string,
    entityId: string,
    fromState: string | null,
    action: string,
    toState: string,
    onDate: string,
  ) =>
    c.transitions.push({
      id: stableUuid(`transition:${entityId}:${action}`),
      machine,
      entityId,
      childId: k.childId,
      cluster: k.cluster,
      fromState,
      action,
      toState,
      onDate,
      actorSubject: 'seed',
      at: at(onDate),
    });
  c.referrals.push({
    id: referralId,
    childId: k.childId,
    status,
    referralDate,
    referrerSubject: 'scale-referrer',
    referrerOrganisationId: referrer,
    needs: NEEDS,
    familyMemberIds: [],
    consentId: k.consentId,
    overrideId: null,
    cluster: k.cluster,
    screenedBySubject: status === 'submitted' ? null : 'demo-screener',
    screenedOn: status === 'submitted' ? null : addDays(referralDate, 2),
    decisionRationale:
      status === 'accepted'
        ? 'Three needs, beyond a single agency'
        : status === 'declined'
          ? 'Needs can be met by a single agency'
          : null,
    signposting: status === 'declined' ? ['School nurse drop-in'] : null,
    ehaId: status === 'accepted' ? ehaId : null,
    version: 1,
    createdAt: at(referralDate),
  });
  k.involve(council, 'screening', referralDate, null, status === 'submitted' ? null : addDays(referralDate, 2));
  transition('referral', referralId, null, 'submit', 'submitted', referralDate);
  if (status !== 'accepted') {
    if (status === 'declined')
      transition('referral', referralId, 'submitted', 'decline', 'declined', addDays(referralDate, 2));
    return;
  }
  transition('referral', referralId, 'submitted', 'accept', 'accepted', started);
  const state = k.state as EhaState;
  const tafOn = addDays(started, 14);
  const planned = !['awaiting_first_taf', 'taf_held'].includes(state);
  const reviewed = ['under_review', 'at_masp', 'stepped_up_awaiting_outcome', 'closed'].includes(state);
  const reviewOn = addMonths(tafOn, 3);
  const ended = state === 'closed' ? SEED_DAY : null;
  c.ehas.push({
    id: ehaId,
    childId: k.childId,
    status: state,
    resumeStatus: ['at_masp', 'stepped_up_awaiting_outcome'].includes(state) ? 'under_review' : null,
    origin: 'referral',
    referralId,
    singleAssessmentRef: null,
    cluster: k.cluster,
    startedOn: started,
    familySupportManagerId: k.fsm,
    leadPractitionerId: state === 'awaiting_first_taf' ? null : k.lead,
    firstTafDueBy: null,
    firstTafOn: state === 'awaiting_first_taf' ? null : tafOn,
    expectedFirstTafAttendeeId: null,
    nextReviewDue: reviewed ? addMonths(reviewOn, 3) : planned ? addMonths(tafOn, 3) : null,
    stepUpRationale: state === 'stepped_up_awaiting_outcome' ? 'Disclosure at school' : null,
    socialWorkerId: state === 'stepped_up_awaiting_outcome' ? practitionerId('demo-social-worker') : null,
    singleAssessmentOutcome: null,
    maspCriteria: state === 'at_masp' ? ['no_improvement'] : null,
    maspRationale: state === 'at_masp' ? 'No improvement after two reviews' : null,
    maspOutcome: null,
    maspOutcomeRationale: null,
    closedOn: ended,
    closureOutcome: ended ? 'needs_met' : null,
    closureRationale: ended ? 'Attendance above 95%, family relationships improved' : null,
    signposting: ended ? ['Youth club'] : null,
    version: 1,
    createdAt: at(started),
    updatedAt: at(started),
  });
  k.involve(council, 'allocated_family_support', started, k.fsm, ended);
  transition('eha', ehaId, null, 'accept_referral', 'awaiting_first_taf', started);
  if (state === 'awaiting_first_taf') return;
  k.involve(council, 'lead_practitioner', tafOn, k.lead, ended);
  if (k.schoolOrg) k.involve(k.schoolOrg, 'taf_member', tafOn, null, ended);
  c.tafMeetings.push({
    id: stableUuid(`taf:${ehaId}`),
    ehaId,
    childId: k.childId,
    heldOn: tafOn,
    isFirst: true,
    chairPractitionerId: k.fsm,
    leadPractitionerId: k.lead,
    attendeeOrganisationIds: k.schoolOrg ? [k.schoolOrg, council] : [council],
    recordedBySubject: 'seed',
    recordedAt: at(tafOn),
  });
  transition('eha', ehaId, 'awaiting_first_taf', 'record_taf', 'taf_held', tafOn);
  if (!planned) return;
  const planId = stableUuid(`plan:${ehaId}`);
  const owner = k.schoolOrg ?? council;
  c.plans.push({
    id: planId,
    ehaId,
    childId: k.childId,
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
      { organisationId: owner, responsibilities: 'Attendance plan', frequencyOfContact: 'weekly' },
      { organisationId: council, responsibilities: 'Parenting programme', frequencyOfContact: 'fortnightly' },
    ],
    reviewDate: addMonths(tafOn, 3),
    recordedBySubject: 'seed',
    recordedAt: at(tafOn),
  });
  const actionIds = [stableUuid(`action:${planId}:0`), stableUuid(`action:${planId}:1`)];
  c.actions.push(
    {
      id: actionIds[0],
      planId,
      ehaId,
      childId: k.childId,
      position: 0,
      description: 'Attendance plan with weekly check-in',
      owningOrganisationId: owner,
      dueDate: addDays(tafOn, 28),
      frequencyOfContact: 'weekly',
      status: reviewed ? 'in_progress' : 'not_started',
    },
    {
      id: actionIds[1],
      planId,
      ehaId,
      childId: k.childId,
      position: 1,
      description: 'Place on the parenting programme',
      owningOrganisationId: council,
      dueDate: addDays(tafOn, 42),
      frequencyOfContact: 'fortnightly',
      status: reviewed ? 'done' : 'not_started',
    },
  );
  transition('eha', ehaId, 'taf_held', 'set_plan', 'plan_in_place', tafOn);
  if (!reviewed) return;
  c.reviews.push({
    id: stableUuid(`review:${ehaId}`),
    ehaId,
    childId: k.childId,
    heldOn: reviewOn,
    wasDueBy: addMonths(tafOn, 3),
    onTime: true,
    circumstancesChanged: false,
    progress: [
      { actionId: actionIds[0]!, status: 'in_progress', note: 'Attendance improving' },
      { actionId: actionIds[1]!, status: 'done', note: 'Programme completed' },
    ],
    nextReviewDate: addMonths(reviewOn, 3),
    recordedBySubject: 'seed',
    recordedAt: at(reviewOn),
  });
  transition('eha', ehaId, 'plan_in_place', 'record_review', 'under_review', reviewOn);
  if (state === 'at_masp') {
    k.involve(council, 'masp', SEED_DAY);
    transition('eha', ehaId, 'under_review', 'refer_to_masp', 'at_masp', SEED_DAY);
  } else if (state === 'stepped_up_awaiting_outcome') {
    k.involve(orgId('social-care'), 'allocated_social_worker', SEED_DAY, practitionerId('demo-social-worker'));
    transition('eha', ehaId, 'under_review', 'step_up', 'stepped_up_awaiting_outcome', SEED_DAY);
  } else if (state === 'closed') {
    transition('eha', ehaId, 'under_review', 'close_needs_met', 'closed', SEED_DAY);
  }
}
