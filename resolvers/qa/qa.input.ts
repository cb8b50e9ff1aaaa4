import { Field, ID, InputType, Int } from 'type-graphql';
import { Cluster } from '../shared/cluster.enum';
import { QaGrade } from './qa.type';

@InputType()
export class DrawQaSampleInput {
  @Field(() => Cluster) cluster!: Cluster;
  @Field(() => String, { description: 'YYYY-MM' }) month!: string;
  @Field(() => Int) openCount!: number;
  @Field(() => Int) closedCount!: number;
  @Field(() => String, { nullable: true, description: 'Default: qa:<cluster>:<month>.' }) seed?: string | null;
}

@InputType()
export class RecordCaseAuditInput {
  @Field(() => ID) sampleId!: string;
  @Field(() => ID) ehaId!: string;
  @Field(() => QaGrade) grade!: QaGrade;
  @Field(() => String, { description: "About practice; do not repeat the child's personal data." }) findings!: string;
  @Field(() => String) auditedOn!: string;
}
