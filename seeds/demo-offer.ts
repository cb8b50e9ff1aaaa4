/**
 * The wider Early Help offer in the demo city, written "as of" the seed day and
 * consistent with the rules: a health-led Universal Partnership Plus case (kept out of Liquid
 * Logic's Early Help module), partner involvement around the referral waiting for EH DAS (who else
 * is involved), and missing from home episodes — one still missing, one with its return interview
 * overdue, one completed in time. Referrer feedback and the step-up audit read the referrals and
 * the stepped-up case that seeds/demo-cases.ts writes. Pupils of East Primary are used so no child
 * gets a second open EHA. The trust's caseload and the force's incidents arrive through their
 * feeds' services, like every relationship a partner asserts.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import {
  advicePointContacts,
  caseSignposts,
  performanceNarratives,
  priorityListEntries,
  qaCaseAudits,
  qaSamples,
  children,
  directoryEntries,
  ehas,
  familyPlans,
  headlineOutcomes,
  healthUpdates,
  involvements,
  missingEpisodes,
  referrals,
  rickterAssessments,
  voiceOfChild,
  workflowTransitions,
} from '../schema';
import { CLUSTERS, type Cluster } from '../schema/tables/core';
import { AuditCollector } from '../src/audit/audit-collector';
import type { Db } from '../src/db';
import { CaseloadFeed } from '../src/feeds/caseload.service';
import { PoliceFeed } from '../src/feeds/police.service';
import { FeedInbox } from '../src/feeds/feed-inbox';
import type { Caller } from '../src/auth/caller';
import { createLogger } from '../src/shared/logger';
import { fixedClock } from '../src/shared/clock';
import { addDays } from '../src/shared/calendar';
import type { DemoCaseIds } from './demo-cases';
import { defaultSeed, drawSample } from '../src/qa/qa-sample';
import { stableUuid } from './synthetic';

export async function seedDemoOffer(db: Db, ids: DemoCaseIds): Promise<void> {
  const trust = ids.orgId('health-trust');
  const police = ids.orgId('police');
  const council = ids.orgId('council-early-help');
  const day = ids.seedDay;
  const at = (d: string, time = '09:00:00') => new Date(`${d}T${time}Z`);
  const pupils = (
    await db
      .select({ id: children.id })
      .from(children)
      .innerJoin(
        involvements,
        and(
          eq(involvements.childId, children.id),
          eq(involvements.kind, 'on_roll'),
          eq(involvements.organisationId, ids.orgId('school-east-primary')),
        ),
      )
      .where(isNull(children.mergedInto))
      .orderBy(asc(children.id))
      .limit(7)
  ).map((r) => r.id);
  if (pupils.length < 7) return;
  const [ppChild, missing1, missing2, missing3] = pupils as [string, string, string, string];

  // Partnership Plus: led by the trust's health visitor, child at Universal Partnership Plus.
  const healthLead = ids.practitionerId('demo-health-visitor');
  await db.insert(healthUpdates).values({
    childId: ppChild,
    organisationId: trust,
    recordId: 'demo-pp-1',
    level: 'UNIVERSAL_PARTNERSHIP_PLUS',
    previousLevel: 'UNIVERSAL_PLUS',
    effectiveDate: addDays(day, -40),
    contactType: 'health visitor contact',
    summary: 'Synthetic: level raised after multi-agency discussion',
    receivedAt: at(addDays(day, -40)),
  });
  const ppEha = stableUuid(`eha:partnership-plus:${ppChild}`);
  await db.insert(ehas).values({
    id: ppEha,
    childId: ppChild,
    status: 'awaiting_first_taf',
    origin: 'referral',
    cluster: 'east',
    startedOn: addDays(day, -10),
    familySupportManagerId: ids.practitionerId('demo-fsm'),
    leadPractitionerId: healthLead,
  });
  // The trust's system has had the child on its caseload for over a year.
  const [pp] = await db
    .select({ nhsNumber: children.nhsNumber, traced: children.nhsNumberTraced })
    .from(children)
    .where(eq(children.id, ppChild));
  if (pp?.nhsNumber && pp.traced) {
    await new CaseloadFeed({ db, clock: fixedClock(at(day, '07:00:00')) }).post(
      {
        reference: `demo-caseload-pp-${day}`,
        kind: 'CHANGES',
        effectiveDate: addDays(day, -400),
        children: [{ nhsNumber: pp.nhsNumber }],
      },
      {
        subject: 'svc-health-system',
        organisationId: trust,
        role: 'health_system',
        clientId: 'svc-health-system',
        issuer: 'demo-city',
      },
      new AuditCollector(async () => {}),
    );
  }
  await db.insert(involvements).values([
    {
      childId: ppChild,
      organisationId: trust,
      practitionerId: healthLead,
      kind: 'lead_practitioner',
      startedOn: addDays(day, -10),
    },
    {
      childId: ppChild,
      organisationId: council,
      practitionerId: ids.practitionerId('demo-fsm'),
      kind: 'allocated_family_support',
      startedOn: addDays(day, -10),
    },
  ]);
  await db.insert(workflowTransitions).values({
    machine: 'eha',
    entityId: ppEha,
    childId: ppChild,
    cluster: 'east',
    fromState: null,
    action: 'accept_referral',
    toState: 'awaiting_first_taf',
    onDate: addDays(day, -10),
    actorSubject: 'seed',
    at: at(addDays(day, -10)),
  });

  // Who else is involved: the referral waiting for EH DAS has a health level and a police notification behind it.
  const [waiting] = await db
    .select({ childId: referrals.childId })
    .from(referrals)
    .where(eq(referrals.status, 'submitted'))
    .orderBy(asc(referrals.id))
    .limit(1);
  if (waiting) {
    await db.insert(healthUpdates).values({
      childId: waiting.childId,
      organisationId: trust,
      recordId: 'demo-who-1',
      level: 'UNIVERSAL_PLUS',
      effectiveDate: addDays(day, -30),
      contactType: 'school nurse drop-in',
      summary: 'Synthetic contact',
      receivedAt: at(addDays(day, -30)),
    });
    await policeIncident(db, police, 'DEMO-OE-1', addDays(day, -14), [waiting.childId]);
  }

  // Missing from home: EH DAS holds each child for the return interview.
  const episode = (childId: string, key: string, values: Partial<typeof missingEpisodes.$inferInsert>) =>
    db.insert(missingEpisodes).values({
      id: stableUuid(`missing:${key}`),
      childId,
      reportedBy: 'police',
      reportedByOrganisationId: police,
      reportedBySubject: 'svc-police-system',
      policeReference: `DEMO-MFH-${key}`,
      startedAt: at(addDays(day, -3), '21:00:00'),
      createdAt: at(addDays(day, -3), '21:30:00'),
      ...values,
    });
  await episode(missing1, '1', {
    startedAt: at(addDays(day, -1), '22:00:00'),
    createdAt: at(addDays(day, -1), '22:30:00'),
  });
  // Back four days before the seed day, offered but not held: overdue (72 hours) on the seed day.
  await episode(missing2, '2', {
    startedAt: at(addDays(day, -5), '21:00:00'),
    createdAt: at(addDays(day, -5), '21:30:00'),
    returnedAt: at(addDays(day, -4), '07:00:00'),
    interviewOfferedAt: at(addDays(day, -4), '10:00:00'),
  });
  await episode(missing3, '3', {
    startedAt: at(addDays(day, -9), '20:00:00'),
    createdAt: at(addDays(day, -9), '20:30:00'),
    returnedAt: at(addDays(day, -8), '06:00:00'),
    interviewOfferedAt: at(addDays(day, -8), '09:00:00'),
    interviewAcceptedAt: at(addDays(day, -8), '09:30:00'),
    interviewCompletedAt: at(addDays(day, -7), '15:00:00'),
    interviewerPractitionerId: ids.practitionerId('demo-screener'),
  });
  for (const childId of [missing1, missing2, missing3]) {
    await db
      .insert(involvements)
      .values({ childId, organisationId: council, kind: 'screening', startedOn: addDays(day, -9) });
  }
  await policeIncident(db, police, 'DEMO-OE-2', addDays(day, -9), [missing1, missing2, missing3]);

  await seedOutcomes(db, day);
  await seedDirectory(db, ids, day);

  // Priority Children's List: East's locality meeting — two listed, one decided (EHA required).
  const eastSchool = ids.orgId('school-east-primary');
  const [p1, p2, p3] = pupils.slice(4) as [string, string, string];
  await db.insert(priorityListEntries).values([
    {
      cluster: 'east',
      childId: p1,
      reason: 'Attendance falling and a young carer at home',
      addedOn: addDays(day, -6),
      addedBySubject: 'demo-school-dsl',
      addedByOrganisationId: eastSchool,
      createdAt: at(addDays(day, -6)),
    },
    {
      cluster: 'east',
      childId: p2,
      reason: 'Repeated police notifications (domestic abuse)',
      addedOn: addDays(day, -3),
      addedBySubject: 'demo-school-dsl',
      addedByOrganisationId: eastSchool,
      createdAt: at(addDays(day, -3)),
    },
    {
      cluster: 'east',
      childId: p3,
      reason: 'Concerns about weight and hygiene',
      addedOn: addDays(day, -20),
      addedBySubject: 'demo-school-nurse',
      addedByOrganisationId: trust,
      createdAt: at(addDays(day, -20)),
      status: 'decided',
      meetingOn: addDays(day, -14),
      decision: 'eha_required',
      decisionRationale: 'Several needs; the school nurse knows the family',
      allocatedPractitionerId: ids.practitionerId('demo-school-nurse'),
      decidedBySubject: 'demo-screener',
    },
  ]);
  await db.insert(involvements).values(
    [p1, p2, p3].map((childId) => ({
      childId,
      organisationId: council,
      kind: 'screening' as const,
      startedOn: addDays(day, -20),
    })),
  );
  await seedQa(db, day);
  // Performance book narratives for the year to the seed day.
  const from = addDays(day, -365);
  await db.insert(performanceNarratives).values(
    [
      {
        indicator: 'step_up',
        owner: 'Early Help Service Manager',
        narrative: 'Step-ups follow disclosures at school; each was reviewed at the locality meeting.',
      },
      {
        indicator: 'distance_travelled',
        owner: 'Supporting Families Lead',
        narrative: 'Families closed this year moved furthest on money and family relationships.',
      },
    ].map((n) => ({ ...n, periodFrom: from, periodTo: day, updatedBySubject: 'demo-fsm', updatedAt: at(day) })),
  );
}

/** Central's case audit samples for the two months before the seed day, graded (the trend improves). */
async function seedQa(db: Db, day: string): Promise<void> {
  const central = await db
    .select({ id: ehas.id, childId: ehas.childId, closedOn: ehas.closedOn })
    .from(ehas)
    .where(eq(ehas.cluster, 'central'))
    .orderBy(asc(ehas.id));
  const months = [addDays(day, -40).slice(0, 7), addDays(day, -10).slice(0, 7)];
  const grades = [
    ['requires_improvement', 'good', 'inadequate'],
    ['good', 'outstanding', 'good'],
  ];
  for (const [m, month] of months.entries()) {
    const seed = defaultSeed('central', month);
    const ehaIds = drawSample(
      seed,
      central.filter((e) => !e.closedOn).map((e) => e.id),
      3,
    );
    // A small city (e.g. `--children 150`) may have no open Central case to audit.
    if (ehaIds.length === 0) continue;
    const sampleId = stableUuid(`qa:central:${month}`);
    await db.insert(qaSamples).values({
      id: sampleId,
      cluster: 'central',
      month,
      seed,
      openCount: ehaIds.length,
      closedCount: 0,
      ehaIds,
      drawnBySubject: 'demo-fsm',
      drawnAt: new Date(`${month}-28T09:00:00Z`),
    });
    await db.insert(qaCaseAudits).values(
      ehaIds.map((ehaId, i) => ({
        sampleId,
        ehaId,
        childId: central.find((e) => e.id === ehaId)!.childId,
        grade: grades[m]![i]!,
        findings: 'Synthetic finding about practice',
        auditedOn: `${month}-28`,
        auditorSubject: 'demo-fsm',
        recordedAt: new Date(`${month}-28T10:00:00Z`),
      })),
    );
  }
}

