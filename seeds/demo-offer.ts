/**
 * The wider Early Help offer in the demo city, as of the seed day: a health-led Universal
 * Partnership Plus case (kept out of Liquid Logic's Early Help module) referred by the health
 * visitor, partner involvement around the referral waiting for EH DAS (who else is involved),
 * missing from home episodes reported by the force's system — one still missing, one with its
 * return interview overdue, one completed in time — two Operation Encompass incidents (the later
 * acknowledged by its recipients in time, the earlier not at all) and East's Priority Children's List. Referrer
 * feedback and the step-up audit read the referrals and the stepped-up case of seeds/demo-cases.ts.
 * Pupils of East Primary are used so no child gets a second open EHA. Relationships come from the
 * services (feeds, referral, screening, missing reports, the list); what is written directly is
 * listed at the top of seeds/demo-city.ts.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import {
  advicePointContacts,
  policeIncidents,
  policeNotifications,
  performanceNarratives,
  qaCaseAudits,
  qaSamples,
  children,
  directoryEntries,
  ehas,
  healthUpdates,
  involvements,
  missingEpisodes,
  referrals,
} from '../schema';
import { CLUSTERS, type Cluster } from '../schema/tables/core';
import { AuditCollector } from '../src/audit/audit-collector';
import type { Db } from '../src/db';
import { CaseloadFeed } from '../src/feeds/caseload.service';
import { PoliceFeed } from '../src/feeds/police.service';
import { DirectoryService } from '../src/directory/directory.service';
import { FeedInbox } from '../src/feeds/feed-inbox';
import type { Caller } from '../src/auth/caller';
import type { Role } from '../src/access/roles';
import { createLogger } from '../src/shared/logger';
import { fixedClock } from '../src/shared/clock';
import { addDays } from '../src/shared/calendar';
import type { DemoCaseIds } from './demo-cases';
import { defaultSeed, drawSample } from '../src/qa/qa-sample';
import { stableUuid } from './synthetic';
import { demoWork, seedAudit } from './demo-acting';
import { acceptReferral, DEMO_REFERRAL_CONSENT, describeChild } from './demo-cases';

export async function seedDemoOffer(db: Db, ids: DemoCaseIds): Promise<void> {
  const trust = ids.orgId('health-trust');
  const police = ids.orgId('police');
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
  // The health visitor refers with the family's consent; EH DAS accepts with her as lead practitioner.
  const work = demoWork(db, day);
  work.on(addDays(day, -12));
  const { referral: ppReferral } = await work.referrals.submit(
    {
      child: await describeChild(db, ppChild),
      needs: [
        { category: 'early_years_development', description: 'Speech and language delay' },
        { category: 'mental_physical_health', description: 'Weight concerns and missed appointments' },
        { category: 'family_relationships', description: 'Parenting under strain' },
      ],
      consent: { ...DEMO_REFERRAL_CONSENT, organisationKinds: ['health', 'council_early_help'] },
    },
    work.as('demo-health-visitor', 'direct_support'),
  );
  work.on(addDays(day, -10));
  await acceptReferral(work, ppReferral, {
    fsmId: ids.practitionerId('demo-fsm'),
    cluster: 'east',
    leadId: healthLead,
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

  // Missing from home: the force's system reports each episode (and the return) through its feed,
  // which puts the child in EH DAS's queue; EH DAS records the return interview.
  const force = work.as('svc-police-system', 'system_sync');
  const report = async (childId: string, key: string, startedAt: string, reportedAt: string, returnedAt?: string) => {
    const { upn, givenName, familyName, dateOfBirth } = await describeChild(db, childId);
    const post = (returned: string | null) =>
      work.missingReports.report(
        {
          policeReference: `DEMO-MFH-${key}`,
          startedAt,
          returnedAt: returned,
          upn,
          givenName,
          familyName,
          dateOfBirth,
        },
        force.caller,
        force.audit,
      );
    work.clock.set(reportedAt);
    await post(null);
    if (!returnedAt) return;
    work.clock.set(returnedAt);
    await post(returnedAt);
  };
  const interview = async (key: string, step: string, at: string, interviewer: string | null = null) => {
    const [e] = await db
      .select({ id: missingEpisodes.id, version: missingEpisodes.version })
      .from(missingEpisodes)
      .where(eq(missingEpisodes.policeReference, `DEMO-MFH-${key}`));
    work.clock.set(at);
    await work.missing.recordInterview(
      { episodeId: e!.id, expectedVersion: e!.version, step, at, interviewerPractitionerId: interviewer },
      work.as('demo-screener', 'direct_support'),
    );
  };
  const on = (offset: number, time: string) => `${addDays(day, offset)}T${time}Z`;
  await report(missing1, '1', on(-1, '22:00:00'), on(-1, '22:30:00'));
  // Back four days before the seed day, offered but not held: overdue (72 hours) on the seed day.
  await report(missing2, '2', on(-5, '21:00:00'), on(-5, '21:30:00'), on(-4, '07:00:00'));
  await interview('2', 'offered', on(-4, '10:00:00'));
  await report(missing3, '3', on(-9, '20:00:00'), on(-9, '20:30:00'), on(-8, '06:00:00'));
  await interview('3', 'offered', on(-8, '09:00:00'));
  await interview('3', 'accepted', on(-8, '09:30:00'));
  await interview('3', 'completed', on(-7, '15:00:00'), ids.practitionerId('demo-screener'));
  await policeIncident(db, police, 'DEMO-OE-2', addDays(day, -9), [missing1, missing2, missing3]);
  // Each recipient acknowledged DEMO-OE-2 early the next morning, before the school day; DEMO-OE-1
  // is still unacknowledged, so the performance book shows some in time and some not.
  await acknowledgeIncident(db, 'DEMO-OE-2', at(addDays(day, -8), '06:30:00'));

  await seedOutcomes(db, day);
  await seedDirectory(db, ids, day);

  // Priority Children's List: East's locality meeting — two listed, one decided (EHA required).
  // East Primary's DSL lists each pupil (the child joins EH DAS's queue); EH DAS records the decision.
  const eastDsl = () =>
    work.as('demo-school-dsl', 'direct_support', {
      role: 'school_dsl',
      organisationId: ids.orgId('school-east-primary'),
    });
  const [p1, p2, p3] = pupils.slice(4) as [string, string, string];
  work.on(addDays(day, -20));
  const decided = await work.priorityList.add(
    { childId: p3, cluster: 'east', reason: 'Concerns about weight and hygiene' },
    eastDsl(),
  );
  work.on(addDays(day, -14));
  await work.priorityList.decide(
    {
      entryId: decided.id,
      expectedVersion: decided.version,
      meetingOn: addDays(day, -14),
      decision: 'eha_required',
      rationale: 'Several needs; the school nurse knows the family',
      allocatedPractitionerId: ids.practitionerId('demo-school-nurse'),
    },
    work.as('demo-screener', 'screening'),
  );
  work.on(addDays(day, -6));
  await work.priorityList.add(
    { childId: p1, cluster: 'east', reason: 'Attendance falling and a young carer at home' },
    eastDsl(),
  );
  work.on(addDays(day, -3));
  await work.priorityList.add(
    { childId: p2, cluster: 'east', reason: 'Repeated police notifications (domestic abuse)' },
    eastDsl(),
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
      // Universal Plus is extra help for a family with a need beyond the universal offer: targeted.
      level: 'targeted',
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
    .select({ id: referrals.id, screenedOn: referrals.screenedOn })
    .from(referrals)
    .where(eq(referrals.status, 'declined'))
    .limit(1);
  if (declined) {
    // EH DAS signposts the family on the day it declined, through the service behind signpostCase.
    const work = demoWork(db, day);
    work.on(declined.screenedOn ?? day);
    await new DirectoryService({ db, clock: work.clock }).signpost(
      { referralId: declined.id, entryIds: [offers[0]!.id, points[4]!.id] },
      work.as('demo-screener', 'screening'),
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

/**
 * Rickter Scale assessments, headline outcomes and the family plan view for the demo's closed and
 * under-review EHAs, recorded through the outcomes and family plan services on the days they were
 * taken: the Family Support Manager scores and records outcomes, the lead practitioner the family's plan.
 */
