import { Field, InputType } from 'type-graphql';
import { ChildDetailsInput } from '../feeds/feed.types';
import { HealthLevel } from './health.type';

@InputType({
  description:
    'A health level change or contact from a community trust, by NHS number. Idempotent on (trust, recordId).',
})
export class PostHealthUpdateInput {
  @Field(() => String, {
    description:
      "The trust's own id for this record: a retry under it changes nothing; different content under it is a CONFLICT.",
  })
  recordId!: string;
  @Field(() => String, { description: '10 digits with a valid modulus 11 check digit.' }) nhsNumber!: string;
  @Field(() => HealthLevel) level!: HealthLevel;
  @Field(() => String, { description: 'YYYY-MM-DD, not in the future.' }) effectiveDate!: string;
  @Field(() => String, { description: 'e.g. new birth visit, school nurse drop-in.' }) contactType!: string;
  @Field(() => String, { description: 'Short summary (at most 1000 characters).' }) summary!: string;
  @Field(() => ChildDetailsInput, { nullable: true }) child?: ChildDetailsInput | null;
}