/** Keyed by the one cluster list, so a new cluster cannot be left without its Advice Point. */
const CLUSTER_LABELS: Readonly<Record<Cluster, string>> = {
  north_west: 'North West',
  north: 'North',
  west: 'West',
  east: 'East',
  central: 'Central',
  south: 'South',
};

/** The six locality Advice Points, published offers with their Designated Leads, signposts and contact counts. */
async function seedDirectory(db: Db, ids: DemoCaseIds, day: string): Promise<void> {
  const council = ids.orgId('council-early-help');
  const publishedAt = new Date(`${day}T08:00:00Z`);
  const points = CLUSTERS.map((cluster, i) => ({ cluster, label: CLUSTER_LABELS[cluster], i })).map(
    ({ cluster, label, i }) => ({
      id: stableUuid(`advice-point:${cluster}`),
      organisationId: council,
      kind: 'advice_point',
      name: `${label} Advice Point`,
      description: 'Low-level advice for families without opening a case: money, housing, parenting, school.',
      level: 'universal',
      cluster,
      phone: `0116 454 ${String(1000 + i)}`,
      email: `advice.${cluster}@council.example`,
      address: `${label} Family Hub (synthetic)`,
      openingHours: 'Mon–Fri 9:00–16:30',
      publishedBySubject: 'seed',
      publishedAt,
    }),
  );
  const offers = [
    {
      key: 'school-central-primary',
      name: 'Central Primary family support',
      level: 'targeted',
      cluster: 'central',
      lead: 'Demo DSL',
    },
    {
      key: 'health-trust',
      name: 'Health visiting: Universal Plus offer',
      level: 'universal',
      cluster: null,
      lead: 'Demo Health Visitor',
    },
    {
      key: 'vcs-family-action',
      name: 'Family Action parenting groups',
      level: 'targeted',
      cluster: null,
      lead: 'Demo VCS Worker',
    },
  ].map((o) => ({
    id: stableUuid(`offer:${o.key}`),
    organisationId: ids.orgId(o.key),
    kind: 'offer',
    name: o.name,
    description: 'Synthetic Early Help offer',
    level: o.level,
    cluster: o.cluster,
    designatedLeadName: o.lead,
    designatedLeadEmail: `${o.key}.dl@example.org`,
    publishedBySubject: 'seed',
    publishedAt,
  }));
  await db.insert(directoryEntries).values([...points, ...offers]);
  const [declined] = await db
    .select({ id: referrals.id, childId: referrals.childId, screenedOn: referrals.screenedOn })
    .from(referrals)
    .where(eq(referrals.status, 'declined'))
    .limit(1);
  if (declined) {
    await db.insert(caseSignposts).values(
      [offers[0]!.id, points[4]!.id].map((entryId) => ({
        childId: declined.childId,
        entryId,
        context: 'declined_referral',
        referralId: declined.id,
        signpostedOn: declined.screenedOn ?? day,
        recordedBySubject: 'demo-screener',
        recordedAt: publishedAt,
      })),
    );
  }
  const topics = ['financial_stability', 'secure_housing', 'family_relationships', 'good_education', 'other'];
  await db.insert(advicePointContacts).values(
    points.flatMap((p, i) =>
      Array.from({ length: 3 + i }, (_, j) => ({
        advicePointId: p.id,
        contactedOn: addDays(day, -(j % 20)),
        topic: topics[(i + j) % topics.length]!,
        channel: j % 3 === 0 ? 'phone' : 'drop_in',
        recordedBySubject: 'demo-screener',
        recordedAt: publishedAt,
      })),
    ),
  );
}

