/**
 * Liquid Logic → hub: signed webhook (401 on a bad signature or a stale timestamp, replay-safe),
 * the poll fallback, person merges; and hub → Liquid Logic change detection by content hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { caseEvents, children, involvements, outbox, socialCareStatuses } from '../schema';
import { signWebhook } from '../adapters/liquid-logic/webhook-signature';
import { recordCaseEvent } from '../src/events/case-events';
import { readCursor } from '../src/outbox/outbox.repo';
import { CHANGES_CURSOR } from '../src/outbox/worker';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { ACTOR, startSyncRig, type SyncRig } from './liquid-logic.support';

const SECRET = 'test-liquid-logic-webhook-secret';
let database: TestDatabase;
let t: TestHub;
let rig: SyncRig;
let webhookUrl: string;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await startTestHub({ database, liquidLogicWebhookSecret: SECRET });
  rig = await startSyncRig(database);
  webhookUrl = t.url.replace(/\/graphql$/, '/adapters/liquid-logic/webhook');
  await rig.admin.webhook(webhookUrl, SECRET);
});
afterAll(async () => {
  await rig.close();
  await t.close();
  await database.destroy();
});

/** A child Liquid Logic knows: registered in the hub and delivered, so it has an LL person id. */
async function knownChild(withEha = true): Promise<{ childId: string; llId: string }> {
  const childId = withEha ? (await rig.makeCase(0)).childId : (await rig.makeChild()).childId;
  await rig.drain([rig.worker()]);
  const [row] = await rig.db.select().from(children).where(eq(children.id, childId));
  expect(row!.liquidLogicPersonId).toMatch(/^LL\d+$/);
  return { childId, llId: row!.liquidLogicPersonId! };
}

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

function signed(body: string, timestamp = Math.floor(Date.now() / 1000)) {
  return { 'x-ll-signature': signWebhook(SECRET, timestamp, body), 'x-ll-timestamp': String(timestamp) };
}

