import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { QaAuditRow, QaSampleRow } from '../../src/qa/qa.repo';
import type { HubContext } from '../../src/server/context';
import { Cluster } from '../shared/cluster.enum';
import { DrawQaSampleInput, RecordCaseAuditInput } from './qa.input';
import { QaCaseAudit, QaGrade, QaSample, QaTrendPoint } from './qa.type';

@Resolver()
export class QaResolver {
  @Query(() => QaSample, {
    nullable: true,
    description: "A cluster's case audit sample for a month, with its gradings.",
  })
  async qaSample(
    @Arg('cluster', () => Cluster) cluster: Cluster,
    @Arg('month', () => String) month: string,
    @Ctx() ctx: HubContext,
  ): Promise<QaSample | null> {
    const found = await ctx.services.qa.sample(cluster, month);
    return found ? toSample(found.sample, found.audits) : null;
  }

  @Query(() => [QaTrendPoint], { description: 'The trend of case audit gradings over months, per cluster.' })
  async qaTrend(
    @Arg('fromMonth', () => String) fromMonth: string,
    @Arg('toMonth', () => String) toMonth: string,
    @Arg('cluster', () => Cluster, { nullable: true }) cluster: Cluster | null,
    @Ctx() ctx: HubContext,
  ): Promise<QaTrendPoint[]> {
    return (await ctx.services.qa.trend({ fromMonth, toMonth, cluster })).map((p) => ({
      month: p.month,
      cluster: p.cluster as Cluster,
      sampled: p.sampled,
      audited: p.audited,
      goodOrBetterPercent: p.goodOrBetterPercent,
      grades: Object.values(QaGrade).map((grade) => ({ grade, count: p.byGrade[grade] ?? 0 })),
    }));
  }

  @Mutation(() => QaSample, {
    description:
      "Draws the month's sample of open and closed cases for a cluster (reproducible from its seed; drawing again returns it).",
  })
  async drawQaSample(
    @Arg('input', () => DrawQaSampleInput) input: DrawQaSampleInput,
    @Ctx() ctx: HubContext,
  ): Promise<QaSample> {
    const sample = await ctx.services.qa.draw(input, ctx);
    return toSample(sample, (await ctx.services.qa.sample(sample.cluster, sample.month))?.audits ?? []);
  }

  @Mutation(() => QaCaseAudit, { description: 'Grades one sampled case with findings.' })
  async recordCaseAudit(
    @Arg('input', () => RecordCaseAuditInput) input: RecordCaseAuditInput,
    @Ctx() ctx: HubContext,
  ): Promise<QaCaseAudit> {
    return toAudit(await ctx.services.qa.recordAudit(input, ctx));
  }
}

function toAudit(a: QaAuditRow): QaCaseAudit {
  return { ehaId: a.ehaId, grade: a.grade as QaGrade, findings: a.findings, auditedOn: a.auditedOn };
}

function toSample(s: QaSampleRow, audits: QaAuditRow[]): QaSample {
  return {
    id: s.id,
    cluster: s.cluster as Cluster,
    month: s.month,
    seed: s.seed,
    openCount: s.openCount,
    closedCount: s.closedCount,
    ehaIds: s.ehaIds,
    audits: audits.map(toAudit),
  };
}
