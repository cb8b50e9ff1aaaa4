/**
 * Attack suite, part 1 (operations and HTTP), over real HTTP: deep query, alias flood, root-field
 * flood, circular fragments, fragment bomb, cost, token flood, batch array, oversize and broken
 * bodies, introspection and field suggestions in production, rate limits, persisted operations,
 * security headers and CORS, and masking of unexpected errors (resolver and context).
 * Token attacks: attacks-tokens.e2e.spec.ts; SQL injection: attacks-injection.e2e.spec.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationHash } from '../src/hardening/persisted-operations';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { memoryLogger, type MemoryLogger } from './support/memory-logger';

const ME = '{ me { role } }';

async function postRaw(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as { errors?: { message: string; extensions?: Record<string, any> }[]; data?: any },
  };
}

function codes(res: { errors?: { extensions?: Record<string, any> }[] }): string[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

describe('attacks on operations and HTTP', () => {
  let t: TestHub;
  let prod: TestHub;
  let f: Fixture;
  let org: string;
  let token: string;
  let log: MemoryLogger;
  let pupil: { id: string; nhsNumber: string; upn: string };

  beforeAll(async () => {
    log = memoryLogger();
    t = await startTestHub({ logger: log.logger, hardening: { corsOrigins: ['https://dpo.example.test'] } });
    prod = await startTestHub({ database: t.database, hardening: { introspection: false, hsts: true } });
    f = fixture(t.database.db);
    org = await f.org('school', 'school');
    pupil = await f.child();
    await f.involve(pupil.id, org, 'on_roll');
    token = await t.token({ role: 'school_dsl', org });
  });
  afterAll(async () => {
    await prod.close();
    await t.close();
  });

  it('logs a refused list read once: one request line, no error line per redacted field', async () => {
    const vcs = await f.org('vcs', 'voluntary');
    for (let i = 0; i < 3; i++) await f.involve((await f.child()).id, vcs, 'vcs_support');
    const vcsToken = await t.token({ role: 'vcs_worker', org: vcs });
    const res = await t.post(
      vcsToken,
      '{ children(first: 10) { nodes { id givenName nhsNumber postcode hasSend } } }',
      {},
      'direct_support',
    );
    expect(res.errors!.length).toBeGreaterThanOrEqual(6); // refused field by field, child by child
    const lines = log.lines.map((l) => JSON.parse(l)).filter((l) => l.requestId === res.extensions!.requestId);
    expect(lines.map((l) => l.msg)).toEqual(['request']);
  });

  it('refuses a query deeper than maxDepth with GRAPHQL_VALIDATION_FAILED naming the limit', async () => {
    const deep = `{ me { ${'a { '.repeat(14)}b${' }'.repeat(14)} } }`;
    const res = await t.post(token, deep);
    expect(res.status).toBe(400);
    const error = res.errors!.find((e) => e.extensions?.limit === 'maxDepth');
    expect(error?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth', maximum: 12 });
  });

  it('refuses an alias flood', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `r${i}: role`).join(' ');
    const res = await t.post(token, `{ me { ${aliases} } }`);
    expect(res.status).toBe(400);
    expect(res.errors!.map((e) => e.extensions)).toContainEqual(
      expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxAliases' }),
    );
  });

  it('refuses too many top-level fields', async () => {
    const res = await t.post(token, `{ ${'me { role } '.repeat(40)} }`);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'maxRootFields',
      maximum: 15,
    });
  });

  it('refuses circular fragments without hanging', async () => {
    const res = await t.post(
      token,
      'query { me { ...A } } fragment A on CallerInfo { role ...B } fragment B on CallerInfo { subject ...A }',
    );
    expect(res.status).toBe(400);
    expect(codes(res)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors!.some((e) => /cannot spread fragment "A" within itself/i.test(e.message))).toBe(true);
  });

  it('refuses a fragment bomb (each fragment spreading the next many times)', async () => {
    const n = 12;
    const fragments = Array.from({ length: n }, (_, i) =>
      i === n - 1
        ? `fragment F${i} on CallerInfo { role }`
        : `fragment F${i} on CallerInfo { ...F${i + 1} ...F${i + 1} ...F${i + 1} ...F${i + 1} }`,
    ).join(' ');
    const started = Date.now();
    const res = await t.post(token, `{ me { ...F0 } } ${fragments}`);
    expect(res.status).toBe(400);
    expect(res.errors!.map((e) => e.extensions?.limit)).toContain('maxSelections');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses an operation whose cost (page size × selection) is over maxCost, also when the page size is a variable', async () => {
    const query =
      'query ($n: Int!) { children(first: $n) { nodes { id givenName familyName dateOfBirth nhsNumber upn postcode } } }';
    const res = await t.post(token, query, { n: 100_000 });
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'maxCost',
      maximum: 20_000,
    });
    const fine = await t.post(token, query, { n: 50 });
    expect(fine.errors).toBeUndefined();
    expect(fine.data.children.nodes).toHaveLength(1);
    // Costs are remembered per document and page size: the same text with the large page size again is still refused.
    expect((await t.post(token, query, { n: 100_000 })).status).toBe(400);
    expect((await t.post(token, query, { n: 50 })).errors).toBeUndefined();
  });

  it('refuses a document with more tokens than the parser budget', async () => {
    const res = await t.post(token, `{ me { ${'role '.repeat(12_000)} } }`);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors![0]!.message).toMatch(/2000 tokens/);
  });

  it('refuses a batch (JSON array of operations) with a clear error', async () => {
    const res = await postRaw(t.url, JSON.stringify([{ query: ME }, { query: ME }]), {
      authorization: `Bearer ${token}`,
    });
    expect(res.status).toBe(400);
    expect(res.json().errors![0]!.extensions!.code).toBe('BAD_REQUEST');
    expect(res.json().errors![0]!.message).toMatch(/batching/i);
  });

  it('refuses an oversize body with 413 and a GraphQL-shaped JSON error, not HTML', async () => {
    const body = JSON.stringify({ query: ME, variables: { pad: 'x'.repeat(1_100_000) } });
    const res = await postRaw(t.url, body, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.json().errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      limit: 'bodyLimit',
      maximum: '1mb',
    });
    expect(res.text).not.toMatch(/<html|<pre|at \w+ \(/i);
  });

  it('answers a body that is not JSON with 400 JSON', async () => {
    const res = await postRaw(t.url, '{"query": ', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    expect(res.json().errors![0]!.extensions!.code).toBe('BAD_REQUEST');
    expect(res.text).not.toMatch(/<html|SyntaxError|at \w+ \(/i);
  });

  it('refuses introspection and hides field suggestions in production, allows both in development', async () => {
    const prodToken = await prod.token({ role: 'school_dsl', org });
    for (const q of ['{ __schema { types { name } } }', '{ __type(name: "Child") { fields { name } } }']) {
      const refused = await prod.post(prodToken, q);
      expect(refused.status).toBe(400);
      expect(codes(refused)).toContain('GRAPHQL_VALIDATION_FAILED');
      expect(refused.data ?? null).toBeNull();
    }
    const probe = '{ chil(id: "x") { id } }';
    const prodProbe = await prod.post(prodToken, probe);
    expect(codes(prodProbe)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(prodProbe.errors)).not.toMatch(/did you mean|"child"/i);

    const devIntrospection = await t.post(token, '{ __schema { queryType { name } } }');
    expect(devIntrospection.data.__schema.queryType.name).toBe('Query');
    const devProbe = await t.post(token, probe);
    expect(JSON.stringify(devProbe.errors)).toMatch(/did you mean/i);
  });

  it('sets security headers, and HSTS only where configured (production)', async () => {
    const res = await postRaw(t.url, JSON.stringify({ query: ME }), { authorization: `Bearer ${token}` });
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const prodRes = await fetch(prod.url.replace('/graphql', '/healthz'));
    expect(prodRes.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(t.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const allowed = await preflight('https://dpo.example.test');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dpo.example.test');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight('https://evil.example.test');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(t.url, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example.test',
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: ME }),
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('masks an unexpected database error in a resolver: INTERNAL_SERVER_ERROR with the request id; the log has the id but no values', async () => {
    const children = t.services.children;
    const original = children.listForCaller;
    // A real driver error whose message and drizzle wrapper quote a caller-supplied value. Not the
    // bare number: about one synthetic NHS number in 27 reads as a date (9995000210 is 999500-02-10).
    children.listForCaller = (async () => {
      await t.database.db.execute(sql`select ${`NHS ${pupil.nhsNumber}`}::date`);
      return original.call(children, undefined as never, undefined as never, 1, null);
    }) as typeof original;
    try {
      const res = await t.post(token, '{ children(first: 5) { count } }');
      const error = res.errors![0]!;
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: res.extensions!.requestId });
      expect(error.message).toBe('Internal server error');
      const body = JSON.stringify(res);
      expect(body).not.toContain(pupil.nhsNumber);
      expect(body).not.toMatch(/select|syntax|date|stack/i);
      // The error line may be written just after the response leaves.
      const loggedLine = () =>
        log.lines
          .map((l) => JSON.parse(l))
          .find((l) => l.msg === 'unexpected error' && l.requestId === res.extensions!.requestId);
      await expect.poll(loggedLine, { timeout: 5_000 }).toBeDefined();
      expect(loggedLine()?.err?.code).toMatch(/^22/); // data exception: the original is logged
      expect(log.text()).not.toContain(pupil.nhsNumber);
      expect(log.text()).not.toMatch(/"params"|"detail"/);
    } finally {
      children.listForCaller = original;
    }
  });

  it('masks an error thrown while building the context (database down during the organisation lookup): 503, retry later', async () => {
    const organisations = t.services.organisations;
    const original = organisations.find;
    organisations.find = (async () => {
      throw Object.assign(new Error(`connect ECONNREFUSED 10.9.9.9:5432 for "${pupil.upn}"`), { code: 'ECONNREFUSED' });
    }) as typeof original;
    try {
      const res = await postRaw(t.url, JSON.stringify({ query: ME }), {
        authorization: `Bearer ${token}`,
        'x-request-id': 'attack-suite-ctx-0001',
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.json().errors).toEqual([
        {
          message: 'The database is unavailable; retry later',
          extensions: { code: 'SERVICE_UNAVAILABLE', requestId: 'attack-suite-ctx-0001' },
        },
      ]);
      expect(res.text).not.toMatch(/ECONNREFUSED|10\.9\.9\.9|Context creation/);
      const logged = log.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'context creation failed');
      expect(logged).toMatchObject({ requestId: 'attack-suite-ctx-0001', err: { code: 'ECONNREFUSED' } });
      expect(log.text()).not.toContain(pupil.upn);
    } finally {
      organisations.find = original;
    }
  });

  it('logs one JSON line per request with request id, organisation, role, operation and status, and no query text', async () => {
    const res = await t.post(token, 'query WhoAmI { me { role } }');
    const line = log.lines
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'request' && l.requestId === res.extensions!.requestId);
    expect(line).toMatchObject({
      organisationId: org,
      role: 'school_dsl',
      operationType: 'query',
      operationName: 'WhoAmI',
      rootFields: ['me'],
      status: 200,
      method: 'POST',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(JSON.stringify(line)).not.toMatch(/role \}|authorization|Bearer/);
  });
});

describe('rate limits', () => {
  let t: TestHub;
  let org: string;

  beforeAll(async () => {
    t = await startTestHub({ hardening: { rateLimits: { callerPerMinute: 3, organisationPerMinute: 5 } } });
    org = await fixture(t.database.db).org('school', 'school');
  });
  afterAll(() => t.close());

  it('answers 429 RATE_LIMITED with Retry-After once a caller, then its organisation, is over budget', async () => {
    const first = await t.token({ role: 'school_dsl', org, sub: 'caller-one' });
    for (let i = 0; i < 3; i++) expect((await t.post(first, ME)).status).toBe(200);
    const over = await postRaw(t.url, JSON.stringify({ query: ME }), { authorization: `Bearer ${first}` });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(over.json().errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      scope: 'caller',
      retryAfterSeconds: Number(over.headers.get('retry-after')),
    });
    // The request id to quote, as on every other refusal.
    expect(over.json().errors![0]!.extensions!.requestId).toBe(over.headers.get('x-request-id'));

    // Another caller of the same organisation has its own budget, until the organisation's runs out.
    const second = await t.token({ role: 'school_dsl', org, sub: 'caller-two' });
    expect((await t.post(second, ME)).status).toBe(200);
    expect((await t.post(second, ME)).status).toBe(200);
    const orgOver = await t.post(second, ME);
    expect(orgOver.status).toBe(429);
    expect(orgOver.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      scope: 'organisation',
      requestId: orgOver.extensions?.requestId ?? expect.any(String),
    });
  });
});

describe('the client address behind a reverse proxy (trust proxy)', () => {
  const hubs: TestHub[] = [];
  // The second hub shares the first one's database: close it first.
  afterAll(async () => {
    for (const h of hubs.reverse()) await h.close();
  });
  const from = (t: TestHub, forwardedFor: string) =>
    postRaw(t.url, JSON.stringify({ query: '{ __typename }' }), { 'x-forwarded-for': forwardedFor });

  it('by default believes no X-Forwarded-For: a forged header does not buy a fresh address budget', async () => {
    const t = await startTestHub({ hardening: { rateLimits: { addressPerMinute: 2 } } });
    hubs.push(t);
    expect((await from(t, '192.0.2.1')).status).not.toBe(429);
    expect((await from(t, '192.0.2.2')).status).not.toBe(429);
    const third = await from(t, '192.0.2.3');
    expect(third.status).toBe(429);
    expect(third.json().errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      scope: 'client address',
      requestId: third.headers.get('x-request-id'),
    });
  });

  it('with the proxy hops configured, each partner behind the proxy has its own address budget', async () => {
    const t = await startTestHub({
      database: hubs[0]!.database,
      hardening: { trustProxy: 1, rateLimits: { addressPerMinute: 2 } },
    });
    hubs.push(t);
    for (const partner of ['192.0.2.10', '192.0.2.11', '192.0.2.12']) {
      expect((await from(t, partner)).status).not.toBe(429);
      expect((await from(t, partner)).status).not.toBe(429);
    }
    expect((await from(t, '192.0.2.10')).status).toBe(429);
  });
});

describe('persisted operations for service accounts', () => {
  let t: TestHub;
  let org: string;
  const registered = 'query Me { me { role clientId } }';

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ehh-persisted-')), 'operations.json');
    writeFileSync(file, JSON.stringify({ 'school-mis-plugin': [registered] }));
    t = await startTestHub({ hardening: { persistedOperationsFile: file } });
    org = await fixture(t.database.db).org('school', 'school');
  });
  afterAll(() => t.close());

  it('lets an allow-listed client send only its registered operations, by text or by hash', async () => {
    const mis = await t.token({ role: 'school_staff', org, clientId: 'school-mis-plugin' });
    const byText = await t.post(mis, registered);
    expect(byText.errors).toBeUndefined();
    expect(byText.data.me.clientId).toBe('school-mis-plugin');

    const byHash = await postRaw(
      t.url,
      JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(registered) } } }),
      { authorization: `Bearer ${mis}` },
    );
    expect(byHash.status).toBe(200);
    expect(byHash.json().data.me.role).toBe('school_staff');

    const other = await t.post(mis, '{ me { role subject } }');
    expect(other.status).toBe(403);
    expect(other.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const unknownHash = await postRaw(
      t.url,
      JSON.stringify({
        extensions: { persistedQuery: { version: 1, sha256Hash: operationHash('{ me { subject } }') } },
      }),
      { authorization: `Bearer ${mis}` },
    );
    expect(unknownHash.status).toBe(404);
    expect(unknownHash.json().errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('leaves clients without an allow-list unrestricted', async () => {
    const user = await t.token({ role: 'school_staff', org });
    expect((await t.post(user, '{ me { role subject } }')).errors).toBeUndefined();
  });
});
