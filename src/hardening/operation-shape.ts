/**
 * The shape of a GraphQL document measured in one pass over its syntax tree, before any
 * validation: depth, aliases, top-level fields, directives and selections of each operation with
 * its fragments expanded, the fragment cycles, and how many pairs of fields graphql-js's
 * OverlappingFieldsCanBeMerged rule may have to compare. Each fragment is measured once and its
 * measure reused wherever it is spread, so a "fragment bomb" (fragments spreading each other many
 * times over: 2^40 selections in 1 KB) or a long fragment cycle costs one visit per selection
 * written, never per selection expanded. Meta fields (`__typename`, `__schema`, `__type`) count
 * like any other field, except that the schema's own description below `__schema` and `__type`
 * has a depth allowance of its own: a type reference nests `ofType` seven times, and graphql-js's
 * MaxIntrospectionDepthRule already bounds the lists that could nest further.
 */
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { OperationLimits } from './limits';

export type ShapeLimits = Pick<OperationLimits, 'maxDepth' | 'maxAliases' | 'maxRootFields' | 'maxDirectives'>;

/** Selections an operation may expand to (fragments spread as many times as written). */
export const MAX_VISITED_SELECTIONS = 20_000;

/**
 * Work graphql-js's OverlappingFieldsCanBeMerged rule may do, in field comparisons: in each
 * selection set written, fields sharing a response name (fragments merged in) are compared
 * pairwise, and each pair compares their own selections, recursively. A client query whose
 * fragments overlap needs a few hundred; 14 copies of a field holding 31 copies of another need
 * 400 000, and hold a core for a tenth of a second before any answer.
 */
export const MAX_OVERLAP_WORK = 20_000;

/**
 * Distinct response names one selection set may merge (the widest type has under 60 fields, and
 * aliases are limited): it bounds the bookkeeping of the overlap estimate per fragment spread.
 */
export const MAX_NAMES_PER_SELECTION_SET = 128;

/** Depth allowed below `__schema` / `__type` (where introspection is on): graphql-js's own introspection query needs 15. */
export const MAX_INTROSPECTION_DEPTH = 20;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** What a selection set amounts to once its fragments are expanded. */
interface SetMeasure {
  /** Selections (fields, spreads, inline fragments) visited when expanded. */
  selections: number;
  aliases: number;
  directives: number;
  /** Fields merged into this set's own level (through spreads and inline fragments). */
  fields: number;
  /** Deepest field nesting below, this set's own fields at 1, outside introspection. */
  depth: number;
  /** The same, through a `__schema` or `__type` field (0 when there is none). */
  introspectionDepth: number;
  /** Response name → fields merged under it and the costliest comparison of their selections; null past MAX_NAMES_PER_SELECTION_SET. */
  names: ReadonlyMap<string, MergedName> | null;
  /** Comparisons to check this set against another with the same names (see MAX_OVERLAP_WORK). */
  comparison: number;
}

interface MergedName {
  count: number;
  /** `comparison` of the costliest selection among these fields (0 for leaves). */
  inner: number;
}

const NOTHING: SetMeasure = Object.freeze({
  selections: 0,
  aliases: 0,
  directives: 0,
  fields: 0,
  depth: 0,
  introspectionDepth: 0,
  names: new Map(),
  comparison: 0,
});

export interface OperationShape {
  readonly rootFields: number;
  readonly depth: number;
  readonly introspectionDepth: number;
  readonly aliases: number;
  readonly directives: number;
  readonly selections: number;
}

export interface DocumentShape {
  readonly operations: ReadonlyMap<OperationDefinitionNode, OperationShape>;
  /** See MAX_OVERLAP_WORK. */
  readonly overlapWork: number;
  /** A selection set merging more than MAX_NAMES_PER_SELECTION_SET response names. */
  readonly tooManyNames: boolean;
  /** The first fragment cycle found (`A`, `B`, … spreading back to `A`), if any. */
  readonly cycle: readonly string[] | null;
  /** Selections visited by the measurement: at most the number written in the document. */
  readonly visits: number;
}

