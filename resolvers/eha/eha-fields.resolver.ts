/**
 * Fields of an EHA that are read from elsewhere (people, plan, meetings, reviews), batched per
 * request. The whole plan is for the case team; every other partner (a school through its MIS
 * plugin) sees only the actions its own organisation owns.
 */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Category } from '../../src/access/category.decorator';
import { Capability, hasCapability, requireCapability } from '../../src/access/capabilities';
import { ehaLoaders } from '../../src/eha/eha.loaders';
import type { HubContext } from '../../src/server/context';
import { Child, toChildSource, type ChildSource } from '../child/child.type';
import { childLoaders } from '../../src/child/child.loaders';
import {
  ActionPlan,
  ActionProgress,
  Eha,
  EhaReview,
  KeyAgency,
  PlanAction,
  PlanNeed,
  PractitionerContact,
  TafMeeting,
  type ActionPlanSource,
  type ActionProgressSource,
  type EhaSource,
  type KeyAgencySource,
  type PlanActionSource,
  type PlanNeedSource,
  type ReviewSource,
  type TafMeetingSource,
} from './eha.type';

async function contact(ctx: HubContext, id: string | null): Promise<PractitionerContact | null> {
  if (!id) return null;
  const person = await ehaLoaders(ctx, ctx.services.db).contact.load(id);
  if (!person) return null;
  return {
    id: person.id,
    name: person.displayName,
    organisationId: person.organisationId,
    organisationName: person.organisationName,
    email: person.email,
    phone: person.phone,
  };
}

@Resolver(() => Eha)
export class EhaFieldsResolver {
  @FieldResolver(() => Child, {
    nullable: true,
    description: "The child (the EHA coordinator's log: name, date of birth), read under the child's own categories.",
  })
  @Category('early_help')
  async child(@Root() eha: EhaSource, @Ctx() ctx: HubContext): Promise<ChildSource | null> {
    // Batched per request: a caseload of 50 EHAs reads its 50 children in one statement.
    const row = await childLoaders(ctx, ctx.services.db).byId.load(eha.childId);
    return row ? toChildSource(row) : null;
  }

  @FieldResolver(() => PractitionerContact, { nullable: true, description: 'The allocated Family Support Manager.' })
  @Category('early_help')
  familySupportManager(@Root() eha: EhaSource, @Ctx() ctx: HubContext): Promise<PractitionerContact | null> {
    return contact(ctx, eha.familySupportManagerId);
  }

  @FieldResolver(() => PractitionerContact, {
    nullable: true,
    description: 'The lead practitioner appointed at the TAF: name, organisation, contact.',
  })
  @Category('early_help')
  leadPractitioner(@Root() eha: EhaSource, @Ctx() ctx: HubContext): Promise<PractitionerContact | null> {
    return contact(ctx, eha.leadPractitionerId);
  }

  @FieldResolver(() => PractitionerContact, {
    nullable: true,
    description: 'Step down: the social worker expected at the first TAF.',
  })
  @Category('early_help')
  expectedFirstTafAttendee(@Root() eha: EhaSource, @Ctx() ctx: HubContext): Promise<PractitionerContact | null> {
    return contact(ctx, eha.expectedFirstTafAttendeeId);
  }

  @FieldResolver(() => PractitionerContact, {
    nullable: true,
    description: 'The social worker after a step up or step down.',
  })
  @Category('early_help')
  socialWorker(@Root() eha: EhaSource, @Ctx() ctx: HubContext): Promise<PractitionerContact | null> {
    return contact(ctx, eha.socialWorkerId);
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Step down: whether the first TAF was held within 3 weeks (day 21 on time).',
  })
  @Category('early_help')
  firstTafOnTime(@Root() eha: EhaSource): boolean | null {
    if (!eha.firstTafDueBy || !eha.firstTafOn) return null;
    return eha.firstTafOn <= eha.firstTafDueBy;
  }

  @FieldResolver(() => [PlanAction], {
    nullable: true,
    description:
      'Actions of the current plan: all of them for the case team, otherwise only those your organisation owns.',
  })
  @Category('early_help')
  async planActions(@Root() eha: EhaSource, @Ctx() ctx: HubContext): Promise<PlanActionSource[]> {
    const actions = await ehaLoaders(ctx, ctx.services.db).currentActions.load(eha.id);
    return hasCapability(ctx.caller, Capability.ReadWholeEhaPlan)
      ? actions
      : actions.filter((a) => a.owningOrganisationId === ctx.caller.organisationId);
  }

  @FieldResolver(() => ActionPlan, {
    nullable: true,
    description: 'The whole current plan; the case team only (others read planActions).',
  })
  @Category('early_help')
  async actionPlan(@Root() eha: EhaSource, @Ctx() ctx: HubContext): Promise<ActionPlanSource | null> {
    requireCapability(ctx.caller, Capability.ReadWholeEhaPlan, { extensions: { category: 'early_help' } });
    return ehaLoaders(ctx, ctx.services.db).plan.load(eha.id);
  }

  @FieldResolver(() => [TafMeeting], { nullable: true })
  @Category('early_help')
  tafMeetings(@Root() eha: EhaSource, @Ctx() ctx: HubContext): Promise<TafMeetingSource[]> {
    return ehaLoaders(ctx, ctx.services.db).tafMeetings.load(eha.id);
  }

  @FieldResolver(() => [EhaReview], { nullable: true })
  @Category('early_help')
  reviews(@Root() eha: EhaSource, @Ctx() ctx: HubContext): Promise<ReviewSource[]> {
    return ehaLoaders(ctx, ctx.services.db).reviews.load(eha.id);
  }
}

@Resolver(() => ActionPlan)
export class ActionPlanFieldsResolver {
  @FieldResolver(() => [PlanAction], { nullable: true })
  @Category('early_help')
  actions(@Root() plan: ActionPlanSource, @Ctx() ctx: HubContext): Promise<PlanActionSource[]> {
    return ehaLoaders(ctx, ctx.services.db).actions.load(plan.id);
  }

  @FieldResolver(() => [PlanNeed], { nullable: true })
  @Category('early_help')
  needs(@Root() plan: ActionPlanSource): PlanNeedSource[] {
    return plan.needs.map((n) => ({ ...n, childId: plan.childId }));
  }

  @FieldResolver(() => [KeyAgency], { nullable: true })
  @Category('early_help')
  keyAgencies(@Root() plan: ActionPlanSource): KeyAgencySource[] {
    return plan.keyAgencies.map((k) => ({ ...k, childId: plan.childId }));
  }
}

@Resolver(() => EhaReview)
export class EhaReviewFieldsResolver {
  @FieldResolver(() => [ActionProgress], {
    nullable: true,
    description: 'Progress per action: all of them for the case team, otherwise only those your organisation owns.',
  })
  @Category('early_help')
  async progress(@Root() review: ReviewSource, @Ctx() ctx: HubContext): Promise<ActionProgressSource[]> {
    const progress = review.progress.map((p) => ({ ...p, childId: review.childId }));
    if (hasCapability(ctx.caller, Capability.ReadWholeEhaPlan)) return progress;
    // As planActions: outside the case team, only the progress of actions your organisation owns.
    const owners = await ehaLoaders(ctx, ctx.services.db).actionOwner.loadMany(progress.map((p) => p.actionId));
    return progress.filter((_, i) => owners[i] === ctx.caller.organisationId);
  }
}
