/**
 * The deterministic synthetic demo city: six clusters, schools, a community health trust, police,
 * voluntary organisations, the council's Early Help (EH DAS, Family Support) and social care
 * teams, the partners a TAF draws in (education welfare, youth justice, adult services, Jobcentre
 * Plus), practitioners, families and children with their rolls and caseloads. The same call
 * always builds the same city with the same ids.
 *
 * Partners and relationships arrive the way they do in a real hub, so the demo shows (and its
 * tests exercise) what a partner's data goes through: organisations by onboarding, practitioners
 * by SCIM provisioning, children by registration, each school's roll pushed by its MIS and the
 * trust's caseload pushed by its system account, a voluntary organisation's support by its
 * consented contacts, the force's links by its incidents (demo-offer.ts) — so each relationship stands on its authoritative record, and
 * every on_roll and caseload involvement carries its push's source and asserter. The case work
 * (consents, referrals, screening, TAF, plans, reviews, escalations, missing episodes, the Priority
 * Children's List, outcomes and the family plan) is done through the domain services by the
 * practitioner who would do it, on the day it happened (demo-acting.ts, demo-cases.ts, demo-offer.ts).
 *
 * No relationship is written directly: social care's own allocation before the one step down comes
 * in as Liquid Logic reports it (the inbound sync). Still written directly, and why:
 * - parents and household links (children are registered, under the ids the demo names them by):
 *   the hub has no service that links siblings, or adds a parent outside a referral;
 * - data that makes no relationship and that no partner sends: the directory and its Advice Point
 *   contact counts, performance narratives (the council's own reference data);
 * - the trust's health levels behind two cases: the Partnership Plus child's NHS number is
 *   untraced, so the health feed would hold the post in EH DAS's queue, which the demo keeps empty;
 * - Central's QA samples and audits (a service exists; not yet moved, and no relationship).
 */
import { familyMembers, householdLinks, involvements, organisations } from '../schema';
import type { Role } from '../src/access/roles';
import { AuditCollector } from '../src/audit/audit-collector';
import type { Caller } from '../src/auth/caller';
import { recordNhsTrace } from '../src/child/child.repo';
import { ChildService, type RegisterChildInput } from '../src/child/child.service';
import type { Db } from '../src/db';
import { CaseloadFeed } from '../src/feeds/caseload.service';
import { MAX_PUSH_ENTRIES } from '../src/feeds/relationship-push';
import { RollFeed } from '../src/feeds/roll.service';
import { VcsFeed } from '../src/feeds/vcs.service';
import { createOrganisation } from '../src/organisation/organisation-admin.service';
import { createUser, PRACTITIONER_EXTENSION, USER_SCHEMA } from '../src/scim/scim.service';
import { fixedClock } from '../src/shared/clock';
import { addDays } from '../src/shared/calendar';
import { CLUSTERS, type Cluster } from '../src/workflow/actor';
import { DEMO_PERSONAS, PERSONA_SEEDS, demoOrgId, demoPractitionerId } from '../src/dev/personas';
import { demoWork, seedAudit } from './demo-acting';
import { seedDemoCases } from './demo-cases';
import {
  GIVEN_NAMES,
  MAX_SYNTHETIC_NHS_INDEX,
  pick,
  prng,
  stableUuid,
  syntheticHome,
  syntheticNhsNumber,
  syntheticUpn,
} from './synthetic';

export { CLUSTERS };

type OrgKind = (typeof organisations.kind.enumValues)[number];
interface OrgSeed {
  key: string;
  name: string;
  kind: OrgKind;
  cluster: Cluster | null;
  externalCode: string | null;
}

/** Seed date: the demo city is built "as of" this day, so ages and dates never drift. */
export const SEED_DAY = '2026-09-01';

export const orgId = demoOrgId;
export const practitionerId = demoPractitionerId;
export const childId = (n: number) => stableUuid(`child:${n}`);

