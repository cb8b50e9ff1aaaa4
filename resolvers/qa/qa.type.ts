import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Cluster } from '../shared/cluster.enum';
import { QA_GRADES } from '../../src/qa/qa.service';
import { enumOf } from '../shared/enum-of';

export const QaGrade = enumOf(QA_GRADES);
export type QaGrade = (typeof QA_GRADES)[number];
registerEnumType(QaGrade, { name: 'QaGrade' });

/** Practice-quality records: EHA ids, gradings and findings about practice (no case content). */
@ObjectType({ description: 'One audited case of a monthly sample: grading and findings about practice.' })
export class QaCaseAudit {
  @Field(() => ID) ehaId!: string;
  @Field(() => QaGrade) grade!: QaGrade;
  @Field(() => String) findings!: string;
  @Field(() => String) auditedOn!: string;
}

@ObjectType({
  description:
    "A month's reproducible random sample of a cluster's open and closed cases. Re-drawing with the seed gives the same cases.",
})
export class QaSample {
  @Field(() => ID) id!: string;
  @Field(() => Cluster) cluster!: Cluster;
  @Field(() => String) month!: string;
  @Field(() => String) seed!: string;
  @Field(() => Int) openCount!: number;
  @Field(() => Int) closedCount!: number;
  @Field(() => [ID], { description: 'Open cases first, then closed, each in draw order.' }) ehaIds!: string[];
  @Field(() => [QaCaseAudit]) audits!: QaCaseAudit[];
}

@ObjectType()
export class GradeCount {
  @Field(() => QaGrade) grade!: QaGrade;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Case audit gradings of one cluster in one month.' })
export class QaTrendPoint {
  @Field(() => String) month!: string;
  @Field(() => Cluster) cluster!: Cluster;
  @Field(() => Int) sampled!: number;
  @Field(() => Int) audited!: number;
  @Field(() => [GradeCount]) grades!: GradeCount[];
  @Field(() => Float, { nullable: true }) goodOrBetterPercent!: number | null;
}