describe('Liquid Logic inbound', () => {
  it('a CIN episode opened and closed in Liquid Logic updates the child’s social care status and emits case events (webhook)', async () => {
    const { childId, llId } = await knownChild();
    const outboxBefore = (await rig.db.select().from(outbox)).length;
    const opened = await rig.admin.emit({
      type: 'cin_episode',
      record: {
        cine_referral_id: 'CIN-1',
        cine_person_id: llId,
        cine_referral_date: '2026-02-01',
        cine_close_date: null,
        cine_close_reason: null,
      },
    });
    expect(opened.webhookStatus).toBe(200);
    let [status] = await rig.db.select().from(socialCareStatuses).where(eq(socialCareStatuses.childId, childId));
    expect(status).toMatchObject({
      kind: 'cin',
      remoteEpisodeId: 'CIN-1',
      status: 'open',
      startedOn: '2026-02-01',
      endedOn: null,
    });
    await rig.admin.emit({
      type: 'cin_episode',
      record: {
        cine_referral_id: 'CIN-1',
        cine_person_id: llId,
        cine_referral_date: '2026-02-01',
        cine_close_date: '2026-04-30',
        cine_close_reason: 'RC8',
      },
    });
    [status] = await rig.db.select().from(socialCareStatuses).where(eq(socialCareStatuses.childId, childId));
    expect(status).toMatchObject({ status: 'closed', endedOn: '2026-04-30', endReason: 'RC8' });
    const events = await rig.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'social_care_changed')));
    expect(events).toHaveLength(2);
    expect(events[0]!.categories).toEqual(['social_care']);
    // What Liquid Logic told us is not echoed back to it.
    expect((await rig.db.select().from(outbox)).length).toBe(outboxBefore);
    // The allocated social worker reads it on the child, under the social_care category.
    const f = fixture(t.database.db);
    const socialCare = await f.org('social-care-inbound', 'social_care');
    const worker = await f.practitioner(socialCare, 'sw-inbound', 'social_worker');
    await f.involve(childId, socialCare, 'allocated_social_worker', { practitionerId: worker });
    const read = await t.post(
      await t.token({ role: 'social_worker', org: socialCare, sub: 'sw-inbound' }),
      'query ($id: ID) { child(id: $id) { socialCareEpisodes { kind status startedOn endedOn endReason } } }',
      { id: childId },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data.child.socialCareEpisodes).toEqual([
      { kind: 'cin', status: 'closed', startedOn: '2026-02-01', endedOn: '2026-04-30', endReason: 'RC8' },
    ]);
  });

  it('refuses a bad signature, a missing one and a stale timestamp with 401; a replayed message changes nothing', async () => {
    const { llId } = await knownChild();
    const body = JSON.stringify({
      id: 'msg-replay-1',
      type: 'cp_plan',
      occurredAt: new Date().toISOString(),
      record: {
        cppl_cp_plan_id: 'CP-9',
        cppl_person_id: llId,
        cppl_cp_plan_start_date: '2026-03-01',
        cppl_cp_plan_end_date: null,
      },
    });
    expect(
      (
        await post(body, {
          'x-ll-signature': `sha256=${'0'.repeat(64)}`,
          'x-ll-timestamp': String(Math.floor(Date.now() / 1000)),
        })
      ).status,
    ).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    const stale = await post(body, signed(body, Math.floor(Date.now() / 1000) - 3600));
    expect(stale).toEqual({ status: 401, body: { code: 'stale' } });
    // Tampered body under a good signature of another body.
    expect((await post(body.replace('CP-9', 'CP-8'), signed(body))).status).toBe(401);
    expect(
      await rig.db.select().from(socialCareStatuses).where(eq(socialCareStatuses.remoteEpisodeId, 'CP-9')),
    ).toHaveLength(0);
    expect(await post(body, signed(body))).toEqual({ status: 200, body: { outcome: 'applied' } });
    expect(await post(body, signed(body))).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    const events = await rig.db.select().from(caseEvents).where(eq(caseEvents.kind, 'social_care_changed'));
    expect(events.filter((e) => (e.refs as any).socialCareKind === 'cp_plan')).toHaveLength(1);
    const bad = JSON.stringify({ id: 'msg-bad', type: 'cp_plan', record: { cppl_person_id: llId } });
    expect(await post(bad, signed(bad))).toEqual({
      status: 400,
      body: { code: 'bad_message', field: 'record.cppl_cp_plan_id' },
    });
  });

  it('falls back to polling the changes feed when the webhook does not arrive', async () => {
    const { childId, llId } = await knownChild();
    await rig.admin.webhook(null);
    try {
      await rig.admin.emit({
        type: 'cla_episode',
        record: {
          clae_cla_episode_id: 'CLA-1',
          clae_person_id: llId,
          clae_cla_episode_start_date: '2026-03-10',
          clae_cla_episode_ceased_date: null,
          clae_cla_episode_ceased_reason: null,
        },
      });
      expect(
        await rig.db.select().from(socialCareStatuses).where(eq(socialCareStatuses.remoteEpisodeId, 'CLA-1')),
      ).toHaveLength(0);
      const worker = rig.worker({ inbound: t.services.inbound });
      expect(await worker.pollChanges()).toBeGreaterThan(0);
      const [row] = await rig.db
        .select()
        .from(socialCareStatuses)
        .where(eq(socialCareStatuses.remoteEpisodeId, 'CLA-1'));
      expect(row).toMatchObject({ childId, kind: 'looked_after', status: 'open' });
      const cursor = await readCursor(rig.db, CHANGES_CURSOR);
      expect(cursor).not.toBeNull();
      expect(await worker.pollChanges()).toBe(0); // the cursor moved on
      // Changes the webhook already delivered and the poll reads again are recognised as duplicates.
      const events = await rig.db
        .select()
        .from(caseEvents)
        .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'social_care_changed')));
      expect(events).toHaveLength(1);
    } finally {
      await rig.admin.webhook(webhookUrl, SECRET);
    }
  });

  it("a social worker's allocation in Liquid Logic is the child's relationship with social care: started, ended, refused for an unknown worker", async () => {
    const { childId, llId } = await knownChild(false);
    const f = fixture(t.database.db);
    const socialCare = await f.org('social-care-allocation', 'social_care');
    await f.practitioner(socialCare, 'sw-allocated', 'social_worker');
    const token = await t.token({ role: 'social_worker', org: socialCare, sub: 'sw-allocated' });
    const readAddress = () =>
      t.post(token, 'query ($id: ID) { child(id: $id) { familyName } }', { id: childId }, 'direct_support');
    const allocation = (id: string, staffId: string, ended: string | null) => {
      const body = JSON.stringify({
        id,
        type: 'allocation',
        occurredAt: new Date().toISOString(),
        record: {
          invo_involvements_id: 'INVO-7',
          invo_person_id: llId,
          invo_professional_staff_id: staffId,
          invo_involvement_start_date: '2026-01-05',
          invo_involvement_end_date: ended,
        },
      });
      return post(body, signed(body));
    };
    const allocations = () =>
      rig.db
        .select()
        .from(involvements)
        .where(and(eq(involvements.childId, childId), eq(involvements.kind, 'allocated_social_worker')));

    // Before Liquid Logic allocates, the worker has no relationship with the child.
    expect((await readAddress()).errors?.[0]?.extensions?.code).toBeDefined();

    // A worker the hub does not know: refused whole (Liquid Logic retries), nothing recorded.
    expect(await allocation('alloc-unknown', 'sw-nobody', null)).toEqual({
      status: 400,
      body: { code: 'bad_message', field: 'record.invo_professional_staff_id' },
    });
    expect(await allocations()).toHaveLength(0);

    expect(await allocation('alloc-start', 'sw-allocated', null)).toEqual({
      status: 200,
      body: { outcome: 'applied' },
    });
    // The same allocation told again under a new message id records nothing new.
    expect(await allocation('alloc-start-again', 'sw-allocated', null)).toEqual({
      status: 200,
      body: { outcome: 'applied' },
    });
    let rows = await allocations();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      organisationId: socialCare,
      startedOn: '2026-01-05',
      endedOn: null,
      source: 'liquid_logic',
      assertedBySubject: expect.stringMatching(/liquid/i),
    });
    const read = await readAddress();
    expect(read.errors).toBeUndefined();
    expect(read.data.child.familyName).toEqual(expect.any(String));

    expect(await allocation('alloc-end', 'sw-allocated', '2026-02-01')).toEqual({
      status: 200,
      body: { outcome: 'applied' },
    });
    rows = await allocations();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.endedOn).toBe('2026-02-01');
    expect((await readAddress()).errors?.[0]?.extensions?.code).toBeDefined();
    const events = await rig.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'social_care_changed')));
    expect(events.map((e) => e.refs)).toEqual([
      expect.objectContaining({ status: 'allocated' }),
      expect.objectContaining({ status: 'ended' }),
    ]);
  });

  it('a person merge made in Liquid Logic merges the two hub records, without echoing it back', async () => {
    const a = await knownChild(false);
    const b = await knownChild(false);
    const before = (await rig.db.select().from(outbox)).length;
    const res = await rig.admin.emit({ type: 'person_merge', fromPersonId: a.llId, intoPersonId: b.llId });
    expect(res.webhookStatus).toBe(200);
    const [from] = await rig.db.select().from(children).where(eq(children.id, a.childId));
    expect(from!.mergedInto).toBe(b.childId);
    const merged = await rig.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, b.childId), eq(caseEvents.kind, 'child_merged')));
    expect(merged).toHaveLength(1);
    expect((await rig.db.select().from(outbox)).length).toBe(before);
  });

  it('a merge the hub cannot apply (both records hold an open EHA) is acknowledged as needs_review and changes nothing', async () => {
    const a = await knownChild(true);
    const b = await knownChild(true);
    const body = JSON.stringify({
      id: 'merge-conflict-1',
      type: 'person_merge',
      occurredAt: new Date().toISOString(),
      fromPersonId: a.llId,
      intoPersonId: b.llId,
    });
    expect(await post(body, signed(body))).toEqual({ status: 200, body: { outcome: 'needs_review' } });
    const [from] = await rig.db.select().from(children).where(eq(children.id, a.childId));
    expect(from!.mergedInto).toBeNull();
  });
});

