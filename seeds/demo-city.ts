/**
 * The deterministic synthetic demo city: six clusters, schools, a community health trust, police,
 * voluntary organisations, the council's Early Help (EH DAS, Family Support) and social care
 * teams, practitioners, families and children with their rolls and caseloads. The same call
 * always builds the same city with the same ids.
 */
import { children, familyMembers, householdLinks, involvements, organisations, practitioners } from '../schema';
import type { Role } from '../src/access/roles';
import { matchKey } from '../src/child/identifiers';
import type { Db } from '../src/db';
import { addDays } from '../src/shared/calendar';
import { seedDemoCases } from './demo-cases';
import { GIVEN_NAMES, MAX_SYNTHETIC_NHS_INDEX, pick, prng, stableUuid, syntheticHome, syntheticNhsNumber, syntheticUpn } from './synthetic';

export const CLUSTERS = ['north_west', 'north', 'west', 'east', 'central', 'south'] as const;
type Cluster = (typeof CLUSTERS)[number];

type OrgKind = (typeof organisations.kind.enumValues)[number];
interface OrgSeed { key: string; name: string; kind: OrgKind; cluster: Cluster | null; externalCode: string | null }

/** Seed date: the demo city is built "as of" this day, so ages and dates never drift. */
export const SEED_DAY = '2026-09-01';

export const orgId = (key: string) => stableUuid(`org:${key}`);
export const practitionerId = (subject: string) => stableUuid(`practitioner:${subject}`);
export const childId = (n: number) => stableUuid(`child:${n}`);

function organisationSeeds(): OrgSeed[] {
  const orgs: OrgSeed[] = [];
  CLUSTERS.forEach((cluster, c) => {
    orgs.push({ key: `school-${cluster}-primary`, name: `${label(cluster)} Primary Academy`, kind: 'school', cluster, externalCode: String(2000 + c) });
    orgs.push({ key: `school-${cluster}-secondary`, name: `${label(cluster)} Secondary School`, kind: 'school', cluster, externalCode: String(4000 + c) });
  });
  orgs.push(
    { key: 'health-trust', name: 'City Community Health Trust (synthetic)', kind: 'health', cluster: null, externalCode: 'RZZ' },
    { key: 'police', name: 'County Police (synthetic)', kind: 'police', cluster: null, externalCode: 'ZZ' },
    { key: 'vcs-family-action', name: 'Family Action Group (synthetic)', kind: 'voluntary', cluster: null, externalCode: null },
    { key: 'vcs-youth', name: 'Youth Support Trust (synthetic)', kind: 'voluntary', cluster: null, externalCode: null },
    { key: 'council-early-help', name: 'City Council Early Help', kind: 'council_early_help', cluster: null, externalCode: null },
    { key: 'social-care', name: 'City Council Children\'s Social Care', kind: 'social_care', cluster: null, externalCode: null },
  );
  return orgs;
}

