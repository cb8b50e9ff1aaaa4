/**
 * Targeted Support over HTTP: "two or fewer unmet needs = single agency response" — one agency,
 * named by EH DAS, for up to about 3 months. EH DAS follows it: its queue shows Targeted Support
 * whose 3 months are (nearly) up, and it records how each ended, which ends its involvement.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { involvements, referrals } from '../schema';
import { buildWorld, Q, threeNeeds, type World } from './workflow-support';

const DUE = `query ($within: Int) { targetedSupportDue(within: $within) { id targetedSupportOrganisationId targetedSupportReviewBy } }`;
const END = `mutation ($id: ID!, $v: Int!, $o: TargetedSupportOutcome!, $n: String!) {
  endTargetedSupport(referralId: $id, expectedVersion: $v, outcome: $o, note: $n) { id version targetedSupportEndedOn targetedSupportOutcome targetedSupportNote } }`;

describe('Targeted Support: a single agency for about 3 months, followed by EH DAS', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
  });
  afterAll(() => w.t.close());

  const singleAgency = async () => {
    const c = await w.newChild();
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds.slice(0, 2) },
    });
    return { childId: c.id, id: sub.submitReferral.referralId as string };
  };
  const vars = (id: string) => ({
    id,
    v: 1,
    d: 'single_agency_response',
    r: 'Two needs the school can meet',
    lvl: 'universal',
    s: ['School pastoral team'],
  });

  it('refuses a single agency response that names no organisation, naming the field', async () => {
    const r = await singleAgency();
    const res = await w.t.post(w.token.screener, Q.screen, vars(r.id), 'screening');
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'targetedSupportOrganisationId',
    });
    const accept = await w.t.post(
      w.token.screener,
      Q.screen,
      { id: r.id, v: 1, d: 'accept', r: 'x', fsm: w.person.fsm, c: 'central', tso: w.org.school },
      'screening',
    );
    expect(accept.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'targetedSupportOrganisationId',
    });
  });

  it('runs for 3 months, shows in EH DAS’s queue when due, and ends with an outcome', async () => {
    const r = await singleAgency();
    const screened = await w.ok(w.token.screener, Q.screen, { ...vars(r.id), tso: w.org.school }, 'screening');
    expect(screened.screenReferral).toMatchObject({
      status: 'single_agency_response',
      targetedSupportOrganisationId: w.org.school,
      targetedSupportReviewBy: '2027-06-10',
    });
    const ids = async (within?: number) =>
      (await w.ok(w.token.screener, DUE, { within }, 'screening')).targetedSupportDue.map((x: { id: string }) => x.id);
    expect(await ids()).not.toContain(r.id);
    w.clock.set('2027-05-30T09:00:00Z');
    expect(await ids()).toContain(r.id); // within 14 days of its 3 months
    w.clock.set('2027-07-01T09:00:00Z');
    expect(await ids(0)).toContain(r.id); // past them, still running

    const bad = await w.t.post(w.token.screener, END, { id: r.id, v: 2, o: 'finished', n: 'x' }, 'screening');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const ended = await w.ok(
      w.token.screener,
      END,
      { id: r.id, v: 2, o: 'needs_met', n: 'Attendance back to 96%' },
      'screening',
    );
    expect(ended.endTargetedSupport).toMatchObject({
      targetedSupportEndedOn: '2027-07-01',
      targetedSupportOutcome: 'needs_met',
      targetedSupportNote: 'Attendance back to 96%',
    });
    // EH DAS no longer follows the child, and the queue no longer shows it.
    const open = await w.t.database.db
      .select()
      .from(involvements)
      .where(and(eq(involvements.childId, r.childId), eq(involvements.kind, 'screening'), isNull(involvements.endsAt)));
    expect(open.every((i) => i.endedOn !== null)).toBe(true);
    const again = await w.t.post(
      w.token.screener,
      END,
      { id: r.id, v: ended.endTargetedSupport.version, o: 'needs_met', n: 'again' },
      'screening',
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'referralId' });
    const [row] = await w.t.database.db.select().from(referrals).where(eq(referrals.id, r.id));
    expect(row!.targetedSupportNote).toBe('Attendance back to 96%');
  });

  it('is for EH DAS only', async () => {
    const res = await w.t.post(w.token.school, DUE, {});
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
