import { involvementKind } from '../../schema';
import type { Purpose } from './purposes';

export type InvolvementKind = (typeof involvementKind.enumValues)[number];

/**
 * Involvement kinds that make a child "theirs" only for some purposes. A police notification
 * links the sending force to the notification's children (`operation_encompass`) for Operation
 * Encompass, and for nothing else: read under any other purpose, the child is not related.
 */
export const INVOLVEMENT_PURPOSES: Readonly<Partial<Record<InvolvementKind, readonly Purpose[]>>> = {
  operation_encompass: ['operation_encompass'],
  encompass_recipient: ['operation_encompass'],
};

/** The kinds of a role's relationship that count for a request's purpose. */
export function kindsForPurpose(kinds: readonly InvolvementKind[], purpose: Purpose | null): InvolvementKind[] {
  return kinds.filter((kind) => {
    const only = INVOLVEMENT_PURPOSES[kind];
    return !only || (purpose !== null && only.includes(purpose));
  });
}