/**
 * Adds fields under one response name to a selection set's names; null once the set merges more
 * than MAX_NAMES_PER_SELECTION_SET. A plain function rather than a closure per selection set: a
 * refused document of thousands of fields would otherwise pay for thousands of closures.
 */
function merged(
  names: Map<string, MergedName> | null,
  name: string,
  count: number,
  inner: number,
): Map<string, MergedName> | null {
  if (!names) return null;
  const known = names.get(name);
  if (known) {
    known.count += count;
    known.inner = Math.max(known.inner, inner);
  } else if (names.size < MAX_NAMES_PER_SELECTION_SET) {
    names.set(name, { count, inner });
  } else {
    return null;
  }
  return names;
}

export function measureDocument(document: DocumentNode): DocumentShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(definition.name.value))
      fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, SetMeasure>();
  const spreading: string[] = [];
  const spreadingNames = new Set<string>();
  let cycle: string[] | null = null;
  let overlapWork = 0;
  let tooManyNames = false;
  let visits = 0;

  function fragment(name: string): SetMeasure {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition) return NOTHING; // unknown: KnownFragmentNames reports it
    if (spreadingNames.has(name)) {
      cycle ??= spreading.slice(spreading.indexOf(name));
      return NOTHING;
    }
    spreading.push(name);
    spreadingNames.add(name);
    const measure = selectionSet(definition.selectionSet);
    spreading.pop();
    spreadingNames.delete(name);
    measured.set(name, measure);
    return measure;
  }

  function selectionSet(set: SelectionSetNode): SetMeasure {
    const measure: SetMeasure = {
      selections: 0,
      aliases: 0,
      directives: 0,
      fields: 0,
      depth: 0,
      introspectionDepth: 0,
      names: null,
      comparison: 0,
    };
    // null once past MAX_NAMES_PER_SELECTION_SET (or when a spread's own names were).
    let names: Map<string, MergedName> | null = new Map();
    for (const selection of set.selections) {
      visits++;
      measure.selections += 1;
      measure.directives += selection.directives?.length ?? 0;
      let inner: SetMeasure;
      if (selection.kind === Kind.FIELD) {
        measure.fields += 1;
        if (selection.alias) measure.aliases += 1;
        inner = selection.selectionSet ? selectionSet(selection.selectionSet) : NOTHING;
        if (INTROSPECTION_ROOTS.has(selection.name.value)) {
          measure.depth = Math.max(measure.depth, 1);
          measure.introspectionDepth = Math.max(
            measure.introspectionDepth,
            Math.max(inner.depth, inner.introspectionDepth) + 1,
          );
        } else {
          measure.depth = Math.max(measure.depth, inner.depth + 1);
          if (inner.introspectionDepth > 0)
            measure.introspectionDepth = Math.max(measure.introspectionDepth, inner.introspectionDepth + 1);
        }
        names = merged(names, (selection.alias ?? selection.name).value, 1, inner.comparison);
      } else {
        inner =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selectionSet(selection.selectionSet)
            : fragment(selection.name.value);
        measure.fields += inner.fields;
        measure.depth = Math.max(measure.depth, inner.depth);
        measure.introspectionDepth = Math.max(measure.introspectionDepth, inner.introspectionDepth);
        if (inner.names)
          for (const [name, { count, inner: cost }] of inner.names) names = merged(names, name, count, cost);
        else names = null;
      }
      measure.selections += inner.selections;
      measure.aliases += inner.aliases;
      measure.directives += inner.directives;
    }
    if (names) {
      // graphql-js compares every pair of fields under one name here, each pair down through its selections.
      let comparison = 0;
      for (const { count, inner } of names.values()) {
        comparison += count * count * (1 + inner);
        if (count > 1) overlapWork += count * count * (1 + inner);
      }
      measure.comparison = comparison;
    } else {
      tooManyNames = true;
      measure.comparison = Infinity;
    }
    measure.names = names;
    return measure;
  }

  const operations = new Map<OperationDefinitionNode, OperationShape>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const measure = selectionSet(definition.selectionSet);
    operations.set(definition, {
      rootFields: measure.fields,
      depth: measure.depth,
      introspectionDepth: measure.introspectionDepth,
      aliases: measure.aliases,
      directives: measure.directives + (definition.directives?.length ?? 0),
      selections: measure.selections,
    });
  }
  // Fragments no operation spreads are still validated by graphql-js, so they are measured too.
  for (const name of fragments.keys()) fragment(name);
  return { operations, overlapWork, tooManyNames, cycle, visits };
}

