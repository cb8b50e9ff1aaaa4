/**
 * Partnership Plus rule: "multi-agency cases led by the community health trust at
 * Partnership Plus are not recorded in the Liquid Logic Early Help module; the hub holds them in
 * full and the Liquid Logic sync skips them". Cases are driven over HTTP; a real outbox worker
 * delivers to the Liquid Logic simulator over HTTP.
 */
import { and, arrayContains, asc, eq, not } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children, consents, ehas, outbox, referrals } from '../schema';
import { HttpCaseRecordAdapter, LL_PATHS } from '../adapters/liquid-logic/http-adapter';
import { startLiquidLogicSimulator, type LiquidLogicSimulator } from '../adapters/liquid-logic/simulator';
import { HELD_IN_HUB_MARKER } from '../src/partnership-plus/partnership-plus.rule';
import { OutboxWorker } from '../src/outbox/worker';
import { buildWorld, planInput, Q, tafInput, threeNeeds, addDaysIso, type World } from './workflow-support';

const OPEN_HEALTH_LED = `mutation ($child: ID!, $consent: ID!, $c: Cluster!, $fsm: ID!) {
  openHealthLedEha(childId: $child, consentId: $consent, cluster: $c, familySupportManagerId: $fsm) {
    id status version origin leadPractitioner { id } } }`;

const POST_HEALTH = `mutation ($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { status receiptId } }`;

describe('Partnership Plus rule: the Liquid Logic sync skips health-led Universal Partnership Plus cases', () => {
  let w: World;
  let sim: LiquidLogicSimulator;
  let worker: OutboxWorker;
  let trust: string;
  let healthLead: string;
  let trustToken: string;

  beforeAll(async () => {
    ({ w, sim, worker } = await worldWithSync());
    trust = await w.f.org('community-trust', 'health');
    healthLead = await w.f.practitioner(trust, 'pp-health-visitor', 'lead_practitioner');
    trustToken = await w.t.token({ role: 'health_system', org: trust, sub: 'pp-trust-epr' });
  });
  afterAll(async () => {
    await sim.close();
    await w.t.close();
  });

  /** A case accepted with `lead` as lead practitioner, at `level`, taken through TAF and plan over HTTP. */
  async function caseLedBy(lead: string, level: string | null, key: string) {
    const c = await w.newChild();
    if (level) {
      const res = await w.t.post(trustToken, POST_HEALTH, {
        input: {
          recordId: `pp-${key}`,
          nhsNumber: c.nhsNumber,
          level,
          effectiveDate: '2027-03-01',
          contactType: 'health visitor contact',
          summary: 'Level review',
        },
      });
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    }
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
        r: 'Multi-agency need',
        fsm: w.person.fsm,
        c: 'central',
        lead,
      },
      'screening',
    );
    const ehaId = ref.screenReferral.ehaId as string;
    const taf = await w.ok(w.token.fsm, Q.taf, {
      input: { ...tafInput(w), leadPractitionerId: lead, ehaId, expectedVersion: 1 },
    });
    const today = w.today();
    await w.ok(w.token.fsm, Q.plan, {
      input: planInput(w, ehaId, taf.recordTafMeeting.version, addDaysIso(today, 30), addDaysIso(today, 20)),
    });
    return { childId: c.id, ehaId };
  }

  const drain = () => drainOutbox(worker);

  it('skips every Early Help module record of a health-led Partnership Plus case; the person record is still sent', async () => {
    const k = await caseLedBy(healthLead, 'UNIVERSAL_PARTNERSHIP_PLUS', 'a');
    await drain();
    const rows = await w.t.database.db.select().from(outbox).where(eq(outbox.childId, k.childId));
    const ehm = rows.filter((r) => r.entity !== 'person');
    expect(ehm.map((r) => r.entity).sort()).toEqual(['early_help_episode', 'meeting', 'plan']);
    for (const r of ehm) expect(r).toMatchObject({ status: 'skipped', contentHash: HELD_IN_HUB_MARKER });
    expect(await simRecordsMentioning(sim, k.ehaId)).toEqual([]);
    // The hub holds the case in full.
    const eha = await w.ok(w.token.fsm, Q.eha, { id: k.ehaId });
    expect(eha.eha).toMatchObject({ id: k.ehaId, status: 'plan_in_place' });
    expect(eha.eha.planActions).toHaveLength(2);
  });

  it('sends a health-led case at Universal Plus (not Partnership Plus)', async () => {
    const k = await caseLedBy(healthLead, 'UNIVERSAL_PLUS', 'b');
    await drain();
    const rows = await w.t.database.db.select().from(outbox).where(eq(outbox.childId, k.childId));
    expect(rows.filter((r) => r.entity !== 'person').every((r) => r.status === 'delivered')).toBe(true);
    expect((await simRecordsMentioning(sim, k.ehaId)).length).toBeGreaterThanOrEqual(3);
  });

  it('sends a Partnership Plus case led by another agency (the council)', async () => {
    const k = await caseLedBy(w.person.lead, 'UNIVERSAL_PARTNERSHIP_PLUS', 'c');
    await drain();
    const rows = await w.t.database.db.select().from(outbox).where(eq(outbox.childId, k.childId));
    expect(rows.filter((r) => r.entity !== 'person').every((r) => r.status === 'delivered')).toBe(true);
    expect((await simRecordsMentioning(sim, k.ehaId)).length).toBeGreaterThanOrEqual(3);
  });

  it('follows the current health level: a later step-down to Universal Plus sends the next records', async () => {
    const k = await caseLedBy(healthLead, 'UNIVERSAL_PARTNERSHIP_PLUS', 'd');
    await drain();
    expect(await simRecordsMentioning(sim, k.ehaId)).toEqual([]);
    // The trust moves the child down; the next Early Help change reaches Liquid Logic.
    const [child] = await w.t.database.db
      .select({ nhs: children.nhsNumber })
      .from(children)
      .where(eq(children.id, k.childId));
    const nhs = child!.nhs;
    const res = await w.t.post(trustToken, POST_HEALTH, {
      input: {
        recordId: 'pp-d2',
        nhsNumber: nhs,
        level: 'UNIVERSAL_PLUS',
        effectiveDate: '2027-03-09',
        contactType: 'health visitor contact',
        summary: 'Level review',
      },
    });
    expect(res.errors).toBeUndefined();
    const eha = await w.ok(w.token.fsm, Q.eha, { id: k.ehaId });
    await w.ok(w.token.fsm, Q.review, {
      input: {
        ehaId: k.ehaId,
        expectedVersion: eha.eha.version,
        heldOn: w.today(),
        levelOfNeed: 'early_help',
        circumstancesChanged: false,
        progress: eha.eha.planActions.map((a: { id: string }) => ({
          actionId: a.id,
          status: 'in_progress',
          note: 'Going well',
        })),
        nextReviewDate: addDaysIso(w.today(), 60),
      },
    });
    await drain();
    const rows = (
      await w.t.database.db.select().from(outbox).where(eq(outbox.childId, k.childId)).orderBy(asc(outbox.id))
    ).filter((r) => r.entity !== 'person');
    // Liquid Logic never had this episode: the records held while the rule applied go first, then the review.
    expect(rows.map((r) => [r.entity, r.status])).toEqual([
      ['early_help_episode', 'delivered'],
      ['meeting', 'delivered'],
      ['plan', 'delivered'],
      ['review', 'delivered'],
    ]);
    const sent = await simRecordsMentioning(sim, k.ehaId);
    expect(sent.map((r) => r.path)).toEqual([LL_PATHS.episode, LL_PATHS.meeting, LL_PATHS.plan, LL_PATHS.review]);
  });
});

