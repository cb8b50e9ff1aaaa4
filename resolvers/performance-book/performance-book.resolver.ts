import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import type { AdminRequest } from '../../src/admin-audit/admin-audit';
import { SetIndicatorNarrativeInput, SubmitIndicatorFigureInput } from './performance-book.input';
import { IndicatorFigure, IndicatorNarrative, PerformanceBook } from './performance-book.type';

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

  @Mutation(() => IndicatorFigure, {
    description:
      "The owner's figure for an indicator the hub cannot compute, for a period: validated, versioned (the book shows the latest) and recorded in the administrators' change log.",
  })
  async submitIndicatorFigure(
    @Arg('input', () => SubmitIndicatorFigureInput) input: SubmitIndicatorFigureInput,
    @Ctx() ctx: HubContext,
  ): Promise<IndicatorFigure> {
    const request: AdminRequest = {
      caller: ctx.caller,
      requestId: ctx.requestId,
      channel: 'graphql',
      at: ctx.services.clock.now(),
    };
    const row = await ctx.services.performanceBook.submitFigure(input, request);
    return { ...row, from: row.periodFrom, to: row.periodTo };
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
