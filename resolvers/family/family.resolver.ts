import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Category } from '../../src/access/category.decorator';
import { familyLoaders } from '../../src/family/family.loaders';
import type { HubContext } from '../../src/server/context';
import { Child, type ChildSource } from '../child/child.type';
import { FamilyLink, type FamilyLinkSource } from './family.type';

@Resolver(() => Child)
export class ChildFamilyResolver {
  @FieldResolver(() => [FamilyLink], { nullable: true, description: 'Parents, carers and siblings.' })
  @Category('family')
  async family(@Root() child: ChildSource, @Ctx() ctx: HubContext): Promise<FamilyLinkSource[]> {
    return familyLoaders(ctx, ctx.services.db).linksByChild.load(child.childId);
  }
}
