import { Field, Float, Int, ObjectType } from 'type-graphql';
import { FeedReceipt } from '../feeds/feed.types';

@ObjectType({ description: 'Receipt for one pupil of an attendance return.' })
export class PupilAttendanceReceipt extends FeedReceipt {
  @Field(() => Int, { description: 'Position of the pupil in the return.' }) index!: number;
  @Field(() => Boolean, { description: 'Attendance under 90%.' }) persistentAbsence!: boolean;
}

@ObjectType()
export class SchoolAttendanceReceipt {
  @Field(() => [PupilAttendanceReceipt]) pupils!: PupilAttendanceReceipt[];
  @Field(() => Int, { description: 'Pupils of this return flagged persistently absent.' })
  persistentAbsenceCount!: number;
  @Field(() => Int, { description: 'Pupils held for review (not matched, or not on your roll).' })
  heldForReview!: number;
}

@ObjectType({ description: "The partnership's persistent absence (>10%) indicator: counts only, no child data." })
export class PersistentAbsenceIndicator {
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => Int, { description: 'Pupils with attendance reported for a period overlapping from–to.' })
  pupils!: number;
  @Field(() => Int, { description: 'Of those, pupils under 90% attendance.' }) persistentlyAbsent!: number;
  @Field(() => Float, { nullable: true, description: 'persistentlyAbsent / pupils, or null with no pupils.' }) rate!:
    | number
    | null;
}
