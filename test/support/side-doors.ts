/**
 * The side-door matrix, read from the schema: every root field whose arguments (or input fields,
 * at any depth) name a child or an object whose existence is itself sensitive, and a document
 * probing one such argument with the others filled with plausible values.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/** Argument names that name a child, or an object whose existence says something about a child. */
const NAMING = /^(childId|id|ehaId|episodeId|referralId|fromId|intoId|sameChildAs|nhsNumber|upn)$/;

export interface SideDoor {
  root: 'Query' | 'Mutation' | 'Subscription';
  field: string;
  /** Dotted path to the naming argument, e.g. `input.childId`, `input.children.nhsNumber`. */
  path: string;
}

export function sideDoors(schema: GraphQLSchema): SideDoor[] {
  const out: SideDoor[] = [];
  for (const root of ['Query', 'Mutation', 'Subscription'] as const) {
    const type =
      root === 'Query'
        ? schema.getQueryType()
        : root === 'Mutation'
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    for (const field of Object.values(type?.getFields() ?? {})) {
      for (const path of namingPaths(field.args, '', new Set())) out.push({ root, field: field.name, path });
    }
  }
  return out;
}

function namingPaths(
  args: readonly (GraphQLArgument | GraphQLInputField)[],
  prefix: string,
  seen: Set<string>,
): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const named = getNamedType(arg.type);
    if (isInputObjectType(named)) {
      if (seen.has(named.name)) continue;
      out.push(
        ...namingPaths(Object.values(named.getFields()), `${prefix}${arg.name}.`, new Set([...seen, named.name])),
      );
    } else if (NAMING.test(arg.name) && (named.name === 'ID' || named.name === 'String')) {
      out.push(prefix + arg.name);
    }
  }
  return out;
}

/** Plausible values for arguments the probe does not name; `overrides` by dotted path win. */
export function probeDocument(
  schema: GraphQLSchema,
  door: SideDoor,
  value: unknown,
  overrides: Record<string, unknown> = {},
): { query: string; variables: Record<string, unknown> } {
  const type =
    door.root === 'Query'
      ? schema.getQueryType()!
      : door.root === 'Mutation'
        ? schema.getMutationType()!
        : schema.getSubscriptionType()!;
  const field = type.getFields()[door.field] as GraphQLField<unknown, unknown>;
  // Without a value the probed argument would be left out and the probe refused by validation.
  if (value === undefined || value === null)
    throw new Error(`${door.root}.${door.field}(${door.path}): no value to probe with`);
  const variables: Record<string, unknown> = {};
  const defs: string[] = [];
  const uses: string[] = [];
  for (const arg of field.args) {
    const filled = fill(arg.type, arg.name, arg.name, door.path, value, overrides);
    if (filled === undefined) continue;
    variables[arg.name] = filled;
    defs.push(`$${arg.name}: ${String(arg.type)}`);
    uses.push(`${arg.name}: $${arg.name}`);
  }
  const returned = getNamedType(field.type);
  const selection =
    isObjectType(returned) || isInterfaceType(returned) || isUnionType(returned) ? ' { __typename }' : '';
  const op = door.root === 'Query' ? 'query' : door.root === 'Mutation' ? 'mutation' : 'subscription';
  return {
    query: `${op} Probe${defs.length ? `(${defs.join(', ')})` : ''} { ${door.field}${uses.length ? `(${uses.join(', ')})` : ''}${selection} }`,
    variables,
  };
}

let serial = 0;

function fill(
  type: GraphQLInputType,
  name: string,
  path: string,
  probe: string,
  value: unknown,
  overrides: Record<string, unknown>,
): unknown {
  if (path in overrides) return overrides[path];
  const required = isNonNullType(type);
  const inner = required ? type.ofType : type;
  if (path === probe) return isListType(inner) ? [value] : value;
  const onProbePath = probe.startsWith(`${path}.`);
  // Optional arguments stay out, unless the probe lies inside them; other naming arguments too.
  if (!required && !onProbePath) return undefined;
  if (isListType(inner)) {
    const item = fill(inner.ofType, name, path, probe, value, overrides);
    return item === undefined ? [] : [item];
  }
  if (isInputObjectType(inner)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(inner.getFields())) {
      const v = fill(f.type, f.name, `${path}.${f.name}`, probe, value, overrides);
      if (v !== undefined) out[f.name] = v;
    }
    return out;
  }
  if (isEnumType(inner)) return inner.getValues()[0]!.value;
  switch (inner.name) {
    case 'Int':
      return /version/i.test(name) ? 1 : 10;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'ID':
      return '00000000-0000-4000-8000-00000000beef';
    case 'DateTime':
      return '2027-03-01T09:00:00.000Z';
    case 'JSON':
      return {};
    default:
      // Feeds are idempotent by the sender's reference: each probe is a new submission.
      if (/reference|recordId|Ref$/i.test(name)) return `probe-${++serial}`;
      if (/At$/.test(name)) return '2027-03-01T09:00:00Z';
      if (/date|On$|^from$|^to$|periodStart|periodEnd/i.test(name)) return '2027-03-01';
      return 'Synthetic text long enough for any rationale or reason field';
  }
}
