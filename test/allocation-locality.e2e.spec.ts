/**
 * Allocation is local, over HTTP: an accepted referral goes to the cluster of the setting whose
 * roll holds the child — a North pupil to North — unless EH DAS records why not; the reason is kept
 * on the referral. A child on no roll may be allocated anywhere.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, referrals } from '../schema';
import { buildWorld, Q, threeNeeds, type World } from './workflow-support';

describe('allocation within the child’s cluster', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
    await w.t.database.db.update(organisations).set({ cluster: 'north' }).where(eq(organisations.id, w.org.school));
  });
  afterAll(() => w.t.close());

  const referred = async (onRoll = true) => {
    const c = await w.newChild(); // on the (North) school's roll
    if (!onRoll)
      await w.t.database.db.update(organisations).set({ cluster: null }).where(eq(organisations.id, w.org.school));
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds },
    });
    return {
      id: sub.submitReferral.referralId as string,
      vars: { v: 1, d: 'accept', r: 'Three needs', fsm: w.person.fsm },
    };
  };

  it('refuses a North pupil allocated to Central without a reason, naming cluster, and changes nothing', async () => {
    const r = await referred();
    const refused = await w.t.post(w.token.screener, Q.screen, { ...r.vars, id: r.id, c: 'central' }, 'screening');
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cluster' });
    expect(refused.errors?.[0]?.message).toContain('north');
    const [row] = await w.t.database.db.select().from(referrals).where(eq(referrals.id, r.id));
    expect(row).toMatchObject({ status: 'submitted', version: 1, ehaId: null });
  });

  it('allocates in the child’s cluster with no reason, and refuses a reason there', async () => {
    const r = await referred();
    const needless = await w.t.post(
      w.token.screener,
      Q.screen,
      { ...r.vars, id: r.id, c: 'north', ocr: 'No reason needed' },
      'screening',
    );
    expect(needless.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'outOfClusterReason' });
    const ok = await w.ok(w.token.screener, Q.screen, { ...r.vars, id: r.id, c: 'north' }, 'screening');
    expect(ok.screenReferral).toMatchObject({ status: 'accepted', cluster: 'north', outOfClusterReason: null });
  });

  it('allocates elsewhere with a recorded reason, kept on the referral', async () => {
    const r = await referred();
    const ok = await w.ok(
      w.token.screener,
      Q.screen,
      { ...r.vars, id: r.id, c: 'central', ocr: 'The family moves to the Central cluster next month' },
      'screening',
    );
    expect(ok.screenReferral).toMatchObject({
      status: 'accepted',
      cluster: 'central',
      outOfClusterReason: 'The family moves to the Central cluster next month',
    });
  });

  it('a child whose setting has no cluster may be allocated anywhere', async () => {
    const r = await referred(false);
    const ok = await w.ok(w.token.screener, Q.screen, { ...r.vars, id: r.id, c: 'south' }, 'screening');
    expect(ok.screenReferral).toMatchObject({ status: 'accepted', cluster: 'south' });
  });
});
