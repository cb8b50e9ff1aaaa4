/**
 * The trusted-operations path (src/gateway/transports/registered-operations.ts) answers registered queries
 * without Apollo's pipeline. It must answer exactly as Apollo does — the same status, content
 * type, body and audit rows — for every kind of request, and hand Apollo whatever it does not
 * answer itself. Two hubs share one database and one list of registered operations: one with the
 * path, one without. Each request goes to both and the answers are compared, then checked against
 * what the request should get, so two paths that were wrong the same way would still fail.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit } from '../schema';
import { operationHash } from '../src/hardening/persisted-operations';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const PUPIL = `query PupilOpenEha($upn: String!) {
  child(upn: $upn) {
    id upn givenName
    openEha { id status cluster nextReviewDue leadPractitioner { name organisationName email phone } planActions { description dueDate status owningOrganisationId } }
  }
}`;
const ME = 'query Me { me { role clientId } }';
const MIS = 'school-mis-plugin';

let database: TestDatabase;
let trusted: TestHub;
let apollo: TestHub;
let schoolId: string;
const pupils: Record<'withConsent' | 'withoutConsent' | 'elsewhere', string> = {
  withConsent: '',
  withoutConsent: '',
  elsewhere: '',
};

interface Sent {
  status: number;
  contentType: string | null;
  body: any;
  audit: unknown[];
}

/** Sends the same request to a hub; the request id is replaced so two hubs' answers compare. */
async function send(
  t: TestHub,
  request: { body: unknown; token?: 'mis' | 'person' | 'none'; purpose?: string | null; accept?: string },
): Promise<Sent> {
  const claims =
    request.token === 'person'
      ? { role: 'school_staff' as const, org: schoolId, sub: 'trusted-person' }
      : { role: 'school_staff' as const, org: schoolId, sub: 'trusted-mis', clientId: MIS };
  const token = request.token === 'none' ? null : await t.token(claims);
  const res = await fetch(t.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(request.purpose === null ? {} : { 'x-purpose-of-use': request.purpose ?? 'direct_support' }),
      ...(request.accept ? { accept: request.accept } : {}),
    },
    body: JSON.stringify(request.body),
  });
  const requestId = res.headers.get('x-request-id')!;
  const text = await res.text();
  const rows = await database.db
    .select()
    .from(accessAudit)
    .where(eq(accessAudit.requestId, requestId))
    .orderBy(accessAudit.seq);
  const audit = rows.map(
    ({ seq: _s, occurredAt: _o, requestId: _r, prevHash: _p, hash: _h, mac: _m, callerSubject: _c, ...row }) => row,
  );
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: JSON.parse(text.split(requestId).join('<request id>')),
    audit,
  };
}

/** Both hubs' answers, after checking they are the same. */
async function both(request: Parameters<typeof send>[1]): Promise<{ answer: Sent; servedByTrusted: boolean }> {
  const before = trusted.hub.trustedOperations!.served();
  const viaTrusted = await send(trusted, request);
  const servedByTrusted = trusted.hub.trustedOperations!.served() > before;
  const viaApollo = await send(apollo, request);
  expect(viaTrusted).toEqual(viaApollo);
  return { answer: viaTrusted, servedByTrusted };
}