/** A limit error: Apollo reports it as GRAPHQL_VALIDATION_FAILED (400) with `limit` and `maximum`. */
export function limitError(
  limit: string,
  maximum: number,
  what: string,
  nodes?: OperationDefinitionNode,
): GraphQLError {
  return new GraphQLError(`${what} exceeds the limit ${limit} = ${maximum}`, {
    nodes: nodes ? [nodes] : undefined,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, maximum },
  });
}

const NAMES_IN_CYCLE_MESSAGE = 5;

function cycleError(cycle: readonly string[]): GraphQLError {
  const via = cycle
    .slice(1, 1 + NAMES_IN_CYCLE_MESSAGE)
    .map((name) => `"${name}"`)
    .join(', ');
  const more =
    cycle.length - 1 > NAMES_IN_CYCLE_MESSAGE ? ` and ${cycle.length - 1 - NAMES_IN_CYCLE_MESSAGE} more` : '';
  return new GraphQLError(`Cannot spread fragment "${cycle[0]}" within itself${via ? ` via ${via}${more}` : ''}.`, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  });
}

/**
 * Why a document is refused for its shape, empty when it is not. Costs one visit per selection
 * written (see measureDocument), so it runs before graphql-js validation, whose rules cost more.
 */
export function shapeErrors(document: DocumentNode, limits: ShapeLimits): GraphQLError[] {
  let shape: DocumentShape;
  try {
    shape = measureDocument(document);
  } catch (error) {
    // A document the parser only just managed to nest can still exhaust the stack of the walk:
    // it is far too deep, whatever the depth limit.
    if (error instanceof RangeError) return [limitError('maxDepth', limits.maxDepth, "The document's nesting")];
    throw error;
  }
  const errors: GraphQLError[] = [];
  if (shape.cycle) errors.push(cycleError(shape.cycle));
  for (const [operation, measure] of shape.operations) {
    const over = (limit: string, value: number, maximum: number, what: string) => {
      if (value > maximum) errors.push(limitError(limit, maximum, what, operation));
    };
    over(
      'maxRootFields',
      measure.rootFields,
      limits.maxRootFields,
      `The operation's ${measure.rootFields} top-level fields`,
    );
    over('maxDepth', measure.depth, limits.maxDepth, "The operation's depth");
    over(
      'maxIntrospectionDepth',
      measure.introspectionDepth,
      MAX_INTROSPECTION_DEPTH,
      'The depth below __schema or __type',
    );
    over('maxAliases', measure.aliases, limits.maxAliases, 'The number of aliases');
    over('maxDirectives', measure.directives, limits.maxDirectives, 'The number of directives');
    over('maxSelections', measure.selections, MAX_VISITED_SELECTIONS, 'The number of selections (fragments expanded)');
  }
  if (shape.tooManyNames) {
    errors.push(
      limitError(
        'maxNamesPerSelectionSet',
        MAX_NAMES_PER_SELECTION_SET,
        'The number of distinct response names in one selection set',
      ),
    );
  } else if (shape.overlapWork > MAX_OVERLAP_WORK) {
    errors.push(
      limitError(
        'maxOverlapWork',
        MAX_OVERLAP_WORK,
        'The work of checking fields that share a response name (copies squared, times their selections)',
      ),
    );
  }
  return errors;
}
