import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  adminChanges,
  children,
  consents,
  ehas,
  householdLinks,
  involvements,
  missingEpisodes,
  organisations,
  planActions,
  policeIncidentChildren,
  practitioners,
  priorityListEntries,
  referrals,
  tafMeetings,
  vcsContacts,
} from '../schema';
import { nhsNumberProblem, upnProblem } from '../src/child/identifiers';
import { createTestDatabase } from '../test/support/database';
import { roleFitsOrganisationKind } from '../src/access/organisation-roles';
import { CLUSTERS, DEMO_PERSONAS, orgId, practitionerId, seedDemoCity } from './demo-city';
import { MAX_SYNTHETIC_NHS_INDEX, syntheticNhsNumber, syntheticUpn } from './synthetic';

async function seededCity(size: number) {
  const database = await createTestDatabase();
  try {
    const progress: string[] = [];
    const summary = await seedDemoCity(database.db, {
      children: size,
      batchSize: 100,
      onProgress: (m) => progress.push(m),
    });
    const rows = await database.db
      .select({
        id: children.id,
        givenName: children.givenName,
        familyName: children.familyName,
        dateOfBirth: children.dateOfBirth,
        expectedDate: children.expectedDate,
        nhsNumber: children.nhsNumber,
        upn: children.upn,
        postcode: children.postcode,
      })
      .from(children)
      .orderBy(asc(children.id));
    const orgs = await database.db.select().from(organisations).orderBy(asc(organisations.id));
    const people = await database.db.select().from(practitioners);
    const links = await database.db.$count(householdLinks);
    const involved = await database.db.$count(involvements);
    return { summary, progress, rows, orgs, people, links, involved };
  } finally {
    await database.destroy();
  }
}

