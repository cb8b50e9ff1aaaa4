import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class IndicatorBreakdown {
  @Field(() => String) label!: string;
  @Field(() => Float) value!: number;
}

@ObjectType({
  description:
    "One indicator of the performance book: computed from the hub's data, with its owner and narrative. Counts only.",
})
export class BookIndicator {
  @Field(() => String) key!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'count, percent or points' }) unit!: string;
  @Field(() => String) owner!: string;
  @Field(() => String, { nullable: true }) narrative!: string | null;
  @Field(() => Float, { nullable: true }) value!: number | null;
  @Field(() => Int, { nullable: true }) numerator!: number | null;
  @Field(() => Int, { nullable: true }) denominator!: number | null;
  @Field(() => [IndicatorBreakdown]) breakdown!: IndicatorBreakdown[];
}

@ObjectType()
export class PerformanceBook {
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => [BookIndicator]) indicators!: BookIndicator[];
}

@ObjectType()
export class IndicatorNarrative {
  @Field(() => String) indicator!: string;
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => String) owner!: string;
  @Field(() => String) narrative!: string;
}