describe('health opens its own Partnership Plus case: no EH DAS, never in the Early Help module', () => {
  let w: World;
  let sim: LiquidLogicSimulator;
  let worker: OutboxWorker;
  let trust: string;
  let visitor: string;
  let visitorToken: string;
  let trustToken: string;

  beforeAll(async () => {
    ({ w, sim, worker } = await worldWithSync());
    trust = await w.f.org('hl-trust', 'health');
    visitor = await w.f.practitioner(trust, 'hl-health-visitor', 'health_visitor');
    visitorToken = await w.t.token({ role: 'health_visitor', org: trust, sub: 'hl-health-visitor' });
    trustToken = await w.t.token({ role: 'health_system', org: trust, sub: 'hl-trust-epr' });
  });
  afterAll(async () => {
    await sim.close();
    await w.t.close();
  });

  /** A child on the visitor's caseload at `level`, with the family's Early Help consent shared with health. */
  async function caseloadChild(level: string, key: string, onCaseload = true) {
    const c = await w.newChild();
    if (onCaseload) await w.f.involve(c.id, trust, 'caseload');
    const consentId = await w.f.consent(c.id, {
      organisationKinds: ['health', 'council_early_help', 'social_care'],
      categories: ['early_help'],
      purposes: ['direct_support', 'screening', 'service_planning'],
    });
    const res = await w.t.post(trustToken, POST_HEALTH, {
      input: {
        recordId: `hl-${key}`,
        nhsNumber: c.nhsNumber,
        level,
        effectiveDate: '2027-03-01',
        contactType: 'health visitor contact',
        summary: 'Level review',
      },
    });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    await w.t.services.feedInbox.settled();
    return { id: c.id, consentId };
  }
  const open = (token: string, child: { id: string; consentId: string }, extra: Record<string, unknown> = {}) =>
    w.t.post(token, OPEN_HEALTH_LED, {
      child: child.id,
      consent: child.consentId,
      c: 'central',
      fsm: w.person.fsm,
      ...extra,
    });
  const ehasOf = (childId: string) => w.t.database.db.$count(ehas, eq(ehas.childId, childId));

  const drain = () => drainOutbox(worker);

  it('opens the EHA led by the health visitor, with no referral, and sends none of it to the Early Help module', async () => {
    const c = await caseloadChild('UNIVERSAL_PARTNERSHIP_PLUS', 'a');
    const res = await open(visitorToken, c);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const eha = res.data.openHealthLedEha;
    expect(eha).toMatchObject({
      status: 'awaiting_first_taf',
      origin: 'health_partnership_plus',
      leadPractitioner: { id: visitor },
    });
    expect(await w.t.database.db.$count(referrals, eq(referrals.childId, c.id))).toBe(0);
    // The case team works it as any other: the Family Support Manager records the first TAF.
    await w.ok(w.token.fsm, Q.taf, {
      input: { ...tafInput(w), leadPractitionerId: visitor, ehaId: eha.id, expectedVersion: 1 },
    });
    await drain();
    const rows = await w.t.database.db.select().from(outbox).where(eq(outbox.childId, c.id));
    const module = rows.filter((r) => r.entity !== 'person');
    expect(module.map((r) => r.entity).sort()).toEqual(['early_help_episode', 'meeting']);
    for (const r of module) expect(r).toMatchObject({ status: 'skipped', contentHash: HELD_IN_HUB_MARKER });
    expect(await simRecordsMentioning(sim, eha.id)).toEqual([]);
  });

  it('refuses a child below Partnership Plus, naming the child, and opens nothing', async () => {
    const c = await caseloadChild('UNIVERSAL_PLUS', 'b');
    const res = await open(visitorToken, c);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childId' });
    expect(await ehasOf(c.id)).toBe(0);
  });

  it('refuses a child not on the caller’s caseload, another child’s consent, a non-FSM, and a second opening', async () => {
    const notMine = await caseloadChild('UNIVERSAL_PARTNERSHIP_PLUS', 'c', false);
    const noRelationship = await open(visitorToken, notMine);
    expect(noRelationship.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    expect(await ehasOf(notMine.id)).toBe(0);

    const c = await caseloadChild('UNIVERSAL_PARTNERSHIP_PLUS', 'd');
    const wrongConsent = await open(visitorToken, c, { consent: notMine.consentId });
    expect(wrongConsent.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consentId' });
    // newChild's own consent shares Early Help with schools and the council, not with health.
    const [schoolOnly] = await w.t.database.db
      .select({ id: consents.id })
      .from(consents)
      .where(and(eq(consents.childId, c.id), not(arrayContains(consents.organisationKinds, ['health']))));
    const notHealth = await open(visitorToken, c, { consent: schoolOnly!.id });
    expect(notHealth.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consentId' });
    const notFsm = await open(visitorToken, c, { fsm: w.person.lead });
    expect(notFsm.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'familySupportManagerId' });
    expect(await ehasOf(c.id)).toBe(0);

    expect((await open(visitorToken, c)).errors).toBeUndefined();
    const again = await open(visitorToken, c);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'childId' });
    expect(await ehasOf(c.id)).toBe(1);
  });

  it('takes a consent that names the lead’s own trust instead of every health organisation', async () => {
    const c = await caseloadChild('UNIVERSAL_PARTNERSHIP_PLUS', 'f');
    const named = await w.f.consent(c.id, {
      organisationIds: [trust],
      categories: ['early_help'],
      purposes: ['direct_support'],
    });
    const res = await open(visitorToken, c, { consent: named });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data.openHealthLedEha.origin).toBe('health_partnership_plus');
  });

  it('is health’s path only: a school’s DSL and the trust’s system account are refused', async () => {
    const c = await caseloadChild('UNIVERSAL_PARTNERSHIP_PLUS', 'e');
    for (const token of [w.token.school, trustToken]) {
      const res = await open(token, c);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await ehasOf(c.id)).toBe(0);
  });
});

async function simRecordsMentioning(sim: LiquidLogicSimulator, id: string): Promise<{ path: string }[]> {
  const res = await fetch(`${sim.adminUrl}/admin/records`);
  const { records } = (await res.json()) as { records: { path: string; body: unknown }[] };
  return records.filter((r) => JSON.stringify(r.body).includes(id));
}

/** A workflow world with a real outbox worker delivering to the Liquid Logic simulator over HTTP. */
async function worldWithSync(): Promise<{ w: World; sim: LiquidLogicSimulator; worker: OutboxWorker }> {
  const w = await buildWorld();
  const sim = await startLiquidLogicSimulator();
  const worker = new OutboxWorker({
    db: w.t.database.db,
    adapter: new HttpCaseRecordAdapter({ baseUrl: sim.url, timeoutMs: 5000 }),
    clock: w.clock,
    baseBackoffMs: 1,
    maxBackoffMs: 2,
  });
  return { w, sim, worker };
}

async function drainOutbox(worker: OutboxWorker): Promise<void> {
  for (let i = 0; i < 20; i++) if ((await worker.runOnce()).claimed === 0) return;
}