async function seedOutcomes(db: Db, day: string): Promise<void> {
  const rows = await db
    .select({
      id: ehas.id,
      status: ehas.status,
      startedOn: ehas.startedOn,
      closedOn: ehas.closedOn,
    })
    .from(ehas)
    .where(eq(ehas.cluster, 'central'))
    .orderBy(asc(ehas.id));
  const work = demoWork(db, day);
  const fsm = () => work.as('demo-fsm', 'direct_support');
  const lead = () => work.as('demo-lead-practitioner', 'direct_support');
  const scores = (base: number[]) => base.map((score, i) => ({ area: AREAS[i]!, score }));
  for (const eha of rows.filter((e) => e.status === 'closed' || e.status === 'under_review')) {
    const headlines = ['good_education', 'family_relationships', 'financial_stability'];
    work.on(eha.startedOn);
    await work.outcomes.recordHeadlinesAtStart({ ehaId: eha.id, outcomes: headlines }, fsm());
    const assess = async (point: string, assessedOn: string, base: number[]) => {
      work.on(assessedOn);
      await work.outcomes.recordAssessment({ ehaId: eha.id, point, assessedOn, scores: scores(base) }, fsm());
    };
    await assess('start', eha.startedOn, [2, 3, 5, 3, 4]);
    await assess('review', addDays(eha.startedOn, 60), [4, 4, 5, 5, 5]);
    if (eha.closedOn) {
      await assess('closure', eha.closedOn, [7, 6, 6, 7, 6]);
      for (const outcome of headlines.slice(0, 2))
        await work.outcomes.recordHeadlineProgress({ ehaId: eha.id, outcome, achievedOn: eha.closedOn }, fsm());
    }
    if (eha.status === 'under_review') {
      // Agreed with the family at the first TAF, where the lead practitioner was identified.
      work.on(addDays(eha.startedOn, 14));
      await work.familyPlans.setPlan(
        {
          ehaId: eha.id,
          expectedRevision: 0,
          goingWell: 'The family eat together most evenings',
          worries: 'Mornings are hard and school is often missed',
          needsToHappen: 'A morning routine, a school check-in and help with the rent arrears',
          whenThingsAreBetter: 'Every school day attended and fewer arguments at home',
        },
        lead(),
      );
      await work.familyPlans.recordVoice(
        {
          ehaId: eha.id,
          point: 'assessment',
          recordedOn: addDays(eha.startedOn, 3),
          words: 'I want mornings to be less shouty',
          capturedHow: 'in conversation',
        },
        lead(),
      );
      work.on(day);
      await work.familyPlans.recordVoice(
        {
          ehaId: eha.id,
          point: 'review',
          recordedOn: addDays(eha.startedOn, 60),
          words: 'Walking to school with my friend is good',
          capturedHow: 'drawing with words',
        },
        lead(),
      );
    }
  }
}