function label(cluster: Cluster): string {
  return cluster.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

interface PersonaSeed { label: string; role: Role; orgKey: string; subject: string; displayName: string }

const PERSONA_SEEDS: PersonaSeed[] = [
  { label: 'School DSL, Central Primary', role: 'school_dsl', orgKey: 'school-central-primary', subject: 'demo-school-dsl', displayName: 'Demo DSL' },
  { label: 'School staff, Central Primary', role: 'school_staff', orgKey: 'school-central-primary', subject: 'demo-school-staff', displayName: 'Demo Teacher' },
  { label: 'Health visitor, community trust', role: 'health_visitor', orgKey: 'health-trust', subject: 'demo-health-visitor', displayName: 'Demo Health Visitor' },
  { label: 'School nurse, community trust', role: 'school_nurse', orgKey: 'health-trust', subject: 'demo-school-nurse', displayName: 'Demo School Nurse' },
  { label: 'Health system (service account)', role: 'health_system', orgKey: 'health-trust', subject: 'svc-health-system', displayName: 'Health system' },
  { label: 'Police officer', role: 'police_officer', orgKey: 'police', subject: 'demo-police-officer', displayName: 'Demo Officer' },
  { label: 'Police system (service account)', role: 'police_system', orgKey: 'police', subject: 'svc-police-system', displayName: 'Police system' },
  { label: 'Voluntary sector worker', role: 'vcs_worker', orgKey: 'vcs-family-action', subject: 'demo-vcs-worker', displayName: 'Demo VCS Worker' },
  { label: 'Lead practitioner (Early Help)', role: 'lead_practitioner', orgKey: 'council-early-help', subject: 'demo-lead-practitioner', displayName: 'Demo Lead Practitioner' },
  { label: 'EH DAS screener', role: 'eh_das_screener', orgKey: 'council-early-help', subject: 'demo-screener', displayName: 'Demo Screener' },
  { label: 'Family Support Manager, Central', role: 'family_support_manager', orgKey: 'council-early-help', subject: 'demo-fsm', displayName: 'Demo Family Support Manager' },
  { label: 'Social worker', role: 'social_worker', orgKey: 'social-care', subject: 'demo-social-worker', displayName: 'Demo Social Worker' },
  { label: 'MASP chair', role: 'masp_chair', orgKey: 'council-early-help', subject: 'demo-masp-chair', displayName: 'Demo MASP Chair' },
  { label: 'Data protection officer', role: 'dpo', orgKey: 'council-early-help', subject: 'demo-dpo', displayName: 'Demo DPO' },
  { label: 'Hub administrator', role: 'admin', orgKey: 'council-early-help', subject: 'demo-admin', displayName: 'Demo Admin' },
];

export interface DemoPersona { label: string; role: Role; organisationId: string; subject: string; practitionerId: string }

/** Who `npm start` prints tokens for. */
export const DEMO_PERSONAS: DemoPersona[] = PERSONA_SEEDS.map((p) => ({
  label: p.label, role: p.role, organisationId: orgId(p.orgKey), subject: p.subject, practitionerId: practitionerId(p.subject),
}));

export interface SeedOptions {
  /** Children to create (default 300). */
  children?: number;
  /** Rows per INSERT (default 1000). */
  batchSize?: number;
  onProgress?: (message: string) => void;
}

export interface SeedSummary { organisations: number; practitioners: number; children: number; familyMembers: number; involvements: number }

export async function seedDemoCity(db: Db, options: SeedOptions = {}): Promise<SeedSummary> {
  const total = options.children ?? 300;
  if (total > MAX_SYNTHETIC_NHS_INDEX) throw new RangeError(`at most ${MAX_SYNTHETIC_NHS_INDEX} children: the synthetic NHS number range would repeat`);
  const batchSize = options.batchSize ?? 1000;
  const progress = options.onProgress ?? (() => {});
  const random = prng(20261126);

  const orgs = organisationSeeds();
  await db.insert(organisations).values(orgs.map((o) => ({ id: orgId(o.key), name: o.name, kind: o.kind, cluster: o.cluster, externalCode: o.externalCode })));
  await db.insert(practitioners).values(PERSONA_SEEDS.map((p) => ({
    id: practitionerId(p.subject), organisationId: orgId(p.orgKey), subject: p.subject, displayName: p.displayName,
    email: `${p.subject}@example.invalid`, phone: '0000 000000', roles: [p.role],
  })));

  const childRows: (typeof children.$inferInsert)[] = [];
  const memberRows: (typeof familyMembers.$inferInsert)[] = [];
  const linkRows: (typeof householdLinks.$inferInsert)[] = [];
  const involvementRows: (typeof involvements.$inferInsert)[] = [];
  // UPN serials count per school and year, so they never repeat however large the city.
  const upnSerials = new Map<string, number>();
  const nextUpn = (establishment: number, year: number) => {
    const key = `${establishment}:${year}`;
    const serial = upnSerials.get(key) ?? 0;
    upnSerials.set(key, serial + 1);
    return syntheticUpn(establishment, year, serial);
  };
  let childIndex = 0;
  let familyIndex = 0;
  const flush = async (force: boolean) => {
    if (!force && childRows.length < batchSize) return;
    for (const [table, rows] of [[familyMembers, memberRows], [children, childRows], [householdLinks, linkRows], [involvements, involvementRows]] as const) {
      for (let i = 0; i < rows.length; i += batchSize) await db.insert(table).values(rows.slice(i, i + batchSize) as never);
      rows.length = 0;
    }
    progress(`seeded ${childIndex}/${total} children`);
  };

  while (childIndex < total) {
    const family = familyIndex++;
    const cluster = CLUSTERS[family % CLUSTERS.length]!;
    const { familyName, postcode, addressLine } = syntheticHome(random, family, cluster);
    const parentId = stableUuid(`parent:${family}`);
    memberRows.push({ id: parentId, givenName: pick(random, GIVEN_NAMES), familyName, dateOfBirth: `19${80 + Math.floor(random() * 15)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`, phone: '0000 000000', addressLine, postcode });
    const siblings: string[] = [];
    const size = 1 + Math.floor(random() * 3);
    for (let s = 0; s < size && childIndex < total; s++) {
      const n = childIndex++;
      const id = childId(n);
      const givenName = pick(random, GIVEN_NAMES);
      const unborn = n % 97 === 13;
      const ageDays = Math.floor(random() * 17 * 365);
      const dateOfBirth = unborn ? null : addDays(SEED_DAY, -ageDays - 30);
      const expectedDate = unborn ? addDays(SEED_DAY, 120) : null;
      const age = ageDays / 365;
      const primary = age >= 4 && age < 11;
      const secondary = age >= 11 && age < 16.9;
      const school = primary ? `school-${cluster}-primary` : secondary ? `school-${cluster}-secondary` : null;
      const establishment = school ? (primary ? 2000 : 4000) + CLUSTERS.indexOf(cluster) : 0;
      childRows.push({
        id, givenName, familyName, dateOfBirth, expectedDate,
        gender: pick(random, ['female', 'male'] as const),
        nhsNumber: unborn ? null : syntheticNhsNumber(n),
        nhsNumberTraced: !unborn && n % 10 !== 0,
        upn: school ? nextUpn(establishment, 2010 + (n % 15)) : null,
        addressLine, postcode, phone: null, hasSend: n % 23 === 0,
        matchKey: matchKey({ givenName, familyName, date: dateOfBirth ?? expectedDate, postcode }),
      });
      linkRows.push({ childId: id, relation: 'parent', familyMemberId: parentId, hasParentalResponsibility: true });
      for (const sibling of siblings) {
        linkRows.push({ childId: id, relation: 'sibling', siblingChildId: sibling });
        linkRows.push({ childId: sibling, relation: 'sibling', siblingChildId: id });
      }
      siblings.push(id);
      if (school) involvementRows.push({ childId: id, organisationId: orgId(school), kind: 'on_roll', startedOn: '2026-09-01' });
      if (unborn || age < 5 || n % 5 === 0) involvementRows.push({ childId: id, organisationId: orgId('health-trust'), kind: 'caseload', startedOn: '2025-01-01' });
      if (n % 11 === 0) involvementRows.push({ childId: id, organisationId: orgId('vcs-family-action'), kind: 'vcs_support', startedOn: '2026-03-01' });
    }
    await flush(false);
  }
  await flush(true);
  await seedDemoCases(db, { orgId, practitionerId, seedDay: SEED_DAY });
  await (await import('./demo-offer')).seedDemoOffer(db, { orgId, practitionerId, seedDay: SEED_DAY });
  const involvementCount = await db.$count(involvements);
  return { organisations: orgs.length, practitioners: PERSONA_SEEDS.length, children: total, familyMembers: familyIndex, involvements: involvementCount };
}
