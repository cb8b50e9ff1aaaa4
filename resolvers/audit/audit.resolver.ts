import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { CURSOR_KEY, decodeCursor, encodeCursor } from '../shared/cursor';
import {
  AccessByOther,
  AccessLogConnection,
  AuditAnomaly,
  AnomalyKind,
  ChainVerification,
  toAccessLogEntry,
} from './audit.type';

@Resolver()
export class AuditResolver {
  @Query(() => AccessLogConnection, {
    description:
      'DPO only. Who saw which data of a child, or what one organisation or practitioner saw, in [from, to): oldest first, in pages. Give exactly one of childId (merged records included), organisationId, practitionerId (the token subject). Purpose: audit or subject_access.',
  })
  async accessLog(
    @Arg('childId', () => ID, { nullable: true }) childId: string | null,
    @Arg('organisationId', () => ID, { nullable: true }) organisationId: string | null,
    @Arg('practitionerId', () => String, {
      nullable: true,
      description: "The practitioner's (or service account's) token subject.",
    })
    practitionerId: string | null,
    @Arg('from', () => DateTimeResolver) from: Date,
    @Arg('to', () => DateTimeResolver) to: Date,
    @Arg('first', () => Int, { defaultValue: 50, description: '1–200.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<AccessLogConnection> {
    const page = await ctx.services.dpo.accessLog(
      {
        childId,
        organisationId,
        subject: practitionerId,
        from,
        to,
        first,
        after: after ? decodeCursor('after', after, CURSOR_KEY.seq) : null,
      },
      ctx.access,
      ctx.audit,
    );
    const nodes = page.rows.map(toAccessLogEntry);
    return {
      nodes,
      count: nodes.length,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]!.seq) : null,
      },
    };
  }

  @Query(() => ChainVerification, {
    description:
      "DPO only. Checks the audit's Merkle log in the database against the last checkpoint published outside it, from the last checkpoint already verified: the entries logged since are read, each row re-hashed against its log entry, and together with the verified tree they must give the new checkpoint (cost: the entries logged since, not the whole log). With from and to, the rows written in [from, to) are re-hashed too; full re-reads the whole log. Reports the first row that does not hold: altered, missing from the log, or refused by it as not written by the hub.",
  })
  async verifyAuditChain(
    @Arg('from', () => DateTimeResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeResolver, { nullable: true }) to: Date | null,
    @Arg('full', () => Boolean, {
      defaultValue: false,
      description: 'Re-read the whole log rather than from the last verified checkpoint.',
    })
    full: boolean,
    @Ctx() ctx: HubContext,
  ): Promise<ChainVerification> {
    const report = await ctx.services.dpo.verifyAuditChain(from ?? null, to ?? null, full, ctx.access);
    return {
      ok: report.ok,
      checked: report.checked,
      reason: report.reason,
      firstBrokenSeq: report.firstBrokenSeq === null ? null : String(report.firstBrokenSeq),
      fromTreeSize: report.fromTreeSize,
      treeSize: report.checkpoint?.treeSize ?? 0,
    };
  }

  @Query(() => JSONResolver, {
    description:
      'DPO only, purpose subject_access. Everything the hub holds about the child (and records merged into it) plus its full access history, as JSON. Also at GET /dpo/subject-access/:childId.',
  })
  async subjectAccessReport(
    @Arg('childId', () => ID) childId: string,
    @Ctx() ctx: HubContext,
  ): Promise<Record<string, unknown>> {
    return ctx.services.dpo.subjectAccessReport(childId, ctx.access, ctx.audit);
  }

  @Query(() => [AuditAnomaly], {
    description:
      'DPO only. Access attempts outside any relationship, override use, and callers touching more child records in an hour than the threshold.',
  })
  async auditAnomalies(
    @Arg('from', () => DateTimeResolver) from: Date,
    @Arg('to', () => DateTimeResolver) to: Date,
    @Arg('volumeThresholdPerHour', () => Int, {
      nullable: true,
      description: "Default: the hub's configured threshold (200).",
    })
    threshold: number | null,
    @Ctx() ctx: HubContext,
  ): Promise<AuditAnomaly[]> {
    const found = await ctx.services.dpo.anomalies(from, to, threshold, ctx.access, ctx.audit);
    return found.map((a) => ({ ...a, kind: a.kind as AnomalyKind, seq: a.seq === null ? null : String(a.seq) }));
  }

  @Query(() => [AccessByOther], {
    description:
      'Notify-on-access, as CP-IS: the last 25 views of the child (since the given time, when given) by organisations outside the team around the family — ' +
      'the team being the lead practitioner, the named TAF members and the allocated council Early Help team. For the lead practitioner, the responsible ' +
      "council team (the open EHA's family support manager, or the family support allocated to the child) and the DPO. Each view: organisation, role, " +
      'purpose, time and categories; never who the viewer was by name, never case content.',
  })
  async recentAccessByOthers(
    @Arg('childId', () => ID) childId: string,
    @Arg('since', () => DateTimeResolver, {
      nullable: true,
      description: 'Only views at or after this time (default: the last 25, whenever).',
    })
    since: Date | null,
    @Ctx() ctx: HubContext,
  ): Promise<AccessByOther[]> {
    return ctx.services.accessNotifications.recentAccessByOthers(childId, since ?? null, ctx.access, ctx.audit);
  }
}