async function pupilWithOpenEha(consent: boolean, onRoll: boolean): Promise<string> {
  const f = fixture(database.db);
  const council = await f.org(`trusted-council-${consent}-${onRoll}`, 'council_early_help');
  const lead = await f.practitioner(council, `trusted-lead-${consent}-${onRoll}`, 'lead_practitioner');
  const manager = await f.practitioner(council, `trusted-fsm-${consent}-${onRoll}`, 'family_support_manager');
  const child = await f.child();
  await f.involve(
    child.id,
    onRoll ? schoolId : council,
    onRoll ? 'on_roll' : 'lead_practitioner',
    onRoll ? {} : { practitionerId: lead },
  );
  if (consent)
    await f.consent(child.id, { organisationKinds: ['school'], categories: ['early_help', 'identity', 'identifiers'] });
  await f.openEhaWithPlan(child.id, {
    familySupportManagerId: manager,
    leadPractitionerId: lead,
    actions: [
      { owningOrganisationId: schoolId, description: 'School action', dueDate: '2026-02-16' },
      { owningOrganisationId: council, description: 'Council action', dueDate: '2026-03-02' },
    ],
  });
  return child.upn;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const file = join(mkdtempSync(join(tmpdir(), 'ehh-trusted-')), 'operations.json');
  writeFileSync(file, JSON.stringify({ [MIS]: [PUPIL, ME], 'another-client': ['query Other { me { role } }'] }));
  trusted = await startTestHub({ database, hardening: { persistedOperationsFile: file } });
  apollo = await startTestHub({ database, hardening: { persistedOperationsFile: file }, trustedOperations: false });
  schoolId = await fixture(database.db).org('trusted-school', 'school');
  pupils.withConsent = await pupilWithOpenEha(true, true);
  pupils.withoutConsent = await pupilWithOpenEha(false, true);
  pupils.elsewhere = await pupilWithOpenEha(true, false);
}, 120_000);

afterAll(async () => {
  await trusted?.close();
  await apollo?.close();
  await database?.destroy();
});

