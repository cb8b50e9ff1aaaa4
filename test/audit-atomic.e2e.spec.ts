/**
 * A change and its audit commit together, or neither does. With the audit store refusing
 * inserts, a mutation must leave no trace (no consent, no child, no case event, no outbox row):
 * the client's error is then the truth, and a retry once the store is back changes the record
 * exactly once. With the store working, every change's audit row is already committed when the
 * change is (same transaction), whatever happens to the response afterwards.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, caseEvents, children, consents, familyMembers, householdLinks, outbox } from '../schema';
import { syntheticNhsNumber } from '../seeds/synthetic';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const RECORD = `mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`;
const REGISTER = `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { outcome childId } }`;
const HEALTH = `mutation ($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { status receiptId } }`;

describe('a change and its audit are one transaction', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let child: { id: string; nhsNumber: string };
  let parent: string;
  let dsl: string;
  let screener: string;
  let trust: string;

  const exec = (query: ReturnType<typeof sql>) => t.database.db.execute(query);
  const counts = async () => ({
    consents: await t.database.db.$count(consents, eq(consents.childId, child.id)),
    children: await t.database.db.$count(children),
    events: await t.database.db.$count(caseEvents),
    outbox: await t.database.db.$count(outbox),
    audit: await t.database.db.$count(accessAudit),
  });
  const consentInput = () => ({
    childId: child.id,
    givenBy: 'family_member',
    familyMemberId: parent,
    method: 'verbal',
    organisationIds: [school],
    categories: ['family'],
    purposes: ['direct_support'],
    startsAt: new Date(Date.now() - 3_600_000).toISOString(),
  });
  const registerInput = {
    givenName: 'Ilse',
    familyName: 'Marrowby',
    dateOfBirth: '2015-05-02',
    postcode: 'LE3 9QQ',
    gender: 'female',
    nhsNumber: syntheticNhsNumber(812_345),
    nhsNumberTraced: true,
  };
  const healthInput = () => ({
    recordId: 'atomic-1',
    nhsNumber: child.nhsNumber,
    level: 'UNIVERSAL_PLUS',
    effectiveDate: '2026-01-10',
    contactType: 'health visitor',
    summary: 'Contact',
  });

  /** Runs `body` while every insert into the audit fails, as a database fault would. */
  const withAuditRefused = async (body: () => Promise<void>) => {
    await exec(sql`create function refuse_audit_insert() returns trigger language plpgsql as $$
      begin raise exception 'audit store unavailable (test)'; end $$`);
    await exec(
      sql`create trigger refuse_audit_insert before insert on access_audit for each statement execute function refuse_audit_insert()`,
    );
    try {
      await body();
    } finally {
      await exec(sql`drop trigger refuse_audit_insert on access_audit`);
      await exec(sql`drop function refuse_audit_insert()`);
    }
  };

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    const council = await f.org('council', 'council_early_help');
    const health = await f.org('trust', 'health');
    child = await f.child();
    await f.involve(child.id, school, 'on_roll');
    const [p] = await t.database.db
      .insert(familyMembers)
      .values({ givenName: 'Parent', familyName: 'Synthetic' })
      .returning();
    parent = p!.id;
    await t.database.db
      .insert(householdLinks)
      .values({ childId: child.id, relation: 'parent', familyMemberId: parent, hasParentalResponsibility: true });
    dsl = await t.token({ role: 'school_dsl', org: school });
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-1' });
    trust = await t.token({ role: 'health_system', org: health, sub: 'trust-epr' });
  });
  afterAll(() => t.close());

  it.each([
    ['recordConsent', 'recordConsent', () => t.post(dsl, RECORD, { input: consentInput() })],
    ['registerChild', 'registerChild:created', () => t.post(screener, REGISTER, { input: registerInput })],
    ['postHealthUpdate', 'postHealthUpdate', () => t.post(trust, HEALTH, { input: healthInput() })],
  ])(
    '%s: when the audit cannot be written the change is not committed, and a retry applies it once',
    async (_name, action, send) => {
      const before = await counts();
      await withAuditRefused(async () => {
        const res = await send();
        expect(res.errors?.length).toBeGreaterThan(0);
        expect(res.data ?? null).toBeNull();
        expect(await counts()).toEqual(before);
      });
      const retry = await send();
      expect(retry.errors).toBeUndefined();
      const after = await counts();
      expect(after.events).toBe(before.events + 1);
      // The change's audit row is there, naming the change.
      const rows = await t.database.db
        .select()
        .from(accessAudit)
        .where(eq(accessAudit.requestId, retry.extensions!.requestId as string));
      expect(rows.flatMap((r) => (r.changes as { action: string }[]).map((c) => c.action))).toContain(action);
    },
  );

  it('a retried consent after the failure exists once', async () => {
    expect(await t.database.db.$count(consents, eq(consents.childId, child.id))).toBe(1);
  });
});