const AREAS = [
  'money_and_debt',
  'home_and_housing',
  'physical_health',
  'family_relationships',
  'education_and_learning',
];

/** The role that reads a notification on each route (a school's DSL, the council's Early Help team, the health visitor). */
const ACKNOWLEDGING_ROLE: Readonly<Record<string, Role>> = {
  school_dsl: 'school_dsl',
  early_help_team: 'eh_das_screener',
  health_visitor: 'health_visitor',
};

/** Every recipient of an incident acknowledges its notification at `at`, through the service behind the mutation. */
async function acknowledgeIncident(db: Db, policeReference: string, at: Date): Promise<void> {
  const notifications = await db
    .select({
      id: policeNotifications.id,
      route: policeNotifications.route,
      to: policeNotifications.recipientOrganisationId,
    })
    .from(policeNotifications)
    .innerJoin(policeIncidents, eq(policeIncidents.id, policeNotifications.incidentId))
    .where(eq(policeIncidents.policeReference, policeReference));
  const feed = new PoliceFeed({
    db,
    clock: fixedClock(at),
    inbox: new FeedInbox({
      db,
      audit: { recordChanges: async () => {} },
      logger: createLogger('silent'),
      identifierKey: 'demo-city-seed',
    }),
  });
  for (const n of notifications) {
    const role = ACKNOWLEDGING_ROLE[n.route];
    if (!role) continue;
    const caller: Caller = {
      subject: `demo-encompass-${n.route}`,
      organisationId: n.to,
      role,
      clientId: 'demo-city-seed',
      issuer: 'demo-city',
    };
    await feed.acknowledge(n.id, caller, seedAudit(caller, 'operation_encompass'));
  }
}

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
  // settled, not drain: the post holds its own submission for the request it answers, which drain
  // skips, leaving the notifications to whichever inbox sweeps next (the hub's, some seconds on).
  await inbox.settled();
}
