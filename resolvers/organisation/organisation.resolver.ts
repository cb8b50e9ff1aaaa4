import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { AdminRequest } from '../../src/admin-audit/admin-audit';
import {
  createOrganisation,
  setTermDates,
  updateOrganisation,
} from '../../src/organisation/organisation-admin.service';
import type { HubContext } from '../../src/server/context';
import {
  CreateOrganisationInput,
  Organisation,
  SetTermDatesInput,
  TermClosure,
  UpdateOrganisationInput,
} from './organisation.type';

const admin = (ctx: HubContext): AdminRequest => ({
  caller: ctx.caller,
  requestId: ctx.requestId,
  channel: 'graphql',
  at: ctx.services.clock.now(),
});

@Resolver()
export class OrganisationResolver {
  @Mutation(() => Organisation, { description: 'Adds a partner organisation. Admin only; audited.' })
  async createOrganisation(
    @Arg('input', () => CreateOrganisationInput) input: CreateOrganisationInput,
    @Ctx() ctx: HubContext,
  ): Promise<Organisation> {
    return (await createOrganisation(ctx.services, input, admin(ctx))) as Organisation;
  }

  @Mutation(() => Organisation, {
    description:
      'Changes a partner organisation: name, kind, cluster, external code, Designated Safeguarding Lead. Admin only; audited.',
  })
  async updateOrganisation(
    @Arg('input', () => UpdateOrganisationInput) input: UpdateOrganisationInput,
    @Ctx() ctx: HubContext,
  ): Promise<Organisation> {
    return (await updateOrganisation(ctx.services, input, admin(ctx))) as Organisation;
  }

  @Mutation(() => [TermClosure], {
    description:
      "Sets a school's own term dates, or the local authority calendar's, for a period; returns the period's closures. Admin only; audited.",
  })
  async setTermDates(
    @Arg('input', () => SetTermDatesInput) input: SetTermDatesInput,
    @Ctx() ctx: HubContext,
  ): Promise<TermClosure[]> {
    return setTermDates(ctx.services, { ...input, organisationId: input.organisationId ?? null }, admin(ctx));
  }
}
