/**
 * Missing from home over HTTP: "EH DAS ensures return interviews for young people
 * reported missing (not looked after)"; return interview offered/accepted/completed within 72 hours
 * of the return (71h59m in time, 72h01m overdue, injected clock); the overdue queue.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, caseEvents, missingEpisodes, socialCareStatuses } from '../schema';
import { buildWorld, type World } from './workflow-support';

const FIELDS = `id childId version startedAt returnedAt reportedBy returnInterviewDueBy returnInterviewStatus overdue interviewCompletedAt`;
// The police read back police data only (ISA); the Early Help fields need the family's consent.
const RECORD = `mutation ($input: RecordMissingEpisodeInput!) { recordMissingEpisode(input: $input) { id childId policeReference } }`;
const EPISODE_OF = `query ($c: ID!) { missingEpisodes(childId: $c) { ${FIELDS} } }`;
const RETURN = `mutation ($id: ID!, $v: Int!, $at: String!) { recordMissingReturn(episodeId: $id, expectedVersion: $v, returnedAt: $at) { ${FIELDS} } }`;
const INTERVIEW = `mutation ($input: RecordReturnInterviewInput!) { recordReturnInterview(input: $input) { ${FIELDS} } }`;
const OVERDUE = `query { overdueReturnInterviews { id childId returnInterviewStatus overdue returnInterviewDueBy } }`;
const EPISODES = `query ($c: ID!) { missingEpisodes(childId: $c) { id returnInterviewStatus policeReference } }`;

const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

describe('missing from home: return interviews within 72 hours', () => {
  let w: World;
  let policeOrg: string;
  let officer: string;

  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
    policeOrg = await w.f.org('police', 'police');
    officer = await w.t.token({ role: 'police_officer', org: policeOrg, sub: 'mfh-officer' });
  });
  afterAll(() => w.t.close());

  async function reported(returnedAt: string | null, ref = 'MFH-1') {
    const c = await w.newChild();
    await w.f.involve(c.id, policeOrg, 'police_notification', { startedOn: '2027-03-01' });
    const res = await w.ok(officer, RECORD, {
      input: { childId: c.id, startedAt: '2027-03-09T20:00:00Z', returnedAt, policeReference: ref },
    });
    expect(res.recordMissingEpisode).toMatchObject({ childId: c.id, policeReference: ref });
    const read = await w.ok(w.token.screener, EPISODE_OF, { c: c.id }, 'direct_support');
    return { childId: c.id, episode: read.missingEpisodes[0] };
  }

  it('a police report is recorded, audited, emits a case event and puts the child in the EH DAS queue', async () => {
    const { childId, episode } = await reported(null);
    expect(episode).toMatchObject({
      childId,
      reportedBy: 'police',
      returnedAt: null,
      returnInterviewStatus: 'still_missing',
      overdue: false,
      returnInterviewDueBy: null,
    });
    const events = await w.t.database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, childId), eq(caseEvents.kind, 'missing_episode_recorded')));
    expect(events).toHaveLength(1);
    const audit = await w.t.database.db
      .select()
      .from(accessAudit)
      .where(and(eq(accessAudit.childId, childId), eq(accessAudit.callerSubject, 'mfh-officer')));
    expect(audit.flatMap((a) => a.changes as { action: string }[]).map((c) => c.action)).toContain(
      'recordMissingEpisode',
    );
    // The screener now has the child and records the return: the window starts.
    const back = await w.ok(w.token.screener, RETURN, {
      id: episode.id,
      v: episode.version,
      at: '2027-03-10T08:00:00Z',
    });
    expect(back.recordMissingReturn).toMatchObject({
      returnInterviewStatus: 'awaiting_offer',
      returnInterviewDueBy: '2027-03-13T08:00:00.000Z',
      overdue: false,
    });
  });

  it('the overdue queue: 71h59m after the return is in time, 72h01m is overdue', async () => {
    const returnedAt = '2027-03-10T08:30:00.000Z';
    const { episode } = await reported(returnedAt, 'MFH-EDGE');
    w.clock.set(plus(returnedAt, 71 * 60 + 59));
    const before = await w.ok(w.token.screener, OVERDUE, {}, 'direct_support');
    expect(before.overdueReturnInterviews.map((e: { id: string }) => e.id)).not.toContain(episode.id);
    w.clock.set(plus(returnedAt, 72 * 60 + 1));
    const after = await w.ok(w.token.screener, OVERDUE, {}, 'direct_support');
    expect(after.overdueReturnInterviews.find((e: { id: string }) => e.id === episode.id)).toMatchObject({
      overdue: true,
      returnInterviewStatus: 'awaiting_offer',
      returnInterviewDueBy: plus(returnedAt, 72 * 60),
    });
    // Another council's screener has no relationship: the queue is empty for them.
    const otherCouncil = await w.f.org('other-council', 'council_early_help');
    const stranger = await w.t.token({ role: 'eh_das_screener', org: otherCouncil, sub: 'mfh-stranger' });
    expect((await w.ok(stranger, OVERDUE, {}, 'direct_support')).overdueReturnInterviews).toEqual([]);
    w.clock.set('2027-03-10T09:00:00Z');
  });

  it('offered → accepted → completed at 71h59m is in time; completed at 72h01m is late; completed ones leave the queue', async () => {
    const returnedAt = '2027-03-10T06:00:00.000Z';
    const inTime = (await reported(returnedAt, 'MFH-A')).episode;
    const late = (await reported(returnedAt, 'MFH-B')).episode;
    const step = async (
      e: { id: string; version: number },
      s: string,
      at: string,
      extra: Record<string, unknown> = {},
    ) =>
      (
        await w.ok(w.token.screener, INTERVIEW, {
          input: { episodeId: e.id, expectedVersion: e.version, step: s, at, ...extra },
        })
      ).recordReturnInterview;
    let a = await step(inTime, 'offered', plus(returnedAt, 60));
    a = await step(a, 'accepted', plus(returnedAt, 120));
    let b = await step(late, 'offered', plus(returnedAt, 60));
    b = await step(b, 'accepted', plus(returnedAt, 120));
    w.clock.set(plus(returnedAt, 80 * 60));
    a = await step(a, 'completed', plus(returnedAt, 71 * 60 + 59), { interviewerPractitionerId: w.person.screener });
    b = await step(b, 'completed', plus(returnedAt, 72 * 60 + 1), { interviewerPractitionerId: w.person.screener });
    expect(a).toMatchObject({ returnInterviewStatus: 'completed_in_time', overdue: false });
    expect(b).toMatchObject({ returnInterviewStatus: 'completed_late', overdue: false });
    const queue = await w.ok(w.token.screener, OVERDUE, {}, 'direct_support');
    const ids = queue.overdueReturnInterviews.map((e: { id: string }) => e.id);
    expect(ids).not.toContain(a.id);
    expect(ids).not.toContain(b.id);
    const events = await w.t.database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.childId, a.childId), eq(caseEvents.kind, 'return_interview_recorded')));
    expect(events).toHaveLength(3);
    w.clock.set('2027-03-10T09:00:00Z');
  });

  it('refuses out-of-order steps, bad and future instants, and a looked-after young person — changing nothing', async () => {
    const { episode } = await reported('2027-03-10T07:00:00Z', 'MFH-C');
    const early = await w.t.post(w.token.screener, INTERVIEW, {
      input: {
        episodeId: episode.id,
        expectedVersion: episode.version,
        step: 'completed',
        at: '2027-03-10T08:00:00Z',
        interviewerPractitionerId: w.person.screener,
      },
    });
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_TRANSITION',
      from: 'awaiting_offer',
      action: 'completed',
    });
    const badAt = await w.t.post(w.token.screener, INTERVIEW, {
      input: { episodeId: episode.id, expectedVersion: episode.version, step: 'offered', at: '10/03/2027 08:00' },
    });
    expect(badAt.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'at' });
    const future = await w.t.post(w.token.screener, INTERVIEW, {
      input: { episodeId: episode.id, expectedVersion: episode.version, step: 'offered', at: '2027-03-10T09:00:01Z' },
    });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'at' });
    const stale = await w.t.post(w.token.screener, INTERVIEW, {
      input: { episodeId: episode.id, expectedVersion: 99, step: 'offered', at: '2027-03-10T08:00:00Z' },
    });
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const [row] = await w.t.database.db.select().from(missingEpisodes).where(eq(missingEpisodes.id, episode.id));
    expect(row).toMatchObject({ version: 1, interviewOfferedAt: null, interviewCompletedAt: null });

    const lac = await w.newChild();
    await w.f.involve(lac.id, policeOrg, 'police_notification', { startedOn: '2027-03-01' });
    await w.t.database.db.insert(socialCareStatuses).values({
      childId: lac.id,
      kind: 'looked_after',
      remoteEpisodeId: 'LAC-1',
      status: 'open',
      startedOn: '2026-01-01',
      updatedAt: new Date(),
    });
    const refused = await w.t.post(officer, RECORD, { input: { childId: lac.id, startedAt: '2027-03-09T20:00:00Z' } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childId' });
    expect(await w.t.database.db.$count(missingEpisodes, eq(missingEpisodes.childId, lac.id))).toBe(0);
  });

  it('relationship and consent rules: no relationship, no record; a school reads episodes only with early_help consent', async () => {
    const stranger = await w.f.child();
    const noRel = await w.t.post(officer, RECORD, {
      input: { childId: stranger.id, startedAt: '2027-03-09T20:00:00Z' },
    });
    expect(noRel.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const schoolStaff = await w.t.token({ role: 'school_staff', org: w.org.school, sub: 'mfh-teacher' });
    const forbidden = await w.t.post(schoolStaff, RECORD, {
      input: { childId: stranger.id, startedAt: '2027-03-09T20:00:00Z' },
    });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const { childId } = await reported('2027-03-10T07:00:00Z', 'MFH-D');
    // On the school's roll, with early_help consent for schools: the DSL reads it; police data stays with police consent.
    const dsl = await w.t.post(w.token.school, EPISODES, { c: childId }, 'direct_support');
    expect(dsl.data.missingEpisodes[0]).toMatchObject({ returnInterviewStatus: 'awaiting_offer' });
    expect(dsl.data.missingEpisodes[0].policeReference).toBe('MFH-D'); // police is ISA-shared to a school DSL
    const other = await w.t.post(w.token.otherSchool, EPISODES, { c: childId }, 'direct_support');
    expect(other.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    // A pupil without early_help consent: the episode is withheld field by field.
    const unconsented = await w.f.child();
    await w.f.involve(unconsented.id, w.org.school, 'on_roll');
    await w.f.involve(unconsented.id, policeOrg, 'police_notification', { startedOn: '2027-03-01' });
    await w.ok(officer, RECORD, {
      input: { childId: unconsented.id, startedAt: '2027-03-09T20:00:00Z', policeReference: 'MFH-E' },
    });
    const withheld = await w.t.post(w.token.school, EPISODES, { c: unconsented.id }, 'direct_support');
    expect(withheld.data.missingEpisodes[0].returnInterviewStatus).toBeNull();
    expect(withheld.data.missingEpisodes[0].policeReference).toBe('MFH-E');
    expect(withheld.errors?.map((e) => e.extensions?.code)).toContain('CONSENT_REQUIRED');
  });
});
