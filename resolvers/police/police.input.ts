import { Field, InputType } from 'type-graphql';
import { ChildIdentificationFields } from '../shared/child-identification.input';

@InputType({ description: 'A child present at (or connected to) an incident: identifiers, or name and date of birth.' })
export class PoliceChildInput extends ChildIdentificationFields {
  @Field(() => Boolean, { description: 'Whether the child was present.' }) present!: boolean;
  @Field(() => String, { nullable: true, description: 'Where the child was during the incident.' }) whereDuring?:
    | string
    | null;
  @Field(() => String, { nullable: true, description: 'The voice of the child: what they said or how they presented.' })
  voiceOfChild?: string | null;
}

@InputType({ description: 'An Operation Encompass notification. Idempotent on (force, policeReference).' })
export class NotifyPoliceIncidentInput {
  @Field(() => String) policeReference!: string;
  @Field(() => String, { description: 'ISO 8601 date and time with a zone, e.g. 2026-10-23T22:30:00+01:00.' })
  occurredAt!: string;
  @Field(() => String, { description: 'Free text; shown to the recipient, never logged.' }) location!: string;
  @Field(() => String, { description: 'Brief circumstances.' }) circumstances!: string;
  @Field(() => [PoliceChildInput]) children!: PoliceChildInput[];
}
