/**
 * What Liquid Logic says is never dropped, and acts on the case: a change about a person the hub
 * does not know yet is parked and applied when the person appears (or goes to the review queue
 * after its deadline); social care taking the lead closes the open EHA as stepped up, and a CIN
 * episode flags it to its lead practitioner and family support manager. Over HTTP: the
 * simulator's signed webhook into a running hub, syncStatus as the admin sees it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { caseEvents, children, ehas, outbox, socialCareStatuses, syncParkedMessages } from '../schema';
import { LL_PATHS } from '../adapters/liquid-logic/http-adapter';
import { hubPersonId } from '../adapters/liquid-logic/mapping';
import { fixedClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';
import { InboundService } from '../src/sync/inbound.service';
import { SyncService } from '../src/sync/sync.service';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestHub, type TestHub } from './support/hub';
import { startSyncRig, type SyncRig } from './liquid-logic.support';

const SECRET = 'test-liquid-logic-webhook-secret';
let database: TestDatabase;
let t: TestHub;
let rig: SyncRig;
let adminToken: string;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await startTestHub({ database, liquidLogicWebhookSecret: SECRET });
});
afterAll(async () => {
  await t.close();
  await database.destroy();
});
beforeEach(async () => {
  await database.db.delete(outbox);
  await database.db.delete(syncParkedMessages);
  rig = await startSyncRig(database); // a fresh Liquid Logic: its first person will be LL0000001
  await rig.admin.webhook(t.url.replace(/\/graphql$/, '/adapters/liquid-logic/webhook'), SECRET);
  const org = (await rig.db.execute('select id from organisations limit 1' as never)) as any;
  adminToken = await t.token({ role: 'admin', org: (Array.isArray(org) ? org : org.rows)[0].id as string });
});
afterEach(async () => {
  await rig.close();
});

async function llPersonId(childId: string): Promise<string> {
  const [row] = await rig.db
    .select({ id: children.liquidLogicPersonId })
    .from(children)
    .where(eq(children.id, childId));
  return row!.id!;
}

const STATUS = '{ syncStatus { parkedInbound inboundForReview pending deadLettered } }';
const cpPlan = (id: string, personId: string) => ({
  id,
  type: 'cp_plan',
  record: {
    cppl_cp_plan_id: `CP-${id}`,
    cppl_person_id: personId,
    cppl_cp_plan_start_date: '2026-03-01',
    cppl_cp_plan_end_date: null,
  },
});

describe('a change about a person the hub does not know yet', () => {
  it('is parked (not dropped), survives redelivery, and is applied when Liquid Logic gives the person its id — closing the EHA as stepped up', async () => {
    const sent = await rig.admin.emit(cpPlan('early-cp', 'LL0000001'));
    expect(sent.webhookStatus).toBe(200);
    expect(
      await rig.db.select().from(socialCareStatuses).where(eq(socialCareStatuses.remoteEpisodeId, 'CP-early-cp')),
    ).toHaveLength(0);
    expect((await t.post(adminToken, STATUS)).data.syncStatus).toMatchObject({ parkedInbound: 1, inboundForReview: 0 });
    // The poll reads it again: recognised, still parked once.
    const worker = rig.worker({ inbound: t.services.inbound });
    await worker.pollChanges();
    expect(await rig.db.select().from(syncParkedMessages)).toHaveLength(1);

    // The person appears: registered, its case sent, and Liquid Logic names it LL0000001.
    const { childId, ehaId } = await rig.makeCase(0);
    await rig.drain([worker]);
    const [status] = await rig.db
      .select()
      .from(socialCareStatuses)
      .where(eq(socialCareStatuses.remoteEpisodeId, 'CP-early-cp'));
    expect(status).toMatchObject({ childId, kind: 'cp_plan', status: 'open' });
    expect((await t.post(adminToken, STATUS)).data.syncStatus).toMatchObject({ parkedInbound: 0, inboundForReview: 0 });

    // Social care now leads: the EHA is closed as stepped up, flagged first, and Liquid Logic hears of the closure.
    const [eha] = await rig.db.select().from(ehas).where(eq(ehas.id, ehaId));
    expect(eha).toMatchObject({ status: 'closed', closureOutcome: 'stepped_up_to_social_care' });
    const kinds = (
      await rig.db.select().from(caseEvents).where(eq(caseEvents.childId, childId)).orderBy(caseEvents.seq)
    ).map((e) => e.kind);
    expect(kinds.slice(-3)).toEqual(['social_care_changed', 'eha_flagged', 'eha_closed']);
    await rig.drain([worker]);
    const episodes = (await rig.admin.records()).filter((r) => r.path === LL_PATHS.episode);
    expect(episodes.at(-1)!.body.episode).toMatchObject({ earl_episode_id: ehaId, earl_episode_end_reason: 'STEP_UP' });
  });

  it("naming the hub's own 20-character id (sent before Liquid Logic numbered the person) is applied to that child", async () => {
    const { childId } = await rig.makeChild();
    const [child] = await rig.db
      .select({ number: children.ssdPersonNumber })
      .from(children)
      .where(eq(children.id, childId));
    const res = await rig.admin.emit({
      type: 'cin_episode',
      record: {
        cine_referral_id: 'CIN-short',
        cine_person_id: hubPersonId(child!.number),
        cine_referral_date: '2026-02-01',
        cine_close_date: null,
        cine_close_reason: null,
      },
    });
    expect(res.webhookStatus).toBe(200);
    const [status] = await rig.db
      .select()
      .from(socialCareStatuses)
      .where(eq(socialCareStatuses.remoteEpisodeId, 'CIN-short'));
    expect(status).toMatchObject({ childId, kind: 'cin', status: 'open' });
    // The earlier short form (EHH + 17 hex digits of the UUID) still names the same child.
    const legacy = `EHH${childId.replace(/-/g, '').slice(0, 17).toUpperCase()}`;
    const again = await rig.admin.emit({
      type: 'cin_episode',
      record: {
        cine_referral_id: 'CIN-legacy',
        cine_person_id: legacy,
        cine_referral_date: '2026-02-02',
        cine_close_date: null,
        cine_close_reason: null,
      },
    });
    expect(again.webhookStatus).toBe(200);
    const [old] = await rig.db
      .select()
      .from(socialCareStatuses)
      .where(eq(socialCareStatuses.remoteEpisodeId, 'CIN-legacy'));
    expect(old).toMatchObject({ childId, kind: 'cin' });
  });

  it('waits until its deadline, then goes to the review queue (never applied to a guessed person)', async () => {
    const clock = fixedClock('2026-03-01T10:00:00Z');
    const inbound = new InboundService({
      db: rig.db,
      clock,
      logger: silentLogger,
      children: rig.children,
      parkTimeoutMs: 3_600_000,
    });
    const change = inbound.parse(cpPlan('nobody-cp', 'LL7654321'));
    expect(await inbound.apply(change, 'webhook')).toBe('parked');
    expect(await inbound.apply(change, 'poll')).toBe('duplicate');
    expect(await inbound.releaseParked()).toEqual({ applied: 0, toReview: 0 });
    clock.set('2026-03-01T11:00:01Z');
    expect(await inbound.releaseParked()).toEqual({ applied: 0, toReview: 1 });
    const status = await new SyncService({ db: rig.db, clock }).status();
    expect(status).toMatchObject({ parkedInbound: 0, inboundForReview: 1 });
    expect(
      await rig.db.select().from(socialCareStatuses).where(eq(socialCareStatuses.remoteEpisodeId, 'CP-nobody-cp')),
    ).toHaveLength(0);
  });
});

describe('social care status acts on the case as the protocol says', () => {
  it('a CIN episode flags the open EHA to its lead practitioner and family support manager and leaves it open', async () => {
    const { childId, ehaId } = await rig.makeCase(0);
    await rig.caseStep(childId, ehaId, 'taf', { lead: true }); // a lead practitioner is named
    await rig.drain([rig.worker()]);
    const [before] = await rig.db.select().from(ehas).where(eq(ehas.id, ehaId));
    const personId = await llPersonId(childId);
    const res = await rig.admin.emit({
      type: 'cin_episode',
      record: {
        cine_referral_id: 'CIN-flag',
        cine_person_id: personId,
        cine_referral_date: '2026-02-01',
        cine_close_date: null,
        cine_close_reason: null,
      },
    });
    expect(res.webhookStatus).toBe(200);
    const [after] = await rig.db.select().from(ehas).where(eq(ehas.id, ehaId));
    expect(after).toMatchObject({ status: before!.status, closedOn: null });
    const [flag] = await rig.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'eha_flagged')));
    expect(flag!.refs).toEqual({
      ehaId,
      socialCareKind: 'cin',
      familySupportManagerId: rig.fsmId,
      leadPractitionerId: rig.leadId,
    });
    expect(flag!.cluster).toBe('central'); // on the cluster's dashboards too
    expect(flag!.categories).toEqual(['early_help', 'social_care']);
  });

  it('a looked-after episode closes the open EHA as stepped up; a closed episode changes nothing more', async () => {
    const { childId, ehaId } = await rig.makeCase(0);
    await rig.drain([rig.worker()]);
    const personId = await llPersonId(childId);
    await rig.admin.emit({
      type: 'cla_episode',
      record: {
        clae_cla_episode_id: 'CLA-lead',
        clae_person_id: personId,
        clae_cla_episode_start_date: '2026-03-10',
        clae_cla_episode_ceased_date: null,
        clae_cla_episode_ceased_reason: null,
      },
    });
    const [eha] = await rig.db.select().from(ehas).where(eq(ehas.id, ehaId));
    expect(eha).toMatchObject({ status: 'closed', closureOutcome: 'stepped_up_to_social_care' });
    await rig.admin.emit({
      type: 'cla_episode',
      record: {
        clae_cla_episode_id: 'CLA-lead',
        clae_person_id: personId,
        clae_cla_episode_start_date: '2026-03-10',
        clae_cla_episode_ceased_date: '2026-05-01',
        clae_cla_episode_ceased_reason: 'E11',
      },
    });
    const closures = await rig.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'eha_closed')));
    expect(closures).toHaveLength(1);
  });
});
