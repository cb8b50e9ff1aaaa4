import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Category } from '../../src/access/category.decorator';
import { ehaLoaders } from '../../src/eha/eha.loaders';
import type { HubContext } from '../../src/server/context';
import { Child, type ChildSource } from '../child/child.type';
import { Eha, type EhaSource } from './eha.type';

@Resolver(() => Child)
export class ChildEhaResolver {
  @FieldResolver(() => Eha, { nullable: true, description: "The child's open Early Help Assessment, if any." })
  @Category('early_help')
  openEha(@Root() child: ChildSource, @Ctx() ctx: HubContext): Promise<EhaSource | null> {
    return ehaLoaders(ctx, ctx.services.db).openEha.load(child.id);
  }
}
