/**
 * The access matrix over real HTTP: every role × relationship (present/absent) × consent (none,
 * in force, withdrawn, expired) × safeguarding override (none, in force, expired) × data category,
 * for every categorised field of Child and of FamilyLink (through Child.family).
 *
 * The expected outcome of each cell comes from the rules as written below — the ISA grid a DPO
 * signs off and the access decision rule (docs/architecture.md) — never from the decider under test:
 *   DPO and admin never read case content (the `child` query itself is FORBIDDEN);
 *   no relationship → the lookup is refused with NO_RELATIONSHIP (nothing about the child leaks);
 *   category not in the role's grid row → FORBIDDEN (with the category);
 *   basis `I` (ISA, shareable by law without consent) → the value;
 *   basis `C` → the value if a consent for the caller's organisation, category and purpose is in
 *   force or a safeguarding override for the category is in force; otherwise CONSENT_REQUIRED.
 *
 * One child per cell, all built in bulk before the tests; two requests per role read its 24
 * children through aliases.
 */
import { getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  children,
  consents,
  familyMembers,
  householdLinks,
  involvements,
  organisations,
  practitioners,
  safeguardingOverrides,
} from '../schema';
import type { DataCategory } from '../src/access/categories';
import { CATEGORY_EXTENSION } from '../src/access/category.decorator';
import type { Role } from '../src/access/roles';
import { ROLE_PURPOSES } from '../src/access/role-purposes';
import { matchKey } from '../src/child/identifiers';
import { buildDeclaredSchema } from '../src/server/schema';
import { syntheticNhsNumber, syntheticUpn } from '../seeds/synthetic';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';

const CATEGORIES: DataCategory[] = [
  'identity',
  'identifiers',
  'contact',
  'education',
  'health',
  'police',
  'social_care',
  'early_help',
  'family',
];

/** The ISA read grid (I = ISA basis, C = consent or override, - = never). Columns as CATEGORIES. */
const GRID = `
school_dsl              I I I I C I C C C
school_staff            I I - I - - - C -
health_visitor          I I I C I - - C C
school_nurse            I I I C I - - C -
health_system           I I - - I - - - -
police_officer          I I C - - I - C C
police_system           I - - - - I - - -
vcs_worker              C - C - - - - C C
lead_practitioner       I I C C C C C I C
eh_das_screener         I I C C C C I I C
family_support_manager  I I C C C C C I C
social_worker           I I I I I I I I I
masp_chair              I I C C C C C I C
eha_coordinator         I I C C C C - I C
family_support_facilitator I I C C C C C I C
family_support_worker   I I C C C C C I C
education_welfare_officer I I C I - - - C C
midwife                 I I I - I - - C C
youth_justice_worker    I I C C C C - C C
adult_services_worker   C - C - - - - C C
work_coach              C - C - - - - C C
dpo                     - - - - - - - - -
admin                   - - - - - - - - -`;

const READ: Record<string, Record<DataCategory, 'I' | 'C' | '-'>> = Object.fromEntries(
  GRID.trim()
    .split('\n')
    .map((line) => {
      const [role, ...cells] = line.trim().split(/\s+/);
      return [role!, Object.fromEntries(CATEGORIES.map((c, i) => [c, cells[i] as 'I' | 'C' | '-']))];
    }),
) as never;

type OrgKind = (typeof organisations.kind.enumValues)[number];
type Kind = (typeof involvements.kind.enumValues)[number];

