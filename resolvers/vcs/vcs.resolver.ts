import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { toVcsContactSubmission } from '../../adapters/feeds/vcs.adapter';
import type { HubContext } from '../../src/server/context';
import { FeedPostReceipt } from '../feeds/feed.types';
import { PostVcsContactInput } from './vcs.input';

@Resolver()
export class VcsResolver {
  @Mutation(() => FeedPostReceipt, {
    description:
      'A voluntary organisation records a contact with a child. The receipt says only that it was received: the contact is recorded only if the family consented to the organisation (early_help); without that consent, or for a child the hub does not hold, nothing is created, and the receipt is the same.',
  })
  async postVcsContact(
    @Arg('input', () => PostVcsContactInput) input: PostVcsContactInput,
    @Ctx() ctx: HubContext,
  ): Promise<FeedPostReceipt> {
    return ctx.services.feeds.vcs.post(
      toVcsContactSubmission(input),
      ctx.caller,
      ctx.audit,
    ) as Promise<FeedPostReceipt>;
  }
}
