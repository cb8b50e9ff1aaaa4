/**
 * Attack suite, part 5 (text input), generated from the built schema: every String, ID and
 * string-accepting custom scalar reachable from the arguments of every query, mutation and
 * subscription field — through input objects and lists — receives a NUL byte and a lone surrogate
 * (PostgreSQL refuses the first in text; the second cannot be encoded). Each must be refused as
 * BAD_USER_INPUT naming the argument path, before anything runs: the database holds exactly the
 * rows it held before the whole run. Cursors: every field with an `after` argument refuses a
 * cursor this API did not issue, whatever it decodes to.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import {
  getNamedType,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInt,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_PERMISSIONS } from '../src/access/operation-permissions';
import { ORGANISATION_KIND_ROLES, type OrganisationKind } from '../src/access/organisation-roles';
import type { Role } from '../src/access/roles';
import { signWebhook } from '../adapters/liquid-logic/webhook-signature';
import { rowsOf } from '../src/db';
import { buildHubSchema } from '../src/server/schema';
import { fixture } from './support/fixtures';
import { startTestHub, type GraphQLResponse, type TestHub } from './support/hub';
import { subscribe } from './support/ws-client';

const NUL = 'a\u0000b';
const LONE_HIGH = 'a\uD800b';
const LONE_LOW = 'a\uDC00b';

const WEBHOOK_SECRET = 'attacks-input-webhook-secret';

const NUMERIC = new Set<string>([GraphQLInt.name, GraphQLFloat.name, GraphQLBoolean.name]);

/** A value the type accepts (not one any resolver would: the refusal must come before resolvers). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sample(f.type)]),
    );
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  switch (type.name) {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'ID':
      return '00000000-0000-4000-8000-000000000001';
    case 'DateTime':
    case 'DateTimeISO':
      return '2026-01-05T10:00:00.000Z';
    case 'JSON':
      return {};
    default:
      return 'x';
  }
}

/** The value `sample` builds, with `bad` at `path` (segments: field names and list index 0). */
function withBadText(type: GraphQLInputType, path: readonly string[], bad: string): unknown {
  if (path.length === 0) return bad;
  if (isNonNullType(type)) return withBadText(type.ofType, path, bad);
  if (isListType(type)) return [withBadText(type.ofType, path.slice(1), bad)];
  if (!isInputObjectType(type)) throw new Error(`no field ${path[0]} in ${String(type)}`);
  const value = sample(type) as Record<string, unknown>;
  value[path[0]!] = withBadText(type.getFields()[path[0]!]!.type, path.slice(1), bad);
  return value;
}

/** Every position under an argument that takes text: `input.givenName`, `items[0].note`. */
function textPositions(type: GraphQLInputType, path: string[], seen: ReadonlySet<string>): string[][] {
  if (isNonNullType(type)) return textPositions(type.ofType, path, seen);
  if (isListType(type)) return textPositions(type.ofType, [...path, '[0]'], seen);
  if (isInputObjectType(type)) {
    if (seen.has(type.name)) return [];
    const inner = new Set([...seen, type.name]);
    return Object.values(type.getFields()).flatMap((f) => textPositions(f.type, [...path, f.name], inner));
  }
  // An enum's values are the schema's own names: graphql-js refuses any other text itself.
  if (isEnumType(type) || (isScalarType(type) && NUMERIC.has(type.name))) return [];
  return [path];
}

function pathText(path: readonly string[]): string {
  return path.map((s, i) => (s === '[0]' || i === 0 ? s : `.${s}`)).join('');
}

