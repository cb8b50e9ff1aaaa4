import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import { HEALTH_LEVELS } from '../../src/feeds/health.service';
import { enumOf } from '../shared/enum-of';

export const HealthLevel = enumOf(HEALTH_LEVELS);
export type HealthLevel = (typeof HEALTH_LEVELS)[number];
registerEnumType(HealthLevel, {
  name: 'HealthLevel',
  description: "Health's levels of need: Universal, Universal Plus, Universal Partnership Plus.",
});

@ObjectType({ description: "One entry of a child's health level history." })
@ChildData()
export class HealthEntry {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => HealthLevel, { nullable: true }) @Category('health') level!: HealthLevel | null;
  @Field(() => HealthLevel, { nullable: true }) @Category('health') previousLevel!: HealthLevel | null;
  @Field(() => String, { nullable: true }) @Category('health') effectiveDate!: string | null;
  @Field(() => String, { nullable: true }) @Category('health') contactType!: string | null;
  @Field(() => String, { nullable: true }) @Category('health') summary!: string | null;
  @Field(() => ID, { nullable: true, description: 'The trust that posted it.' }) @Category('health') organisationId!:
    | string
    | null;
}
