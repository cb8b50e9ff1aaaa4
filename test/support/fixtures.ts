/**
 * Test fixtures written straight to the database (setup, not behaviour under test): a few
 * organisations and practitioners, and helpers to add children, involvements and consents.
 */
import {
  actionPlans,
  children,
  consents,
  ehas,
  involvements,
  organisations,
  planActions,
  practitioners,
  safeguardingOverrides,
} from '../../schema';
import type { DataCategory } from '../../src/access/categories';
import type { Purpose } from '../../src/access/purposes';
import type { Role } from '../../src/access/roles';
import { matchKey } from '../../src/child/identifiers';
import type { Db } from '../../src/db';
import { syntheticNhsNumber, syntheticUpn } from '../../seeds/synthetic';

type OrgKind = (typeof organisations.kind.enumValues)[number];
type InvolvementKind = (typeof involvements.kind.enumValues)[number];

export interface Fixture {
  db: Db;
  org(key: string, kind: OrgKind): Promise<string>;
  practitioner(orgId: string, subject: string, role: Role): Promise<string>;
  child(overrides?: Partial<typeof children.$inferInsert>): Promise<{ id: string; nhsNumber: string; upn: string }>;
  involve(
    childId: string,
    organisationId: string,
    kind: InvolvementKind,
    opts?: { practitionerId?: string; startedOn?: string; endedOn?: string | null },
  ): Promise<void>;
  consent(
    childId: string,
    opts: {
      organisationIds?: string[];
      organisationKinds?: OrgKind[];
      categories: DataCategory[];
      purposes?: Purpose[];
      startsAt?: Date;
      expiresAt?: Date | null;
      withdrawnAt?: Date | null;
    },
  ): Promise<string>;
  /** An override opening its categories to `recipientOrganisationIds` (default: the declaring organisation only). */
  override(
    childId: string,
    opts: {
      categories: DataCategory[];
      declaredAt?: Date;
      expiresAt: Date;
      declaredByOrganisationId?: string;
      recipientOrganisationIds?: string[];
    },
  ): Promise<string>;
  /** An EHA with a plan in place (agreed 2026-01-19) and the plan's actions, each owned by an organisation. */
  openEhaWithPlan(
    childId: string,
    opts: {
      familySupportManagerId: string;
      leadPractitionerId: string;
      actions: { owningOrganisationId: string; description: string; dueDate: string }[];
    },
  ): Promise<{ ehaId: string; planId: string }>;
}

/**
 * Each child's number, unique in this process (a test file): NHS number, UPN and names derive from
 * it. The start is random so fixtures of two processes on one database rarely meet; a random
 * number per child would repeat within a file (a few hundred children gave a clash in one run in five).
 */
let counter = 500_000 + Math.floor(Math.random() * 400_000);