describe('registered queries answered outside Apollo answer exactly as Apollo does', () => {
  it('compiles the registered queries and nothing else', () => {
    expect(apollo.hub.trustedOperations).toBeNull();
    expect([...trusted.hub.trustedOperations!.byHash.keys()].sort()).toEqual(
      [operationHash(PUPIL), operationHash(ME), operationHash('query Other { me { role } }')].sort(),
    );
  });

  it("a pupil with consent: the open EHA, its lead contact and the school's plan actions, one audit row", async () => {
    const { answer, servedByTrusted } = await both({ body: { query: PUPIL, variables: { upn: pupils.withConsent } } });
    expect(servedByTrusted).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.extensions).toEqual({ requestId: '<request id>' });
    expect(answer.body.data.child.openEha).toMatchObject({
      status: 'plan_in_place',
      leadPractitioner: { organisationName: expect.any(String) },
    });
    // A school sees the actions it owns, not the council's.
    expect(answer.body.data.child.openEha.planActions).toEqual([
      {
        description: 'School action',
        dueDate: '2026-02-16',
        status: expect.any(String),
        owningOrganisationId: schoolId,
      },
    ]);
    expect(answer.audit).toHaveLength(1);
    expect(answer.audit[0]).toMatchObject({
      operation: 'query',
      operationName: 'PupilOpenEha',
      clientId: MIS,
      purpose: 'direct_support',
    });
    expect((answer.audit[0] as { fieldsReturned: string[] }).fieldsReturned).toContain('Eha.status');
  });

  it('a pupil without consent: the early help fields refused with CONSENT_REQUIRED, and audited as refused', async () => {
    const { answer, servedByTrusted } = await both({
      body: { query: PUPIL, variables: { upn: pupils.withoutConsent } },
    });
    expect(servedByTrusted).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.body.data.child.id).toEqual(expect.any(String));
    expect(answer.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain(
      'CONSENT_REQUIRED',
    );
    expect(answer.audit).toHaveLength(1);
    expect(Object.keys((answer.audit[0] as { fieldsRedacted: object }).fieldsRedacted).length).toBeGreaterThan(0);
  });

  it('a child the school has no relationship with: NO_RELATIONSHIP, nothing about the child, flagged in the audit', async () => {
    const { answer, servedByTrusted } = await both({ body: { query: PUPIL, variables: { upn: pupils.elsewhere } } });
    expect(servedByTrusted).toBe(true);
    expect(answer.body.data).toEqual({ child: null });
    expect(answer.body.errors).toMatchObject([{ extensions: { code: 'NO_RELATIONSHIP' } }]);
    expect(answer.audit).toMatchObject([{ flags: ['no_relationship'] }]);
  });

  it('an invalid UPN: BAD_USER_INPUT naming the field, no audit row of a child', async () => {
    const { answer, servedByTrusted } = await both({ body: { query: PUPIL, variables: { upn: 'not-a-upn' } } });
    expect(servedByTrusted).toBe(true);
    expect(answer.body.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', field: 'upn' } }]);
    expect(answer.audit).toEqual([]);
  });

  it('by hash alone, from the client whose allow-list holds it', async () => {
    const byHash = await both({
      body: {
        extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(PUPIL) } },
        variables: { upn: pupils.withConsent },
      },
    });
    expect(byHash.servedByTrusted).toBe(true);
    const byText = await both({ body: { query: PUPIL, variables: { upn: pupils.withConsent } } });
    expect(byHash.answer.body).toEqual(byText.answer.body);
  });

  it('a caller without an allow-list may send a registered text; a bare hash is refused as Apollo refuses it', async () => {
    const text = await both({ token: 'person', body: { query: PUPIL, variables: { upn: pupils.withConsent } } });
    expect(text.servedByTrusted).toBe(true);
    expect(text.answer.body.data.child.upn).toBe(pupils.withConsent);
    const hash = await both({
      token: 'person',
      body: {
        extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(PUPIL) } },
        variables: { upn: pupils.withConsent },
      },
    });
    expect(hash.servedByTrusted).toBe(false);
    expect(hash.answer.body.data).toBeUndefined();
  });

  it('the graphql-response+json media type when the client prefers it', async () => {
    const { answer, servedByTrusted } = await both({
      accept: 'application/graphql-response+json, application/json;q=0.9',
      body: { query: ME },
    });
    expect(servedByTrusted).toBe(true);
    expect(answer.contentType).toBe('application/graphql-response+json; charset=utf-8');
    expect(answer.body.data.me).toEqual({ role: 'school_staff', clientId: MIS });
  });

  // Handed to Apollo: each answer must still be Apollo's, with the context built only once.
  it.each([
    ['a missing variable (400, BAD_USER_INPUT)', { body: { query: PUPIL } }, 400],
    ['a variable of the wrong type', { body: { query: PUPIL, variables: { upn: 42 } } }, 400],
    ["another client's registered operation (403)", { body: { query: 'query Other { me { role } }' } }, 403],
    ['an unregistered operation (403)', { body: { query: '{ me { role subject } }' } }, 403],
    ['another operation name', { body: { query: ME, operationName: 'NotMe' } }, 400],
    ['no token (401)', { token: 'none' as const, body: { query: ME } }, 401],
    [
      'a purpose that does not exist (400)',
      { purpose: 'curiosity', body: { query: PUPIL, variables: { upn: pupils.withConsent } } },
      400,
    ],
    ['a batch', { body: [{ query: ME }] }, 400],
    ['an accept header Apollo cannot answer (406)', { accept: 'text/html', body: { query: ME } }, 406],
  ])('%s', async (_name, request, status) => {
    const { answer, servedByTrusted } = await both(request);
    expect(servedByTrusted).toBe(false);
    expect(answer.status).toBe(status);
    expect(answer.body.errors.length).toBeGreaterThan(0);
    expect(answer.audit).toEqual([]);
  });

  it('withholds the data with 503 when the audit cannot be written', async () => {
    const failing = async () => {
      throw new Error('database unavailable');
    };
    const records = [trusted.services.audit.record, apollo.services.audit.record];
    trusted.services.audit.record = failing;
    apollo.services.audit.record = failing;
    try {
      const { answer, servedByTrusted } = await both({
        body: { query: PUPIL, variables: { upn: pupils.withConsent } },
      });
      expect(servedByTrusted).toBe(true);
      expect(answer.status).toBe(503);
      expect(answer.body.data).toBeUndefined();
      expect(JSON.stringify(answer.body)).not.toContain(pupils.withConsent);
    } finally {
      [trusted.services.audit.record, apollo.services.audit.record] = records as [typeof failing, typeof failing];
    }
  });
});
