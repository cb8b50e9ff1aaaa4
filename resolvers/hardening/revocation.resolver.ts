import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { revokeServiceAccount, restoreServiceAccount } from '../../src/hardening/revocation.service';
import type { HubContext } from '../../src/server/context';

@Resolver()
export class RevocationResolver {
  @Mutation(() => Boolean, {
    description:
      'Refuses every token of a service account (by client id) from now on, on every instance within a few seconds, without a restart. Admin only.',
  })
  async revokeServiceAccount(
    @Arg('clientId', () => String) clientId: string,
    @Arg('reason', () => String) reason: string,
    @Arg('issuer', () => String, { nullable: true, description: 'Only tokens from this issuer; default: any issuer.' })
    issuer: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<boolean> {
    await revokeServiceAccount(ctx.services, { clientId, reason, issuer }, ctx.caller);
    return true;
  }

  @Mutation(() => Int, {
    description: 'Lifts the revocations of a service account; returns how many were lifted. Admin only.',
  })
  async restoreServiceAccount(
    @Arg('clientId', () => String) clientId: string,
    @Ctx() ctx: HubContext,
  ): Promise<number> {
    return restoreServiceAccount(ctx.services, clientId);
  }
}