export function fixture(db: Db): Fixture {
  return {
    db,
    async org(key, kind) {
      const [row] = await db
        .insert(organisations)
        .values({ name: `Test ${key}`, kind, cluster: 'central' })
        .returning();
      return row!.id;
    },
    async practitioner(orgId, subject, role) {
      const [row] = await db
        .insert(practitioners)
        .values({ organisationId: orgId, subject, displayName: `Practitioner ${subject}`, roles: [role] })
        .returning();
      return row!.id;
    },
    async child(overrides = {}) {
      const n = ++counter;
      const givenName = overrides.givenName ?? `Given${n}`;
      const familyName = overrides.familyName ?? `Family${n}`;
      const dateOfBirth = overrides.dateOfBirth === undefined ? '2015-05-05' : overrides.dateOfBirth;
      const postcode = overrides.postcode === undefined ? 'LE1 1AA' : overrides.postcode;
      const row = {
        givenName,
        familyName,
        dateOfBirth,
        postcode,
        nhsNumber: syntheticNhsNumber(n),
        nhsNumberTraced: true,
        upn: syntheticUpn(Math.floor(n / 1000) % 10000, 15, n % 1000),
        addressLine: '1 Synthetic Row',
        gender: 'female' as const,
        ...overrides,
      };
      const [created] = await db
        .insert(children)
        .values({
          ...row,
          matchKey: matchKey({ givenName, familyName, date: dateOfBirth ?? row.expectedDate ?? null, postcode }),
        })
        .returning();
      return { id: created!.id, nhsNumber: created!.nhsNumber!, upn: created!.upn! };
    },
    async involve(childId, organisationId, kind, opts = {}) {
      await db.insert(involvements).values({
        childId,
        organisationId,
        kind,
        practitionerId: opts.practitionerId ?? null,
        startedOn: opts.startedOn ?? '2020-01-01',
        endedOn: opts.endedOn ?? null,
      });
    },
    async consent(childId, opts) {
      const [row] = await db
        .insert(consents)
        .values({
          childId,
          givenBy: 'young_person',
          method: 'written',
          organisationIds: opts.organisationIds ?? [],
          organisationKinds: opts.organisationKinds ?? [],
          categories: opts.categories,
          purposes: opts.purposes ?? ['direct_support'],
          startsAt: opts.startsAt ?? new Date('2020-01-01T00:00:00Z'),
          expiresAt: opts.expiresAt ?? null,
          withdrawnAt: opts.withdrawnAt ?? null,
          recordedBySubject: 'fixture',
          recordedByOrganisationId: opts.organisationIds?.[0] ?? '00000000-0000-4000-8000-000000000000',
        })
        .returning();
      return row!.id;
    },
    async override(childId, opts) {
      const declaredBy = opts.declaredByOrganisationId ?? '00000000-0000-4000-8000-000000000000';
      const [row] = await db
        .insert(safeguardingOverrides)
        .values({
          childId,
          categories: opts.categories,
          recipientOrganisationIds: opts.recipientOrganisationIds ?? [declaredBy],
          justification: 'Fixture: seeking consent would increase the risk of significant harm',
          declaredBySubject: 'fixture',
          declaredByOrganisationId: declaredBy,
          declaredByRole: 'social_worker',
          declaredAt: opts.declaredAt ?? new Date(Date.now() - 3_600_000),
          expiresAt: opts.expiresAt,
        })
        .returning();
      return row!.id;
    },
    async openEhaWithPlan(childId, { familySupportManagerId, leadPractitionerId, actions }) {
      const [eha] = await db
        .insert(ehas)
        .values({
          childId,
          status: 'plan_in_place',
          origin: 'referral',
          cluster: 'central',
          startedOn: '2026-01-05',
          familySupportManagerId,
          leadPractitionerId,
          firstTafOn: '2026-01-19',
          nextReviewDue: '2026-04-19',
        })
        .returning({ id: ehas.id });
      const [plan] = await db
        .insert(actionPlans)
        .values({
          ehaId: eha!.id,
          childId,
          revision: 1,
          agreedOn: '2026-01-19',
          desiredOutcome: 'Outcome',
          familyStrengths: 'Strengths',
          needs: [{ category: 'good_education', services: 'Attendance support' }],
          contingencyPlan: 'Contingency',
          timescales: 'Three months',
          keyAgencies: actions.map((a) => ({
            organisationId: a.owningOrganisationId,
            responsibilities: a.description,
            frequencyOfContact: 'weekly',
          })),
          reviewDate: '2026-04-19',
          recordedBySubject: 'fixture',
          recordedAt: new Date('2026-01-19T10:00:00Z'),
        })
        .returning({ id: actionPlans.id });
      await db.insert(planActions).values(
        actions.map((a, position) => ({
          planId: plan!.id,
          ehaId: eha!.id,
          childId,
          position,
          description: a.description,
          owningOrganisationId: a.owningOrganisationId,
          dueDate: a.dueDate,
          frequencyOfContact: 'weekly',
        })),
      );
      return { ehaId: eha!.id, planId: plan!.id };
    },
  };
}
