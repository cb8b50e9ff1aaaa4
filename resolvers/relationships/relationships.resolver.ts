import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { FeedPostReceipt } from '../feeds/feed.types';
import { PushHealthCaseloadInput, PushSchoolRollInput } from './relationships.input';

@Resolver()
export class RelationshipsResolver {
  @Mutation(() => FeedPostReceipt, {
    description:
      "A school MIS pushes its roll (snapshot, or starters and leavers, with their dates): the school's only relationship with its pupils. The receipt says only RECEIVED: unknown pupils are held for EH DAS.",
  })
  pushSchoolRoll(
    @Arg('input', () => PushSchoolRollInput) input: PushSchoolRollInput,
    @Ctx() ctx: HubContext,
  ): Promise<FeedPostReceipt> {
    return ctx.services.feeds.roll.post(input, ctx.caller, ctx.audit) as Promise<FeedPostReceipt>;
  }

  @Mutation(() => FeedPostReceipt, {
    description:
      "A community trust pushes its health caseload: the trust's only relationship with a child. The receipt says only RECEIVED.",
  })
  pushHealthCaseload(
    @Arg('input', () => PushHealthCaseloadInput) input: PushHealthCaseloadInput,
    @Ctx() ctx: HubContext,
  ): Promise<FeedPostReceipt> {
    return ctx.services.feeds.caseload.post(input, ctx.caller, ctx.audit) as Promise<FeedPostReceipt>;
  }
}
