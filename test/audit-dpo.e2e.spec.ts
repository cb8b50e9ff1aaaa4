/**
 * The access audit end to end: a school's read shows up in the DPO's access log with the right basis and
 * its redactions; the DPO can read audit data but never case content; subject-access export
 * (GraphQL and download) includes every table naming the child and follows merges; overrides
 * awaiting review; anomaly flags; the lead practitioner's notify-on-access.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { involvements } from '../schema';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const LOOK = `query Look($id: ID) { child(id: $id) { id givenName nhsNumber family { relation } } }`;
const LOG = `query Log($childId: ID, $organisationId: ID, $practitionerId: String, $from: DateTime!, $to: DateTime!, $first: Int, $after: String) {
  accessLog(childId: $childId, organisationId: $organisationId, practitionerId: $practitionerId, from: $from, to: $to, first: $first, after: $after) {
    count pageInfo { hasNextPage endCursor }
    nodes { seq requestId occurredAt callerSubject callerOrganisationId callerRole clientId purpose operation childId
      categoriesReturned fieldsReturned fieldsRedacted { field category code } basis { category basis } changes { action fields } flags }
  }
}`;

describe('access audit for the DPO', () => {
  let t: TestHub;
  let f: Fixture;
  let school: string;
  let dpoOrg: string;
  let schoolToken: string;
  let dpoToken: string;
  let withConsent: { id: string; nhsNumber: string; upn: string };
  let noConsent: { id: string; nhsNumber: string; upn: string };
  let consentId: string;
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = () => new Date(Date.now() + 3_600_000).toISOString();

  beforeAll(async () => {
    t = await startTestHub();
    f = fixture(t.database.db);
    school = await f.org('school', 'school');
    dpoOrg = await f.org('council', 'council_early_help');
    withConsent = await f.child();
    noConsent = await f.child();
    await f.involve(withConsent.id, school, 'on_roll');
    await f.involve(noConsent.id, school, 'on_roll');
    consentId = await f.consent(withConsent.id, { organisationIds: [school], categories: ['family'] });
    schoolToken = await t.token({
      role: 'school_dsl',
      org: school,
      sub: 'school-dsl-1',
      clientId: 'school-mis-plugin',
    });
    dpoToken = await t.token({ role: 'dpo', org: dpoOrg, sub: 'dpo-1' });
  });
  afterAll(() => t.close());

  it("shows a school's read, with the basis of each category and the redacted field and why", async () => {
    const read = await t.post(schoolToken, LOOK, { id: noConsent.id });
    expect(read.status).toBe(200);
    expect(read.data.child.givenName).toBeTruthy();
    expect(read.data.child.family).toBeNull();
    expect(read.errors?.map((e) => e.extensions?.code)).toEqual(['CONSENT_REQUIRED']);

    const log = await t.post(dpoToken, LOG, { childId: noConsent.id, from, to: to() }, 'audit');
    expect(log.errors).toBeUndefined();
    expect(log.data.accessLog.count).toBe(1);
    const [entry] = log.data.accessLog.nodes;
    expect(entry).toMatchObject({
      requestId: read.extensions!.requestId,
      callerSubject: 'school-dsl-1',
      callerOrganisationId: school,
      callerRole: 'school_dsl',
      clientId: 'school-mis-plugin',
      purpose: 'direct_support',
      operation: 'query',
      childId: noConsent.id,
      categoriesReturned: ['identifiers', 'identity'],
      fieldsReturned: ['Child.givenName', 'Child.nhsNumber'],
      fieldsRedacted: [{ field: 'Child.family', category: 'family', code: 'CONSENT_REQUIRED' }],
      changes: [],
      flags: [],
    });
    expect(entry.basis).toEqual([
      { category: 'identifiers', basis: 'isa:Education Act 2002 s175; KCSIE: own pupil record' },
      { category: 'identity', basis: 'isa:Education Act 2002 s175; KCSIE: own pupil record' },
    ]);
    // Audit metadata only: no value from the child's record reaches the DPO.
    expect(JSON.stringify(log.data)).not.toContain(read.data.child.givenName);
    expect(JSON.stringify(log.data)).not.toContain(noConsent.nhsNumber);
  });

  it('records the consent a category was shared on', async () => {
    const read = await t.post(schoolToken, LOOK, { id: withConsent.id });
    expect(read.errors).toBeUndefined();
    const log = await t.post(dpoToken, LOG, { childId: withConsent.id, from, to: to() }, 'audit');
    const entry = log.data.accessLog.nodes.find(
      (n: { requestId: string }) => n.requestId === read.extensions!.requestId,
    );
    expect(entry.categoriesReturned).toEqual(['family', 'identifiers', 'identity']);
    expect(entry.basis).toContainEqual({ category: 'family', basis: `consent:${consentId}` });
    expect(entry.fieldsRedacted).toEqual([]);
  });

  it("audits the DPO's own reading of the log, with the purpose the DPO gave", async () => {
    const log = await t.post(dpoToken, LOG, { childId: noConsent.id, from, to: to() }, 'audit');
    const own = log.data.accessLog.nodes.filter((n: { callerRole: string }) => n.callerRole === 'dpo');
    expect(own.length).toBeGreaterThanOrEqual(1);
    expect(own[0]).toMatchObject({
      purpose: 'audit',
      fieldsReturned: ['Query.accessLog'],
      categoriesReturned: [],
      callerSubject: 'dpo-1',
    });
  });

  it('gives the DPO no case content through the normal queries', async () => {
    const one = await t.post(dpoToken, LOOK, { id: noConsent.id }, 'audit');
    expect(one.data?.child ?? null).toBeNull();
    expect(['FORBIDDEN', 'NO_RELATIONSHIP']).toContain(one.errors?.[0]?.extensions?.code);
    const list = await t.post(dpoToken, '{ children(first: 10) { nodes { id givenName } } }', {}, 'audit');
    expect(list.data?.children ?? null).toBeNull();
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify([one, list])).not.toContain(noConsent.nhsNumber);
  });

  it('refuses audit queries to anyone but the DPO', async () => {
    const res = await t.post(schoolToken, LOG, { childId: noConsent.id, from, to: to() }, 'audit');
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.data?.accessLog ?? null).toBeNull();
  });

  it('validates the filter, the window, the page size and the purpose', async () => {
    const two = await t.post(dpoToken, LOG, { childId: noConsent.id, organisationId: school, from, to: to() }, 'audit');
    expect(two.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childId' });
    const none = await t.post(dpoToken, LOG, { from, to: to() }, 'audit');
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'childId' });
    const backwards = await t.post(dpoToken, LOG, { childId: noConsent.id, from: to(), to: from }, 'audit');
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    for (const first of [0, 201]) {
      const bad = await t.post(dpoToken, LOG, { childId: noConsent.id, from, to: to(), first }, 'audit');
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
    const purpose = await t.post(dpoToken, LOG, { childId: noConsent.id, from, to: to() }, 'direct_support');
    expect(purpose.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'x-purpose-of-use' });
    const cursor = await t.post(dpoToken, LOG, { childId: noConsent.id, from, to: to(), after: 'bm9wZQ' }, 'audit');
    expect(cursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('pages by organisation and by practitioner with a cursor, in chain order, without repeats', async () => {
    for (let i = 0; i < 3; i++) await t.post(schoolToken, LOOK, { id: withConsent.id });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: any = await t.post(
        dpoToken,
        LOG,
        { organisationId: school, from, to: to(), first: 2, after },
        'audit',
      );
      expect(res.errors).toBeUndefined();
      seen.push(...res.data.accessLog.nodes.map((n: { seq: string }) => n.seq));
      for (const n of res.data.accessLog.nodes) expect(n.callerOrganisationId).toBe(school);
      if (!res.data.accessLog.pageInfo.hasNextPage) break;
      after = res.data.accessLog.pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));
    const bySubject = await t.post(
      dpoToken,
      LOG,
      { practitionerId: 'school-dsl-1', from, to: to(), first: 200 },
      'audit',
    );
    expect(bySubject.data.accessLog.nodes.map((n: { seq: string }) => n.seq)).toEqual(seen);
  });

  it('exports everything held about a child, from every hub table naming it, with the history of merged records', async () => {
    // A table that is not the hub's (made by hand, an import's staging table, another application's)
    // is not exported, though it has a child_id column: the report answers for the hub's own tables.
    await t.database.db.execute(
      sql`create table later_module_notes (id serial primary key, child_id uuid not null, note text not null)`,
    );
    await t.database.db.execute(
      sql`insert into later_module_notes (child_id, note) values (${withConsent.id}, 'synthetic note')`,
    );
    const duplicate = await f.child({ nhsNumber: null, upn: null });
    await f.involve(duplicate.id, school, 'on_roll');
    const dupRead = await t.post(schoolToken, LOOK, { id: duplicate.id });
    expect(dupRead.status).toBe(200);
    await t.services.children.merge(duplicate.id, withConsent.id, 'Same child recorded twice (test)', 'test');

    const res = await t.post(
      dpoToken,
      'query ($id: ID!) { subjectAccessReport(childId: $id) }',
      { id: duplicate.id },
      'subject_access',
    );
    expect(res.errors).toBeUndefined();
    const report = res.data.subjectAccessReport;
    expect(report.childId).toBe(withConsent.id);
    expect(report.mergedChildIds).toEqual([duplicate.id]);
    expect(report.records.children.map((c: { id: string }) => c.id).sort()).toEqual(
      [withConsent.id, duplicate.id].sort(),
    );
    expect(report.records.consents.map((c: { id: string }) => c.id)).toContain(consentId);
    expect(report.records.involvements.length).toBeGreaterThanOrEqual(2);
    expect(report.records.later_module_notes).toBeUndefined();
    expect(JSON.stringify(report)).not.toContain('synthetic note');
    const requestIds = report.accessHistory.map((h: { requestId: string }) => h.requestId);
    expect(requestIds).toContain(dupRead.extensions!.requestId);
    expect(
      report.accessHistory.filter((h: { childId: string }) => h.childId === duplicate.id).length,
    ).toBeGreaterThanOrEqual(1);

    // The export is itself audited, as a disclosure of every category for subject access.
    const log = await t.post(dpoToken, LOG, { childId: withConsent.id, from, to: to(), first: 200 }, 'audit');
    const sar = log.data.accessLog.nodes.find((n: { requestId: string }) => n.requestId === res.extensions!.requestId);
    expect(sar).toMatchObject({
      callerRole: 'dpo',
      purpose: 'subject_access',
      fieldsReturned: ['Query.subjectAccessReport'],
    });
    expect(sar.categoriesReturned).toContain('health');

    const wrongPurpose = await t.post(
      dpoToken,
      'query ($id: ID!) { subjectAccessReport(childId: $id) }',
      { id: withConsent.id },
      'audit',
    );
    expect(wrongPurpose.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'x-purpose-of-use' });
    const bySchool = await t.post(
      schoolToken,
      'query ($id: ID!) { subjectAccessReport(childId: $id) }',
      { id: withConsent.id },
      'subject_access',
    );
    expect(bySchool.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(bySchool.data?.subjectAccessReport ?? null).toBeNull();
  });

  it('serves the export as a download to the DPO only, audited before it is sent', async () => {
    const base = t.url.replace(/\/graphql$/, '');
    const get = (token: string | null, id = withConsent.id) =>
      fetch(`${base}/dpo/subject-access/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const ok = await get(dpoToken);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe(`attachment; filename="subject-access-${withConsent.id}.json"`);
    const body: any = await ok.json();
    expect(body.childId).toBe(withConsent.id);
    expect(body.records.children.length).toBe(2);
    const requestId = ok.headers.get('x-request-id');
    const log = await t.post(dpoToken, LOG, { childId: withConsent.id, from, to: to(), first: 200 }, 'audit');
    expect(log.data.accessLog.nodes.find((n: { requestId: string }) => n.requestId === requestId)).toMatchObject({
      operation: 'download',
      purpose: 'subject_access',
    });

    const asSchool = await get(schoolToken);
    expect(asSchool.status).toBe(403);
    expect(JSON.stringify(await asSchool.json())).not.toContain(withConsent.nhsNumber);
    expect((await get(null)).status).toBe(401);
    expect((await get(dpoToken, 'not-an-id')).status).toBe(400);
    expect((await get(dpoToken, '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11')).status).toBe(404);
  });

  it('serves the report as CSV or a printable page, by format or Accept, naming organisations, each download audited', async () => {
    const base = t.url.replace(/\/graphql$/, '');
    const get = (query: string, accept?: string) =>
      fetch(`${base}/dpo/subject-access/${withConsent.id}${query}`, {
        headers: { authorization: `Bearer ${dpoToken}`, ...(accept ? { accept } : {}) },
      });
    const schoolName = 'Test school';

    const csv = await get('?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="subject-access-${withConsent.id}.csv"`);
    const csvText = await csv.text();
    expect(csvText.split('\r\n')[0]).toBe('section,record,field,value');
    expect(csvText).toContain(`involvements,1,organisation,${schoolName}`);
    expect(csvText).not.toContain(school);
    expect(csvText).toContain(`children,1,id,${withConsent.id}`);

    const html = await get('', 'text/html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain('<h1>Subject access report</h1>');
    expect(page).toContain(`<td>${schoolName}</td>`);
    expect(page).not.toContain(school);

    expect((await get('', 'application/json')).headers.get('content-type')).toMatch(/^application\/json/);
    const bad = await get('?format=pdf');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('format');

    const log = await t.post(dpoToken, LOG, { childId: withConsent.id, from, to: to(), first: 200 }, 'audit');
    for (const res of [csv, html]) {
      expect(
        log.data.accessLog.nodes.find((n: { requestId: string }) => n.requestId === res.headers.get('x-request-id')),
      ).toMatchObject({ operation: 'download', purpose: 'subject_access' });
    }
    expect(
      log.data.accessLog.nodes.find((n: { requestId: string }) => n.requestId === bad.headers.get('x-request-id')),
    ).toBeUndefined();
  });

  it('lists overrides awaiting review and records one review, with a note, once', async () => {
    const child = await f.child();
    const overrideId = await f.override(child.id, {
      categories: ['health'],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const LIST =
      '{ overridesAwaitingReview(first: 200) { count nodes { id childId categories justification reviewStatus } } }';
    const list = await t.post(dpoToken, LIST, {}, 'audit');
    expect(list.errors).toBeUndefined();
    expect(list.data.overridesAwaitingReview.nodes).toContainEqual(
      expect.objectContaining({ id: overrideId, childId: child.id, categories: ['health'], reviewStatus: 'pending' }),
    );

    const REVIEW =
      'mutation ($id: ID!, $outcome: ReviewOutcome!, $note: String!) { reviewOverride(id: $id, outcome: $outcome, note: $note) { id reviewStatus reviewNote reviewedAt } }';
    const blank = await t.post(dpoToken, REVIEW, { id: overrideId, outcome: 'UPHELD', note: '  ' }, 'audit');
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    const bySchool = await t.post(schoolToken, REVIEW, { id: overrideId, outcome: 'UPHELD', note: 'x' });
    expect(bySchool.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const still = await t.post(dpoToken, LIST, {}, 'audit');
    expect(still.data.overridesAwaitingReview.nodes.map((n: { id: string }) => n.id)).toContain(overrideId);

    const done = await t.post(
      dpoToken,
      REVIEW,
      { id: overrideId, outcome: 'UPHELD', note: 'Risk of harm documented; sharing proportionate.' },
      'audit',
    );
    expect(done.errors).toBeUndefined();
    expect(done.data.reviewOverride).toMatchObject({
      id: overrideId,
      reviewStatus: 'upheld',
      reviewNote: 'Risk of harm documented; sharing proportionate.',
    });
    const again = await t.post(
      dpoToken,
      REVIEW,
      { id: overrideId, outcome: 'NOT_UPHELD', note: 'Second thoughts' },
      'audit',
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const missing = await t.post(
      dpoToken,
      REVIEW,
      { id: '6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11', outcome: 'UPHELD', note: 'n' },
      'audit',
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const after = await t.post(dpoToken, LIST, {}, 'audit');
    expect(after.data.overridesAwaitingReview.nodes.map((n: { id: string }) => n.id)).not.toContain(overrideId);
    const log = await t.post(dpoToken, LOG, { childId: child.id, from, to: to() }, 'audit');
    expect(log.data.accessLog.nodes.flatMap((n: { changes: unknown[] }) => n.changes)).toContainEqual({
      action: 'reviewOverride',
      fields: ['reviewNote', 'reviewStatus', 'reviewedAt', 'reviewedBySubject'],
    });
  });

  it('flags access outside any relationship, override use and unusual volume', async () => {
    const stranger = await f.child();
    const refused = await t.post(schoolToken, LOOK, { id: stranger.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const guarded = await f.child();
    await f.involve(guarded.id, school, 'on_roll');
    const overrideId = await f.override(guarded.id, {
      categories: ['family'],
      expiresAt: new Date(Date.now() + 86_400_000),
      recipientOrganisationIds: [school],
    });
    const viaOverride = await t.post(schoolToken, LOOK, { id: guarded.id });
    expect(viaOverride.errors).toBeUndefined();

    const Q =
      'query ($from: DateTime!, $to: DateTime!, $n: Int) { auditAnomalies(from: $from, to: $to, volumeThresholdPerHour: $n) { kind seq childId callerSubject callerRole count } }';
    const res = await t.post(dpoToken, Q, { from, to: to(), n: 3 }, 'audit');
    expect(res.errors).toBeUndefined();
    const found = res.data.auditAnomalies;
    expect(found).toContainEqual(
      expect.objectContaining({ kind: 'NO_RELATIONSHIP', childId: stranger.id, callerSubject: 'school-dsl-1' }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ kind: 'OVERRIDE_USED', childId: guarded.id, callerRole: 'school_dsl' }),
    );
    const volume = found.find(
      (a: { kind: string; callerSubject: string }) => a.kind === 'UNUSUAL_VOLUME' && a.callerSubject === 'school-dsl-1',
    );
    expect(volume.count).toBeGreaterThan(3);
    const log = await t.post(dpoToken, LOG, { childId: guarded.id, from, to: to() }, 'audit');
    const entry = log.data.accessLog.nodes.find(
      (n: { requestId: string }) => n.requestId === viaOverride.extensions!.requestId,
    );
    expect(entry.basis).toContainEqual({ category: 'family', basis: `override:${overrideId}` });
    expect(entry.flags).toEqual(['override_used']);

    const high = await t.post(dpoToken, Q, { from, to: to(), n: 10_000 }, 'audit');
    expect(high.data.auditAnomalies.filter((a: { kind: string }) => a.kind === 'UNUSUAL_VOLUME')).toEqual([]);
  });

  it('tells the lead practitioner who outside the team around the family viewed the child, without case content', async () => {
    const council = await f.org('early-help', 'council_early_help');
    const police = await f.org('police', 'police');
    const lead = await f.practitioner(council, 'lead-1', 'lead_practitioner');
    const other = await f.practitioner(council, 'not-lead-1', 'lead_practitioner');
    const child = await f.child();
    await f.involve(child.id, council, 'lead_practitioner', { practitionerId: lead });
    await f.involve(child.id, school, 'on_roll');
    await f.involve(child.id, police, 'police_notification');
    const policeToken = await t.token({ role: 'police_officer', org: police, sub: 'officer-1' });
    expect((await t.post(policeToken, LOOK, { id: child.id }, 'safeguarding')).data.child.id).toBe(child.id);
    expect((await t.post(schoolToken, LOOK, { id: child.id })).data.child.id).toBe(child.id);
    // The police involvement ends: the police are no longer part of the team around the family.
    await t.database.db
      .update(involvements)
      .set({ endedOn: '2020-06-01' })
      .where(sql`${involvements.childId} = ${child.id} and ${involvements.organisationId} = ${police}`);

    const Q =
      'query ($id: ID!, $since: DateTime!) { recentAccessByOthers(childId: $id, since: $since) { organisationId organisationName organisationKind callerRole occurredAt categories } }';
    const leadToken = await t.token({ role: 'lead_practitioner', org: council, sub: 'lead-1' });
    const res = await t.post(leadToken, Q, { id: child.id, since: from });
    expect(res.errors).toBeUndefined();
    // Outside the team around the family (the TAF): the police, and the school too — on roll is not on the TAF.
    expect(res.data.recentAccessByOthers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          organisationId: police,
          organisationKind: 'police',
          callerRole: 'police_officer',
          categories: ['identifiers', 'identity'],
        }),
        expect.objectContaining({ organisationId: school, callerRole: 'school_dsl' }),
      ]),
    );
    expect(JSON.stringify(res.data)).not.toContain('officer-1');

    const notLead = await t.post(await t.token({ role: 'lead_practitioner', org: council, sub: 'not-lead-1' }), Q, {
      id: child.id,
      since: from,
    });
    expect(notLead.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    expect(notLead.data?.recentAccessByOthers ?? null).toBeNull();
    expect(other).toBeTruthy();
    const asSchool = await t.post(schoolToken, Q, { id: child.id, since: from });
    expect(asSchool.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
  });
});
