import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { DeclareSafeguardingOverrideInput, RecordConsentInput } from './consent.input';
import { Consent, SafeguardingOverride, toConsent, toOverride } from './consent.type';

const acting = (ctx: HubContext) => ({ caller: ctx.caller, access: ctx.access, audit: ctx.audit });

@Resolver(() => Consent)
export class ConsentResolver {
  @Query(() => [Consent], {
    description:
      "Every consent recorded for a child, newest first, withdrawn and expired ones included. For roles that manage the child's Early Help record.",
  })
  async consentHistory(@Arg('childId', () => ID) childId: string, @Ctx() ctx: HubContext): Promise<Consent[]> {
    const rows = await ctx.services.consents.history(childId, ctx.access);
    return rows.map((r) => toConsent(r, ctx.access.at));
  }

  @Mutation(() => Consent, {
    description:
      'Records a consent given by the young person and/or a parent or carer. A young person consents for themselves at 16 or over, at 12–15 only with your competence assessment, never under 12 (ages on the day it was given; configuration). A parent or carer is named from the family record or as you were told (name and relationship).',
  })
  async recordConsent(
    @Arg('input', () => RecordConsentInput) input: RecordConsentInput,
    @Ctx() ctx: HubContext,
  ): Promise<Consent> {
    return toConsent(await ctx.services.consents.record(input, acting(ctx)), ctx.access.at);
  }

  @Mutation(() => Consent, { description: 'Records that verbal consent has been confirmed in writing.' })
  async confirmConsentInWriting(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<Consent> {
    return toConsent(await ctx.services.consents.confirmInWriting(id, acting(ctx)), ctx.access.at);
  }

  @Mutation(() => Consent, {
    description:
      'EH DAS: links a parent or carer recorded as stated (name and relationship) to the family member they are, a parent with parental responsibility or a carer linked to the child.',
  })
  async reconcileConsentGiver(
    @Arg('id', () => ID) id: string,
    @Arg('familyMemberId', () => ID) familyMemberId: string,
    @Ctx() ctx: HubContext,
  ): Promise<Consent> {
    return toConsent(await ctx.services.consents.reconcileGiver(id, familyMemberId, acting(ctx)), ctx.access.at);
  }

  @Mutation(() => Consent, {
    description:
      'Withdraws a consent; it stops counting from the next request. The reason is kept for the record, not returned.',
  })
  async withdrawConsent(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: HubContext,
  ): Promise<Consent> {
    return toConsent(await ctx.services.consents.withdraw(id, reason, acting(ctx)), ctx.services.clock.now());
  }

  @Mutation(() => SafeguardingOverride, {
    description:
      'Shares categories without consent for at most 72 hours because seeking consent would increase the risk of significant harm. Flagged for DPO review.',
  })
  async declareSafeguardingOverride(
    @Arg('input', () => DeclareSafeguardingOverrideInput) input: DeclareSafeguardingOverrideInput,
    @Ctx() ctx: HubContext,
  ): Promise<SafeguardingOverride> {
    return toOverride(await ctx.services.overrides.declare(input, acting(ctx)), ctx.services.clock.now());
  }

  @Mutation(() => SafeguardingOverride, {
    description: 'Ends a safeguarding override early. Only the declaring organisation may.',
  })
  async revokeSafeguardingOverride(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: HubContext,
  ): Promise<SafeguardingOverride> {
    return toOverride(await ctx.services.overrides.revoke(id, acting(ctx)), ctx.services.clock.now());
  }
}
