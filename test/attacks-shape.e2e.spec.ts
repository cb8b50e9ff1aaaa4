/**
 * Attack suite, part 4 (document shape), over real HTTP and WebSocket: documents whose expanded
 * size is exponential in their written size (fragment bombs), long fragment cycles, floods of
 * aliased meta fields, and the suggestions production errors must not carry. Every hostile
 * document is refused on its shape before graphql-js validation walks it: the refusal carries only
 * the shape errors even when the document also names a field that does not exist, which any
 * validation rule would have reported.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationHash } from '../src/hardening/persisted-operations';
import { fixture } from './support/fixtures';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';
import { subscribe } from './support/ws-client';

const rep = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

/** `fragment F0 on Query { ...F1 ...F1 }` … : 2^levels selections in about 40 bytes a level. */
function fragmentBomb(levels: number, on = 'Query', leaf = 'me { role }', root = '{ ...F0 nope }'): string {
  return `${root} ${rep(levels, (i) => (i === levels - 1 ? `fragment F${i} on ${on} { ${leaf} }` : `fragment F${i} on ${on} { ...F${i + 1} ...F${i + 1} }`))}`;
}

function fragmentCycle(length: number): string {
  return `{ ...F0 nope } ${rep(length, (i) => `fragment F${i} on Query { ...F${(i + 1) % length} }`)}`;
}

const BOMB = fragmentBomb(40);

/**
 * These documents run to thousands of tokens, which the parser's budget (MAX_QUERY_TOKENS) refuses
 * by default before any shape is measured: raised here, so the shape limits are what refuses them.
 */
const SHAPE_ONLY = { limits: { maxTokens: 100_000 } };

