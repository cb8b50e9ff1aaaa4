import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { SyncStatus } from './sync.type';

@Resolver()
export class SyncResolver {
  @Query(() => SyncStatus, {
    description:
      'Liquid Logic sync: pending, in flight and dead-lettered counts, oldest pending age, last error. Admin and DPO.',
  })
  async syncStatus(@Ctx() ctx: HubContext): Promise<SyncStatus> {
    const status = await ctx.services.sync.status();
    return { ...status, deadLetters: status.deadLetters.map((d) => ({ ...d, id: String(d.id) })) };
  }

  @Mutation(() => ID, {
    description: 'Puts a dead-lettered outbox entry back in the queue with a fresh attempt budget. Admin.',
  })
  async retryDeadLetter(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<string> {
    return String(await ctx.services.sync.retryDeadLetter(id));
  }

  @Mutation(() => Int, {
    description:
      "Re-drives dead-lettered outbox entries: one child's (by `childId`, or the child of the dead letter `sameChildAs`), or all when neither is given. Each child's entries then go in order. Returns how many were requeued. Admin.",
  })
  async redriveDeadLetters(
    @Arg('childId', () => ID, { nullable: true }) childId: string | null,
    @Arg('sameChildAs', () => ID, { nullable: true }) sameChildAs: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<number> {
    return ctx.services.sync.redriveDeadLetters({ childId: childId ?? null, sameChildAs: sameChildAs ?? null });
  }
}
