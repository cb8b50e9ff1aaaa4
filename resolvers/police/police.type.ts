import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import { Child, type ChildSource } from '../child/child.type';
import { FeedReceipt } from '../feeds/feed.types';

export enum NotificationRoute { school_dsl = 'school_dsl', early_help_team = 'early_help_team', none = 'none' }
registerEnumType(NotificationRoute, {
  name: 'NotificationRoute',
  description: 'school_dsl: the DSL of the child\'s school. early_help_team: no school (home educated, not on a roll). none: not of school age (reception to 17), so no notification.',
});

@ObjectType({ description: 'What the hub did for one child of an incident.' })
export class PoliceChildReceipt extends FeedReceipt {
  @Field(() => Int, { description: 'Position of the child in the notification.' }) index!: number;
  @Field(() => NotificationRoute, { nullable: true }) route!: NotificationRoute | null;
  @Field(() => String, { nullable: true, description: 'Acknowledge by (ISO instant): the start of the recipient\'s next school day.' }) deadline!: string | null;
}

@ObjectType()
export class PoliceIncidentReceipt {
  @Field(() => [PoliceChildReceipt]) children!: PoliceChildReceipt[];
}

@ObjectType({ description: 'An Operation Encompass notification to a school\'s DSL (or the council Early Help team).' })
@ChildData()
export class PoliceNotification {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => Child, { nullable: true }) @Category('identity') child!: ChildSource | null;
  @Field(() => String, { nullable: true }) @Category('police') policeReference!: string | null;
  @Field(() => Date, { nullable: true }) @Category('police') occurredAt!: Date | null;
  @Field(() => String, { nullable: true }) @Category('police') location!: string | null;
  @Field(() => String, { nullable: true }) @Category('police') circumstances!: string | null;
  @Field(() => Boolean, { nullable: true }) @Category('police') present!: boolean | null;
  @Field(() => String, { nullable: true }) @Category('police') whereDuring!: string | null;
  @Field(() => String, { nullable: true }) @Category('police') voiceOfChild!: string | null;
  @Field(() => NotificationRoute, { nullable: true }) @Category('police') route!: NotificationRoute | null;
  @Field(() => Date, { nullable: true, description: 'Start of the next school day after the notification.' }) @Category('police') deadline!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('police') acknowledgedAt!: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'Not acknowledged by the deadline.' }) @Category('police') overdue!: boolean | null;
}
