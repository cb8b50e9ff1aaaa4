import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class IndicatorBreakdown {
  @Field(() => String) label!: string;
  @Field(() => Float) value!: number;
}

@ObjectType({
  description:
    "One indicator of the performance book: computed from the hub's data, or the owner's submitted figure, with its owner and narrative. Counts and rates only.",
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
  @Field(() => String, {
    nullable: true,
    description: '`hub` when computed live; else the source of the owner’s submitted figure (null while none is).',
  })
  source!: string | null;
  @Field(() => String, { nullable: true, description: 'How the submitted figure was produced.' })
  provenance!: string | null;
  @Field(() => Int, { nullable: true, description: 'The submitted figure’s version (the latest is shown).' })
  version!: number | null;
}

@ObjectType({ description: 'A figure an indicator’s owner submitted for a period: one version of it.' })
export class IndicatorFigure {
  @Field(() => ID) id!: string;
  @Field(() => String) indicator!: string;
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => Int) version!: number;
  @Field(() => Float) value!: number;
  @Field(() => Int, { nullable: true }) numerator!: number | null;
  @Field(() => Int, { nullable: true }) denominator!: number | null;
  @Field(() => String) source!: string;
  @Field(() => String) provenance!: string;
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