/** Only the shape's errors, these among them: no validation rule (here FieldsOnCorrectType on `nope`) ran. */
function refusedOnShapeOnly(res: Pick<GraphQLResponse, 'errors'>, limits: string[]): void {
  const refusals = res.errors!.map((e) => e.extensions?.limit);
  expect(refusals).toEqual(expect.arrayContaining(limits));
  expect(refusals.every((limit) => typeof limit === 'string')).toBe(true);
  expect(JSON.stringify(res.errors)).not.toMatch(/Cannot query field/);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('hostile document shapes over HTTP', () => {
  let t: TestHub;
  let token: string;

  beforeAll(async () => {
    t = await startTestHub({ hardening: SHAPE_ONLY });
    token = await t.token({ role: 'school_dsl', org: await fixture(t.database.db).org('shape-school', 'school') });
  });
  afterAll(() => t.close());

  it('refuses a 40-level fragment bomb (2^40 selections in 1.6 KB) at once, and /healthz answers meanwhile', async () => {
    const bomb = t.post(token, BOMB);
    const health = await fetch(t.url.replace(/\/graphql$/, '/healthz'));
    expect(health.status).toBe(200);
    const { value: res, ms } = await timed(() => bomb);
    expect(res.status).toBe(400);
    refusedOnShapeOnly(res, ['maxRootFields', 'maxSelections']);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', maximum: 15 });
    // Today's walk took minutes; the measure is linear. Generous bound for a shared machine.
    expect(ms).toBeLessThan(5_000);
  }, 60_000);

  it('refuses a cycle of 800 fragments on its shape, naming the cycle, before any validation rule runs', async () => {
    const res = await t.post(token, fragmentCycle(800));
    expect(res.status).toBe(400);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.message).toBe(
      'Cannot spread fragment "F0" within itself via "F1", "F2", "F3", "F4", "F5" and 794 more.',
    );
    expect(res.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses 3 000 aliased __typename and 400 aliased __schema: meta fields count as fields and aliases', async () => {
    const typenames = await t.post(token, `{ ${rep(3_000, (i) => `a${i}: __typename`)} nope }`);
    expect(typenames.status).toBe(400);
    refusedOnShapeOnly(typenames, ['maxRootFields', 'maxAliases', 'maxNamesPerSelectionSet']);
    const schemas = await t.post(token, `{ ${rep(400, (i) => `s${i}: __schema { types { name fields { name } } }`)} }`);
    expect(schemas.status).toBe(400);
    expect(schemas.data ?? null).toBeNull();
    expect(schemas.errors!.map((e) => e.extensions?.limit)).toEqual([
      'maxRootFields',
      'maxAliases',
      'maxNamesPerSelectionSet',
    ]);
    // 31 aliases below the root (the limit is 30), __typename only.
    const nested = await t.post(token, `{ me { ${rep(31, (i) => `t${i}: __typename`)} } }`);
    expect(nested.errors!.map((e) => e.extensions?.limit)).toEqual(['maxAliases']);
  });

  it('counts __typename in the depth, and still answers introspection in development', async () => {
    const deep = `{ me { ${'a { '.repeat(11)}__typename${' }'.repeat(11)} } }`;
    const res = await t.post(token, deep);
    expect(res.errors!.map((e) => e.extensions?.limit)).toContain('maxDepth');
    const introspection = await t.post(
      token,
      '{ __schema { queryType { name } types { name fields { type { ofType { ofType { ofType { name } } } } } } } }',
    );
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses a selection set repeating one object field hundreds of times (graphql-js compares every pair) on its shape', async () => {
    const res = await t.post(token, `{ ${rep(14, () => `child(id: "x") { ${'openEha { id } '.repeat(31)} }`)} nope }`);
    expect(res.status).toBe(400);
    refusedOnShapeOnly(res, ['maxOverlapWork']);
  });

  it('still answers a query whose fragments overlap a little', async () => {
    const res = await t.post(
      token,
      'query { me { ...A ...B role } } fragment A on CallerInfo { role subject } fragment B on CallerInfo { role organisationId }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.me.role).toBe('school_dsl');
  });
});

describe('hostile document shapes over WebSocket and from an allow-listed client', () => {
  let t: TestHub;
  let token: string;
  let mis: string;
  const registered = 'query Me { me { role clientId } }';
  const bombOnChild = fragmentBomb(40, 'Subscription', 'caseChanged { id }', 'subscription { ...F0 }');

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ehh-shape-')), 'operations.json');
    // A registered bomb (a careless deployment) is refused when the hub starts, without hanging it.
    writeFileSync(
      file,
      JSON.stringify({
        'school-mis-plugin': [registered, fragmentBomb(40, 'Query', 'me { role }', 'query Bomb { ...F0 }')],
      }),
    );
    t = await startTestHub({ hardening: { ...SHAPE_ONLY, persistedOperationsFile: file } });
    const org = await fixture(t.database.db).org('shape-ws-school', 'school');
    token = await t.token({ role: 'school_dsl', org });
    mis = await t.token({ role: 'school_staff', org, clientId: 'school-mis-plugin' });
  }, 60_000);
  afterAll(() => t.close());

  it('refuses a fragment bomb at subscribe, and the connection stays usable', async () => {
    const live = subscribe(t.url, { token }, bombOnChild);
    const { value: error, ms } = await timed(() => live.error);
    expect(Array.isArray(error)).toBe(true);
    refusedOnShapeOnly({ errors: error as GraphQLResponse['errors'] }, ['maxRootFields', 'maxSelections']);
    expect(ms).toBeLessThan(5_000);
    await live.dispose();
  }, 60_000);

  it('refuses an 800-fragment cycle at subscribe on its shape only', async () => {
    const cycle = `subscription { ...F0 nope } ${rep(800, (i) => `fragment F${i} on Subscription { ...F${(i + 1) % 800} }`)}`;
    const live = subscribe(t.url, { token }, cycle);
    const errors = (await live.error) as { message: string }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^Cannot spread fragment "F0" within itself via "F1"/);
    await live.dispose();
  });

  it("answers a document nested beyond the parser's stack with a parse error, not an internal error closing the socket", async () => {
    const live = subscribe(
      t.url,
      { token },
      `subscription { ${'caseChanged { '.repeat(3_000)}id${' }'.repeat(3_000)} }`,
    );
    const errors = (await live.error) as { extensions?: { code?: string } }[];
    // Whether the parser or the shape walk runs out of stack first depends on the stack left to
    // the process; either way it is one refusal, and the socket stays open.
    expect(errors).toHaveLength(1);
    expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']).toContain(errors[0]!.extensions?.code);
    expect(
      await Promise.race([
        live.closed,
        new Promise((resolve) => {
          setTimeout(() => resolve('still open'), 300);
        }),
      ]),
    ).toBe('still open');
    await live.dispose();
  });

  it('refuses an unregistered bomb from an allow-listed client as FORBIDDEN without parsing it', async () => {
    const { value: res, ms } = await timed(() => t.post(mis, BOMB));
    expect(res.status).toBe(403);
    expect(res.errors!.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(ms).toBeLessThan(5_000);
    // Nor does an unregistered document tell an allow-listed client anything about the schema.
    const probe = await t.post(mis, '{ chil(id: "x") { id } }');
    expect(probe.status).toBe(403);
    expect(JSON.stringify(probe.errors)).not.toMatch(/chil|Did you mean/);
  }, 60_000);

  it('serves the registered operation, and refuses the registered bomb (never compiled) on its shape', async () => {
    expect([...t.hub.trustedOperations!.byHash.keys()]).toEqual([operationHash(registered)]);
    expect((await t.post(mis, registered)).data.me.clientId).toBe('school-mis-plugin');
    const bombText = fragmentBomb(40, 'Query', 'me { role }', 'query Bomb { ...F0 }');
    const res = await t.post(mis, bombText);
    expect(res.status).toBe(400);
    refusedOnShapeOnly(res, ['maxRootFields', 'maxSelections']);
  }, 60_000);
});