/** `value` written in the document (string escapes as graphql-js prints them). */
function literalOf(value: unknown, type: GraphQLInputType): string {
  if (isNonNullType(type)) return literalOf(value, type.ofType);
  if (isListType(type) && Array.isArray(value)) return `[${value.map((v) => literalOf(v, type.ofType)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = isInputObjectType(type) ? type.getFields() : {};
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${literalOf(v, fields[k]?.type ?? type)}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string') return isEnumType(type) ? value : print({ kind: Kind.STRING, value });
  return String(value);
}

interface Probe {
  operation: 'query' | 'mutation' | 'subscription';
  field: string;
  argument: string;
  query: string;
  variables: Record<string, unknown>;
}

/** Every other argument it requires (sample values) and `argument` with `bad` at `path`; all as variables, or all literal. */
function probe(
  operation: Probe['operation'],
  field: GraphQLField<unknown, unknown>,
  target: GraphQLArgument,
  path: readonly string[],
  bad: string,
  literal: boolean,
): Probe {
  const args = field.args.filter((a) => a === target || (isNonNullType(a.type) && a.defaultValue === undefined));
  const values = Object.fromEntries(
    args.map((a) => [a.name, a === target ? withBadText(a.type, path, bad) : sample(a.type)]),
  );
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  const query = literal
    ? `${operation} { ${field.name}(${args.map((a) => `${a.name}: ${literalOf(values[a.name], a.type)}`).join(', ')})${selection} }`
    : `${operation}(${args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')}) { ${field.name}(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})${selection} }`;
  return {
    operation,
    field: field.name,
    argument: pathText([target.name, ...path]),
    query,
    variables: literal ? {} : values,
  };
}

function probes(
  _schema: GraphQLSchema,
  operation: Probe['operation'],
  root: GraphQLObjectType | null | undefined,
): Probe[] {
  return Object.values(root?.getFields() ?? {}).flatMap((field) =>
    field.args.flatMap((arg) =>
      textPositions(arg.type, [], new Set()).flatMap((path) => [
        probe(operation, field, arg, path, NUL, false),
        probe(operation, field, arg, path, LONE_HIGH, false),
        probe(operation, field, arg, path, LONE_LOW, false),
        // A NUL escaped in the document itself (graphql-js's parser already refuses a lone surrogate escape).
        probe(operation, field, arg, path, NUL, true),
      ]),
    ),
  );
}

async function pool<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}

async function rowCounts(t: TestHub): Promise<Record<string, number>> {
  const tables = rowsOf<{ table_name: string }>(
    await t.database.db.execute(sql`
    select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`),
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = rowsOf<{ n: number | string }>(
      await t.database.db.execute(sql`select count(*) as n from ${sql.identifier(table_name)}`),
    );
    counts[table_name] = Number(row!.n);
  }
  return counts;
}

/** The refusal a probe must get: one BAD_USER_INPUT naming its argument path, saying what is wrong, never echoing the value. */
function expectRefused(p: Probe, status: number | null, errors: GraphQLResponse['errors'] | undefined): void {
  const label = `${p.operation} ${p.field} ${p.argument} ${JSON.stringify(p.variables).includes('\\u0000') || p.query.includes('\\u0000') ? 'NUL' : 'lone surrogate'}`;
  expect(errors, label).toHaveLength(1);
  expect({ label, code: errors![0]!.extensions?.code, field: errors![0]!.extensions?.field }).toEqual({
    label,
    code: 'BAD_USER_INPUT',
    field: p.argument,
  });
  expect(errors![0]!.message, label).toMatch(
    new RegExp(`^${p.argument.replace(/[.[\]]/g, '\\$&')}: .*(NUL|surrogate)`),
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the message must not echo the NUL it refuses.
  expect(errors![0]!.message, label).not.toMatch(/[\u0000\uD800-\uDFFF]/);
  if (status !== null) expect(status, label).toBe(400);
}

/** One hub for the file (a hub's database takes longer to start than all the probes). */
let t: TestHub;
let schema: GraphQLSchema;
const registered = 'query Lookup($upn: String) { child(upn: $upn) { id } }';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'attacks-input-'));
  const file = join(dir, 'persisted.json');
  writeFileSync(file, JSON.stringify({ 'school-mis-plugin': [registered] }));
  t = await startTestHub({ hardening: { persistedOperationsFile: file }, liquidLogicWebhookSecret: WEBHOOK_SECRET });
  schema = await buildHubSchema();
}, 60_000);
afterAll(() => t?.close());

