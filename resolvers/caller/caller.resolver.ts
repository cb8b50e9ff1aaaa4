import { Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';

@ObjectType({ description: 'The verified caller of this request, as the hub sees it.' })
export class CallerInfo {
  @Field(() => String) subject!: string;
  @Field(() => ID) organisationId!: string;
  @Field(() => String) role!: string;
  @Field(() => String, { nullable: true }) clientId!: string | null;
  @Field(() => String, { nullable: true, description: 'Purpose of access stated for this request.' }) purpose!:
    | string
    | null;
}

@Resolver()
export class CallerResolver {
  @Query(() => CallerInfo, { description: 'Who the hub thinks you are: useful to check a token.' })
  me(@Ctx() ctx: HubContext): CallerInfo {
    const { subject, organisationId, role, clientId } = ctx.caller;
    return { subject, organisationId, role, clientId, purpose: ctx.purpose };
  }
}
