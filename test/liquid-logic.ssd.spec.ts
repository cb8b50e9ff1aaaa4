/**
 * SSD fidelity end to end: a child with everything the hub holds for the SSD objects (identifiers,
 * address, household, involvements, a referral, a missing episode, SEND with a UPN, an Early Help
 * case) reaches the simulator as valid SSD rows of every object type the hub produces — checked
 * by the worker before sending (its default validator, the repository's SSD schema) and again by
 * the simulator, as the remote side would. A record that breaks the definitions is never sent: the
 * row is dead-lettered with the field named.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { children, familyMembers, householdLinks, missingEpisodes, outbox, referrals } from '../schema';
import { LL_PATHS } from '../adapters/liquid-logic/http-adapter';
import { ssdRowsOf } from '../adapters/liquid-logic/mapping';
import { recordCaseEvent } from '../src/events/case-events';
import { fixture } from './support/fixtures';
import { ACTOR, syncRigForEachTest, type SyncRig } from './liquid-logic.support';

/** Every SSD object the hub sends (ssd_voice_of_child is not: the hub holds the child's own words, not the SSD's questionnaire answers). */
const PRODUCED = [
  'ssd_person',
  'ssd_linked_identifiers',
  'ssd_address',
  'ssd_family',
  'ssd_involvements',
  'ssd_professionals',
  'ssd_department',
  'ssd_contacts',
  'ssd_missing',
  'ssd_send',
  'ssd_early_help_episodes',
].sort();

let rig: SyncRig;
syncRigForEachTest((r) => {
  rig = r;
});

describe('SSD objects sent to Liquid Logic', () => {
  it('every object type the hub produces reaches Liquid Logic and validates against the SSD schema', async () => {
    const { childId, ehaId } = await rig.makeCase(2);
    const db = rig.db;
    const f = fixture(db);
    const school = await f.org('ssd-school', 'school');
    await db
      .update(children)
      .set({ upn: 'B801200005001', hasSend: true, postcode: 'le1  1aa', addressLine: '1 Synthetic Row' })
      .where(eq(children.id, childId));
    await f.involve(childId, school, 'on_roll', { startedOn: '2025-09-01' });
    await f.involve(childId, school, 'lead_practitioner', { startedOn: '2026-01-05', practitionerId: rig.leadId });
    const [parent] = await db
      .insert(familyMembers)
      .values({ givenName: 'Parent', familyName: 'Synthetic' })
      .returning();
    await db.insert(householdLinks).values({ childId, relation: 'parent', familyMemberId: parent!.id });
    await db.insert(referrals).values({
      childId,
      status: 'accepted',
      referralDate: '2026-01-02',
      referrerSubject: 'ssd-dsl',
      referrerOrganisationId: school,
      needs: [{ category: 'school_attendance', description: 'Synthetic' }],
      ehaId,
    });
    await db.insert(missingEpisodes).values({
      childId,
      startedAt: new Date('2026-02-10T21:00:00Z'),
      returnedAt: new Date('2026-02-11T08:00:00Z'),
      reportedBy: 'police',
      reportedByOrganisationId: school,
      reportedBySubject: 'ssd-police',
      interviewOfferedAt: new Date('2026-02-11T12:00:00Z'),
      createdAt: new Date(),
    });
    // The episode is announced the way the missing service announces it: the person goes again.
    await db.transaction((tx) =>
      recordCaseEvent(tx, {
        childId,
        kind: 'missing_episode_recorded',
        categories: ['early_help'],
        changedFields: ['missingEpisode'],
        refs: {},
        actor: ACTOR,
        at: new Date(),
      }),
    );
    // The worker's own validator (the default), not one the test passes in.
    const worker = rig.worker({ validateRecord: undefined });
    await rig.drain([worker]);

    const stats = await rig.admin.stats();
    expect(stats.rejected).toBe(0);
    const records = await rig.admin.records();
    const rows = records.flatMap((r) => ssdRowsOf(r.body));
    expect([...new Set(rows.map((r) => r.object))].sort()).toEqual(PRODUCED);
    const person = records.filter((r) => r.path === LL_PATHS.person).at(-1)!.body;
    expect(person.person.pers_person_id.length).toBeLessThanOrEqual(20);
    expect(person.address.addr_address_postcode).toBe('LE11AA');
    expect(person.identifiers.map((i: { link_identifier_type: string }) => i.link_identifier_type)).not.toContain(
      'Early Help Hub ID',
    );
    const teams = new Set(person.departments.map((d: { dept_team_id: string }) => d.dept_team_id));
    for (const inv of person.involvements) expect(teams.has(inv.invo_professional_team)).toBe(true);
    expect(person.contacts).toHaveLength(1);
    expect(person.missing).toEqual([
      expect.objectContaining({ miss_missing_episode_type: 'Missing', miss_missing_rhi_offered: 'Y' }),
    ]);
    expect(person.send).toMatchObject({ send_upn: 'B801200005001', send_person_id: person.person.pers_person_id });
    expect(await rig.db.select().from(outbox).where(eq(outbox.status, 'dead'))).toEqual([]);
  });

  it('a record that breaks the SSD definitions is dead-lettered with the field named, and never sent', async () => {
    const { childId } = await rig.makeChild();
    // Liquid Logic's id as a faulty integration might give it: longer than the SSD's 20 characters.
    await rig.db
      .update(children)
      .set({ liquidLogicPersonId: 'LL-ID-FAR-LONGER-THAN-TWENTY' })
      .where(eq(children.id, childId));
    const worker = rig.worker({ validateRecord: undefined });
    await rig.drain([worker]);
    const [row] = await rig.db.select().from(outbox).where(eq(outbox.childId, childId));
    expect(row).toMatchObject({ status: 'dead', entity: 'person' });
    expect(row!.lastError).toContain('ssd_person.pers_person_id: longer than 20 characters');
    expect(row!.lastError).not.toContain('LL-ID-FAR-LONGER');
    expect((await rig.admin.stats()).requests).toBe(0);
  });

  it('the simulator refuses an invalid SSD row as Liquid Logic would (422 naming the field)', async () => {
    const res = await fetch(`${rig.sim.url}${LL_PATHS.person}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'ssd-invalid-0001' },
      body: JSON.stringify({
        person: { pers_person_id: 'EHP0000001', pers_legacy_id: 'x', pers_sex: 'female' },
        identifiers: [],
        address: null,
        family: [],
        involvements: [],
        professionals: [],
        departments: [],
        contacts: [],
        missing: [],
        send: null,
      }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe(
      'invalid_ssd_record:ssd_person.pers_sex: not in the SSD code set',
    );
    expect((await rig.admin.stats()).stored).toBe(0);
  });
});
