import { Arg, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import { ForbiddenError } from '../../src/errors';
import { ACCESSED_BY_OTHERS } from '../../src/audit/access-notifications.service';
import { AccessByOther } from '../audit/audit.type';
import type { CaseEventRow } from '../../src/events/case-events';
import type { HubContext } from '../../src/server/context';
import { discloseEventField } from '../../src/subscriptions/event-disclosure';
import type { CaseChangedArgs } from '../../src/subscriptions/case-changes.service';
import { isSubscriptionContext } from '../../src/subscriptions/subscription-context';
import { Child, toChildSource, type ChildSource } from '../child/child.type';
import { Cluster } from '../shared/cluster.enum';
import { CaseChange, CaseEventRef, toCaseChangeSource, type CaseChangeSource } from './case-change.type';

@Resolver(() => CaseChange)
export class CaseChangeResolver {
  @Subscription(() => CaseChange, {
    description:
      'Changes to the cases you work on, over WebSocket (graphql-ws) at /graphql. Follow one child (needs a relationship) ' +
      'or a cluster, or omit both for all your cases. Each change is delivered only while you have a relationship with the child, ' +
      'decided and audited when it happens. After a lost connection, give `after` to receive what you missed first.',
    subscribe: ({ args, context }) => {
      if (!isSubscriptionContext(context))
        throw new ForbiddenError('Subscribe over WebSocket (graphql-ws) at /graphql');
      return context.live.caseChanges.subscribe(
        args as CaseChangedArgs,
        context.access,
        context.audit,
        context.connection.budget,
      );
    },
  })
  caseChanged(
    @Root() event: CaseEventRow,
    @Arg('childId', () => ID, { nullable: true, description: 'Follow one child.' }) _childId: string | null,
    @Arg('cluster', () => Cluster, { nullable: true, description: 'Follow the cases of one cluster.' })
    _cluster: Cluster | null,
    @Arg('after', () => ID, {
      nullable: true,
      description:
        'The id of the last change you received: the changes since then that match the filter are sent first, ' +
        'each decided and audited as it is sent, then live ones. At most as many as the connection may queue (100 by default); ' +
        'further behind, the subscription is refused (BAD_USER_INPUT on after): re-read the cases, then subscribe without it.',
    })
    _after: string | null,
  ): CaseChangeSource {
    if (!event) throw new ForbiddenError('Subscribe over WebSocket (graphql-ws) at /graphql');
    return toCaseChangeSource(event);
  }

  @FieldResolver(() => String, { nullable: true })
  kind(@Root() change: CaseChangeSource, @Ctx() ctx: HubContext): Promise<string> {
    return discloseEventField(ctx, change, 'CaseChange.kind', change.kind);
  }

  @FieldResolver(() => Date, { nullable: true })
  occurredAt(@Root() change: CaseChangeSource, @Ctx() ctx: HubContext): Promise<Date> {
    return discloseEventField(ctx, change, 'CaseChange.occurredAt', change.occurredAt);
  }

  @FieldResolver(() => [String], { nullable: true })
  changedFields(@Root() change: CaseChangeSource, @Ctx() ctx: HubContext): Promise<string[]> {
    return discloseEventField(ctx, change, 'CaseChange.changedFields', change.changedFields);
  }

  @FieldResolver(() => [String], { nullable: true })
  categories(@Root() change: CaseChangeSource, @Ctx() ctx: HubContext): Promise<string[]> {
    return discloseEventField(ctx, change, 'CaseChange.categories', change.categories);
  }

  @FieldResolver(() => [CaseEventRef], { nullable: true })
  refs(@Root() change: CaseChangeSource, @Ctx() ctx: HubContext): Promise<CaseEventRef[]> {
    return discloseEventField(ctx, change, 'CaseChange.refs', change.refs);
  }

  @FieldResolver(() => AccessByOther, { nullable: true })
  async access(@Root() change: CaseChangeSource, @Ctx() ctx: HubContext): Promise<AccessByOther | null> {
    if (!change.accessRefs) return null;
    const view = { occurredAt: change.occurredAt, categories: change.categories, refs: change.accessRefs };
    return ctx.services.accessNotifications.viewOf(await discloseEventField(ctx, change, 'CaseChange.access', view));
  }

  /**
   * Null for a notification of access: it is about who looked, not the case; and a DPO reading
   * the child from it would be a view from outside the team, announced in turn, without end.
   */
  @FieldResolver(() => Child, { nullable: true })
  async child(@Root() change: CaseChangeSource, @Ctx() ctx: HubContext): Promise<ChildSource | null> {
    if (change.kind === ACCESSED_BY_OTHERS) return null;
    return toChildSource(await ctx.services.children.findForCaller({ id: change.childId }, ctx.access, ctx.audit));
  }
}
