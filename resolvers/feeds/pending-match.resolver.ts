import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { demographicsOf, identifiersOf } from '../../src/feeds/pending-matches.service';
import type { PendingMatchRow } from '../../src/feeds/submissions.repo';
import type { HubContext } from '../../src/server/context';
import { PendingMatch, PendingMatchStatus, type MatchExplanation } from './pending-match.type';

@Resolver()
export class PendingMatchResolver {
  @Query(() => [PendingMatch], { description: 'Partner submissions held for review, oldest first.' })
  async pendingMatches(
    @Arg('status', () => PendingMatchStatus, { defaultValue: PendingMatchStatus.pending }) status: PendingMatchStatus,
    @Arg('first', () => Int, { defaultValue: 50, description: '1–200.' }) first: number,
    @Ctx() ctx: HubContext,
  ): Promise<PendingMatch[]> {
    return (await ctx.services.feeds.pending.list(status, first, ctx.audit)).map(toPendingMatch);
  }

  @Mutation(() => PendingMatch, {
    description: 'Applies a held submission to the right record (childId) or to a new one (createNew: true).',
  })
  async resolvePendingMatch(
    @Arg('id', () => ID) id: string,
    @Arg('childId', () => ID, { nullable: true }) childId: string | null,
    @Arg('createNew', () => Boolean, { nullable: true }) createNew: boolean | null,
    @Ctx() ctx: HubContext,
  ): Promise<PendingMatch> {
    return toPendingMatch(await ctx.services.feeds.pending.resolve({ id, childId, createNew }, ctx.caller, ctx.audit));
  }
}

function toPendingMatch(row: PendingMatchRow): PendingMatch {
  const ids = identifiersOf(row.feed, row.payload);
  const who = demographicsOf(row.feed, row.payload);
  return {
    id: row.id,
    feed: row.feed,
    organisationId: row.organisationId,
    reason: row.reason,
    candidateChildIds: row.candidateChildIds,
    explanation: (row.explanation as MatchExplanation[] | null) ?? [],
    nhsNumber: ids.nhsNumber ?? null,
    upn: ids.upn ?? null,
    givenName: who.givenName ?? null,
    familyName: who.familyName ?? null,
    dateOfBirth: who.dateOfBirth ?? null,
    postcode: who.postcode ?? null,
    status: row.status as PendingMatchStatus,
    resolvedChildId: row.resolvedChildId,
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
  };
}
