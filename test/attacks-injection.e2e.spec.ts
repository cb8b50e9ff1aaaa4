/**
 * Attack suite, part 3: SQL-injection strings in every string input of every mutation, generated
 * from the built schema — so a mutation added later is covered without touching this file. Each
 * mutation gets plausible valid values (a real child's id, valid NHS number/UPN, dates, enums),
 * then each String/ID leaf in turn carries each injection string.
 *
 * What "no side effects" means here:
 * - refused (any error, no data): no table changes row count, except the access audit, which
 *   records refused attempts by design;
 * - accepted (the string was just text, e.g. a name or a reason): only additions are allowed —
 *   no table loses rows, every table still exists, organisations and practitioners are untouched —
 *   and the stored text is the injection string verbatim (checked for registerChild);
 * - never INTERNAL_SERVER_ERROR or a 5xx, which is what a string reaching SQL unparameterised
 *   would produce.
 */
import { sql } from 'drizzle-orm';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children } from '../schema';
import { OPERATION_PERMISSIONS } from '../src/access/operation-permissions';
import type { Role } from '../src/access/roles';
import { rowsOf } from '../src/db';
import { buildDeclaredSchema } from '../src/server/schema';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const INJECTIONS = [
  "' OR '1'='1",
  "x'); DROP TABLE children; --",
  '"; DELETE FROM organisations WHERE ""="',
  '1 UNION SELECT nhs_number FROM children --',
  '$$; TRUNCATE access_audit CASCADE; $$',
];

/**
 * Tables a refused request may still add rows to: the audit of the refusal itself, and the audit's
 * Merkle log (a trigger queues each audit row in its own transaction; the checkpointer integrates it).
 */
const AUDIT_TABLES = new Set(['access_audit', 'audit_log_pending', 'audit_log_leaves', 'audit_log_checkpoints']);
/** The log's queue: the checkpointer takes rows out as it integrates them, which is not a loss. */
const QUEUES = new Set(['audit_log_pending']);
/** Mutations whose purpose is to add one row to a directory table: that one row is no injection's doing. */
const CREATES: Record<string, string> = { createOrganisation: 'organisations' };

const ORG_KIND_FOR: Partial<Record<Role, string>> = {
  school_dsl: 'school',
  school_staff: 'school',
  health_visitor: 'health',
  school_nurse: 'health',
  health_system: 'health',
  police_officer: 'police',
  police_system: 'police',
  vcs_worker: 'voluntary',
  social_worker: 'social_care',
};
const INVOLVEMENT_FOR: Record<string, string> = {
  school: 'on_roll',
  health: 'caseload',
  police: 'police_notification',
  voluntary: 'vcs_support',
  social_care: 'allocated_social_worker',
  council_early_help: 'lead_practitioner',
};

interface Case {
  mutation: string;
  role: Role;
  path: string;
  payload: string;
  args: Record<string, unknown>;
}

