import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { decodeCursor, encodeCursor } from '../shared/cursor';
import { AccessByOther, AccessLogConnection, AuditAnomaly, AnomalyKind, ChainVerification, toAccessLogEntry } from './audit.type';

@Resolver()
export class AuditResolver {
  @Query(() => AccessLogConnection, {
    description: 'DPO only. Who saw which data of a child, or what one organisation or practitioner saw, in [from, to): oldest first, in pages. Give exactly one of childId (merged records included), organisationId, practitionerId (the token subject). Purpose: audit or subject_access.',
  })
  async accessLog(
    @Arg('childId', () => ID, { nullable: true }) childId: string | null,
    @Arg('organisationId', () => ID, { nullable: true }) organisationId: string | null,
    @Arg('practitionerId', () => String, { nullable: true, description: 'The practitioner\'s (or service account\'s) token subject.' }) practitionerId: string | null,
    @Arg('from', () => DateTimeResolver) from: Date,
    @Arg('to', () => DateTimeResolver) to: Date,
    @Arg('first', () => Int, { defaultValue: 50, description: '1–200.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<AccessLogConnection> {
    const page = await ctx.services.dpo.accessLog({
      childId, organisationId, subject: practitionerId, from, to, first, after: after ? decodeCursor('after', after) : null,
    }, ctx.access, ctx.audit);
    const nodes = page.rows.map(toAccessLogEntry);
    return { nodes, count: nodes.length, pageInfo: { hasNextPage: page.hasNextPage, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]!.seq) : null } };
  }

  @Query(() => ChainVerification, { description: 'DPO only. Recomputes the audit hash chain for the rows written in [from, to) and reports the first broken link.' })
  async verifyAuditChain(
    @Arg('from', () => DateTimeResolver) from: Date,
    @Arg('to', () => DateTimeResolver) to: Date,
    @Ctx() ctx: HubContext,
  ): Promise<ChainVerification> {
    const report = await ctx.services.dpo.verifyAuditChain(from, to, ctx.access);
    return { ...report, firstBrokenSeq: report.firstBrokenSeq === null ? null : String(report.firstBrokenSeq) };
  }

  @Query(() => JSONResolver, {
    description: 'DPO only, purpose subject_access. Everything the hub holds about the child (and records merged into it) plus its full access history, as JSON. Also at GET /dpo/subject-access/:childId.',
  })
  async subjectAccessReport(@Arg('childId', () => ID) childId: string, @Ctx() ctx: HubContext): Promise<Record<string, unknown>> {
    return ctx.services.dpo.subjectAccessReport(childId, ctx.access, ctx.audit);
  }

  @Query(() => [AuditAnomaly], { description: 'DPO only. Access attempts outside any relationship, override use, and callers touching more child records in an hour than the threshold.' })
  async auditAnomalies(
    @Arg('from', () => DateTimeResolver) from: Date,
    @Arg('to', () => DateTimeResolver) to: Date,
    @Arg('volumeThresholdPerHour', () => Int, { nullable: true, description: 'Default: the hub\'s configured threshold (200).' }) threshold: number | null,
    @Ctx() ctx: HubContext,
  ): Promise<AuditAnomaly[]> {
    const found = await ctx.services.dpo.anomalies(from, to, threshold, ctx.access, ctx.audit);
    return found.map((a) => ({ ...a, kind: a.kind as AnomalyKind, seq: a.seq === null ? null : String(a.seq) }));
  }

  @Query(() => [AccessByOther], { description: 'For the child\'s lead practitioner: who outside the team around the family viewed the child since the given time (organisation, role, time, categories).' })
  async recentAccessByOthers(
    @Arg('childId', () => ID) childId: string,
    @Arg('since', () => DateTimeResolver) since: Date,
    @Ctx() ctx: HubContext,
  ): Promise<AccessByOther[]> {
    return ctx.services.accessNotifications.recentAccessByOthers(childId, since, ctx.access, ctx.audit);
  }
}