describe('no suggestions leave a production hub', () => {
  let prod: TestHub;
  let dev: TestHub;
  let token: string;
  let devToken: string;
  let health: string;
  const directory = 'query Directory($cluster: Cluster) { directory(cluster: $cluster) { __typename } }';
  const healthUpdate =
    'mutation Post($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { __typename } }';
  const badInput = {
    contactType: 'visit',
    effectiveDat: '2026-01-05',
    level: 'UNIVERSL',
    recordId: 'r-1',
    nhsNumber: '9434765919',
  };

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ehh-suggest-')), 'operations.json');
    writeFileSync(file, JSON.stringify({ 'school-mis-plugin': [directory] }));
    prod = await startTestHub({ hardening: { introspection: false, persistedOperationsFile: file } });
    dev = await startTestHub({ database: prod.database, hardening: { persistedOperationsFile: file } });
    const f = fixture(prod.database.db);
    const school = await f.org('suggest-school', 'school');
    token = await prod.token({ role: 'school_dsl', org: school });
    devToken = await dev.token({ role: 'school_dsl', org: school });
    health = await prod.token({ role: 'health_visitor', org: await f.org('suggest-trust', 'health') });
  }, 60_000);
  afterAll(async () => {
    await dev.close();
    await prod.close();
  });

  it('variable coercion errors over HTTP carry no enum values or input field names in production', async () => {
    const devEnum = await dev.post(devToken, directory, { cluster: 'nort' });
    expect(devEnum.errors![0]!.message).toMatch(/Did you mean the enum value "north"/);
    const prodEnum = await prod.post(token, directory, { cluster: 'nort' });
    expect(prodEnum.status).toBe(400);
    expect(prodEnum.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(prodEnum.errors![0]!.message).toBe(
      'Variable "$cluster" got invalid value "nort"; Value "nort" does not exist in "Cluster" enum.',
    );

    const prodInput = await prod.post(health, healthUpdate, { input: badInput });
    expect(prodInput.errors!.length).toBeGreaterThan(0);
    const text = JSON.stringify(prodInput.errors);
    expect(text).not.toMatch(/Did you mean|"effectiveDate"|UNIVERSAL/);
    expect(text).toMatch(/effectiveDat/); // the field at fault is still named
  });

  it('the same on the trusted-operations path (an allow-listed client sending its registered query)', async () => {
    const mis = await prod.token({
      role: 'school_staff',
      org: await fixture(prod.database.db).org('suggest-mis', 'school'),
      clientId: 'school-mis-plugin',
    });
    const res = await prod.post(mis, directory, { cluster: 'nort' });
    expect(res.status).toBe(400);
    expect(res.errors![0]!.message).not.toMatch(/Did you mean|north/);
  });

  it('over WebSocket: validation and coercion errors at subscribe carry no suggestions, and bad variables are BAD_USER_INPUT', async () => {
    const misspelt = subscribe(prod.url, { token }, 'subscription { caseChangd { id } }');
    const validation = (await misspelt.error) as { message: string }[];
    expect(validation[0]!.message).toMatch(/Cannot query field "caseChangd"/);
    expect(JSON.stringify(validation)).not.toMatch(/Did you mean|caseChanged/);
    await misspelt.dispose();

    const badCluster = subscribe(
      prod.url,
      { token },
      'subscription ($cluster: Cluster) { caseChanged(cluster: $cluster) { id } }',
      { cluster: 'nort' },
    );
    const coercion = (await badCluster.error) as { message: string; extensions?: { code?: string } }[];
    expect(coercion.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(coercion[0]!.message).toBe(
      'Variable "$cluster" got invalid value "nort"; Value "nort" does not exist in "Cluster" enum.',
    );
    await badCluster.dispose();

    const devCluster = subscribe(
      dev.url,
      { token: devToken },
      'subscription ($cluster: Cluster) { caseChanged(cluster: $cluster) { id } }',
      { cluster: 'nort' },
    );
    expect(JSON.stringify(await devCluster.error)).toMatch(/Did you mean the enum value \\"north\\"/);
    await devCluster.dispose();
  });
});
