import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { Cluster } from '../shared/cluster.enum';
import { AddToPriorityListInput, DecidePriorityListEntryInput } from './priority-list.input';
import { PriorityListEntry, PriorityStatus } from './priority-list.type';

@Resolver()
export class PriorityListResolver {
  @Query(() => [PriorityListEntry], {
    description: "A cluster's Priority Children's List (the children you have a relationship with).",
  })
  async priorityList(
    @Arg('cluster', () => Cluster) cluster: Cluster,
    @Arg('status', () => PriorityStatus, { nullable: true }) status: PriorityStatus | null,
    @Ctx() ctx: HubContext,
  ): Promise<PriorityListEntry[]> {
    return (await ctx.services.priorityList.list(cluster, status, ctx)) as PriorityListEntry[];
  }

  @Mutation(() => PriorityListEntry, {
    description: "Adds a child you work with to a cluster's Priority Children's List, with the reason.",
  })
  async addToPriorityList(
    @Arg('input', () => AddToPriorityListInput) input: AddToPriorityListInput,
    @Ctx() ctx: HubContext,
  ): Promise<PriorityListEntry> {
    return (await ctx.services.priorityList.add(input, ctx)) as PriorityListEntry;
  }

  @Mutation(() => PriorityListEntry, { description: "Records the locality meeting's decision on a listed child." })
  async decidePriorityListEntry(
    @Arg('input', () => DecidePriorityListEntryInput) input: DecidePriorityListEntryInput,
    @Ctx() ctx: HubContext,
  ): Promise<PriorityListEntry> {
    return (await ctx.services.priorityList.decide(input, ctx)) as PriorityListEntry;
  }
}
