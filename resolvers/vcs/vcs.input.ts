import { Field, ID, InputType } from 'type-graphql';
import { ChildIdentificationFields } from '../shared/child-identification.input';

@InputType({
  description:
    "A voluntary organisation's contact with a child whose family consented to it. Idempotent on (organisation, contactRef).",
})
export class PostVcsContactInput extends ChildIdentificationFields {
  @Field(() => String, { description: 'Your own id for this contact.' }) contactRef!: string;
  @Field(() => ID, {
    nullable: true,
    description: "The child's hub id, if the family gave it to you; else identifiers or name and date of birth.",
  })
  childId?: string | null;
  @Field(() => String, { description: 'YYYY-MM-DD, not in the future.' }) contactDate!: string;
  @Field(() => String) contactType!: string;
  @Field(() => String, { description: 'Short summary (at most 1000 characters).' }) summary!: string;
}
