import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ehaLoaders, primeOpenEha } from '../../src/eha/eha.loaders';
import type { HubContext } from '../../src/server/context';
import { CURSOR_KEY, decodeCursor, encodeCursor } from '../shared/cursor';
import { selectsField } from '../shared/selection';
import { RegisterChildInput } from './child.input';
import {
  Child,
  ChildConnection,
  ChildRegistration,
  MatchField,
  RegistrationOutcome,
  toChildSource,
  type ChildSource,
} from './child.type';

@Resolver(() => Child)
export class ChildResolver {
  @Query(() => Child, {
    nullable: true,
    description:
      'One child, by exactly one of id, NHS number or UPN. A child you have no relationship with and a child that does not exist give the same NO_RELATIONSHIP.',
  })
  async child(
    @Arg('id', () => ID, { nullable: true }) id: string | null,
    @Arg('nhsNumber', () => String, { nullable: true }) nhsNumber: string | null,
    @Arg('upn', () => String, { nullable: true }) upn: string | null,
    @Ctx() ctx: HubContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ChildSource> {
    const lookup = { id, nhsNumber, upn };
    if (!selectsField(info, 'openEha'))
      return toChildSource(await ctx.services.children.findForCaller(lookup, ctx.access, ctx.audit));
    // The school MIS lookup `child(upn){ openEha {…} }`: the EHA is read with the child.
    const found = await ctx.services.children.findForCallerWithOpenEha(lookup, ctx.access, ctx.audit);
    if (found.openEha !== undefined) primeOpenEha(ehaLoaders(ctx, ctx.services.db), found.row.id, found.openEha);
    return toChildSource(found.row);
  }

  @Query(() => ChildConnection, {
    description: 'Children you have a relationship with (your roll, caseload or cases), in pages.',
  })
  async children(
    @Arg('first', () => Int, { defaultValue: 20, description: '1–100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<ChildConnection> {
    const page = await ctx.services.children.listForCaller(
      ctx.access,
      ctx.audit,
      first,
      after ? decodeCursor('after', after, CURSOR_KEY.id) : null,
    );
    const nodes = page.rows.map(toChildSource);
    return {
      nodes,
      count: nodes.length,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]!.id) : null,
      },
    };
  }

  @Mutation(() => ChildRegistration, {
    description: 'Finds the one record for a child, or creates it. A probable match creates nothing until confirmed.',
  })
  async registerChild(
    @Arg('input', () => RegisterChildInput) input: RegisterChildInput,
    @Ctx() ctx: HubContext,
  ): Promise<ChildRegistration> {
    const result = await ctx.services.children.register(input, ctx.caller, ctx.audit);
    if (result.outcome === 'probable_match') {
      // Candidate ids disclose which records the description matched.
      for (const c of result.candidates) ctx.audit.identified(c.childId, 'ChildRegistration.candidates');
      return {
        outcome: RegistrationOutcome.PROBABLE_MATCH,
        childId: null,
        matchedOn: null,
        candidates: result.candidates.map((c) => ({ childId: c.childId, matchedOn: c.matchedOn as MatchField })),
        reference: null,
      };
    }
    // Which records were scored, and how, is for EH DAS: the registrant learns only the reference.
    if (result.outcome === 'held_for_review')
      return {
        outcome: RegistrationOutcome.HELD_FOR_REVIEW,
        childId: null,
        matchedOn: null,
        candidates: [],
        reference: result.reference,
      };
    // A match changes nothing: it is recorded as a disclosure of the matched record's id.
    if (result.outcome === 'matched') ctx.audit.changed(result.child.id, 'registerChild:matched', []);
    return {
      outcome: result.outcome as RegistrationOutcome,
      childId: result.child.id,
      matchedOn: result.outcome === 'matched' ? (result.matchedOn as MatchField) : null,
      candidates: [],
      reference: null,
    };
  }
}
