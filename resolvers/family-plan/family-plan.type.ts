import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import { VOICE_POINTS } from '../../src/family-plan/family-plan.service';
import { enumOf } from '../shared/enum-of';

export const VoicePoint = enumOf(VOICE_POINTS);
export type VoicePoint = (typeof VOICE_POINTS)[number];
registerEnumType(VoicePoint, { name: 'VoicePoint', description: "When the child's words were recorded." });

@ObjectType({ description: "The child's own words, recorded at assessment or at a review." })
@ChildData()
export class VoiceOfChild {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => VoicePoint, { nullable: true }) @Category('early_help') point!: VoicePoint | null;
  @Field(() => String, { nullable: true }) @Category('early_help') recordedOn!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') words!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') capturedHow!: string | null;
}

@ObjectType({ description: 'The family-facing form of the plan, with the voice of the child.' })
@ChildData()
export class FamilyPlanView {
  @Field(() => ID) ehaId!: string;
  @Field(() => ID) childId!: string;
  @Field(() => Int, { nullable: true, description: '0 before the first; pass as expectedRevision when changing it.' })
  @Category('early_help')
  revision!: number | null;
  @Field(() => String, { nullable: true }) @Category('early_help') goingWell!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') worries!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') needsToHappen!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') whenThingsAreBetter!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') agreedOn!: string | null;
  @Field(() => [VoiceOfChild], { nullable: true }) @Category('early_help') voiceOfChild!: VoiceOfChild[] | null;
}
