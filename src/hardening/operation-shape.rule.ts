/**
 * The operation shape limits (operation-shape.ts) as a graphql-js validation rule, for Apollo,
 * which runs every rule side by side in one traversal. The shape is measured when the traversal
 * enters the document, before any rule has looked at a selection; a refused document is then
 * pruned from the traversal (a visitor returning `null` deletes the node, and graphql-js's
 * parallel visitor hides an edited node from every other rule), so the costlier rules —
 * OverlappingFieldsCanBeMerged among them — never walk it. Paths that call `validate` themselves
 * (WebSocket, trusted operations) call `shapeErrors` first instead.
 */
import type { ASTVisitor, ValidationContext } from 'graphql';
import { shapeErrors, type ShapeLimits } from './operation-shape';

export { limitError, MAX_VISITED_SELECTIONS } from './operation-shape';

export function operationShapeRule(limits: ShapeLimits) {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const errors = shapeErrors(document, limits);
      if (errors.length === 0) return false; // nothing more for this rule to see
      for (const error of errors) context.reportError(error);
      return null;
    },
  });
}