describe('text a database cannot hold, in every argument of the schema', () => {
  const tokens = new Map<Role, string>();
  let mis: string;

  beforeAll(async () => {
    const f = fixture(t.database.db);
    const orgs = new Map<OrganisationKind, string>();
    for (const kind of Object.keys(ORGANISATION_KIND_ROLES) as OrganisationKind[])
      orgs.set(kind, await f.org(`input-${kind}`, kind));
    for (const [kind, roles] of Object.entries(ORGANISATION_KIND_ROLES) as [OrganisationKind, readonly Role[]][]) {
      for (const role of roles) if (!tokens.has(role)) tokens.set(role, await t.token({ role, org: orgs.get(kind)! }));
    }
    mis = await t.token({ role: 'school_staff', org: orgs.get('school')!, clientId: 'school-mis-plugin' });
    // A child the probes can name, so a refusal is not merely "not found".
    await f.child();
  });

  /** A role the field permits, so nothing but the text stands in the way. */
  function tokenFor(p: Probe): string {
    const permitted = (OPERATION_PERMISSIONS as Record<string, Record<string, readonly Role[] | undefined>>)[
      p.operation === 'query' ? 'Query' : p.operation === 'mutation' ? 'Mutation' : 'Subscription'
    ]?.[p.field];
    return tokens.get(permitted?.[0] ?? 'lead_practitioner')!;
  }

  it('refuses NUL and lone surrogates in every query and mutation argument as BAD_USER_INPUT naming the argument, and stores nothing', async () => {
    const all = [
      ...probes(schema, 'query', schema.getQueryType()),
      ...probes(schema, 'mutation', schema.getMutationType()),
    ];
    // The generator found the schema's inputs (a walk that found none would prove nothing).
    expect(all.filter((p) => p.operation === 'mutation').length).toBeGreaterThan(100);
    expect(all.some((p) => p.argument === 'input.givenName')).toBe(true);
    const before = await rowCounts(t);
    const answers = await pool(all, 8, async (p) => ({ p, res: await t.post(tokenFor(p), p.query, p.variables) }));
    for (const { p, res } of answers) expectRefused(p, res.status, res.errors);
    expect(await rowCounts(t)).toEqual(before);
  }, 60_000);

  it('refuses them in subscription arguments over WebSocket', async () => {
    const all = probes(schema, 'subscription', schema.getSubscriptionType());
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) {
      const live = subscribe(t.url, { token: tokenFor(p) }, p.query, p.variables);
      try {
        expectRefused(p, null, (await live.error) as GraphQLResponse['errors']);
      } finally {
        await live.dispose();
      }
    }
  });

  it('refuses them in a registered query answered on the trusted path', async () => {
    const served = t.hub.trustedOperations!.served();
    expect((await t.post(mis, registered, { upn: 'A123456789012' })).data).toEqual({ child: null });
    expect(t.hub.trustedOperations!.served()).toBe(served + 1);
    for (const bad of [NUL, LONE_HIGH, LONE_LOW]) {
      const res = await t.post(mis, registered, { upn: bad });
      expectRefused(
        { operation: 'query', field: 'child', argument: 'upn', query: registered, variables: { upn: bad } },
        res.status,
        res.errors,
      );
    }
  });
});

