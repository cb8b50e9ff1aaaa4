import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { SetIndicatorNarrativeInput } from './performance-book.input';
import { IndicatorNarrative, PerformanceBook } from './performance-book.type';

@Resolver()
export class PerformanceBookResolver {
  @Query(() => PerformanceBook, {
    description: 'The full performance book for a period: every indicator with its owner and narrative.',
  })
  performanceBook(
    @Arg('from', () => String) from: string,
    @Arg('to', () => String) to: string,
    @Ctx() ctx: HubContext,
  ): Promise<PerformanceBook> {
    return ctx.services.performanceBook.book(from, to);
  }

  @Mutation(() => IndicatorNarrative, { description: "Sets an indicator's owner and narrative for a period." })
  async setIndicatorNarrative(
    @Arg('input', () => SetIndicatorNarrativeInput) input: SetIndicatorNarrativeInput,
    @Ctx() ctx: HubContext,
  ): Promise<IndicatorNarrative> {
    const row = await ctx.services.performanceBook.setNarrative(input, ctx);
    return {
      indicator: row.indicator,
      from: row.periodFrom,
      to: row.periodTo,
      owner: row.owner,
      narrative: row.narrative,
    };
  }
}