function organisationSeeds(): OrgSeed[] {
  const orgs: OrgSeed[] = [];
  CLUSTERS.forEach((cluster, c) => {
    orgs.push({
      key: `school-${cluster}-primary`,
      name: `${label(cluster)} Primary Academy`,
      kind: 'school',
      cluster,
      externalCode: String(2000 + c),
    });
    orgs.push({
      key: `school-${cluster}-secondary`,
      name: `${label(cluster)} Secondary School`,
      kind: 'school',
      cluster,
      externalCode: String(4000 + c),
    });
  });
  orgs.push(
    {
      key: 'health-trust',
      name: 'City Community Health Trust (synthetic)',
      kind: 'health',
      cluster: null,
      externalCode: 'RZZ',
    },
    { key: 'police', name: 'County Police (synthetic)', kind: 'police', cluster: null, externalCode: 'ZZ' },
    {
      key: 'vcs-family-action',
      name: 'Family Action Group (synthetic)',
      kind: 'voluntary',
      cluster: null,
      externalCode: null,
    },
    { key: 'vcs-youth', name: 'Youth Support Trust (synthetic)', kind: 'voluntary', cluster: null, externalCode: null },
    {
      key: 'council-early-help',
      name: 'City Council Early Help',
      kind: 'council_early_help',
      cluster: null,
      externalCode: null,
    },
    {
      key: 'social-care',
      name: "City Council Children's Social Care",
      kind: 'social_care',
      cluster: null,
      externalCode: null,
    },
    // Partners a Team Around the Family draws in beyond schools, health and the police.
    {
      key: 'education-welfare',
      name: 'City Council Education Welfare Service',
      kind: 'education_welfare',
      cluster: null,
      externalCode: null,
    },
    {
      key: 'youth-justice',
      name: 'City Youth Justice Service (synthetic)',
      kind: 'youth_justice',
      cluster: null,
      externalCode: null,
    },
    {
      key: 'adult-services',
      name: 'City Council Adult Services (synthetic)',
      kind: 'adult_services',
      cluster: null,
      externalCode: null,
    },
    {
      key: 'jobcentre-plus',
      name: 'Jobcentre Plus, City Centre (synthetic)',
      kind: 'jobcentre_plus',
      cluster: null,
      externalCode: null,
    },
  );
  return orgs;
}

