import { Field, Float, InputType, Int } from 'type-graphql';

@InputType({ description: 'The owner and narrative of one indicator for one period.' })
export class SetIndicatorNarrativeInput {
  @Field(() => String, { description: 'An indicator key from performanceBook.' }) indicator!: string;
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => String) owner!: string;
  @Field(() => String) narrative!: string;
}

@InputType({
  description:
    "An owner's figure for an indicator the hub cannot compute (under-18 conceptions, infant mortality …) for one period. Each submission is a new version.",
})
export class SubmitIndicatorFigureInput {
  @Field(() => String, { description: 'A submitted indicator key from performanceBook.' }) indicator!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) from!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) to!: string;
  @Field(() => Float, { description: "In the indicator's unit; a percentage at most 100, a count whole." })
  value!: number;
  @Field(() => Int, { nullable: true }) numerator?: number | null;
  @Field(() => Int, { nullable: true }) denominator?: number | null;
  @Field(() => String, { description: 'Where the figure comes from, e.g. the published statistics.' }) source!: string;
  @Field(() => String, { description: 'How it was produced: extract, date, method, who checked it.' })
  provenance!: string;
}