describe('text a database cannot hold, in the JSON the hub takes outside GraphQL', () => {
  it('refuses it in a signed Liquid Logic webhook message with 400 naming the field, and stores nothing', async () => {
    const url = t.url.replace(/\/graphql$/, '/adapters/liquid-logic/webhook');
    const message = (id: string, personId: string, notes: unknown) =>
      JSON.stringify({
        id,
        type: 'cin_episode',
        record: { cine_referral_id: 'R-input-1', cine_person_id: personId, cine_referral_date: '2026-01-05', notes },
      });
    const cases: [string, string][] = [
      [message('m-input-1', `LL1${NUL}`, null), 'record.cine_person_id'],
      [message('m-input-2', 'LL1', [{ text: LONE_HIGH }]), 'record.notes[0].text'],
      [message(`m-input-${LONE_LOW}`, 'LL1', null), 'id'],
      [
        JSON.stringify({
          id: 'm-input-4',
          type: 'cin_episode',
          record: { cine_referral_id: 'R-input-1', cine_person_id: 'LL1', [`k${NUL}`]: 1 },
        }),
        'record',
      ],
    ];
    const before = await rowCounts(t);
    for (const [body, field] of cases) {
      const timestamp = Math.floor(Date.now() / 1000);
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-ll-signature': signWebhook(WEBHOOK_SECRET, timestamp, body),
          'x-ll-timestamp': String(timestamp),
        },
      });
      expect({ field, status: res.status, body: await res.json() }).toEqual({
        field,
        status: 400,
        body: { code: 'bad_message', field },
      });
    }
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('cursors this API did not issue', () => {
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    const f = fixture(t.database.db);
    const council = await f.org('cursor-council', 'council_early_help');
    for (const role of ORGANISATION_KIND_ROLES.council_early_help)
      tokens.set(role, await t.token({ role, org: council }));
    await f.child();
  });

  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  const MALFORMED = [
    'not a cursor!',
    '',
    '%%%',
    b64('not-a-uuid'),
    b64('{"id":1}'),
    b64('[]'),
    b64('\u0000'),
    b64('12|34'),
    b64('1e400'),
    b64('-'),
    b64(' '),
    b64('2026-01-01T00:00:00.000Z|nope'),
    b64('99999999999999999999999'),
  ];

  it('refuses a malformed cursor on every paginated field as BAD_USER_INPUT naming after', async () => {
    const query = schema.getQueryType()!;
    const paginated = Object.values(query.getFields()).filter((f) =>
      f.args.some((a) => a.name === 'after' || a.name === 'before'),
    );
    expect(paginated.length).toBeGreaterThanOrEqual(3);
    for (const field of paginated) {
      const role =
        OPERATION_PERMISSIONS.Query[field.name as keyof typeof OPERATION_PERMISSIONS.Query]?.[0] ?? 'lead_practitioner';
      const token = tokens.get(role) ?? tokens.get('lead_practitioner')!;
      // Valid-looking other arguments: a DPO's access log by organisation over one day.
      const others = field.args.filter(
        (a) => a.name !== 'after' && a.name !== 'before' && isNonNullType(a.type) && a.defaultValue === undefined,
      );
      const given: Record<string, unknown> = Object.fromEntries(others.map((a) => [a.name, sample(a.type)]));
      if ('from' in given) {
        given.from = '2026-01-01T00:00:00.000Z';
        given.to = '2026-01-02T00:00:00.000Z';
      }
      const extra = field.name === 'accessLog' ? ['organisationId'] : [];
      if (extra.length) given.organisationId = '00000000-0000-4000-8000-000000000001';
      const declared = [...others, ...field.args.filter((a) => extra.includes(a.name))];
      for (const name of field.args.filter((a) => a.name === 'after' || a.name === 'before').map((a) => a.name)) {
        for (const cursor of MALFORMED) {
          const text = `query(${[...declared.map((a) => `$${a.name}: ${String(a.type)}`), `$c: String`].join(', ')}) { ${field.name}(${[...declared.map((a) => `${a.name}: $${a.name}`), `${name}: $c`].join(', ')}) { __typename } }`;
          const res = await t.post(
            token,
            text,
            { ...given, c: cursor },
            field.name === 'accessLog' || field.name === 'overridesAwaitingReview' ? 'audit' : undefined,
          );
          const label = `${field.name}(${name}: ${JSON.stringify(cursor)})`;
          // An empty cursor is no cursor: the first page.
          if (cursor === '') {
            expect(res.errors?.map((e) => e.extensions?.code) ?? [], label).not.toContain('INTERNAL_SERVER_ERROR');
            continue;
          }
          expect({
            label,
            errors: res.errors?.map((e) => ({ code: e.extensions?.code, field: e.extensions?.field })),
          }).toEqual({ label, errors: [{ code: 'BAD_USER_INPUT', field: name }] });
        }
      }
    }
  });
});
