/**
 * Purpose on every disclosure: a role states only the purposes its table lists (a school DSL does
 * not read "for audit"), and a mutation that answers with child data needs a purpose like a query,
 * audited under it.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, policeNotifications } from '../schema';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

describe('purpose of use', () => {
  let t: TestHub;
  let dsl: string;
  let pupil: { id: string; nhsNumber: string; upn: string };
  let notificationId: string;

  beforeAll(async () => {
    t = await startTestHub();
    const f = fixture(t.database.db);
    const school = await f.org('school', 'school');
    const police = await f.org('police', 'police');
    await f.org('council', 'council_early_help');
    pupil = await f.child();
    await f.involve(pupil.id, school, 'on_roll');
    dsl = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-1' });
    const force = await t.token({ role: 'police_system', org: police, sub: 'force' });
    const sent = await t.post(
      force,
      'mutation ($i: NotifyPoliceIncidentInput!) { notifyPoliceIncident(input: $i) { status } }',
      {
        i: {
          policeReference: 'P-1',
          occurredAt: '2026-01-10T22:30:00Z',
          location: 'Home',
          circumstances: 'Incident',
          children: [{ nhsNumber: pupil.nhsNumber, present: true }],
        },
      },
      'operation_encompass',
    );
    expect(sent.errors).toBeUndefined();
    [{ id: notificationId }] = (await t.database.db
      .select({ id: policeNotifications.id })
      .from(policeNotifications)
      .where(eq(policeNotifications.childId, pupil.id))) as [{ id: string }];
  });
  afterAll(() => t.close());

  it.each(['audit', 'subject_access', 'system_sync'])(
    'refuses a school DSL reading a pupil for %s',
    async (purpose) => {
      const res = await t.post(dsl, 'query ($id: ID) { child(id: $id) { id nhsNumber } }', { id: pupil.id }, purpose);
      expect(res.data?.child ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'x-purpose-of-use' });
    },
  );

  it('answers a mutation with child data only under a purpose, and audits it with that purpose', async () => {
    const ACK = 'mutation ($id: ID!) { acknowledgePoliceNotification(id: $id) { id child { nhsNumber } } }';
    const none = await t.post(dsl, ACK, { id: notificationId }, null);
    expect(none.data?.acknowledgePoliceNotification?.child?.nhsNumber ?? null).toBeNull();
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'x-purpose-of-use' });

    const stated = await t.post(dsl, ACK, { id: notificationId }, 'operation_encompass');
    expect(stated.errors).toBeUndefined();
    expect(stated.data.acknowledgePoliceNotification.child.nhsNumber).toBe(pupil.nhsNumber);
    const rows = await t.database.db
      .select()
      .from(accessAudit)
      .where(eq(accessAudit.requestId, stated.extensions!.requestId as string));
    expect(rows.map((r) => r.purpose)).toEqual(['operation_encompass']);
  });
});