describe('change detection by content hash', () => {
  it('an unchanged record is not sent again; a changed one is', async () => {
    const { childId } = await knownChild();
    const held = (await rig.admin.records()).length;
    const touch = () =>
      rig.db.transaction((tx) =>
        recordCaseEvent(tx, {
          childId,
          kind: 'child_registered',
          categories: ['identity'],
          changedFields: ['registered'],
          refs: { childId },
          actor: ACTOR,
          at: new Date(),
        }),
      );
    await touch();
    await rig.drain([rig.worker()]);
    expect((await rig.admin.records()).length).toBe(held);
    const [skipped] = await rig.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.childId, childId), eq(outbox.status, 'skipped')));
    expect(skipped).toBeDefined();
    await rig.db.update(children).set({ postcode: 'LE2 2BB' }).where(eq(children.id, childId));
    await touch();
    await rig.drain([rig.worker()]);
    const records = await rig.admin.records();
    expect(records.length).toBe(held + 1);
    expect(records.at(-1)!.body.address.addr_address_postcode).toBe('LE22BB');
    // Counted: every row is either held by the simulator exactly once or skipped as unchanged.
    const rows = await rig.db.select().from(outbox);
    const keys = new Set(records.map((r) => r.idempotencyKey));
    expect(rows.filter((r) => r.status === 'delivered').every((r) => keys.has(r.deliveryKey!))).toBe(true);
    expect(rows.filter((r) => r.status === 'skipped').some((r) => r.deliveryKey !== null)).toBe(false);
    expect(rows.filter((r) => r.status === 'delivered').length).toBe(records.length);
  });
});
