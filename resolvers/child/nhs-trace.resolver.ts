import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { Child, type ChildSource } from './child.type';
import { NhsNumberTrace, traceOf, type NhsNumberTraceSource } from './nhs-trace.type';

@Resolver(() => Child)
export class NhsTraceResolver {
  @Mutation(() => NhsNumberTrace, {
    description:
      "EH DAS traces a child's NHS number against PDS: `nhsNumber` (or the untraced number the record holds) is verified by a read, following a superseded number to the current one; without one the child is found by name, date of birth and postcode. A restricted PDS record keeps the child's address from every partner. SERVICE_UNAVAILABLE when PDS is not configured or not answering; nothing changes unless the outcome is TRACED.",
  })
  async traceNhsNumber(
    @Arg('childId', () => ID) childId: string,
    @Arg('nhsNumber', () => String, { nullable: true, description: 'A number to verify (10 digits).' })
    nhsNumber: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<NhsNumberTraceSource> {
    const result = await ctx.services.nhsTrace.trace(childId, nhsNumber, ctx);
    return traceOf(result.child, result.outcome, result.supersededNumber);
  }

  @FieldResolver(() => NhsNumberTrace, {
    nullable: true,
    description: "How the hub traced the child's NHS number; null when it is untraced (a lead only).",
  })
  nhsNumberTrace(@Root() child: ChildSource): NhsNumberTraceSource | null {
    return child.nhsNumberTraced ? traceOf(child) : null;
  }

  // A record PDS holds as restricted: its address is shown to no partner, whatever role, consent or relationship.
  @FieldResolver(() => String, { nullable: true })
  addressLine(@Root() child: ChildSource): string | null {
    return child.addressRestricted ? null : child.addressLine;
  }

  @FieldResolver(() => String, { nullable: true })
  postcode(@Root() child: ChildSource): string | null {
    return child.addressRestricted ? null : child.postcode;
  }
}