function label(cluster: Cluster): string {
  return cluster
    .split('_')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

export type { DemoPersona } from '../src/dev/personas';
export { DEMO_PERSONAS };

export interface SeedOptions {
  /** Children to create (default 300). */
  children?: number;
  /** Rows per INSERT (default 1000). */
  batchSize?: number;
  onProgress?: (message: string) => void;
}

export interface SeedSummary {
  organisations: number;
  practitioners: number;
  children: number;
  familyMembers: number;
  involvements: number;
}

export async function seedDemoCity(db: Db, options: SeedOptions = {}): Promise<SeedSummary> {
  const total = options.children ?? 300;
  if (total > MAX_SYNTHETIC_NHS_INDEX)
    throw new RangeError(`at most ${MAX_SYNTHETIC_NHS_INDEX} children: the synthetic NHS number range would repeat`);
  const batchSize = options.batchSize ?? 1000;
  const progress = options.onProgress ?? (() => {});
  const random = prng(20261126);

  const orgs = organisationSeeds();
  await onboard(db, orgs);

  const childRows: (RegisterChildInput & { id: string; nhsNumberTraced: boolean })[] = [];
  const registrar = registration(db);
  const memberRows: (typeof familyMembers.$inferInsert)[] = [];
  const linkRows: (typeof householdLinks.$inferInsert)[] = [];
  const rolls = new Map<string, RollEntry[]>();
  const caseload: CaseloadEntry[] = [];
  const supported: Supported[] = [];
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
    if (memberRows.length > 0) await db.insert(familyMembers).values(memberRows);
    memberRows.length = 0;
    for (const { id, nhsNumberTraced, ...child } of childRows) await registrar(id, child, nhsNumberTraced);
    childRows.length = 0;
    for (const [table, rows] of [[householdLinks, linkRows]] as const) {
      if (rows.length === 0) continue;
      for (let i = 0; i < rows.length; i += batchSize)
        await db.insert(table).values(rows.slice(i, i + batchSize) as never);
      rows.length = 0;
    }
    progress(`seeded ${childIndex}/${total} children`);
  };

  while (childIndex < total) {
    const family = familyIndex++;
    const cluster = CLUSTERS[family % CLUSTERS.length]!;
    const { familyName, postcode, addressLine } = syntheticHome(random, family, cluster);
    const parentId = stableUuid(`parent:${family}`);
    memberRows.push({
      id: parentId,
      givenName: pick(random, GIVEN_NAMES),
      familyName,
      dateOfBirth: `19${80 + Math.floor(random() * 15)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      phone: '0000 000000',
      addressLine,
      postcode,
    });
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
      // An unborn baby is on no school's roll, whatever age the generator drew.
      const primary = !unborn && age >= 4 && age < 11;
      const secondary = !unborn && age >= 11 && age < 16.9;
      const school = primary ? `school-${cluster}-primary` : secondary ? `school-${cluster}-secondary` : null;
      const establishment = school ? (primary ? 2000 : 4000) + CLUSTERS.indexOf(cluster) : 0;
      const upn = school ? nextUpn(establishment, 2010 + (n % 15)) : null;
      const nhsNumber = unborn ? null : syntheticNhsNumber(n);
      const nhsNumberTraced = !unborn && n % 10 !== 0;
      childRows.push({
        id,
        givenName,
        familyName,
        dateOfBirth,
        expectedDate,
        gender: pick(random, ['female', 'male'] as const),
        nhsNumber,
        nhsNumberTraced,
        upn,
        addressLine,
        postcode,
        phone: null,
        hasSend: n % 23 === 0,
      });
      const demographics = { givenName, familyName, dateOfBirth, postcode };
      linkRows.push({ childId: id, relation: 'parent', familyMemberId: parentId, hasParentalResponsibility: true });
      for (const sibling of siblings) {
        linkRows.push({ childId: id, relation: 'sibling', siblingChildId: sibling });
        linkRows.push({ childId: sibling, relation: 'sibling', siblingChildId: id });
      }
      siblings.push(id);
      if (school && upn) {
        if (!rolls.has(school)) rolls.set(school, []);
        rolls.get(school)!.push({ upn, child: demographics, startedOn: ROLL_SINCE });
      }
      // The trust's system knows its unborn and untraced children too, but only a traced NHS
      // number matches with certainty: it sends the rest to EH DAS's queue, which the demo keeps empty.
      const onCaseload = (age < 5 || n % 5 === 0) && nhsNumber !== null && nhsNumberTraced;
      if (onCaseload) caseload.push({ nhsNumber, child: demographics, startedOn: '2025-01-01' });
      // The family's consent to voluntary support is recorded by a practitioner who knows the child:
      // the school's DSL, or the trust's health visitor.
      if (n % 11 === 0 && (school || onCaseload))
        supported.push({
          childId: id,
          recorder: school
            ? { subject: `demo-dsl-${school}`, role: 'school_dsl', organisationId: orgId(school) }
            : { subject: 'demo-health-visitor', role: 'health_visitor', organisationId: orgId('health-trust') },
        });
    }
    await flush(false);
  }
  await flush(true);
  await pushRelationships(db, rolls, caseload);
  await recordVcsContacts(db, supported);
  progress("pushed the school rolls, the health caseload and the voluntary sector's contacts");
  await seedDemoCases(db, { orgId, practitionerId, seedDay: SEED_DAY });
  await (await import('./demo-offer')).seedDemoOffer(db, { orgId, practitionerId, seedDay: SEED_DAY });
  const involvementCount = await db.$count(involvements);
  return {
    organisations: orgs.length,
    practitioners: PERSONA_SEEDS.length,
    children: total,
    familyMembers: familyIndex,
    involvements: involvementCount,
  };
}

interface Demographics {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  postcode: string;
}
interface RollEntry {
  upn: string;
  child: Demographics;
  startedOn: string;
}

/**
 * Each school's MIS has its pupils on roll since the start of the last school year, so the cases
 * a school raised in the months before the seed day (a Priority Children's List entry, a consent)
 * were raised by a school the child was on the roll of.
 */
const ROLL_SINCE = '2025-09-01';
interface CaseloadEntry {
  nhsNumber: string;
  child: Demographics;
  startedOn: string;
}

/** The partners' systems and administrators act "as of" the seed day, so what they record is dated alike. */
const SEED_CLOCK = () => fixedClock(`${SEED_DAY}T07:00:00Z`);

/**
 * EH DAS registers each child through the service behind registerChild, on the seed day, under the
 * id the demo names it by: a new city has no record to match, and anything else is a seed defect.
 * Most demo children's numbers count as traced, as if EH DAS had traced them through PDS (the demo
 * runs without one): the trace is stored as the trace service stores it, with its provenance.
 */
function registration(db: Db): (id: string, child: RegisterChildInput, traced: boolean) => Promise<void> {
  const clock = SEED_CLOCK();
  const children = new ChildService({ db, clock });
  const screener = systemCaller(orgId('council-early-help'), 'eh_das_screener', 'demo-screener');
  return async (id, child, traced) => {
    // Every demo child is a distinct child by construction: the screener confirms a near namesake
    // (same invented name, birthday and postcode district) is not the same child.
    const registered = await children.register(
      { ...child, confirmNoMatch: true },
      screener,
      seedAudit(screener, 'screening'),
      id,
    );
    if (registered.outcome !== 'created' || registered.child.id !== id)
      throw new Error(`demo child ${id} was not registered as new (${registered.outcome})`);
    if (traced && child.nhsNumber)
      await recordNhsTrace(db, id, {
        nhsNumber: child.nhsNumber,
        tracedAt: clock.now(),
        tracedBy: screener.subject,
        score: 1,
        source: 'synthetic demo city (no PDS)',
        addressRestricted: false,
      });
  };
}

function systemCaller(organisationId: string, role: Role, subject: string): Caller {
  return { subject, organisationId, role, clientId: subject, issuer: 'demo-city' };
}

/**
 * The partnership's administrator onboards each organisation, then the identity provider's
 * provisioning client creates each practitioner, as over the API (admin_changes records both).
 */
async function onboard(db: Db, orgs: OrgSeed[]): Promise<void> {
  const at = SEED_CLOCK().now();
  const council = orgId('council-early-help');
  const request = (subject: string, channel: 'graphql' | 'scim') => ({
    caller: systemCaller(council, 'admin', subject),
    requestId: `demo-city-${channel}`,
    channel,
    at,
  });
  for (const o of orgs) {
    await createOrganisation(
      { db },
      { name: o.name, kind: o.kind, cluster: o.cluster, externalCode: o.externalCode },
      request('demo-onboarding', 'graphql'),
      orgId(o.key),
    );
  }
  for (const p of PERSONA_SEEDS) {
    await createUser(
      { db },
      {
        schemas: [USER_SCHEMA, PRACTITIONER_EXTENSION],
        userName: p.subject,
        displayName: p.displayName,
        active: true,
        emails: [{ value: `${p.subject}@example.invalid`, primary: true }],
        phoneNumbers: [{ value: '0000 000000' }],
        roles: [{ value: p.role }],
        [PRACTITIONER_EXTENSION]: { organisationId: orgId(p.orgKey) },
      },
      request('demo-idp-provisioning', 'scim'),
      practitionerId(p.subject),
    );
  }
}

/**
 * Each school's MIS pushes its roll as a snapshot, and the trust's system its caseload, through
 * the services behind pushSchoolRoll and pushHealthCaseload. The seed is not a request: the
 * change audit of a push is for a partner's token, so here it is collected and set aside.
 */
async function pushRelationships(db: Db, rolls: Map<string, RollEntry[]>, caseload: CaseloadEntry[]): Promise<void> {
  const deps = { db, clock: SEED_CLOCK() };
  const audit = () => new AuditCollector(async () => {});
  // A snapshot when the list fits one push; a larger city's list goes as starters, a push at a time.
  const pushes = <T>(entries: T[]) =>
    entries.length <= MAX_PUSH_ENTRIES
      ? [{ kind: 'SNAPSHOT', part: 0, entries }]
      : Array.from({ length: Math.ceil(entries.length / MAX_PUSH_ENTRIES) }, (_, part) => ({
          kind: 'CHANGES',
          part,
          entries: entries.slice(part * MAX_PUSH_ENTRIES, (part + 1) * MAX_PUSH_ENTRIES),
        }));
  const roll = new RollFeed(deps);
  for (const [school, pupils] of rolls) {
    for (const { kind, part, entries } of pushes(pupils)) {
      await roll.post(
        { reference: `demo-roll-${school}-${SEED_DAY}-${part}`, kind, effectiveDate: SEED_DAY, pupils: entries },
        systemCaller(orgId(school), 'school_staff', `svc-mis-${school}`),
        audit(),
      );
    }
  }
  const trust = new CaseloadFeed(deps);
  for (const { kind, part, entries } of pushes(caseload)) {
    await trust.post(
      { reference: `demo-caseload-${SEED_DAY}-${part}`, kind, effectiveDate: SEED_DAY, children: entries },
      systemCaller(orgId('health-trust'), 'health_system', 'svc-health-system'),
      audit(),
    );
  }
}

/** A child a voluntary organisation supports, and who records the family's consent to it. */
interface Supported {
  childId: string;
  recorder: { subject: string; role: Role; organisationId: string };
}

/**
 * A voluntary organisation is related to a child only through a contact the family consented to:
 * the family's consent naming voluntary organisations is recorded through the service behind
 * recordConsent, then the organisation posts its contact through the service behind postVcsContact.
 */
async function recordVcsContacts(db: Db, supported: Supported[]): Promise<void> {
  if (supported.length === 0) return;
  const work = demoWork(db, SEED_DAY);
  work.on('2026-02-20');
  for (const { childId, recorder } of supported) {
    await work.consents.record(
      {
        childId,
        givenBy: 'family_member',
        giverName: 'Parent (synthetic)',
        giverRelationship: 'parent',
        method: 'written',
        organisationKinds: ['voluntary'],
        categories: ['early_help'],
        purposes: ['direct_support'],
        startsAt: '2026-02-20T09:00:00Z',
      },
      work.as(recorder.subject, 'direct_support', recorder),
    );
  }
  const vcs = new VcsFeed({ db, clock: SEED_CLOCK() });
  const caller = systemCaller(orgId('vcs-family-action'), 'vcs_worker', 'demo-vcs-worker');
  for (const { childId } of supported) {
    await vcs.post(
      {
        contactRef: `demo-contact-${childId}`,
        childId,
        contactDate: '2026-03-01',
        contactType: 'home visit',
        summary: 'First family support visit',
      },
      caller,
      new AuditCollector(async () => {}),
    );
  }
}
