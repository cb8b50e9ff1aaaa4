import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { toPoliceIncidentSubmission } from '../../adapters/feeds/police-encompass.adapter';
import type { NotificationView } from '../../src/feeds/police.repo';
import type { HubContext } from '../../src/server/context';
import { toChildSource } from '../child/child.type';
import { NotifyPoliceIncidentInput } from './police.input';
import { NotificationRoute, PoliceIncidentReceipt, PoliceNotification, type PoliceChildReceipt } from './police.type';
import { childLoaders } from '../../src/child/child.loaders';

@Resolver()
export class PoliceResolver {
  @Mutation(() => PoliceIncidentReceipt, { description: 'Operation Encompass: the police notify the hub of an incident with children present.' })
  async notifyPoliceIncident(@Arg('input', () => NotifyPoliceIncidentInput) input: NotifyPoliceIncidentInput, @Ctx() ctx: HubContext): Promise<PoliceIncidentReceipt> {
    const children = await ctx.services.feeds.police.notify(toPoliceIncidentSubmission(input), ctx.caller, ctx.audit);
    return { children: children as PoliceChildReceipt[] };
  }

  @Query(() => [PoliceNotification], { description: 'Police notifications addressed to your school (DSL) or to the Early Help team, earliest deadline first.' })
  async policeNotifications(
    @Arg('acknowledged', () => Boolean, { nullable: true }) acknowledged: boolean | null,
    @Arg('first', () => Int, { defaultValue: 50, description: '1–200.' }) first: number,
    @Ctx() ctx: HubContext,
  ): Promise<PoliceNotification[]> {
    ctx.access.requirePurpose();
    const rows = await ctx.services.feeds.police.listFor(ctx.caller, acknowledged ?? null, first);
    return Promise.all(rows.map((r) => toNotification(r, ctx)));
  }

  @Mutation(() => PoliceNotification, { description: 'The recipient acknowledges a police notification. Acknowledging twice keeps the first time.' })
  async acknowledgePoliceNotification(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<PoliceNotification> {
    return toNotification(await ctx.services.feeds.police.acknowledge(id, ctx.caller, ctx.audit), ctx);
  }
}

async function toNotification(r: NotificationView, ctx: HubContext): Promise<PoliceNotification> {
  // Batched per request (follows merges like ChildService.get): one lookup for the whole list.
  const child = await childLoaders(ctx, ctx.services.db).live.load(r.childId).catch(() => null);
  return {
    id: r.id, childId: r.childId, child: child ? toChildSource(child) : null,
    policeReference: r.policeReference, occurredAt: r.occurredAt, location: r.location, circumstances: r.circumstances,
    present: r.present, whereDuring: r.whereDuring, voiceOfChild: r.voiceOfChild, route: r.route as NotificationRoute,
    deadline: r.deadline, acknowledgedAt: r.acknowledgedAt, overdue: ctx.services.feeds.police.isOverdue(r),
  };
}
