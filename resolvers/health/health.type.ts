import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import { FeedReceipt } from '../feeds/feed.types';

export enum HealthLevel {
  UNIVERSAL = 'UNIVERSAL',
  UNIVERSAL_PLUS = 'UNIVERSAL_PLUS',
  UNIVERSAL_PARTNERSHIP_PLUS = 'UNIVERSAL_PARTNERSHIP_PLUS',
}
registerEnumType(HealthLevel, { name: 'HealthLevel', description: 'Health\'s levels of need: Universal, Universal Plus, Universal Partnership Plus.' });

@ObjectType({ description: 'Receipt for a health update.' })
export class HealthUpdateReceipt extends FeedReceipt {
  @Field(() => Boolean, { description: 'The update moved the child up into Universal Plus or Partnership Plus during an open EHA (the lead practitioner is told through the case event).' })
  escalatedDuringEha!: boolean;
}

@ObjectType({ description: 'One entry of a child\'s health level history.' })
@ChildData()
export class HealthEntry {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => HealthLevel, { nullable: true }) @Category('health') level!: HealthLevel | null;
  @Field(() => HealthLevel, { nullable: true }) @Category('health') previousLevel!: HealthLevel | null;
  @Field(() => String, { nullable: true }) @Category('health') effectiveDate!: string | null;
  @Field(() => String, { nullable: true }) @Category('health') contactType!: string | null;
  @Field(() => String, { nullable: true }) @Category('health') summary!: string | null;
  @Field(() => ID, { nullable: true, description: 'The trust that posted it.' }) @Category('health') organisationId!: string | null;
}
