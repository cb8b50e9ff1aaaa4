/**
 * Lookahead: whether the field being resolved selects `name` directly (through fragments too),
 * so a root resolver can read what its children will ask for in the same statement.
 * `@skip`/`@include` are not evaluated: a conditional selection counts as selected, which only
 * means a read that may go unused.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const visited = new Set<string>();
  const within = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.name.value === name;
        case Kind.INLINE_FRAGMENT:
          return within(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = selection.name.value;
          if (visited.has(fragment)) return false;
          visited.add(fragment);
          return within(info.fragments[fragment]?.selectionSet);
        }
      }
      return false;
    });
  return info.fieldNodes.some((node) => within(node.selectionSet));
}