/** Rickter Scale assessments and headline outcomes for the demo's closed and under-review EHAs. */
async function seedOutcomes(db: Db, day: string): Promise<void> {
  const rows = await db
    .select({
      id: ehas.id,
      childId: ehas.childId,
      status: ehas.status,
      startedOn: ehas.startedOn,
      closedOn: ehas.closedOn,
    })
    .from(ehas)
    .where(eq(ehas.cluster, 'central'))
    .orderBy(asc(ehas.id));
  const recordedAt = new Date(`${day}T09:00:00Z`);
  const scores = (base: number[]) => base.map((score, i) => ({ area: AREAS[i]!, score }));
  for (const eha of rows.filter((e) => e.status === 'closed' || e.status === 'under_review')) {
    const base = { ehaId: eha.id, childId: eha.childId, recordedBySubject: 'demo-fsm', recordedAt };
    await db
      .insert(rickterAssessments)
      .values([
        { ...base, point: 'start', assessedOn: eha.startedOn, scores: scores([2, 3, 5, 3, 4]) },
        { ...base, point: 'review', assessedOn: addDays(eha.startedOn, 60), scores: scores([4, 4, 5, 5, 5]) },
        ...(eha.closedOn
          ? [{ ...base, point: 'closure', assessedOn: eha.closedOn, scores: scores([7, 6, 6, 7, 6]) }]
          : []),
      ]);
    if (eha.status === 'under_review') {
      await db.insert(familyPlans).values({
        ehaId: eha.id,
        childId: eha.childId,
        revision: 1,
        agreedOn: addDays(eha.startedOn, 7),
        recordedBySubject: 'demo-lead-practitioner',
        recordedAt,
        goingWell: 'The family eat together most evenings',
        worries: 'Mornings are hard and school is often missed',
        needsToHappen: 'A morning routine, a school check-in and help with the rent arrears',
        whenThingsAreBetter: 'Every school day attended and fewer arguments at home',
      });
      await db.insert(voiceOfChild).values([
        {
          ehaId: eha.id,
          childId: eha.childId,
          point: 'assessment',
          recordedOn: addDays(eha.startedOn, 3),
          words: 'I want mornings to be less shouty',
          capturedHow: 'in conversation',
          recordedBySubject: 'demo-lead-practitioner',
          recordedAt,
        },
        {
          ehaId: eha.id,
          childId: eha.childId,
          point: 'review',
          recordedOn: addDays(eha.startedOn, 60),
          words: 'Walking to school with my friend is good',
          capturedHow: 'drawing with words',
          recordedBySubject: 'demo-lead-practitioner',
          recordedAt,
        },
      ]);
    }
    await db.insert(headlineOutcomes).values(
      ['good_education', 'family_relationships', 'financial_stability'].map((outcome, i) => ({
        ehaId: eha.id,
        childId: eha.childId,
        outcome,
        recordedAtStartOn: eha.startedOn,
        recordedBySubject: 'demo-fsm',
        updatedAt: recordedAt,
        achievedOn: eha.closedOn && i < 2 ? eha.closedOn : null,
      })),
    );
  }
}

