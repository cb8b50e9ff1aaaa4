import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { AuditConsistencyProof, AuditInclusionProof, AuditLogHead } from './audit-log.type';

@Resolver()
export class AuditLogResolver {
  @Query(() => AuditLogHead, {
    description:
      "DPO only. The audit log's latest checkpoint published outside the database (a signed note to keep), and its verifier key.",
  })
  auditCheckpoint(@Ctx() ctx: HubContext): AuditLogHead {
    const { checkpoint, verifierKey } = ctx.services.auditProofs.checkpoint(ctx.access);
    return {
      verifierKey,
      checkpoint: checkpoint && {
        origin: checkpoint.origin,
        treeSize: checkpoint.treeSize,
        rootHash: checkpoint.rootHash.toString('base64'),
        time: checkpoint.time,
        note: checkpoint.note,
      },
    };
  }

  @Query(() => AuditInclusionProof, {
    description:
      'DPO only. Proves the audit row seq is in the log: an RFC 9162 inclusion proof in the tree of treeSize entries (default: the latest checkpoint). A row not yet in that checkpoint: NOT_FOUND.',
  })
  async auditInclusionProof(
    @Arg('seq', () => ID) seq: string,
    @Arg('treeSize', () => Int, { nullable: true }) treeSize: number | null,
    @Ctx() ctx: HubContext,
  ): Promise<AuditInclusionProof> {
    const proof = await ctx.services.auditProofs.inclusion(seq, treeSize, ctx.access);
    return { ...proof, seq: String(proof.seq) };
  }

  @Query(() => AuditConsistencyProof, {
    description:
      'DPO only. Proves the log of fromSize entries (a checkpoint you hold) is a prefix of the log of toSize (default: the latest checkpoint): nothing was removed or rewritten in between. RFC 9162.',
  })
  async auditConsistencyProof(
    @Arg('fromSize', () => Int) fromSize: number,
    @Arg('toSize', () => Int, { nullable: true }) toSize: number | null,
    @Ctx() ctx: HubContext,
  ): Promise<AuditConsistencyProof> {
    return ctx.services.auditProofs.consistency(fromSize, toSize, ctx.access);
  }
}
