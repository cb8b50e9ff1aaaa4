import { Field, ID, InputType } from 'type-graphql';
import { Gender } from './child.type';

@InputType({
  description:
    'A child to find or add in the one record. Give a date of birth, or an expected date for an unborn baby.',
})
export class RegisterChildInput {
  @Field(() => String) givenName!: string;
  @Field(() => String) familyName!: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) dateOfBirth?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, unborn babies only.' }) expectedDate?: string | null;
  @Field(() => Gender, { nullable: true }) gender?: Gender | null;
  @Field(() => String, { nullable: true, description: '10 digits with a valid modulus 11 check digit.' }) nhsNumber?:
    | string
    | null;
  @Field(() => Boolean, {
    nullable: true,
    deprecationReason:
      'Ignored: a number given here is kept as an untraced lead. Only the hub traces a number (traceNhsNumber, EH DAS).',
  })
  nhsNumberTraced?: boolean | null;
  @Field(() => String, { nullable: true, description: '13-character Unique Pupil Number with a valid check letter.' })
  upn?: string | null;
  @Field(() => String, { nullable: true }) addressLine?: string | null;
  @Field(() => String, { nullable: true }) postcode?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => Boolean, { nullable: true }) hasSend?: boolean | null;
  @Field(() => ID, { nullable: true, description: 'After a probable match: the candidate that is this child.' })
  confirmMatchId?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'After a probable match: none of the candidates is this child.',
  })
  confirmNoMatch?: boolean | null;
}
