import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { Cluster } from '../shared/cluster.enum';
import { PublishEarlyHelpOfferInput, RecordAdvicePointContactInput, SignpostCaseInput } from './directory.input';
import {
  AdvicePointContactCount,
  CaseSignpost,
  DirectoryEntry,
  DirectoryEntryKind,
  OfferLevel,
} from './directory.type';

@Resolver()
export class DirectoryResolver {
  @Query(() => [DirectoryEntry], {
    description:
      'The Early Help directory: published offers and the locality Advice Points. A cluster filter includes city-wide entries.',
  })
  async directory(
    @Arg('kind', () => DirectoryEntryKind, { nullable: true }) kind: DirectoryEntryKind | null,
    @Arg('level', () => OfferLevel, { nullable: true }) level: OfferLevel | null,
    @Arg('cluster', () => Cluster, { nullable: true }) cluster: Cluster | null,
    @Arg('text', () => String, { nullable: true }) text: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<DirectoryEntry[]> {
    return (await ctx.services.directory.search({ kind, level, cluster, text })) as DirectoryEntry[];
  }

  @Query(() => [CaseSignpost], { description: "Where a child's family was signposted (declined referrals, closures)." })
  caseSignposts(@Arg('childId', () => ID) childId: string, @Ctx() ctx: HubContext): Promise<CaseSignpost[]> {
    return ctx.services.directory.signpostsOf(childId, ctx);
  }

  @Query(() => [AdvicePointContactCount], {
    description: 'Advice Point contacts per point and topic (default: the last 30 days).',
  })
  async advicePointContactCounts(
    @Arg('from', () => String, { nullable: true }) from: string | null,
    @Arg('to', () => String, { nullable: true }) to: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<AdvicePointContactCount[]> {
    return (await ctx.services.directory.contactCounts({ from, to })) as AdvicePointContactCount[];
  }

  @Mutation(() => DirectoryEntry, {
    description:
      "Publishes your organisation's Early Help offer with its Designated Lead for Safeguarding and Early Help.",
  })
  async publishEarlyHelpOffer(
    @Arg('input', () => PublishEarlyHelpOfferInput) input: PublishEarlyHelpOfferInput,
    @Ctx() ctx: HubContext,
  ): Promise<DirectoryEntry> {
    return (await ctx.services.directory.publishOffer(input, ctx)) as DirectoryEntry;
  }

  @Mutation(() => [CaseSignpost], {
    description: 'Signposts a declined referral or a closed EHA to directory entries; recorded on the case.',
  })
  signpostCase(
    @Arg('input', () => SignpostCaseInput) input: SignpostCaseInput,
    @Ctx() ctx: HubContext,
  ): Promise<CaseSignpost[]> {
    return ctx.services.directory.signpost(input, ctx);
  }

  @Mutation(() => Boolean, {
    description:
      'Counts one Advice Point contact (low-level advice, no case opened). Nothing about the person is stored.',
  })
  async recordAdvicePointContact(
    @Arg('input', () => RecordAdvicePointContactInput) input: RecordAdvicePointContactInput,
    @Ctx() ctx: HubContext,
  ): Promise<boolean> {
    await ctx.services.directory.recordAdvicePointContact(input, ctx);
    return true;
  }
}
