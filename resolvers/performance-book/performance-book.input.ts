import { Field, InputType } from 'type-graphql';

@InputType({ description: 'The owner and narrative of one indicator for one period.' })
export class SetIndicatorNarrativeInput {
  @Field(() => String, { description: 'An indicator key from performanceBook.' }) indicator!: string;
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => String) owner!: string;
  @Field(() => String) narrative!: string;
}