describe('the demo city', () => {
  it('is the same city, with the same ids and identifiers, every time it is built', async () => {
    const [a, b] = [await seededCity(150), await seededCity(150)];
    expect(a.rows).toHaveLength(150);
    expect(b.rows).toEqual(a.rows);
    expect(b.orgs.map((o) => [o.id, o.name, o.kind, o.cluster])).toEqual(
      a.orgs.map((o) => [o.id, o.name, o.kind, o.cluster]),
    );
    expect([b.links, b.involved]).toEqual([a.links, a.involved]);
    expect(a.summary).toMatchObject({ children: 150, organisations: a.orgs.length });
    expect(a.progress).toContain('seeded 150/150 children');
  }, 120_000);

  it('holds only valid, unique identifiers, schools in all six clusters, and every demo persona', async () => {
    const city = await seededCity(400);
    const nhs = city.rows.map((r) => r.nhsNumber).filter((n): n is string => n !== null);
    const upns = city.rows.map((r) => r.upn).filter((u): u is string => u !== null);
    expect(nhs.length).toBeGreaterThan(350);
    expect(upns.length).toBeGreaterThan(150);
    expect(nhs.filter((n) => nhsNumberProblem(n) !== null)).toEqual([]);
    expect(nhs.every((n) => n.startsWith('999'))).toBe(true); // the range never issued to real people
    expect(upns.filter((u) => upnProblem(u) !== null)).toEqual([]);
    expect(new Set(nhs).size).toBe(nhs.length);
    expect(new Set(upns).size).toBe(upns.length);
    // Unborn babies are recorded by expected date, everyone else by date of birth.
    expect(city.rows.every((r) => (r.dateOfBirth === null) !== (r.expectedDate === null))).toBe(true);
    expect(city.rows.some((r) => r.expectedDate !== null)).toBe(true);
    // An unborn baby is on no school's roll: no UPN (and so no case a school raised, no plan actions).
    expect(city.rows.filter((r) => r.expectedDate !== null && r.upn !== null)).toEqual([]);
    const schoolClusters = new Set(city.orgs.filter((o) => o.kind === 'school').map((o) => o.cluster));
    expect([...schoolClusters].sort()).toEqual([...CLUSTERS].sort());
    for (const persona of DEMO_PERSONAS) {
      expect(city.people.find((p) => p.subject === persona.subject)).toMatchObject({
        id: persona.practitionerId,
        organisationId: persona.organisationId,
        roles: [persona.role],
      });
      // The printed development tokens must pass the organisation-kind rule.
      expect(
        roleFitsOrganisationKind(persona.role, city.orgs.find((o) => o.id === persona.organisationId)!.kind),
        persona.label,
      ).toBe(true);
    }
  }, 120_000);

  it('relates organisations and children only through the records a partner sends: pushes, the case, consented contacts', async () => {
    const database = await createTestDatabase();
    try {
      const db = database.db;
      await seedDemoCity(db, { children: 300 });
      const rows = await db.select().from(involvements);
      const kinds = new Set(rows.map((r) => r.kind));
      expect(kinds.has('on_roll') && kinds.has('caseload') && kinds.has('vcs_support')).toBe(true);
      // Every row names the record it stands on and who asserted it.
      expect(rows.filter((r) => r.source === null || r.assertedBySubject === null).map((r) => r.kind)).toEqual([]);
      // Social care's own allocation before the step down is Liquid Logic's record.
      expect(rows.filter((r) => r.kind === 'allocated_social_worker').map((r) => r.source)).toEqual(
        expect.arrayContaining(['liquid_logic', 'case_workflow']),
      );
      // Rolls and caseloads come from their system accounts' pushes, named on every row.
      for (const r of rows.filter((r) => r.kind === 'on_roll'))
        expect(r, r.id).toMatchObject({
          source: 'mis_roll',
          assertedBySubject: expect.stringMatching(/^svc-mis-school-/),
        });
      for (const r of rows.filter((r) => r.kind === 'caseload'))
        expect(r, r.id).toMatchObject({ source: 'health_caseload', assertedBySubject: 'svc-health-system' });
      // A voluntary organisation's relationship stands on a consented contact it posted.
      for (const r of rows.filter((r) => r.kind === 'vcs_support')) {
        expect(
          await db
            .select()
            .from(vcsContacts)
            .where(and(eq(vcsContacts.childId, r.childId), eq(vcsContacts.organisationId, r.organisationId))),
          r.id,
        ).toHaveLength(1);
      }
      // A force's link, and the purpose-limited link of a team a notification was routed to (the
      // council, a health visitor), stand on an incident the force's system posted.
      for (const r of rows.filter((r) => r.kind === 'operation_encompass' || r.kind === 'encompass_recipient')) {
        expect(
          await db.select().from(policeIncidentChildren).where(eq(policeIncidentChildren.childId, r.childId)),
          r.id,
        ).not.toEqual([]);
      }
      // EH DAS screens what reaches it: a referral, a missing episode, a Priority Children's List entry.
      for (const r of rows.filter((r) => r.kind === 'screening')) {
        const reached = [
          ...(await db.select({ id: referrals.id }).from(referrals).where(eq(referrals.childId, r.childId))),
          ...(await db
            .select({ id: missingEpisodes.id })
            .from(missingEpisodes)
            .where(eq(missingEpisodes.childId, r.childId))),
          ...(await db
            .select({ id: priorityListEntries.id })
            .from(priorityListEntries)
            .where(eq(priorityListEntries.childId, r.childId))),
        ];
        expect(reached, r.id).not.toEqual([]);
      }
      // The rest is the case team, standing on the child's Early Help Assessment.
      const caseTeam = new Set([
        'allocated_family_support',
        'lead_practitioner',
        'taf_member',
        'masp',
        'allocated_social_worker',
      ]);
      for (const r of rows.filter(
        (r) =>
          !['on_roll', 'caseload', 'vcs_support', 'operation_encompass', 'encompass_recipient', 'screening'].includes(
            r.kind,
          ),
      )) {
        expect(caseTeam.has(r.kind), `${r.kind} has no authoritative record in the demo city`).toBe(true);
        // A locality meeting that decides "EHA required" allocates its lead practitioner before the EHA opens.
        const allocatedByMeeting =
          r.kind === 'lead_practitioner' &&
          r.practitionerId !== null &&
          (
            await db
              .select({ id: priorityListEntries.id })
              .from(priorityListEntries)
              .where(
                and(
                  eq(priorityListEntries.childId, r.childId),
                  eq(priorityListEntries.allocatedPractitionerId, r.practitionerId),
                ),
              )
          ).length > 0;
        if (allocatedByMeeting) continue;
        expect(
          await db.select({ id: ehas.id }).from(ehas).where(eq(ehas.childId, r.childId)),
          `${r.kind} ${r.id}`,
        ).not.toEqual([]);
      }
      // Partners were onboarded and practitioners provisioned over the admin paths, each audited.
      const changes = await db.select().from(adminChanges);
      expect(
        changes
          .filter((c) => c.action === 'organisation.create')
          .map((c) => c.entityId)
          .sort(),
      ).toEqual((await db.select().from(organisations)).map((o) => o.id).sort());
      expect(changes.filter((c) => c.action === 'practitioner.create' && c.channel === 'scim')).toHaveLength(
        DEMO_PERSONAS.length,
      );
    } finally {
      await database.destroy();
    }
  }, 120_000);

  it('has an organisation of each partner kind a TAF draws in, and a person in each of their roles acting on a case', async () => {
    const database = await createTestDatabase();
    try {
      const db = database.db;
      await seedDemoCity(db, { children: 300 });
      const fsf = practitionerId('demo-fsf');
      const fsw = practitionerId('demo-fsw');
      // The Family Support Facilitator was allocated a stepped-down case and chaired its first TAF,
      // which named the Family Support Worker lead practitioner.
      const [eha] = await db.select().from(ehas).where(eq(ehas.familySupportManagerId, fsf));
      expect(eha).toMatchObject({ origin: 'step_down', leadPractitionerId: fsw });
      const [first] = await db.select().from(tafMeetings).where(eq(tafMeetings.ehaId, eha!.id));
      expect(first).toMatchObject({ isFirst: true, chairPractitionerId: fsf, leadPractitionerId: fsw });
      const led = await db.select().from(involvements).where(eq(involvements.practitionerId, fsw));
      expect(led.map((r) => [r.kind, r.source])).toEqual([['lead_practitioner', 'case_workflow']]);
      // The EHA Co-ordinator screened a referral and registered its EHA.
      const registered = await db
        .select()
        .from(referrals)
        .where(eq(referrals.screenedBySubject, 'demo-eha-coordinator'));
      expect(registered.map((r) => [r.status, r.ehaId !== null])).toEqual([['accepted', true]]);
      // Each new kind is at the TAF and owns an action in the plan; the trust (the midwife's) is at the TAF too.
      const members = await db.select().from(involvements).where(eq(involvements.childId, eha!.childId));
      const actions = await db.select().from(planActions).where(eq(planActions.ehaId, eha!.id));
      for (const key of ['education-welfare', 'youth-justice', 'adult-services', 'jobcentre-plus', 'health-trust']) {
        expect(
          members.some(
            (r) => r.kind === 'taf_member' && r.organisationId === orgId(key) && r.source === 'case_workflow',
          ),
          key,
        ).toBe(true);
        if (key !== 'health-trust')
          expect(
            actions.some((a) => a.owningOrganisationId === orgId(key)),
            key,
          ).toBe(true);
      }
      // The midwife and the education welfare officer each recorded the family's consent for what they hold.
      const recorded = await db.select().from(consents).where(eq(consents.childId, eha!.childId));
      expect(recorded.find((c) => c.recordedBySubject === 'demo-midwife')?.categories).toEqual(['health']);
      expect(recorded.find((c) => c.recordedBySubject === 'demo-ewo')?.categories).toEqual(['education']);
      const kinds = new Set((await db.select().from(organisations)).map((o) => o.kind));
      for (const kind of ['education_welfare', 'youth_justice', 'adult_services', 'jobcentre_plus'] as const)
        expect(kinds.has(kind), kind).toBe(true);
      const roles = new Set(DEMO_PERSONAS.map((p) => p.role));
      for (const role of [
        'eha_coordinator',
        'family_support_facilitator',
        'family_support_worker',
        'education_welfare_officer',
        'midwife',
        'youth_justice_worker',
        'adult_services_worker',
        'work_coach',
      ] as const)
        expect(roles.has(role), role).toBe(true);
    } finally {
      await database.destroy();
    }
  }, 120_000);

  it('has identifier generators that never repeat within the sizes the seed CLI allows', () => {
    const upns = Array.from({ length: 3000 }, (_, serial) => syntheticUpn(2004, 2016, serial));
    expect(new Set(upns).size).toBe(3000);
    expect(upns.filter((u) => upnProblem(u) !== null)).toEqual([]);
    const nhs = new Set<string>();
    for (let n = 0; n < MAX_SYNTHETIC_NHS_INDEX; n += 1) nhs.add(syntheticNhsNumber(n));
    expect(nhs.size).toBe(MAX_SYNTHETIC_NHS_INDEX);
  });

  it('refuses a city larger than the synthetic NHS range', async () => {
    await expect(seedDemoCity(null as never, { children: MAX_SYNTHETIC_NHS_INDEX + 1 })).rejects.toThrow(RangeError);
  });
});
