/**
 * Notify-on-access pushed over a real WebSocket: a view of the child by an organisation outside
 * the team around the family reaches, on caseChanged, the lead practitioner, the open EHA's family
 * support manager and the DPO — organisation, role, purpose, time and categories, never the
 * viewer's name — and nobody else: not the school that looked (it relates to the child), not an
 * unrelated organisation, not a TAF member. A TAF member's own view is announced to no one.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, caseEvents, outbox } from '../schema';
import type { Db } from '../src/db';
import { recordCaseEvent } from '../src/events/case-events';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { subscribe, until, type LiveSubscription, type WsResult } from './support/ws-client';

const LOOK = 'query ($id: ID) { child(id: $id) { id givenName } }';
const CASE_CHANGED = `subscription {
  caseChanged { id childId kind occurredAt categories refs { name id }
    access { organisationId organisationName organisationKind callerRole purpose occurredAt categories }
    child { id givenName } }
}`;

/** A change the subscriber may read, recorded after the views: once it arrives, every earlier event was decided. */
async function control(db: Db, childId: string): Promise<string> {
  const row = await db.transaction((tx) =>
    recordCaseEvent(tx, {
      childId,
      kind: 'child_registered',
      categories: ['identity'],
      changedFields: ['givenName'],
      actor: { subject: 'test-actor', organisationId: '00000000-0000-4000-8000-000000000000' },
      at: new Date(),
    }),
  );
  return String(row.seq);
}

const accessNotices = (sub: LiveSubscription) =>
  sub.results.filter(
    (r: WsResult) => r.data?.caseChanged?.kind === 'accessed_by_others' || r.data?.caseChanged?.access,
  );

