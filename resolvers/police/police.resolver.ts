import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { toPoliceIncidentSubmission } from '../../adapters/feeds/police-encompass.adapter';
import type { NotificationView } from '../../src/feeds/police.repo';
import type { HubContext } from '../../src/server/context';
import { toChildSource } from '../child/child.type';
import { NotifyPoliceIncidentInput } from './police.input';
import { FeedPostReceipt } from '../feeds/feed.types';
import { NotificationRoute, OverduePoliceNotificationConnection, PoliceNotification } from './police.type';
import { CURSOR_KEY, decodeCursor, encodeCursor } from '../shared/cursor';
import { childLoaders } from '../../src/child/child.loaders';

@Resolver()
export class PoliceResolver {
  @Mutation(() => FeedPostReceipt, {
    description:
      'Operation Encompass: the police notify the hub of an incident with children present. The receipt says only that it was received; the notification gives the sending force a relationship with its matched children for the Operation Encompass purpose only, for a limited time.',
  })
  async notifyPoliceIncident(
    @Arg('input', () => NotifyPoliceIncidentInput) input: NotifyPoliceIncidentInput,
    @Ctx() ctx: HubContext,
  ): Promise<FeedPostReceipt> {
    return ctx.services.feeds.police.notify(
      toPoliceIncidentSubmission(input),
      ctx.caller,
      ctx.audit,
    ) as Promise<FeedPostReceipt>;
  }

  @Query(() => [PoliceNotification], {
    description:
      'Police notifications addressed to your school (DSL) or to the Early Help team, earliest deadline first.',
  })
  async policeNotifications(
    @Arg('acknowledged', () => Boolean, { nullable: true }) acknowledged: boolean | null,
    @Arg('first', () => Int, { defaultValue: 50, description: '1–200.' }) first: number,
    @Ctx() ctx: HubContext,
  ): Promise<PoliceNotification[]> {
    ctx.access.requirePurpose();
    const rows = await ctx.services.feeds.police.listFor(ctx.caller, acknowledged ?? null, first);
    return Promise.all(rows.map((r) => toNotification(r, ctx)));
  }

  @Query(() => OverduePoliceNotificationConnection, {
    description:
      "The local authority's view across every school, college, setting and team: notifications not acknowledged by their deadline, earliest deadline first. Who is late, never what happened.",
  })
  async overduePoliceNotifications(
    @Arg('first', () => Int, { defaultValue: 50, description: '1–200.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<OverduePoliceNotificationConnection> {
    const page = await ctx.services.feeds.police.overdueAcrossSettings(
      first,
      after ? decodeCursor('after', after, CURSOR_KEY.timeAndId) : null,
    );
    const last = page.rows[page.rows.length - 1];
    return {
      nodes: page.rows.map((r) => ({ ...r, route: r.route as NotificationRoute })),
      count: page.rows.length,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        endCursor: last ? encodeCursor(`${last.deadline.toISOString()}|${last.id}`) : null,
      },
    };
  }

  @Mutation(() => PoliceNotification, {
    description: 'The recipient acknowledges a police notification. Acknowledging twice keeps the first time.',
  })
  async acknowledgePoliceNotification(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: HubContext,
  ): Promise<PoliceNotification> {
    return toNotification(await ctx.services.feeds.police.acknowledge(id, ctx.caller, ctx.audit), ctx);
  }
}

async function toNotification(r: NotificationView, ctx: HubContext): Promise<PoliceNotification> {
  // Batched per request (follows merges like ChildService.get): one lookup for the whole list.
  const child = await childLoaders(ctx, ctx.services.db)
    .live.load(r.childId)
    .catch(() => null);
  return {
    id: r.id,
    childId: r.childId,
    child: child ? toChildSource(child) : null,
    policeReference: r.policeReference,
    occurredAt: r.occurredAt,
    location: r.location,
    circumstances: r.circumstances,
    present: r.present,
    whereDuring: r.whereDuring,
    voiceOfChild: r.voiceOfChild,
    route: r.route as NotificationRoute,
    deadline: r.deadline,
    acknowledgedAt: r.acknowledgedAt,
    overdue: ctx.services.feeds.police.isOverdue(r),
  };
}
