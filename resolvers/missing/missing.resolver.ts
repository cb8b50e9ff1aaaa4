import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Category } from '../../src/access/category.decorator';
import { interviewStatus, isOverdue, returnInterviewDueBy } from '../../src/missing/return-window';
import type { HubContext } from '../../src/server/context';
import { RecordMissingEpisodeInput, RecordReturnInterviewInput, ReportMissingFromHomeInput } from './missing.input';
import { FeedPostReceipt } from '../feeds/feed.types';
import { MissingEpisode, ReturnInterviewStatus, type MissingEpisodeSource } from './missing.type';

@Resolver(() => MissingEpisode)
export class MissingResolver {
  @Query(() => [MissingEpisode], {
    description:
      'Return interviews still outstanding more than 72 hours after the young person returned (your children only).',
  })
  overdueReturnInterviews(@Ctx() ctx: HubContext): Promise<MissingEpisodeSource[]> {
    return ctx.services.missing.overdue(ctx);
  }

  @Query(() => [MissingEpisode], { description: "A child's missing episodes." })
  missingEpisodes(@Arg('childId', () => ID) childId: string, @Ctx() ctx: HubContext): Promise<MissingEpisodeSource[]> {
    return ctx.services.missing.episodesOf(childId, ctx);
  }

  @Mutation(() => MissingEpisode, {
    description:
      'Records a missing episode (police or practitioner); the child joins the EH DAS queue for a return interview.',
  })
  recordMissingEpisode(
    @Arg('input', () => RecordMissingEpisodeInput) input: RecordMissingEpisodeInput,
    @Ctx() ctx: HubContext,
  ): Promise<MissingEpisodeSource> {
    return ctx.services.missing.recordEpisode(input, ctx);
  }

  @Mutation(() => FeedPostReceipt, {
    description:
      'The police, the authoritative source of missing episodes, report a child missing (or returned), whether or not they have notified about the child before. The receipt says only RECEIVED; a child not matched with certainty is held for EH DAS; the post gives the force no relationship with the child.',
  })
  async reportMissingFromHome(
    @Arg('input', () => ReportMissingFromHomeInput) input: ReportMissingFromHomeInput,
    @Ctx() ctx: HubContext,
  ): Promise<FeedPostReceipt> {
    return ctx.services.feeds.missing.report(input, ctx.caller, ctx.audit) as Promise<FeedPostReceipt>;
  }

  @Mutation(() => MissingEpisode, {
    description: 'The young person returned: the 72-hour window for the return interview starts.',
  })
  recordMissingReturn(
    @Arg('episodeId', () => ID) episodeId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('returnedAt', () => String) returnedAt: string,
    @Ctx() ctx: HubContext,
  ): Promise<MissingEpisodeSource> {
    return ctx.services.missing.recordReturn({ episodeId, expectedVersion, returnedAt }, ctx);
  }

  @Mutation(() => MissingEpisode, { description: 'The return interview offered, accepted, declined or completed.' })
  recordReturnInterview(
    @Arg('input', () => RecordReturnInterviewInput) input: RecordReturnInterviewInput,
    @Ctx() ctx: HubContext,
  ): Promise<MissingEpisodeSource> {
    return ctx.services.missing.recordInterview(input, ctx);
  }

  @FieldResolver(() => Date, { nullable: true })
  @Category('early_help')
  returnInterviewDueBy(@Root() e: MissingEpisodeSource): Date | null {
    return e.returnedAt ? returnInterviewDueBy(e.returnedAt) : null;
  }

  @FieldResolver(() => ReturnInterviewStatus, { nullable: true })
  @Category('early_help')
  returnInterviewStatus(@Root() e: MissingEpisodeSource): ReturnInterviewStatus {
    return interviewStatus(e) as ReturnInterviewStatus;
  }

  @FieldResolver(() => Boolean, { nullable: true })
  @Category('early_help')
  overdue(@Root() e: MissingEpisodeSource, @Ctx() ctx: HubContext): boolean {
    return isOverdue(e, ctx.access.at);
  }
}
