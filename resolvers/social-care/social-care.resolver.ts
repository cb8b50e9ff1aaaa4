import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Category } from '../../src/access/category.decorator';
import { socialCareEpisodesLoader } from '../../src/social-care/social-care.loaders';
import type { HubContext } from '../../src/server/context';
import { Child, type ChildSource } from '../child/child.type';
import { SocialCareEpisode, type SocialCareEpisodeSource } from './social-care.type';

@Resolver(() => Child)
export class ChildSocialCareResolver {
  @FieldResolver(() => [SocialCareEpisode], {
    nullable: true,
    description: 'Child in Need, Child Protection and looked-after episodes from Liquid Logic, oldest first.',
  })
  @Category('social_care')
  async socialCareEpisodes(@Root() child: ChildSource, @Ctx() ctx: HubContext): Promise<SocialCareEpisodeSource[]> {
    return socialCareEpisodesLoader(ctx, ctx.services.db).load(child.childId);
  }
}
