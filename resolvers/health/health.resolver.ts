import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { toHealthSubmission } from '../../adapters/feeds/health.adapter';
import { Category } from '../../src/access/category.decorator';
import { healthHistoryLoader, levelOf } from '../../src/feeds/health.loaders';
import type { HubContext } from '../../src/server/context';
import { Child, type ChildSource } from '../child/child.type';
import { PostHealthUpdateInput } from './health.input';
import { FeedPostReceipt } from '../feeds/feed.types';
import { HealthEntry, HealthLevel } from './health.type';

@Resolver()
export class HealthResolver {
  @Mutation(() => FeedPostReceipt, {
    description:
      'A community trust posts a health level change or contact (service token). Idempotent on (trust, recordId). The receipt says only that it was received: posting gives the trust no relationship with the child (its caseload does).',
  })
  async postHealthUpdate(
    @Arg('input', () => PostHealthUpdateInput) input: PostHealthUpdateInput,
    @Ctx() ctx: HubContext,
  ): Promise<FeedPostReceipt> {
    return ctx.services.feeds.health.post(toHealthSubmission(input), ctx.caller, ctx.audit) as Promise<FeedPostReceipt>;
  }
}

/** Health fields on the one child record; the category guard decides who reads them. */
@Resolver(() => Child)
export class ChildHealthResolver {
  @FieldResolver(() => HealthLevel, {
    nullable: true,
    description: 'The health level in force (latest effective date).',
  })
  @Category('health')
  async healthLevel(@Root() child: ChildSource, @Ctx() ctx: HubContext): Promise<HealthLevel | null> {
    return levelOf(await healthHistoryLoader(ctx, ctx.services.db).load(child.childId)) as HealthLevel | null;
  }

  @FieldResolver(() => [HealthEntry], { nullable: true, description: 'Health level history, oldest first.' })
  @Category('health')
  async healthHistory(@Root() child: ChildSource, @Ctx() ctx: HubContext): Promise<HealthEntry[]> {
    const rows = await healthHistoryLoader(ctx, ctx.services.db).load(child.childId);
    return rows.map((r) => ({
      ...r,
      level: r.level as HealthLevel,
      previousLevel: r.previousLevel as HealthLevel | null,
    }));
  }
}
