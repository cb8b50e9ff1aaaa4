/**
 * That a child has an open EHA is itself early_help data. A school without early_help consent
 * (never given, or withdrawn) sees no trace of it: not in myCaseload, not from eha(id) (the same
 * NO_RELATIONSHIP as an id that does not exist), not from openEha. And a school reading a review
 * sees progress only on the plan actions it owns, as planActions already does.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents } from '../schema';
import type { GraphQLResponse } from './support/hub';
import { caseIn, type Case, type World, buildWorld } from './workflow-support';

const CASELOAD = '{ myCaseload { id childId } }';
const EHA = 'query ($id: ID!) { eha(id: $id) { id status reviews { progress { actionId note } } planActions { id } } }';
const OPEN = 'query ($c: ID!) { openEha(childId: $c) { id } }';

const errorsOf = (res: GraphQLResponse) =>
  JSON.stringify({
    data: res.data ?? null,
    errors: res.errors?.map(({ message, path, extensions }) => ({ message, path, code: extensions?.code })),
  });

describe('the existence of an open EHA does not leak', () => {
  let w: World;
  let k: Case;
  beforeAll(async () => {
    w = await buildWorld();
    k = await caseIn(w, 'under_review');
  });
  afterAll(() => w.t.close());

  it('shows the school only the review progress on the actions it owns', async () => {
    const res = await w.t.post(w.token.school, EHA, { id: k.ehaId });
    expect(res.errors).toBeUndefined();
    const owned = new Set(res.data.eha.planActions.map((a: { id: string }) => a.id));
    expect(owned.size).toBeGreaterThan(0);
    const progress = res.data.eha.reviews.flatMap((r: { progress: { actionId: string }[] }) => r.progress);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(owned.has(p.actionId)).toBe(true);
    // The case team still sees every action's progress.
    const fsm = await w.t.post(w.token.fsm, EHA, { id: k.ehaId });
    expect(fsm.data.eha.reviews.flatMap((r: { progress: unknown[] }) => r.progress).length).toBeGreaterThan(
      progress.length,
    );
  });

  it('after the consent is withdrawn, the school sees no trace of the open EHA', async () => {
    expect((await w.t.post(w.token.school, CASELOAD)).data.myCaseload.map((e: { id: string }) => e.id)).toContain(
      k.ehaId,
    );
    await w.t.database.db
      .update(consents)
      .set({ withdrawnAt: new Date('2027-03-01T00:00:00Z') })
      .where(eq(consents.id, k.consentId));

    const caseload = await w.t.post(w.token.school, CASELOAD);
    expect(caseload.errors).toBeUndefined();
    expect(caseload.data.myCaseload.map((e: { id: string }) => e.id)).not.toContain(k.ehaId);

    const known = await w.t.post(w.token.school, EHA, { id: k.ehaId });
    const unknown = await w.t.post(w.token.school, EHA, { id: '5b0c8c9e-1f0a-4c53-9f1e-0d7c2b6a9e11' });
    expect(known.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    expect(errorsOf(known)).toBe(errorsOf(unknown));
    expect(JSON.stringify(known)).not.toContain(k.ehaId);

    const open = await w.t.post(w.token.school, OPEN, { c: k.childId });
    expect(open.errors).toBeUndefined();
    expect(open.data.openEha).toBeNull();
  });
});
