/**
 * Directory and signposting over HTTP: published offers with their Designated
 * Lead for Safeguarding and Early Help; the six locality Advice Points; signposts from a declined
 * referral or a closure recorded on the case; Advice Point contacts counted, not case-recorded.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, advicePointContacts, caseEvents, caseSignposts, directoryEntries } from '../schema';
import { buildWorld, caseIn, Q, threeNeeds, type World } from './workflow-support';

const CLUSTERS = ['north_west', 'north', 'west', 'east', 'central', 'south'];
const DIRECTORY = `query ($k: DirectoryEntryKind, $c: Cluster, $t: String) { directory(kind: $k, cluster: $c, text: $t) { id kind name cluster phone designatedLeadName organisationId } }`;
const PUBLISH = `mutation ($input: PublishEarlyHelpOfferInput!) { publishEarlyHelpOffer(input: $input) { id kind organisationId level designatedLeadName designatedLeadEmail } }`;
const SIGNPOST = `mutation ($input: SignpostCaseInput!) { signpostCase(input: $input) { entryId entryName context signpostedOn } }`;
const SIGNPOSTS = `query ($c: ID!) { caseSignposts(childId: $c) { entryName context } }`;
const CONTACT = `mutation ($input: RecordAdvicePointContactInput!) { recordAdvicePointContact(input: $input) }`;
const COUNTS = `query ($from: String, $to: String) { advicePointContactCounts(from: $from, to: $to) { advicePointId name cluster topic contacts } }`;

describe('directory, signposting and Advice Points', () => {
  let w: World;
  let advicePoints: Record<string, string>;
  let offerId: string;

  beforeAll(async () => {
    w = await buildWorld();
    advicePoints = {};
    for (const cluster of CLUSTERS) {
      const [row] = await w.t.database.db
        .insert(directoryEntries)
        .values({
          organisationId: w.org.council,
          kind: 'advice_point',
          name: `Advice Point ${cluster}`,
          description: 'Drop-in advice',
          level: 'universal',
          cluster,
          phone: '0116 000 0000',
          address: 'Family Hub',
          openingHours: 'Mon–Fri 9–5',
          publishedBySubject: 'fixture',
          publishedAt: new Date(),
        })
        .returning();
      advicePoints[cluster] = row!.id;
    }
  });
  afterAll(() => w.t.close());

  it('lists the six locality Advice Points with their contact details', async () => {
    const res = await w.ok(w.token.school, DIRECTORY, { k: 'advice_point' });
    expect(res.directory.map((e: { cluster: string }) => e.cluster).sort()).toEqual([...CLUSTERS].sort());
    expect(res.directory.every((e: { phone: string }) => e.phone === '0116 000 0000')).toBe(true);
  });

  it('an organisation publishes its own offer and must name a valid Designated Lead; a cluster search includes city-wide offers', async () => {
    const input = {
      name: 'School family support worker',
      description: 'Attendance and family support',
      level: 'targeted',
      designatedLeadName: 'Designated Lead',
      designatedLeadEmail: 'dl@school.example',
    };
    const res = await w.ok(w.token.school, PUBLISH, { input });
    expect(res.publishEarlyHelpOffer).toMatchObject({
      kind: 'offer',
      organisationId: w.org.school,
      level: 'targeted',
      designatedLeadName: 'Designated Lead',
    });
    offerId = res.publishEarlyHelpOffer.id;
    const bad = await w.t.post(w.token.school, PUBLISH, { input: { ...input, designatedLeadEmail: 'not-an-email' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'designatedLeadEmail' });
    const blank = await w.t.post(w.token.school, PUBLISH, { input: { ...input, designatedLeadName: '  ' } });
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'designatedLeadName' });
    const staff = await w.t.token({ role: 'school_staff', org: w.org.school, sub: 'dir-teacher' });
    expect((await w.t.post(staff, PUBLISH, { input })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const central = await w.ok(w.token.school, DIRECTORY, { c: 'central' });
    expect(central.directory.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(['Advice Point central', 'School family support worker']),
    );
    expect(central.directory.map((e: { name: string }) => e.name)).not.toContain('Advice Point east');
    expect((await w.ok(w.token.school, DIRECTORY, { t: '100%_' })).directory).toEqual([]);
  });

  it('signposts a declined referral to directory entries, recorded on the case with audit and a case event', async () => {
    const c = await w.newChild();
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds.slice(0, 2) },
    });
    const referralId = sub.submitReferral.referralId;
    const notYet = await w.t.post(w.token.screener, SIGNPOST, { input: { referralId, entryIds: [offerId] } });
    expect(notYet.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    await w.ok(
      w.token.screener,
      Q.screen,
      { id: referralId, v: 1, d: 'decline', r: 'Single agency response', s: ['School family support worker'] },
      'screening',
    );
    const missing = await w.t.post(w.token.screener, SIGNPOST, {
      input: { referralId, entryIds: ['00000000-0000-4000-8000-000000000abc'] },
    });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'entryIds' });
    const res = await w.ok(w.token.screener, SIGNPOST, {
      input: { referralId, entryIds: [offerId, advicePoints.central] },
    });
    expect(res.signpostCase.map((s: { entryName: string }) => s.entryName).sort()).toEqual([
      'Advice Point central',
      'School family support worker',
    ]);
    expect(res.signpostCase[0]).toMatchObject({ context: 'declined_referral', signpostedOn: w.today() });
    expect(
      await w.t.database.db.$count(caseEvents, and(eq(caseEvents.childId, c.id), eq(caseEvents.kind, 'signposted'))),
    ).toBe(1);
    const audit = await w.t.database.db
      .select()
      .from(accessAudit)
      .where(and(eq(accessAudit.childId, c.id), eq(accessAudit.callerSubject, 'wf-screener')));
    expect(audit.flatMap((a) => a.changes as { action: string }[]).map((x) => x.action)).toContain('signpostCase');
    // The school (on roll, early_help consent) reads where the family was signposted; another school cannot.
    expect((await w.ok(w.token.school, SIGNPOSTS, { c: c.id }, 'direct_support')).caseSignposts).toHaveLength(2);
    expect(
      (await w.t.post(w.token.otherSchool, SIGNPOSTS, { c: c.id }, 'direct_support')).errors?.[0]?.extensions?.code,
    ).toBe('NO_RELATIONSHIP');
  });

  it('signposts a closure; an open EHA cannot be signposted', async () => {
    const open = await caseIn(w, 'plan_in_place');
    expect(
      (await w.t.post(w.token.fsm, SIGNPOST, { input: { ehaId: open.ehaId, entryIds: [offerId] } })).errors?.[0]
        ?.extensions?.code,
    ).toBe('INVALID_TRANSITION');
    const closed = await caseIn(w, 'closed');
    const res = await w.ok(w.token.fsm, SIGNPOST, { input: { ehaId: closed.ehaId, entryIds: [advicePoints.central] } });
    expect(res.signpostCase).toEqual([
      { entryId: advicePoints.central, entryName: 'Advice Point central', context: 'closure', signpostedOn: w.today() },
    ]);
    expect(await w.t.database.db.$count(caseSignposts, eq(caseSignposts.childId, closed.childId))).toBe(1);
  });

  it("counts Advice Point contacts without recording any person; only the Advice Point's organisation counts them", async () => {
    const before = await w.t.database.db.$count(caseEvents);
    for (const topic of ['financial_stability', 'financial_stability', 'secure_housing']) {
      expect(
        (
          await w.ok(w.token.screener, CONTACT, {
            input: { advicePointId: advicePoints.east, contactedOn: w.today(), topic, channel: 'drop_in' },
          })
        ).recordAdvicePointContact,
      ).toBe(true);
    }
    expect(await w.t.database.db.$count(caseEvents)).toBe(before);
    expect(Object.keys(advicePointContacts)).not.toContain('childId');
    const counts = await w.ok(w.token.screener, COUNTS, {});
    expect(counts.advicePointContactCounts).toEqual([
      {
        advicePointId: advicePoints.east,
        name: 'Advice Point east',
        cluster: 'east',
        topic: 'financial_stability',
        contacts: 2,
      },
      {
        advicePointId: advicePoints.east,
        name: 'Advice Point east',
        cluster: 'east',
        topic: 'secure_housing',
        contacts: 1,
      },
    ]);
    const otherCouncil = await w.f.org('dir-other-council', 'council_early_help');
    const stranger = await w.t.token({ role: 'eh_das_screener', org: otherCouncil, sub: 'dir-stranger' });
    expect(
      (
        await w.t.post(stranger, CONTACT, {
          input: { advicePointId: advicePoints.east, contactedOn: w.today(), topic: 'other', channel: 'phone' },
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const badTopic = await w.t.post(w.token.screener, CONTACT, {
      input: { advicePointId: advicePoints.east, contactedOn: w.today(), topic: 'gossip', channel: 'phone' },
    });
    expect(badTopic.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'topic' });
    expect(await w.t.database.db.$count(advicePointContacts)).toBe(3);
  });
});