describe('notify on access, pushed on caseChanged', () => {
  let t: TestHub;
  let db: Db;
  let childId: string;
  let otherPupil: string;
  const org: Record<string, string> = {};
  const token: Record<string, string> = {};
  const subs: Record<string, LiveSubscription> = {};

  async function live(who: string, purpose = 'direct_support'): Promise<LiveSubscription> {
    const before = t.hub.subscriptions!.subscribers;
    const sub = subscribe(t.url, { token: token[who]!, purpose }, CASE_CHANGED);
    subs[who] = sub;
    await until(() => t.hub.subscriptions!.subscribers > before, 10_000, `${who}'s subscription to be active`);
    return sub;
  }

  beforeAll(async () => {
    t = await startTestHub();
    db = t.database.db;
    const f = fixture(db);
    org.council = await f.org('early-help', 'council_early_help');
    org.health = await f.org('health', 'health');
    org.school = await f.org('school', 'school');
    org.unrelated = await f.org('other-school', 'school');
    org.dpo = await f.org('dpo-office', 'council_early_help');
    const lead = await f.practitioner(org.council, 'lead-1', 'lead_practitioner');
    const fsm = await f.practitioner(org.council, 'fsm-1', 'family_support_manager');
    const nurse = await f.practitioner(org.health, 'nurse-1', 'school_nurse');
    childId = (await f.child()).id;
    otherPupil = (await f.child()).id;
    await f.involve(childId, org.council, 'lead_practitioner', { practitionerId: lead });
    await f.involve(childId, org.health, 'taf_member', { practitionerId: nurse });
    // The caseload lets the nurse read the child: a TAF member's view with data returned.
    await f.involve(childId, org.health, 'caseload', { practitionerId: nurse });
    await f.involve(childId, org.school, 'on_roll');
    await f.involve(otherPupil, org.unrelated, 'on_roll');
    await f.openEhaWithPlan(childId, {
      familySupportManagerId: fsm,
      leadPractitionerId: lead,
      actions: [{ description: 'Weekly check-in', owningOrganisationId: org.health, dueDate: '2026-09-01' }],
    });
    token.lead = await t.token({ role: 'lead_practitioner', org: org.council, sub: 'lead-1' });
    token.fsm = await t.token({ role: 'family_support_manager', org: org.council, sub: 'fsm-1' });
    token.nurse = await t.token({ role: 'school_nurse', org: org.health, sub: 'nurse-1' });
    token.school = await t.token({ role: 'school_dsl', org: org.school, sub: 'dsl-secret-name' });
    token.unrelated = await t.token({ role: 'school_dsl', org: org.unrelated, sub: 'other-dsl' });
    token.dpo = await t.token({ role: 'dpo', org: org.dpo, sub: 'dpo-1' });
  });
  afterAll(async () => {
    await Promise.all(Object.values(subs).map((s) => s.dispose()));
    await t.close();
  });

  it("tells the lead practitioner, the family support manager and the DPO of the school's view, and no one of the TAF member's", async () => {
    for (const who of ['lead', 'fsm', 'nurse', 'school', 'unrelated']) await live(who);
    await live('dpo', 'audit');

    // A TAF member's view is not news to the TAF; the checkpointer logs it and announces nothing.
    expect((await t.post(token.nurse!, LOOK, { id: childId })).data.child.id).toBe(childId);
    await t.services.auditLog.checkpoint();
    expect((await t.post(token.school!, LOOK, { id: childId })).data.child.id).toBe(childId);
    await t.services.auditLog.checkpoint();

    const events = await db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'accessed_by_others')));
    expect(events).toHaveLength(1);
    expect(events[0]!.actorSubject).not.toMatch(/secret-name/);

    for (const who of ['lead', 'fsm', 'dpo']) {
      const got = await subs[who]!.find((r) => r.data?.caseChanged?.kind === 'accessed_by_others');
      expect(got.errors, who).toBeUndefined();
      expect(got.data.caseChanged, who).toMatchObject({
        id: String(events[0]!.seq),
        childId,
        child: null,
        refs: [{ name: 'organisationId', id: org.school }],
        access: {
          organisationId: org.school,
          organisationName: 'Test school',
          organisationKind: 'school',
          callerRole: 'school_dsl',
          purpose: 'direct_support',
          categories: expect.arrayContaining(['identity']),
        },
      });
      expect(JSON.stringify(got), who).not.toMatch(/secret-name|dsl-secret/);
    }

    // Everything up to the control change has been decided for each subscriber: the notification
    // reached none of the others, though the school and the nurse relate to the child.
    const seen = await control(db, childId);
    const seenElsewhere = await control(db, otherPupil);
    for (const who of ['school', 'nurse']) await subs[who]!.find((r) => r.data?.caseChanged?.id === seen);
    await subs.unrelated!.find((r) => r.data?.caseChanged?.id === seenElsewhere);
    for (const who of ['school', 'nurse', 'unrelated']) expect(accessNotices(subs[who]!), who).toHaveLength(0);
    await subs.lead!.find((r) => r.data?.caseChanged?.id === seen);
    expect(accessNotices(subs.lead!)).toHaveLength(1);
  });

  it('announces each view once, however often the checkpointer runs', async () => {
    const notices = () =>
      db
        .select()
        .from(caseEvents)
        .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'accessed_by_others')));
    // The school read the child again through its subscription (the control change's child): one more view.
    await t.services.auditLog.checkpoint();
    const once = (await notices()).length;
    await t.services.auditLog.checkpoint();
    await t.services.auditLog.checkpoint();
    expect(await notices()).toHaveLength(once);
  });

  it("announces an organisation's views of a child once a day, each other organisation's apart, and sends none to Liquid Logic", async () => {
    const noticesFrom = async (organisationId: string) =>
      (
        await db
          .select()
          .from(caseEvents)
          .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'accessed_by_others')))
      ).filter((e) => (e.refs as Record<string, string>).organisationId === organisationId);
    await t.services.auditLog.checkpoint();
    const fromSchool = (await noticesFrom(org.school!)).length;
    expect(fromSchool).toBeGreaterThanOrEqual(1);
    // The school looks the child up again and again: the team already knows the school looked today.
    for (let i = 0; i < 3; i++) {
      expect((await t.post(token.school!, LOOK, { id: childId })).data.child.id).toBe(childId);
      await t.services.auditLog.checkpoint();
    }
    expect(await noticesFrom(org.school!)).toHaveLength(fromSchool);
    // A second school's first view is news.
    const college = await fixture(db).org('college', 'school');
    await fixture(db).involve(childId, college, 'on_roll');
    const collegeToken = await t.token({ role: 'school_dsl', org: college, sub: 'college-dsl' });
    expect((await t.post(collegeToken, LOOK, { id: childId })).data.child.id).toBe(childId);
    expect((await t.post(collegeToken, LOOK, { id: childId })).data.child.id).toBe(childId);
    await t.services.auditLog.checkpoint();
    expect(await noticesFrom(college)).toHaveLength(1);
    // A view changes nothing in the case record: Liquid Logic hears of none.
    const sent = await db.select().from(outbox).where(eq(outbox.eventKind, 'accessed_by_others'));
    expect(sent).toHaveLength(0);
  });

  it('pushes no view older than a day (a backlog after an outage, history from before the log)', async () => {
    const college = await fixture(db).org('late-college', 'school');
    const [latest] = await db.select().from(accessAudit).orderBy(desc(accessAudit.seq)).limit(1);
    const old = {
      ...latest!,
      childId,
      callerOrganisationId: college,
      categoriesReturned: ['identity'],
      occurredAt: new Date(Date.now() - 2 * 86_400_000),
    };
    const recent = { ...old, occurredAt: new Date(Date.now() - 60_000) };
    const fromCollege = () =>
      db
        .select()
        .from(caseEvents)
        .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'accessed_by_others')))
        .then((rows) => rows.filter((e) => (e.refs as Record<string, string>).organisationId === college));
    await db.transaction((tx) => t.services.accessNotifications.recordOutsideViews(tx, [old]));
    expect(await fromCollege()).toHaveLength(0);
    await db.transaction((tx) => t.services.accessNotifications.recordOutsideViews(tx, [recent]));
    expect(await fromCollege()).toHaveLength(1);
  });

  it('still logs and signs the views when announcing them fails', async () => {
    const notices = () =>
      db
        .select()
        .from(caseEvents)
        .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'accessed_by_others')));
    await t.services.auditLog.checkpoint();
    const before = (await notices()).length;
    const service = t.services.accessNotifications;
    const original = service.recordOutsideViews;
    service.recordOutsideViews = async () => {
      throw new Error('announcement failed');
    };
    try {
      expect((await t.post(token.school!, LOOK, { id: childId })).data.child.id).toBe(childId);
      const signed = await t.services.auditLog.checkpoint();
      expect(signed?.treeSize).toBeGreaterThan(0);
    } finally {
      service.recordOutsideViews = original;
    }
    expect(await notices()).toHaveLength(before);
  });
});
