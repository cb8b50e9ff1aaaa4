import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { proposalCursorKey } from '../../src/child-merge/child-merge.service';
import type { ProposalRow } from '../../src/child-merge/child-merge.repo';
import type { HubContext } from '../../src/server/context';
import type { MatchExplanation } from '../feeds/pending-match.type';
import { CURSOR_KEY, decodeCursor, encodeCursor } from '../shared/cursor';
import {
  ChildMergeProposal,
  ChildMergeProposalConnection,
  ChildMergeProposalStatus,
  UndoneChildMerge,
} from './child-merge.type';

@Resolver()
export class ChildMergeResolver {
  @Query(() => ChildMergeProposalConnection, {
    description: 'EH DAS only. Merge proposals with a status (pending by default), oldest first, in pages.',
  })
  async childMergeProposals(
    @Arg('status', () => ChildMergeProposalStatus, { defaultValue: ChildMergeProposalStatus.pending })
    status: ChildMergeProposalStatus,
    @Arg('first', () => Int, { defaultValue: 50, description: '1–200.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<ChildMergeProposalConnection> {
    const page = await ctx.services.childMerges.list(
      status,
      first,
      after ? decodeCursor('after', after, CURSOR_KEY.timeAndId) : null,
      ctx.audit,
    );
    const last = page.rows[page.rows.length - 1];
    return {
      nodes: page.rows.map(toProposal),
      count: page.rows.length,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor(proposalCursorKey(last)) : null },
    };
  }

  @Mutation(() => ChildMergeProposal, {
    description:
      'Proposes merging a duplicate record (fromId) into the surviving one (intoId). Nothing is merged until a different EH DAS screener approves.',
  })
  async proposeChildMerge(
    @Arg('fromId', () => ID) fromId: string,
    @Arg('intoId', () => ID) intoId: string,
    @Arg('reason', () => String, { description: '10–1000 characters.' }) reason: string,
    @Ctx() ctx: HubContext,
  ): Promise<ChildMergeProposal> {
    return toProposal(await ctx.services.childMerges.propose({ fromId, intoId, reason }, ctx.caller, ctx.audit));
  }

  @Mutation(() => ChildMergeProposal, {
    description:
      'Approves a pending merge proposal and performs the merge: every link and history row moves to the survivor and the old id redirects. The proposer cannot approve (FORBIDDEN).',
  })
  async approveChildMerge(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<ChildMergeProposal> {
    return toProposal(await ctx.services.childMerges.approve(id, ctx.caller, ctx.audit));
  }

  @Mutation(() => ChildMergeProposal, {
    description: 'Rejects (or, by its proposer, withdraws) a pending merge proposal; both records stay as they are.',
  })
  async rejectChildMerge(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { description: '10–1000 characters.' }) reason: string,
    @Ctx() ctx: HubContext,
  ): Promise<ChildMergeProposal> {
    return toProposal(await ctx.services.childMerges.reject(id, reason, ctx.caller, ctx.audit));
  }

  @Mutation(() => UndoneChildMerge, {
    description:
      'Undoes a performed merge: every row it moved goes back to the merged record, which is live again. CONFLICT, changing nothing, when a moved row was since deleted or moved again.',
  })
  async undoChildMerge(
    @Arg('mergeId', () => ID) mergeId: string,
    @Arg('reason', () => String, { description: '10–1000 characters.' }) reason: string,
    @Ctx() ctx: HubContext,
  ): Promise<UndoneChildMerge> {
    const { merge, restored } = await ctx.services.childMerges.undo(mergeId, reason, ctx.caller, ctx.audit);
    return {
      mergeId: merge.id,
      fromChildId: merge.fromChildId,
      intoChildId: merge.intoChildId,
      undoneBy: merge.undoneBy!,
      undoneAt: merge.undoneAt!,
      restored,
    };
  }
}

function toProposal(row: ProposalRow): ChildMergeProposal {
  return {
    id: row.id,
    fromChildId: row.fromChildId,
    intoChildId: row.intoChildId,
    reason: row.reason,
    explanation: (row.explanation as MatchExplanation | null) ?? null,
    status: row.status as ChildMergeProposalStatus,
    proposedBy: row.proposedBy,
    proposedAt: row.proposedAt,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    decisionReason: row.decisionReason,
    mergeId: row.mergeId,
  };
}
