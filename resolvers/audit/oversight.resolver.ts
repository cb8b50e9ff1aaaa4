import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { overrideCursorKey } from '../../src/audit/dpo.service';
import { holdCursorKey } from '../../src/audit/retention.service';
import type { HubContext } from '../../src/server/context';
import { CURSOR_KEY, decodeCursor, encodeCursor } from '../shared/cursor';
import {
  LegalHold,
  LegalHoldConnection,
  OverrideForReview,
  OverrideReviewConnection,
  ReviewOutcome,
  type OverrideReviewStatus,
} from './oversight.type';

type OverrideRow = Omit<OverrideForReview, 'reviewStatus'> & { reviewStatus: string };
const toOverride = (row: OverrideRow): OverrideForReview => ({
  ...row,
  reviewStatus: row.reviewStatus as OverrideReviewStatus,
});

@Resolver()
export class OversightResolver {
  @Query(() => OverrideReviewConnection, {
    description: 'DPO only. Safeguarding overrides not yet reviewed, oldest first.',
  })
  async overridesAwaitingReview(
    @Arg('first', () => Int, { defaultValue: 50, description: '1–200.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<OverrideReviewConnection> {
    const page = await ctx.services.dpo.overridesAwaitingReview(
      first,
      after ? decodeCursor('after', after, CURSOR_KEY.timeAndId) : null,
      ctx.access,
      ctx.audit,
    );
    const last = page.rows[page.rows.length - 1];
    return {
      nodes: page.rows.map(toOverride),
      count: page.rows.length,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor(overrideCursorKey(last)) : null },
    };
  }

  @Mutation(() => OverrideForReview, {
    description:
      'DPO only. Records the review of a safeguarding override; an override is reviewed once (again: CONFLICT).',
  })
  async reviewOverride(
    @Arg('id', () => ID) id: string,
    @Arg('outcome', () => ReviewOutcome) outcome: ReviewOutcome,
    @Arg('note', () => String) note: string,
    @Ctx() ctx: HubContext,
  ): Promise<OverrideForReview> {
    return toOverride(await ctx.services.dpo.reviewOverride(id, outcome, note, ctx.access, ctx.audit));
  }

  @Query(() => LegalHoldConnection, {
    description:
      "DPO only. Legal holds, oldest first, in pages: every child's, or one child's (merged records included); those in force unless includeLifted. Purpose: audit or subject_access.",
  })
  async legalHolds(
    @Arg('childId', () => ID, { nullable: true }) childId: string | null,
    @Arg('includeLifted', () => Boolean, { defaultValue: false }) includeLifted: boolean,
    @Arg('first', () => Int, { defaultValue: 50, description: '1–200.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<LegalHoldConnection> {
    const page = await ctx.services.retention.legalHolds(
      {
        childId: childId ?? null,
        includeLifted,
        first,
        after: after ? decodeCursor('after', after, CURSOR_KEY.timeAndId) : null,
      },
      ctx.access,
      ctx.audit,
    );
    const last = page.rows[page.rows.length - 1];
    return {
      nodes: page.rows,
      count: page.rows.length,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor(holdCursorKey(last)) : null },
    };
  }

  @Mutation(() => LegalHold, {
    description: "DPO only. Suspends retention deletion of the child's case data (e.g. for an inquiry) until lifted.",
  })
  async placeLegalHold(
    @Arg('childId', () => ID) childId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: HubContext,
  ): Promise<LegalHold> {
    return ctx.services.retention.placeLegalHold(childId, reason, ctx.access, ctx.audit);
  }

  @Mutation(() => LegalHold, {
    description: 'DPO only. Lifts a legal hold; retention applies again. Lifting twice: CONFLICT.',
  })
  async liftLegalHold(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: HubContext,
  ): Promise<LegalHold> {
    return ctx.services.retention.liftLegalHold(id, reason, ctx.access, ctx.audit);
  }
}
