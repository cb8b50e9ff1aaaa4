import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import { Child, PageInfo, type ChildSource } from '../child/child.type';
import { NOTIFICATION_ROUTES } from '../../src/feeds/police.service';
import { enumOf } from '../shared/enum-of';

export const NotificationRoute = enumOf(NOTIFICATION_ROUTES);
export type NotificationRoute = (typeof NOTIFICATION_ROUTES)[number];
registerEnumType(NotificationRoute, {
  name: 'NotificationRoute',
  description:
    "school_dsl: the DSL of the child's school. college_dsl: of the college holding a 16–17-year-old on roll. early_years_setting: of the setting holding a child below reception age. health_visitor: the trust on whose caseload a child below reception age in no setting is (the council team is notified too). early_help_team: the council's designated Early Help team (home educated, 16–17 on no roll, a toddler in no setting). none: 18 or over, or unborn.",
});

@ObjectType({
  description:
    "An Operation Encompass notification to an education setting's DSL, a health visitor or the council's designated Early Help team.",
})
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
  @Field(() => Date, { nullable: true, description: 'Start of the next school day after the notification.' })
  @Category('police')
  deadline!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('police') acknowledgedAt!: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'Not acknowledged by the deadline.' })
  @Category('police')
  overdue!: boolean | null;
}

@ObjectType({
  description:
    "A police notification past its deadline and not acknowledged, for the local authority's oversight: who it was routed to and when it was due, no child and no content.",
})
export class OverduePoliceNotification {
  @Field(() => ID) id!: string;
  @Field(() => ID) recipientOrganisationId!: string;
  @Field(() => String) recipientName!: string;
  @Field(() => NotificationRoute) route!: NotificationRoute;
  @Field(() => Date) deadline!: Date;
  @Field(() => Date, { description: 'When the hub routed it.' }) createdAt!: Date;
}

@ObjectType()
export class OverduePoliceNotificationConnection {
  @Field(() => [OverduePoliceNotification]) nodes!: OverduePoliceNotification[];
  @Field(() => Int) count!: number;
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