const AREAS = [
  'money_and_debt',
  'home_and_housing',
  'physical_health',
  'family_relationships',
  'education_and_learning',
];

/**
 * The force's system posts an incident (Operation Encompass) with the children present, through
 * the service behind its feed: the force's link to each child is the purpose-limited one that
 * gives, and the child's school is notified.
 */
async function policeIncident(
  db: Db,
  police: string,
  policeReference: string,
  onDay: string,
  childIds: string[],
): Promise<void> {
  const present = await db
    .select({ upn: children.upn, nhsNumber: children.nhsNumber })
    .from(children)
    .where(inArray(children.id, childIds));
  const occurredAt = `${onDay}T21:00:00Z`;
  const caller: Caller = {
    subject: 'svc-police-system',
    organisationId: police,
    role: 'police_system',
    clientId: 'svc-police-system',
    issuer: 'demo-city',
  };
  // The seed is not a request: nothing of it goes into the access audit.
  const inbox = new FeedInbox({
    db,
    audit: { recordChanges: async () => {} },
    logger: createLogger('silent'),
    identifierKey: 'demo-city-seed',
  });
  await new PoliceFeed({ db, clock: fixedClock(`${onDay}T22:00:00Z`), inbox }).notify(
    {
      policeReference,
      occurredAt,
      location: 'Synthetic address',
      circumstances: 'Synthetic: domestic incident',
      children: present.map((c) => ({ upn: c.upn, nhsNumber: c.upn ? null : c.nhsNumber, present: true })),
    },
    caller,
    new AuditCollector(async () => {}, 'demo-city-seed', {
      requestId: `demo-city-${policeReference}`,
      caller,
      purpose: 'operation_encompass',
    }),
  );
  await inbox.drain();
}
