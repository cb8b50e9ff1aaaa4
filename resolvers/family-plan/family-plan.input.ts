import { Field, ID, InputType, Int } from 'type-graphql';
import { VoicePoint } from './family-plan.type';

@InputType()
export class SetFamilyPlanInput {
  @Field(() => ID) ehaId!: string;
  @Field(() => Int, { description: 'The revision you read (0 for the first plan).' }) expectedRevision!: number;
  @Field(() => String) goingWell!: string;
  @Field(() => String) worries!: string;
  @Field(() => String) needsToHappen!: string;
  @Field(() => String, { description: 'What the family and agencies will see when things are better.' })
  whenThingsAreBetter!: string;
}

@InputType()
export class RecordVoiceOfChildInput {
  @Field(() => ID) ehaId!: string;
  @Field(() => VoicePoint) point!: VoicePoint;
  @Field(() => String) recordedOn!: string;
  @Field(() => String, { description: "The child's own words." }) words!: string;
  @Field(() => String, { description: 'e.g. in conversation, written, drawing, through an advocate.' })
  capturedHow!: string;
}
