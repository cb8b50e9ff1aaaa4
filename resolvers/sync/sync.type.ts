import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'An outbox entry Liquid Logic would not take (permanent error or attempts spent). No child data: ids, kinds and error codes.',
})
export class DeadLetter {
  @Field(() => ID) id!: string;
  @Field(() => String, {
    description:
      'Adapter call: person, early_help_episode, meeting, plan, review, masp_outcome, step_up, step_down, person_merge.',
  })
  entity!: string;
  @Field(() => String, { description: 'The case event kind that caused it.' }) eventKind!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true, description: 'Error code and HTTP status of the last attempt.' }) lastError!:
    | string
    | null;
  @Field(() => Int, {
    description: 'Later entries of the same child held back behind this one (per-child order) until it is re-driven.',
  })
  blocking!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastErrorAt!: Date | null;
}

@ObjectType({ description: 'The Liquid Logic sync queue (transactional outbox) at a glance.' })
export class SyncStatus {
  @Field(() => Int, { description: 'Waiting for delivery (including retries after a backoff).' }) pending!: number;
  @Field(() => Int, { description: 'Claimed by a worker right now.' }) inFlight!: number;
  @Field(() => Int) deadLettered!: number;
  @Field(() => Int) delivered!: number;
  @Field(() => Int, { description: 'Not sent because the record had not changed since it was last delivered.' })
  skippedUnchanged!: number;
  @Field(() => Int, {
    description:
      'Pending entries held back behind a dead letter of the same child: re-drive the dead letter to release them.',
  })
  blocked!: number;
  @Field(() => Int, {
    description:
      'Inbound Liquid Logic changes about a person the hub does not know yet, applied when the person appears.',
  })
  parkedInbound!: number;
  @Field(() => Int, {
    description: 'Inbound changes that waited too long for their person: a person must match them by hand.',
  })
  inboundForReview!: number;
  @Field(() => Int, {
    nullable: true,
    description: 'Age of the oldest undelivered change, in seconds; null when nothing waits.',
  })
  oldestPendingAgeSeconds!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true }) lastErrorAt!: Date | null;
  @Field(() => [DeadLetter], { description: 'Up to 50 dead letters, oldest first.' }) deadLetters!: DeadLetter[];
}
