/**
 * One validation rule for the shape of an operation: depth, aliases, top-level fields and
 * directives, counted through fragment spreads. Fragment cycles are refused by graphql-js's own
 * NoFragmentCycles rule, but validation rules run side by side, so this walk guards against
 * cycles itself; it also stops early once a limit is passed, so a "fragment bomb" (fragments
 * spreading each other many times over) cannot make the count itself expensive.
 */
import {
  GraphQLError, Kind,
  type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext, type ASTVisitor,
} from 'graphql';
import type { OperationLimits } from './limits';

type ShapeLimit = 'maxDepth' | 'maxAliases' | 'maxRootFields' | 'maxDirectives';

/** Selections visited (fragments expanded) before the operation counts as too large. */
export const MAX_VISITED_SELECTIONS = 20_000;

/** A limit error: Apollo reports it as GRAPHQL_VALIDATION_FAILED (400) with `limit` and `maximum`. */
export function limitError(limit: string, maximum: number, what: string, nodes?: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(`${what} exceeds the limit ${limit} = ${maximum}`, {
    nodes: nodes ? [nodes] : undefined,
    extensions: { limit, maximum },
  });
}

class LimitPassed extends Error {
  constructor(readonly limit: ShapeLimit | 'maxSelections') { super(limit); }
}

export function operationShapeRule(limits: Pick<OperationLimits, ShapeLimit>) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const counts = { aliases: 0, directives: 0, visited: 0 };
      const rootFields = countRootFields(operation.selectionSet, context, new Set());
      if (rootFields > limits.maxRootFields) {
        context.reportError(limitError('maxRootFields', limits.maxRootFields, `The operation's ${rootFields} top-level fields`, operation));
        return false;
      }
      counts.directives += operation.directives?.length ?? 0;
      try {
        walk(operation.selectionSet, 1, new Set(), context, limits, counts);
      } catch (error) {
        if (!(error instanceof LimitPassed)) throw error;
        const what = { maxDepth: 'The operation\'s depth', maxAliases: 'The number of aliases', maxDirectives: 'The number of directives', maxRootFields: '', maxSelections: 'The number of selections (fragments expanded)' }[error.limit];
        const maximum = error.limit === 'maxSelections' ? MAX_VISITED_SELECTIONS : limits[error.limit];
        context.reportError(limitError(error.limit, maximum, what, operation));
      }
      return false;
    },
  });
}

function walk(
  set: SelectionSetNode, depth: number, spreading: Set<string>, context: ValidationContext,
  limits: Pick<OperationLimits, ShapeLimit>, counts: { aliases: number; directives: number; visited: number },
): void {
  for (const selection of set.selections) {
    if (++counts.visited > MAX_VISITED_SELECTIONS) throw new LimitPassed('maxSelections');
    counts.directives += selection.directives?.length ?? 0;
    if (counts.directives > limits.maxDirectives) throw new LimitPassed('maxDirectives');
    if (selection.kind === Kind.FIELD) {
      // Introspection (__schema, __type) is switched off in production; its own nesting is deep.
      if (selection.name.value.startsWith('__')) continue;
      if (selection.alias) counts.aliases += 1;
      if (counts.aliases > limits.maxAliases) throw new LimitPassed('maxAliases');
      if (depth > limits.maxDepth) throw new LimitPassed('maxDepth');
      if (selection.selectionSet) walk(selection.selectionSet, depth + 1, spreading, context, limits, counts);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      walk(selection.selectionSet, depth, spreading, context, limits, counts);
    } else {
      const name = selection.name.value;
      const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
      if (!fragment || spreading.has(name)) continue; // unknown or cyclic: other rules report it
      spreading.add(name);
      walk(fragment.selectionSet, depth, spreading, context, limits, counts);
      spreading.delete(name);
    }
  }
}

function countRootFields(set: SelectionSetNode, context: ValidationContext, spreading: Set<string>): number {
  let n = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) n += selection.name.value.startsWith('__') ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) n += countRootFields(selection.selectionSet, context, spreading);
    else {
      const fragment = context.getFragment(selection.name.value);
      if (!fragment || spreading.has(selection.name.value)) continue;
      spreading.add(selection.name.value);
      n += countRootFields(fragment.selectionSet, context, spreading);
      spreading.delete(selection.name.value);
    }
  }
  return n;
}
