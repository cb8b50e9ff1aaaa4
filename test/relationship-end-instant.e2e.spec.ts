/**
 * A relationship ends at its end instant, not at the end of that day: a lead practitioner
 * replaced at a TAF loses the child at once, and an open dashboard stops receiving the child's
 * changes from the instant the relationship ends (every event is decided when it is delivered).
 * The hub's clock is fixed, so "at once" and "an hour later" are exact.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { involvements } from '../schema';
import { recordCaseEvent, type CaseEventRow } from '../src/events/case-events';
import { partnershipDate } from '../src/shared/clock';
import { buildWorld, caseIn, Q, tafInput, type World } from './workflow-support';
import { subscribe, until, type LiveSubscription } from './support/ws-client';

const READ_CHILD = 'query ($id: ID) { child(id: $id) { id } }';
const CASE_CHANGED = 'subscription ($cluster: Cluster) { caseChanged(cluster: $cluster) { id childId kind } }';

describe('relationships end at their end instant', () => {
  let w: World;
  const open: LiveSubscription[] = [];
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(async () => {
    for (const sub of open) await sub.dispose();
    await w.t.close();
  });

  async function emit(childId: string): Promise<CaseEventRow> {
    return w.t.database.db.transaction((tx) =>
      recordCaseEvent(tx, {
        childId,
        kind: 'attendance_flagged',
        categories: ['early_help'],
        changedFields: ['reviews'],
        refs: {},
        cluster: 'central',
        actor: { subject: 'test-actor', organisationId: w.org.council },
        at: w.clock.now(),
      }),
    );
  }

  it('a lead practitioner replaced at a TAF loses the child at once, the same day', async () => {
    const k = await caseIn(w, 'taf_held');
    expect((await w.t.post(w.token.lead, READ_CHILD, { id: k.childId }, 'direct_support')).errors).toBeUndefined();
    const successor = await w.f.practitioner(w.org.council, 'wf-lead-successor', 'lead_practitioner');
    await w.ok(w.token.fsm, Q.taf, {
      input: { ...tafInput(w), leadPractitionerId: successor, ehaId: k.ehaId, expectedVersion: k.version },
    });

    const [ended] = await w.t.database.db
      .select()
      .from(involvements)
      .where(
        and(
          eq(involvements.childId, k.childId),
          eq(involvements.kind, 'lead_practitioner'),
          eq(involvements.practitionerId, w.person.lead),
        ),
      );
    expect(ended!.endsAt?.toISOString()).toBe(w.clock.now().toISOString());
    // The SSD's end date is still the calendar day it ended on.
    expect(ended!.endedOn).toBe(w.today());
    const after = await w.t.post(w.token.lead, READ_CHILD, { id: k.childId }, 'direct_support');
    expect(after.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
  });

  it('an end given as a date lasts to the end of that day in London (as existing dates were migrated)', async () => {
    const child = await w.f.child();
    await w.f.involve(child.id, w.org.school, 'on_roll', { startedOn: '2026-01-01', endedOn: '2026-07-01' });
    await w.f.involve(child.id, w.org.otherSchool, 'on_roll', { startedOn: '2026-01-01', endedOn: '2026-12-01' });
    const rows = await w.t.database.db.select().from(involvements).where(eq(involvements.childId, child.id));
    const endOf = (day: string) => rows.find((r) => r.endedOn === day)!.endsAt!.toISOString();
    expect(endOf('2026-07-01')).toBe('2026-07-01T23:00:00.000Z'); // British Summer Time
    expect(endOf('2026-12-01')).toBe('2026-12-02T00:00:00.000Z');
    // A date changed alone moves the instant with it; reopening clears both.
    await w.t.database.db
      .update(involvements)
      .set({ endedOn: '2026-12-05' })
      .where(and(eq(involvements.childId, child.id), eq(involvements.organisationId, w.org.otherSchool)));
    await w.t.database.db
      .update(involvements)
      .set({ endedOn: null })
      .where(and(eq(involvements.childId, child.id), eq(involvements.organisationId, w.org.school)));
    const after = await w.t.database.db.select().from(involvements).where(eq(involvements.childId, child.id));
    expect(after.find((r) => r.organisationId === w.org.otherSchool)!.endsAt!.toISOString()).toBe(
      '2026-12-06T00:00:00.000Z',
    );
    expect(after.find((r) => r.organisationId === w.org.school)).toMatchObject({ endedOn: null, endsAt: null });
  });

  it('an open subscription stops receiving the child’s changes at the end instant', async () => {
    // The socket checks its token's expiry against the hub's clock: run it at the issuer's time.
    const start = w.clock.now();
    w.clock.set(new Date());
    const ending = await caseIn(w, 'taf_held');
    const staying = await caseIn(w, 'taf_held');
    const endsAt = new Date(w.clock.now().getTime() + 60_000);
    await w.t.database.db
      .update(involvements)
      .set({ endsAt })
      .where(
        and(
          eq(involvements.childId, ending.childId),
          eq(involvements.kind, 'lead_practitioner'),
          eq(involvements.practitionerId, w.person.lead),
        ),
      );
    // Legacy date derived from the instant: the day it last counted.
    const [row] = await w.t.database.db
      .select()
      .from(involvements)
      .where(
        and(
          eq(involvements.childId, ending.childId),
          eq(involvements.kind, 'lead_practitioner'),
          eq(involvements.practitionerId, w.person.lead),
        ),
      );
    expect(row!.endedOn).toBe(partnershipDate(new Date(endsAt.getTime() - 1)));

    const hub = w.t.hub;
    const before = hub.subscriptions!.subscribers;
    const sub = subscribe(w.t.url, { token: w.token.lead, purpose: 'direct_support' }, CASE_CHANGED, {
      cluster: 'central',
    });
    open.push(sub);
    await until(() => hub.subscriptions!.subscribers > before, 10_000, 'the subscription to be active');

    // A second before the end instant: still the lead practitioner's child.
    w.clock.set(new Date(endsAt.getTime() - 1_000));
    const beforeEnd = await emit(ending.childId);
    await sub.find((r) => r.data?.caseChanged?.id === String(beforeEnd.seq));

    // At the end instant: the same day, but no longer theirs. The control event on a child still
    // theirs is delivered after it, so the first one has been decided by then.
    w.clock.set(endsAt);
    const atEnd = await emit(ending.childId);
    const control = await emit(staying.childId);
    await sub.find((r) => r.data?.caseChanged?.id === String(control.seq));
    expect(sub.results.some((r) => r.data?.caseChanged?.id === String(atEnd.seq))).toBe(false);
    expect(
      (await w.t.post(w.token.lead, READ_CHILD, { id: ending.childId }, 'direct_support')).errors?.[0]?.extensions
        ?.code,
    ).toBe('NO_RELATIONSHIP');
    w.clock.set(start);
  });
});
