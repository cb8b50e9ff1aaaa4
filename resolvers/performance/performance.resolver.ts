import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { PerformanceIndicators } from './performance.type';

@Resolver(() => PerformanceIndicators)
export class PerformanceResolver {
  @Query(() => PerformanceIndicators, {
    description: 'The performance book for a period (YYYY-MM-DD, inclusive), by cluster.',
  })
  performanceIndicators(
    @Arg('from', () => String) from: string,
    @Arg('to', () => String) to: string,
    @Ctx() ctx: HubContext,
  ): Promise<PerformanceIndicators> {
    return ctx.services.performance.indicators(from, to) as Promise<PerformanceIndicators>;
  }
}
