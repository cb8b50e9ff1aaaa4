/**
 * The feed inbox: a health update or police incident is answered on receipt and applied after it.
 * Nothing received is lost when the hub stops between the two (the next start's sweep applies
 * it), and nothing is applied twice when two processors (two hubs on one database) sweep at once.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedSubmissions, healthUpdates, pendingMatches, policeIncidents, policeNotifications } from '../schema';
import { FeedInbox } from '../src/feeds/feed-inbox';
import { FeedsService } from '../src/feeds/feeds.service';
import { contextFor } from '../src/gateway/authenticate';
import { silentLogger } from '../src/shared/logger';
import { syntheticNhsNumber } from '../seeds/synthetic';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const HEALTH = `mutation ($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { status receiptId } }`;
const POLICE = `mutation ($input: NotifyPoliceIncidentInput!) { notifyPoliceIncident(input: $input) { status receiptId } }`;

describe('feed inbox: received once, applied once', () => {
  let t: TestHub;
  let f: Fixture;
  let trust: string;
  let trustToken: string;
  let policeToken: string;
  let policeOrg: string;
  let child: { id: string; nhsNumber: string };

  const health = (recordId: string, nhsNumber = child.nhsNumber) => ({
    recordId,
    nhsNumber,
    level: 'UNIVERSAL',
    effectiveDate: '2026-01-10',
    contactType: 'clinic',
    summary: 'Synthetic contact',
  });
  const incident = (policeReference: string) => ({
    policeReference,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    location: 'Synthetic',
    circumstances: 'Synthetic',
    children: [{ nhsNumber: child.nhsNumber, present: true }],
  });
  const inboxed = () => t.database.db.$count(feedSubmissions, isNotNull(feedSubmissions.inbox));
  const updatesOf = (recordId: string) =>
    t.database.db.$count(healthUpdates, and(eq(healthUpdates.childId, child.id), eq(healthUpdates.recordId, recordId)));
  /** Another hub's processor on the same database (its own feeds registering their handlers). */
  const anotherProcessor = () => {
    const inbox = new FeedInbox({
      db: t.database.db,
      audit: t.services.audit,
      logger: silentLogger,
      identifierKey: t.services.auditIdentifierKey,
    });
    new FeedsService({ db: t.database.db, clock: t.services.clock, children: t.services.children, inbox });
    return inbox;
  };

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    trust = await f.org('trust', 'health');
    await f.org('council', 'council_early_help');
    const police = await f.org('force', 'police');
    policeOrg = police;
    child = await f.child();
    trustToken = await t.token({ role: 'health_system', org: trust, sub: 'trust-epr' });
    policeToken = await t.token({ role: 'police_system', org: police, sub: 'force-gateway' });
  });
  afterAll(() => t.close());

  it('answers RECEIVED with nothing applied yet; after a stop, the next sweep applies each submission exactly once, with two processors racing', async () => {
    // The hub stops (a crash, a deploy) after answering and before applying.
    await t.services.feedInbox.stop();
    const refs = ['inbox-1', 'inbox-2', 'inbox-3', 'inbox-4'];
    for (const ref of refs) {
      const res = await t.post(trustToken, HEALTH, { input: health(ref) });
      expect(res.data.postHealthUpdate).toMatchObject({ status: 'RECEIVED' });
    }
    const unknown = await t.post(trustToken, HEALTH, { input: health('inbox-unknown', syntheticNhsNumber(934_561)) });
    expect(unknown.data.postHealthUpdate).toMatchObject({ status: 'RECEIVED' });
    const police = await t.post(policeToken, POLICE, { input: incident('OE-inbox-1') });
    expect(police.data.notifyPoliceIncident).toMatchObject({ status: 'RECEIVED' });
    expect(await inboxed()).toBe(6);
    for (const ref of refs) expect(await updatesOf(ref)).toBe(0);
    expect(await t.database.db.$count(policeIncidents)).toBe(0);
    // A retry while it waits is the same receipt, and does not add a second inbox entry.
    const retry = await t.post(trustToken, HEALTH, { input: health('inbox-1') });
    expect(retry.errors).toBeUndefined();
    expect(await inboxed()).toBe(6);

    // Restarted, alongside another hub: both sweep at once.
    const other = anotherProcessor();
    t.services.feedInbox.start(60_000);
    await Promise.all([t.services.feedInbox.drain(), other.drain(), other.drain()]);
    await t.services.feedInbox.settled();
    expect(await inboxed()).toBe(0);
    for (const ref of refs) expect(await updatesOf(ref)).toBe(1);
    const held = await t.database.db
      .select()
      .from(pendingMatches)
      .where(eq(pendingMatches.submissionId, unknown.data.postHealthUpdate.receiptId));
    expect(held).toHaveLength(1);
    expect(await t.database.db.$count(policeIncidents)).toBe(1);
    expect(await t.database.db.$count(policeNotifications, eq(policeNotifications.childId, child.id))).toBe(1);

    // Swept again: nothing is left to apply, and nothing is applied twice.
    await Promise.all([t.services.feedInbox.drain(), other.drain()]);
    for (const ref of refs) expect(await updatesOf(ref)).toBe(1);
    expect(await t.database.db.$count(pendingMatches)).toBe(1);
    expect(await t.database.db.$count(policeIncidents)).toBe(1);
    await other.stop();
  });

  it('leaves a submission whose apply step failed in the inbox, rolled back, for the next sweep', async () => {
    await t.services.feedInbox.stop();
    const res = await t.post(trustToken, HEALTH, { input: health('inbox-failing') });
    const failing = anotherProcessor();
    failing.handle('health', async (work) => {
      await work.tx.insert(healthUpdates).values({
        childId: child.id,
        organisationId: trust,
        recordId: 'inbox-failing',
        level: 'UNIVERSAL',
        effectiveDate: '2026-01-10',
        contactType: 'clinic',
        summary: 'partial',
        receivedAt: work.at,
      });
      throw new Error('apply failed (test)');
    });
    await failing.drain();
    expect(await updatesOf('inbox-failing')).toBe(0);
    expect(await inboxed()).toBe(1);
    t.services.feedInbox.start(60_000);
    await t.services.feedInbox.settled();
    expect(await updatesOf('inbox-failing')).toBe(1);
    expect(await inboxed()).toBe(0);
    expect(res.data.postHealthUpdate.status).toBe('RECEIVED');
  });

  it('leaves a submission alone while its request answers, whoever drains: the work on a known child never delays the answer', async () => {
    // The hub's own processor stays out of it; this one holds each submission for a minute after its answer.
    await t.services.feedInbox.stop();
    const holding = new FeedInbox({
      db: t.database.db,
      audit: t.services.audit,
      logger: silentLogger,
      identifierKey: t.services.auditIdentifierKey,
      answerHoldMs: 60_000,
    });
    const feeds = new FeedsService({
      db: t.database.db,
      clock: t.services.clock,
      children: t.services.children,
      inbox: holding,
    });
    const caller = {
      subject: 'force-gateway',
      organisationId: policeOrg,
      role: 'police_system' as const,
      clientId: null,
      issuer: 'test',
    };
    const before = await t.database.db.$count(policeIncidents);
    const receipt = await feeds.police.notify(
      incident('OE-held-1'),
      caller,
      contextFor(t.services, caller, null).audit,
    );
    expect(receipt.status).toBe('RECEIVED');
    // Another request's timer, or the sweep, drains now: this submission is still answering.
    await holding.drain();
    expect(await t.database.db.$count(policeIncidents)).toBe(before);
    expect(await inboxed()).toBe(1);
    // Between requests (as tests wait for a post's effect), everything received is applied.
    await holding.settled();
    expect(await t.database.db.$count(policeIncidents)).toBe(before + 1);
    expect(await inboxed()).toBe(0);
    await holding.stop();
    t.services.feedInbox.start(60_000);
  });

  it('applies a burst of submissions by themselves once their holds end, with no other request to start a drain', async () => {
    await t.services.feedInbox.stop();
    const holding = new FeedInbox({
      db: t.database.db,
      audit: t.services.audit,
      logger: silentLogger,
      identifierKey: t.services.auditIdentifierKey,
      answerHoldMs: 50,
    });
    const feeds = new FeedsService({
      db: t.database.db,
      clock: t.services.clock,
      children: t.services.children,
      inbox: holding,
    });
    const caller = {
      subject: 'force-gateway',
      organisationId: policeOrg,
      role: 'police_system' as const,
      clientId: null,
      issuer: 'test',
    };
    const before = await t.database.db.$count(policeIncidents);
    // One timer serves the burst: its drain passes by the posts still held and comes back for them.
    for (const n of [2, 3, 4])
      await feeds.police.notify(incident(`OE-held-${n}`), caller, contextFor(t.services, caller, null).audit);
    const deadline = Date.now() + 20_000;
    while ((await inboxed()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await inboxed()).toBe(0);
    expect(await t.database.db.$count(policeIncidents)).toBe(before + 3);
    await holding.stop();
    t.services.feedInbox.start(60_000);
  });

  it('keeps the payload only until the submission is applied', async () => {
    const res = await t.post(trustToken, HEALTH, { input: health('inbox-cleared') });
    const [row] = await t.database.db
      .select()
      .from(feedSubmissions)
      .where(eq(feedSubmissions.id, res.data.postHealthUpdate.receiptId));
    expect(row!.inbox).toBeNull();
    expect(await updatesOf('inbox-cleared')).toBe(1);
  });
});