/** What makes a child "theirs": the organisation's involvement, or (practitioner) the person's own. */
const RELATIONSHIP: Record<Role, { org: OrgKind; kind: Kind | null; practitioner: boolean }> = {
  school_dsl: { org: 'school', kind: 'on_roll', practitioner: false },
  school_staff: { org: 'school', kind: 'on_roll', practitioner: false },
  health_visitor: { org: 'health', kind: 'caseload', practitioner: false },
  school_nurse: { org: 'health', kind: 'caseload', practitioner: false },
  health_system: { org: 'health', kind: 'caseload', practitioner: false },
  police_officer: { org: 'police', kind: 'police_notification', practitioner: false },
  police_system: { org: 'police', kind: 'police_notification', practitioner: false },
  vcs_worker: { org: 'voluntary', kind: 'vcs_support', practitioner: false },
  lead_practitioner: { org: 'voluntary', kind: 'lead_practitioner', practitioner: true },
  eh_das_screener: { org: 'council_early_help', kind: 'screening', practitioner: false },
  family_support_manager: { org: 'council_early_help', kind: 'allocated_family_support', practitioner: true },
  social_worker: { org: 'social_care', kind: 'allocated_social_worker', practitioner: true },
  masp_chair: { org: 'council_early_help', kind: 'masp', practitioner: false },
  eha_coordinator: { org: 'council_early_help', kind: 'screening', practitioner: false },
  family_support_facilitator: { org: 'council_early_help', kind: 'allocated_family_support', practitioner: true },
  family_support_worker: { org: 'council_early_help', kind: 'lead_practitioner', practitioner: true },
  education_welfare_officer: { org: 'education_welfare', kind: 'taf_member', practitioner: false },
  midwife: { org: 'health', kind: 'caseload', practitioner: false },
  youth_justice_worker: { org: 'youth_justice', kind: 'taf_member', practitioner: false },
  adult_services_worker: { org: 'adult_services', kind: 'taf_member', practitioner: false },
  work_coach: { org: 'jobcentre_plus', kind: 'taf_member', practitioner: false },
  // Even an involvement gives the DPO and admin no case content.
  dpo: { org: 'council_early_help', kind: 'taf_member', practitioner: false },
  admin: { org: 'council_early_help', kind: 'taf_member', practitioner: false },
};
const ROLES = Object.keys(RELATIONSHIP) as Role[];
const NO_CASE_CONTENT = new Set<Role>(['dpo', 'admin']);

const CONSENT_STATES = ['none', 'in_force', 'withdrawn', 'expired'] as const;
const OVERRIDE_STATES = ['none', 'in_force', 'expired'] as const;
interface Cell {
  related: boolean;
  consent: (typeof CONSENT_STATES)[number];
  override: (typeof OVERRIDE_STATES)[number];
}
const CELLS: Cell[] = [true, false].flatMap((related) =>
  CONSENT_STATES.flatMap((consent) => OVERRIDE_STATES.map((override) => ({ related, consent, override }))),
);
const cellName = (c: Cell) => `${c.related ? 'related' : 'unrelated'}/consent:${c.consent}/override:${c.override}`;

type Outcome = 'value' | 'FORBIDDEN' | 'NO_RELATIONSHIP' | 'CONSENT_REQUIRED';

/** The rule, stated independently of the decider. */
function expectedRoot(role: Role, cell: Cell): Outcome | null {
  if (NO_CASE_CONTENT.has(role)) return 'FORBIDDEN';
  if (!cell.related) return 'NO_RELATIONSHIP';
  return null;
}
function expectedField(role: Role, cell: Cell, category: DataCategory): Outcome {
  const basis = READ[role]![category];
  if (basis === '-') return 'FORBIDDEN';
  if (basis === 'I') return 'value';
  return cell.consent === 'in_force' || cell.override === 'in_force' ? 'value' : 'CONSENT_REQUIRED';
}

interface FieldProbe {
  name: string;
  category: DataCategory;
  selection: string;
}

