/**
 * The police are the authoritative source of missing episodes: a force's system reports a child
 * it has never notified about (reportMissingFromHome), by identifiers, and the receipt is the same
 * whether the child was matched, is looked after, or is unknown (then held for EH DAS). The return
 * is reported under the same reference and starts the 72-hour window.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, involvements, missingEpisodes, pendingMatches, socialCareStatuses } from '../schema';
import { syntheticNhsNumber } from '../seeds/synthetic';
import { buildWorld, type World } from './workflow-support';

const REPORT = `mutation ($input: ReportMissingFromHomeInput!) { reportMissingFromHome(input: $input) { status receiptId } }`;
const RECORD = `mutation ($input: RecordMissingEpisodeInput!) { recordMissingEpisode(input: $input) { id } }`;
const EPISODES = `query ($c: ID!) { missingEpisodes(childId: $c) { id reportedBy returnedAt returnInterviewStatus returnInterviewDueBy } }`;

describe('missing from home reported by the police (reportMissingFromHome)', () => {
  let w: World;
  let force: string;
  let system: string;

  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
    force = await w.f.org('mfh-force', 'police');
    system = await w.t.token({ role: 'police_system', org: force, sub: 'mfh-gateway' });
  });
  afterAll(() => w.t.close());

  it('records an episode for a child the force never notified about, with a receipt that says nothing more', async () => {
    const c = await w.newChild();
    // Before: the force's system had no relationship, so the practitioner-style mutation is refused.
    const direct = await w.t.post(system, RECORD, { input: { childId: c.id, startedAt: '2027-03-09T20:00:00Z' } });
    expect(direct.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');

    const res = await w.ok(
      system,
      REPORT,
      { input: { nhsNumber: c.nhsNumber, policeReference: 'MFH-P1', startedAt: '2027-03-09T20:00:00Z' } },
      'system_sync',
    );
    expect(res.reportMissingFromHome).toEqual({ status: 'RECEIVED', receiptId: expect.any(String) });
    const read = await w.ok(w.token.screener, EPISODES, { c: c.id }, 'direct_support');
    expect(read.missingEpisodes).toEqual([
      expect.objectContaining({ reportedBy: 'police', returnInterviewStatus: 'still_missing' }),
    ]);
    // The post gives the force no relationship with the child.
    expect(
      await w.t.database.db.$count(
        involvements,
        and(eq(involvements.childId, c.id), eq(involvements.organisationId, force)),
      ),
    ).toBe(0);

    // The return, under the same reference: the 72-hour window starts; a retry changes nothing.
    const back = {
      nhsNumber: c.nhsNumber,
      policeReference: 'MFH-P1',
      startedAt: '2027-03-09T20:00:00Z',
      returnedAt: '2027-03-10T08:00:00Z',
    };
    const first = await w.ok(system, REPORT, { input: back }, 'system_sync');
    expect((await w.ok(system, REPORT, { input: back }, 'system_sync')).reportMissingFromHome).toEqual(
      first.reportMissingFromHome,
    );
    const after = await w.ok(w.token.screener, EPISODES, { c: c.id }, 'direct_support');
    expect(after.missingEpisodes).toEqual([
      expect.objectContaining({
        returnInterviewStatus: 'awaiting_offer',
        returnInterviewDueBy: '2027-03-13T08:00:00.000Z',
      }),
    ]);
    const audit = await w.t.database.db
      .select()
      .from(accessAudit)
      .where(and(eq(accessAudit.childId, c.id), eq(accessAudit.callerSubject, 'mfh-gateway')));
    expect(audit.flatMap((a) => (a.changes ?? []) as { action: string }[]).map((x) => x.action)).toContain(
      'reportMissingFromHome',
    );
  });

  it('answers alike for a looked-after child and a child the hub does not hold; the unknown one is held for EH DAS', async () => {
    const lac = await w.newChild();
    await w.t.database.db.insert(socialCareStatuses).values({
      childId: lac.id,
      kind: 'looked_after',
      remoteEpisodeId: 'LAC-MFH',
      status: 'open',
      startedOn: '2026-01-01',
      updatedAt: new Date(),
    });
    const unknown = syntheticNhsNumber(876_543);
    const answers = [];
    for (const [nhsNumber, ref] of [
      [lac.nhsNumber, 'MFH-LAC'],
      [unknown, 'MFH-UNK'],
    ] as const) {
      const res = await fetch(w.t.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${system}`,
          'x-purpose-of-use': 'system_sync',
        },
        body: JSON.stringify({
          query: REPORT,
          variables: { input: { nhsNumber, policeReference: ref, startedAt: '2027-03-09T21:00:00Z' } },
        }),
      });
      answers.push({
        status: res.status,
        body: (await res.text()).replace(/"receiptId":"[^"]*"/, '').replace(/"requestId":"[^"]*"/, ''),
      });
    }
    expect(answers[0], JSON.stringify(answers)).toEqual(answers[1]);
    // The looked-after child's episode is recorded; their social worker, not EH DAS, arranges the interview.
    const [episode] = await w.t.database.db.select().from(missingEpisodes).where(eq(missingEpisodes.childId, lac.id));
    expect(episode).toMatchObject({ reportedBy: 'police', policeReference: 'MFH-LAC' });
    expect(
      await w.t.database.db.$count(
        involvements,
        and(eq(involvements.childId, lac.id), eq(involvements.kind, 'screening')),
      ),
    ).toBe(0);
    const held = await w.t.database.db.select().from(pendingMatches).where(eq(pendingMatches.feed, 'missing'));
    expect(held).toHaveLength(1);
  });

  it('refuses invalid input naming the field', async () => {
    const bad = async (input: Record<string, unknown>) =>
      (
        await w.t.post(
          system,
          REPORT,
          {
            input: {
              policeReference: 'MFH-BAD',
              startedAt: '2027-03-09T20:00:00Z',
              nhsNumber: syntheticNhsNumber(876_544),
              ...input,
            },
          },
          'system_sync',
        )
      ).errors?.[0]?.extensions;
    expect(await bad({ startedAt: 'yesterday' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'startedAt' });
    expect(await bad({ startedAt: '2027-03-11T20:00:00Z' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'startedAt',
    });
    expect(await bad({ returnedAt: '2027-03-09T19:00:00Z' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'returnedAt',
    });
    expect(await bad({ nhsNumber: '123' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nhsNumber' });
    expect(await bad({ policeReference: ' ' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'policeReference' });
    expect(
      (
        await w.t.post(w.token.school, REPORT, {
          input: { policeReference: 'X', startedAt: '2027-03-09T20:00:00Z', nhsNumber: syntheticNhsNumber(876_545) },
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
  });
});
