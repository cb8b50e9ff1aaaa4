import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { toVcsContactSubmission } from '../../adapters/feeds/vcs.adapter';
import type { HubContext } from '../../src/server/context';
import { FeedReceipt } from '../feeds/feed.types';
import { PostVcsContactInput } from './vcs.input';

@Resolver()
export class VcsResolver {
  @Mutation(() => FeedReceipt, { description: 'A voluntary organisation records a contact with a child; CONSENT_REQUIRED unless the family consented to it (early_help).' })
  async postVcsContact(@Arg('input', () => PostVcsContactInput) input: PostVcsContactInput, @Ctx() ctx: HubContext): Promise<FeedReceipt> {
    return ctx.services.feeds.vcs.post(toVcsContactSubmission(input), ctx.caller, ctx.audit) as Promise<FeedReceipt>;
  }
}
