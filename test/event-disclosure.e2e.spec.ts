/**
 * A case change is sent to a subscriber only if it discloses at least one category to them: even
 * fully redacted, an event tells when something happened to the child. A change that names no
 * category discloses none, so it goes to nobody; the DPO's review of an override carries the
 * override's categories, so it reaches exactly those who may read what the override shared.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, familyMembers, householdLinks } from '../schema';
import { recordCaseEvent } from '../src/events/case-events';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { subscribe, until, type LiveSubscription } from './support/ws-client';

const CASE_CHANGED =
  'subscription ($childId: ID) { caseChanged(childId: $childId) { id kind categories refs { name id } } }';
const REVIEW =
  'mutation ($id: ID!, $outcome: ReviewOutcome!) { reviewOverride(id: $id, outcome: $outcome, note: "Reviewed: the risk was real.") { id reviewStatus } }';

describe('an event reaches a subscriber only if it discloses a category to them', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let health: string;
  let council: string;
  let child: string;
  let dpo: string;
  const open: LiveSubscription[] = [];

  async function live(token: string): Promise<LiveSubscription> {
    const before = t.hub.subscriptions!.subscribers;
    const sub = subscribe(t.url, { token }, CASE_CHANGED, { childId: child });
    open.push(sub);
    await until(() => t.hub.subscriptions!.subscribers > before, 10_000, 'the subscription to be active');
    return sub;
  }
  /** A change both the school (education, by the ISA) and the health visitor (health, by the ISA) may see. */
  const emitControl = () =>
    t.database.db.transaction((tx) =>
      recordCaseEvent(tx, {
        childId: child,
        kind: 'attendance_flagged',
        categories: ['education', 'health'],
        changedFields: ['attendance'],
        actor: { subject: 'test-actor', organisationId: school },
        at: new Date(),
      }),
    );
  const reviewedEvent = async (overrideId: string) =>
    (await t.database.db.select().from(caseEvents).where(eq(caseEvents.kind, 'override_reviewed'))).find(
      (e) => (e.refs as { overrideId?: string }).overrideId === overrideId,
    )!;

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    health = await f.org('health', 'health');
    council = await f.org('council', 'council_early_help');
    child = (await f.child()).id;
    await f.involve(child, school, 'on_roll');
    await f.involve(child, health, 'caseload');
    const [parent] = await t.database.db
      .insert(familyMembers)
      .values({ givenName: 'ParentSynthetic', familyName: 'Example' })
      .returning();
    await t.database.db
      .insert(householdLinks)
      .values({ childId: child, relation: 'parent', familyMemberId: parent!.id, hasParentalResponsibility: true });
    dpo = await t.token({ role: 'dpo', org: council });
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.dispose()));
    await t.close();
  });

  it('a change naming no category is sent to nobody, though the subscriber relates to the child', async () => {
    const sub = await live(await t.token({ role: 'school_dsl', org: school, sub: 'dsl-none' }));
    const ready = await emitControl();
    await sub.find((r) => r.data?.caseChanged?.id === String(ready.seq));
    const silent = await t.database.db.transaction((tx) =>
      recordCaseEvent(tx, {
        childId: child,
        kind: 'override_reviewed',
        categories: [],
        changedFields: ['reviewStatus'],
        actor: { subject: 'test-dpo', organisationId: council },
        at: new Date(),
      }),
    );
    const control = await emitControl();
    await sub.find((r) => r.data?.caseChanged?.id === String(control.seq));
    expect(sub.results.map((r) => r.data?.caseChanged?.id)).not.toContain(String(silent.seq));
  });

  it('the review of an override reaches the organisations it opened the category to, not others', async () => {
    const declaring = await live(await t.token({ role: 'school_dsl', org: school, sub: 'dsl-review' }));
    const elsewhere = await live(await t.token({ role: 'health_visitor', org: health, sub: 'hv-review' }));
    const overrideId = await f.override(child, {
      categories: ['family'],
      expiresAt: new Date(Date.now() + 86_400_000),
      declaredByOrganisationId: school,
      recipientOrganisationIds: [school, council],
    });
    // Both streams are live once each has had a change committed after it opened.
    const ready = await emitControl();
    for (const sub of [declaring, elsewhere]) await sub.find((r) => r.data?.caseChanged?.id === String(ready.seq));
    const reviewed = await t.post(dpo, REVIEW, { id: overrideId, outcome: 'UPHELD' }, 'audit');
    expect(reviewed.errors).toBeUndefined();
    const event = await reviewedEvent(overrideId);
    expect(event.categories).toEqual(['family']);

    const got = await declaring.find((r) => r.data?.caseChanged?.id === String(event.seq));
    expect(got.errors).toBeUndefined();
    expect(got.data.caseChanged).toMatchObject({ kind: 'override_reviewed', categories: ['family'] });
    const control = await emitControl();
    await elsewhere.find((r) => r.data?.caseChanged?.id === String(control.seq));
    expect(elsewhere.results.map((r) => r.data?.caseChanged?.id)).not.toContain(String(event.seq));
  });
});
