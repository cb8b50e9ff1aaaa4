import { Field, Float, InputType, Int } from 'type-graphql';
import { ChildDetailsInput } from '../feeds/feed.types';

@InputType({ description: 'One pupil of an attendance return.' })
export class PupilAttendanceInput {
  @Field(() => String, { description: '13-character Unique Pupil Number with a valid check letter.' }) upn!: string;
  @Field(() => Float, { description: 'Attendance for the period, 0–100. Under 90 is persistent absence.' })
  attendancePercent!: number;
  @Field(() => Int, { nullable: true, description: 'Fixed-period exclusions in the period (default 0).' })
  fixedPeriodExclusions?: number | null;
  @Field(() => Float, { nullable: true, description: 'Days excluded, in half days (default 0).' }) exclusionDays?:
    | number
    | null;
  @Field(() => ChildDetailsInput, { nullable: true }) child?: ChildDetailsInput | null;
}

@InputType({
  description: 'An attendance return from a school MIS for one period. Idempotent per (school, UPN, period).',
})
export class PostSchoolAttendanceInput {
  @Field(() => String, { description: 'YYYY-MM-DD.' }) periodStart!: string;
  @Field(() => String, { description: 'YYYY-MM-DD, not in the future.' }) periodEnd!: string;
  @Field(() => [PupilAttendanceInput]) pupils!: PupilAttendanceInput[];
}