describe('SQL injection in every string input of every mutation', () => {
  let t: TestHub;
  let schema: GraphQLSchema;
  let orgs: Record<string, string>;
  let child: { id: string; nhsNumber: string; upn: string };

  beforeAll(async () => {
    t = await startTestHub();
    schema = await buildDeclaredSchema();
    const f = fixture(t.database.db);
    child = await f.child();
    orgs = {};
    for (const kind of ['school', 'health', 'police', 'voluntary', 'social_care', 'council_early_help']) {
      orgs[kind] = await f.org(kind, kind as never);
      await f.involve(child.id, orgs[kind]!, INVOLVEMENT_FOR[kind] as never);
    }
    await f.consent(child.id, {
      organisationKinds: Object.keys(orgs) as never,
      categories: [
        'identity',
        'identifiers',
        'contact',
        'education',
        'health',
        'police',
        'social_care',
        'early_help',
        'family',
      ],
    });
  });
  afterAll(() => t.close());

  async function tableCounts(): Promise<Record<string, number>> {
    const tables = rowsOf<{ table_name: string }>(
      await t.database.db.execute(sql`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`),
    ).map((r) => r.table_name);
    const row = rowsOf<Record<string, string | number>>(
      await t.database.db.execute(
        sql.raw(`select ${tables.map((n) => `(select count(*) from "${n}") as "${n}"`).join(', ')}`),
      ),
    )[0]!;
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  }

  function plausible(name: string, type: GraphQLInputType, depth = 0): unknown {
    const inner = getNullableType(type) as GraphQLInputType;
    if (isListType(inner)) return [plausible(name, inner.ofType, depth)];
    if (isEnumType(inner)) return inner.getValues()[0]!.name;
    if (isInputObjectType(inner)) {
      if (depth > 4) return undefined;
      return Object.fromEntries(
        Object.values(inner.getFields())
          .map((fl) => [fl.name, plausible(fl.name, fl.type, depth + 1)])
          .filter(([, v]) => v !== undefined),
      );
    }
    const scalar = getNamedType(inner).name;
    const n = name.toLowerCase();
    if (scalar === 'Int' || scalar === 'Float') return n.includes('version') ? 1 : 1;
    if (scalar === 'Boolean') return false;
    if (scalar === 'ID') return child.id;
    if (/date|on$|at$|time/.test(n) || /Date/.test(scalar))
      return /at$|time/.test(n) || /DateTime/.test(scalar) ? '2026-03-01T10:00:00.000Z' : '2026-03-01';
    if (n.includes('nhs')) return child.nhsNumber;
    if (n === 'upn') return child.upn;
    if (n.includes('postcode')) return 'LE1 1AA';
    if (n.endsWith('id')) return child.id;
    if (isScalarType(inner) && scalar !== 'String') return 'x';
    return `plausible ${name}`;
  }

  /** Paths to every String/ID leaf of the arguments, e.g. ['input', 'givenName']. */
  function stringPaths(value: unknown, type: GraphQLInputType, path: string[] = []): string[][] {
    const inner = getNullableType(type) as GraphQLInputType;
    if (isListType(inner)) return stringPaths((value as unknown[])[0], inner.ofType, [...path, '0']);
    if (isInputObjectType(inner)) {
      return Object.values(inner.getFields()).flatMap((fl) =>
        (value as Record<string, unknown>)[fl.name] === undefined
          ? []
          : stringPaths((value as Record<string, unknown>)[fl.name], fl.type, [...path, fl.name]),
      );
    }
    const scalar = getNamedType(inner).name;
    return scalar === 'String' || scalar === 'ID' ? [path] : [];
  }

  function cases(): Case[] {
    const out: Case[] = [];
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      const role = (OPERATION_PERMISSIONS.Mutation[field.name] ?? [])[0];
      if (!role) continue; // denied to everyone by the shield: nothing reaches SQL
      const args = Object.fromEntries(field.args.map((a) => [a.name, plausible(a.name, a.type)]));
      for (const arg of field.args) {
        for (const path of stringPaths(args[arg.name], arg.type, [arg.name])) {
          for (const payload of INJECTIONS) {
            const copy = structuredClone(args) as Record<string, any>;
            let target = copy;
            for (const key of path.slice(0, -1)) target = target[key];
            target[path[path.length - 1]!] = payload;
            out.push({ mutation: field.name, role, path: path.join('.'), payload, args: copy });
          }
        }
      }
    }
    return out;
  }

  function document(mutation: string): string {
    const field = schema.getMutationType()!.getFields()[mutation]!;
    const vars = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const call = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
    const named = getNamedType(field.type);
    const selection = 'getFields' in named ? ' { __typename }' : '';
    return `mutation ${mutation}Probe${vars ? `(${vars})` : ''} { ${mutation}${call ? `(${call})` : ''}${selection} }`;
  }

  it('covers every mutation the shield lets someone call', () => {
    const covered = new Set(cases().map((c) => c.mutation));
    const callable = Object.values(schema.getMutationType()!.getFields()).filter(
      (f) =>
        (OPERATION_PERMISSIONS.Mutation[f.name] ?? []).length &&
        f.args.some((a) => stringPaths(plausible(a.name, a.type), a.type).length),
    );
    expect(callable.length).toBeGreaterThan(3);
    expect([...covered].sort()).toEqual(callable.map((f) => f.name).sort());
  });

  it('refuses or safely stores each injection string, with no unintended change to any table', async () => {
    const tokens = new Map<Role, string>();
    const failures: string[] = [];
    const all = cases();
    let before = await tableCounts();
    for (const c of all) {
      if (!tokens.has(c.role)) {
        const kind = ORG_KIND_FOR[c.role] ?? 'council_early_help';
        tokens.set(c.role, await t.token({ role: c.role, org: orgs[kind]!, sub: `injection-${c.role}` }));
      }
      const res = await t.post(tokens.get(c.role)!, document(c.mutation), c.args);
      const after = await tableCounts();
      const label = `${c.mutation} ${c.path} ${JSON.stringify(c.payload)}`;
      const codes = (res.errors ?? []).map((e) => e.extensions?.code);
      if (res.status >= 500 || codes.includes('INTERNAL_SERVER_ERROR'))
        failures.push(`${label}: ${res.status} ${codes.join(',')}`);
      if (Object.keys(after).join() !== Object.keys(before).join())
        failures.push(`${label}: the set of tables changed`);
      const refused = (res.errors?.length ?? 0) > 0 && !res.data?.[c.mutation];
      for (const [table, n] of Object.entries(before)) {
        const delta = (after[table] ?? 0) - n;
        if (delta < 0 && !QUEUES.has(table)) failures.push(`${label}: ${table} lost ${-delta} rows`);
        if (refused && delta !== 0 && !AUDIT_TABLES.has(table))
          failures.push(`${label}: refused, yet ${table} changed by ${delta}`);
        const created = CREATES[c.mutation] === table && delta === 1;
        if (!refused && delta !== 0 && !created && ['organisations', 'practitioners'].includes(table))
          failures.push(`${label}: ${table} changed`);
      }
      before = after;
    }
    expect(failures).toEqual([]);
    expect(all.length).toBeGreaterThan(50);
  }, 600_000);

  it('stores an injection string given as a name verbatim, as text', async () => {
    const token = await t.token({ role: 'eh_das_screener', org: orgs.council_early_help! });
    const payload = "Robert'); DROP TABLE children; --";
    const res = await t.post(
      token,
      'mutation ($input: RegisterChildInput!) { registerChild(input: $input) { outcome childId } }',
      {
        input: { givenName: payload, familyName: 'Injection', dateOfBirth: '2016-02-03', postcode: 'LE2 2BB' },
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.registerChild.outcome).toBe('CREATED');
    const [row] = await t.database.db
      .select({ givenName: children.givenName })
      .from(children)
      .where(sql`${children.id} = ${res.data.registerChild.childId}`);
    expect(row!.givenName).toBe(payload);
  });
});