/** Every categorised field of Child a query can select without arguments (other modules' fields included). */
async function childProbes(): Promise<FieldProbe[]> {
  const schema = await buildDeclaredSchema();
  const child = schema.getType('Child') as GraphQLObjectType;
  const probes: FieldProbe[] = [];
  for (const [name, field] of Object.entries(child.getFields())) {
    const category = field.extensions?.[CATEGORY_EXTENSION] as DataCategory | undefined;
    if (!category || field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    const selection =
      name === 'family'
        ? 'family { id relation hasParentalResponsibility familyMemberId givenName familyName }'
        : isLeafType(named)
          ? name
          : isObjectType(named)
            ? `${name} { __typename }`
            : `${name} { __typename }`;
    probes.push({ name, category, selection });
  }
  return probes;
}

const HOUR = 3_600_000;
/** Children per request: each is one aliased top-level field. */
const BATCH = 12;

describe('access matrix over HTTP: role × relationship × consent × override × category', () => {
  let t: TestHub;
  let probes: FieldProbe[];
  const tokens = new Map<Role, string>();
  /** role → cell index → child */
  const cellChildren = new Map<
    Role,
    {
      id: string;
      nhsNumber: string;
      givenName: string;
      familyName: string;
      carerName: string;
      familyMemberId: string;
      linkId: string;
    }[]
  >();

  beforeAll(async () => {
    t = await startTestHub();
    probes = await childProbes();
    const db = t.database.db;
    const now = Date.now();

    const orgRows = await db
      .insert(organisations)
      .values(
        ROLES.flatMap((role) => [
          { name: `Matrix ${role}`, kind: RELATIONSHIP[role].org, cluster: 'central' as const },
          { name: `Matrix ${role} elsewhere`, kind: RELATIONSHIP[role].org, cluster: 'central' as const },
        ]),
      )
      .returning();
    const orgOf = new Map<Role, { own: string; elsewhere: string }>(
      ROLES.map((role, i) => [role, { own: orgRows[2 * i]!.id, elsewhere: orgRows[2 * i + 1]!.id }]),
    );

    const practitionerOf = new Map<Role, { self: string; colleague: string }>();
    const practitionerRoles = ROLES.filter((r) => RELATIONSHIP[r].practitioner);
    const pRows = await db
      .insert(practitioners)
      .values(
        practitionerRoles.flatMap((role) => [
          {
            organisationId: orgOf.get(role)!.own,
            subject: `matrix-${role}`,
            displayName: `Matrix ${role}`,
            roles: [role],
          },
          {
            organisationId: orgOf.get(role)!.own,
            subject: `matrix-${role}-colleague`,
            displayName: `Matrix ${role} colleague`,
            roles: [role],
          },
        ]),
      )
      .returning();
    practitionerRoles.forEach((role, i) => {
      practitionerOf.set(role, { self: pRows[2 * i]!.id, colleague: pRows[2 * i + 1]!.id });
    });

    let n = 0;
    const childValues = ROLES.flatMap((_role) =>
      CELLS.map(() => {
        const i = n++;
        const givenName = `Matrix${i}`;
        const familyName = `Cell${i}`;
        return {
          givenName,
          familyName,
          dateOfBirth: '2016-03-04',
          gender: 'female' as const,
          postcode: 'LE2 2BB',
          addressLine: `${i} Matrix Row`,
          phone: '0100 000 000',
          nhsNumber: syntheticNhsNumber(120_000 + i),
          nhsNumberTraced: true,
          upn: syntheticUpn(9000 + Math.floor(i / 1000), 16, i % 1000),
          hasSend: false,
          matchKey: matchKey({ givenName, familyName, date: '2016-03-04', postcode: 'LE2 2BB' }),
        };
      }),
    );
    const childRows = await db.insert(children).values(childValues).returning();
    const memberRows = await db
      .insert(familyMembers)
      .values(childRows.map((c, i) => ({ givenName: `Carer${i}`, familyName: c.familyName })))
      .returning();
    const linkRows = await db
      .insert(householdLinks)
      .values(
        childRows.map((c, i) => ({
          childId: c.id,
          relation: 'parent' as const,
          familyMemberId: memberRows[i]!.id,
          hasParentalResponsibility: true,
        })),
      )
      .returning();

    const involvementValues: (typeof involvements.$inferInsert)[] = [];
    const consentValues: (typeof consents.$inferInsert)[] = [];
    const overrideValues: (typeof safeguardingOverrides.$inferInsert)[] = [];
    ROLES.forEach((role, r) => {
      const rel = RELATIONSHIP[role];
      const org = orgOf.get(role)!;
      const list: {
        id: string;
        nhsNumber: string;
        givenName: string;
        familyName: string;
        carerName: string;
        familyMemberId: string;
        linkId: string;
      }[] = [];
      CELLS.forEach((cell, c) => {
        const k = r * CELLS.length + c;
        const child = childRows[k]!;
        list.push({
          id: child.id,
          nhsNumber: child.nhsNumber!,
          givenName: child.givenName,
          familyName: child.familyName,
          carerName: memberRows[k]!.givenName,
          familyMemberId: memberRows[k]!.id,
          linkId: linkRows[k]!.id,
        });
        if (rel.kind) {
          // Absent: the child is someone else's — another organisation, or (practitioner roles) a colleague's case in the same organisation.
          const practitioner = rel.practitioner ? practitionerOf.get(role)! : null;
          involvementValues.push({
            childId: child.id,
            kind: rel.kind,
            startedOn: '2020-01-01',
            organisationId: cell.related || practitioner ? org.own : org.elsewhere,
            practitionerId: practitioner ? (cell.related ? practitioner.self : practitioner.colleague) : null,
          });
        }
        if (cell.consent !== 'none') {
          // Half the roles get consent naming their organisation, half naming their kind of organisation.
          const target = r % 2 === 0 ? { organisationIds: [org.own] } : { organisationKinds: [rel.org] };
          consentValues.push({
            childId: child.id,
            givenBy: 'young_person',
            method: 'written',
            ...target,
            categories: [...CATEGORIES],
            purposes: ['direct_support'],
            startsAt: new Date(now - 30 * 24 * HOUR),
            expiresAt: cell.consent === 'expired' ? new Date(now - HOUR) : new Date(now + 30 * 24 * HOUR),
            withdrawnAt: cell.consent === 'withdrawn' ? new Date(now - HOUR) : null,
            recordedBySubject: 'matrix',
            recordedByOrganisationId: org.own,
          });
        }
        if (cell.override !== 'none') {
          overrideValues.push({
            childId: child.id,
            categories: [...CATEGORIES],
            justification: 'Matrix fixture: seeking consent would increase the risk of significant harm.',
            declaredBySubject: 'matrix',
            declaredByOrganisationId: org.elsewhere,
            declaredByRole: 'social_worker',
            recipientOrganisationIds: [org.own],
            declaredAt: new Date(now - (cell.override === 'expired' ? 80 : 1) * HOUR),
            expiresAt: new Date(now + (cell.override === 'expired' ? -8 : 24) * HOUR),
          });
        }
      });
      cellChildren.set(role, list);
    });
    await db.insert(involvements).values(involvementValues);
    await db.insert(consents).values(consentValues);
    await db.insert(safeguardingOverrides).values(overrideValues);
    for (const role of ROLES)
      tokens.set(role, await t.token({ role, org: orgOf.get(role)!.own, sub: `matrix-${role}` }));
  });
  afterAll(() => t.close());

  it('covers every category on Child or FamilyLink that the schema has', () => {
    const covered = new Set(probes.map((p) => p.category));
    for (const c of ['identity', 'identifiers', 'contact', 'education', 'family'] as const)
      expect(covered).toContain(c);
  });

  for (const role of ROLES) {
    it(`${role}: every cell has exactly the outcome the rules give`, async () => {
      const kids = cellChildren.get(role)!;
      const selection = probes.map((p) => p.selection).join(' ');
      // Batches stay under the hub's operation limits (top-level fields, aliases).
      const res: { data: Record<string, unknown>; errors: NonNullable<GraphQLResponse['errors']> } = {
        data: {},
        errors: [],
      };
      for (let from = 0; from < kids.length; from += BATCH) {
        // Half the cells are looked up by id, half by NHS number: the partner front door, which
        // reads the access facts together with the child, must decide exactly as the id lookup.
        const batch = kids.slice(from, from + BATCH).map((k, j) => {
          const key = (from + j) % 2 === 0 ? `id: "${k.id}"` : `nhsNumber: "${k.nhsNumber}"`;
          return `c${from + j}: child(${key}) { id ${selection} }`;
        });
        // Consents here are for direct support; a role that may not state it reads under its first purpose.
        const purpose = ROLE_PURPOSES[role].includes('direct_support') ? 'direct_support' : ROLE_PURPOSES[role][0];
        const part = await t.post(tokens.get(role)!, `query Matrix { ${batch.join('\n')} }`, undefined, purpose);
        expect(part.status, JSON.stringify(part.errors?.slice(0, 2))).toBe(200);
        Object.assign(res.data, part.data);
        res.errors.push(...(part.errors ?? []));
      }
      const errors = res.errors;

      const expected: Record<string, string> = {};
      const actual: Record<string, string> = {};
      CELLS.forEach((cell, i) => {
        const alias = `c${i}`;
        const kid = kids[i]!;
        const node = res.data?.[alias] as Record<string, unknown> | null | undefined;
        const errorsAt = (path: string[]) => errors.filter((e) => JSON.stringify(e.path) === JSON.stringify(path));
        const root = expectedRoot(role, cell);
        for (const probe of probes) {
          const key = `${cellName(cell)} ${probe.name}[${probe.category}]`;
          expected[key] = root ?? expectedField(role, cell, probe.category);
          if (node === null || node === undefined) {
            const rootErrors = errorsAt([alias]);
            actual[key] =
              rootErrors.length === 1 && rootErrors[0]!.extensions?.category === undefined
                ? String(rootErrors[0]!.extensions?.code)
                : `root null with ${rootErrors.length} errors`;
            continue;
          }
          const at = errorsAt([alias, probe.name]);
          if (node[probe.name] === null && at.length === 1 && at[0]!.extensions?.category === probe.category) {
            actual[key] = String(at[0]!.extensions?.code);
          } else if (at.length === 0) {
            actual[key] = 'value';
            if (probe.name === 'givenName') expect(node.givenName).toBe(kid.givenName);
            if (probe.name === 'nhsNumber') expect(node.nhsNumber).toBe(kid.nhsNumber);
            if (probe.name === 'addressLine') expect(node.addressLine).toMatch(/ Matrix Row$/);
            if (probe.name === 'hasSend') expect(node.hasSend).toBe(false);
            if (probe.name === 'family') {
              expect(node.family).toEqual([
                {
                  id: kid.linkId,
                  relation: 'parent',
                  hasParentalResponsibility: true,
                  familyMemberId: kid.familyMemberId,
                  givenName: kid.carerName,
                  familyName: kid.familyName,
                },
              ]);
            }
          } else {
            actual[key] = `unexpected: ${JSON.stringify(node[probe.name])} with ${at.length} errors`;
          }
        }
        // Exactly one error per refused path, and none elsewhere.
        expected[`${cellName(cell)} #errors`] = String(
          root ? 1 : probes.filter((p) => expectedField(role, cell, p.category) !== 'value').length,
        );
        actual[`${cellName(cell)} #errors`] = String(errors.filter((e) => e.path?.[0] === alias).length);
      });
      expect(actual).toEqual(expected);
      // No error message or extension carries a name or identifier of any child.
      const errorText = JSON.stringify(errors);
      for (const kid of kids) {
        expect(errorText).not.toContain(kid.givenName);
        expect(errorText).not.toContain(kid.nhsNumber);
      }
    });
  }
});
