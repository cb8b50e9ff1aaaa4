/**
 * Builds the executable schema: type-graphql classes → category guards on every categorised field
 * → graphql-shield on root fields. The SDL partners code against is the first step's
 * output, printed with its `@category` directives (see schema-emit.ts).
 */
import { DirectiveLocation, GraphQLDirective, GraphQLNonNull, GraphQLString, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { applyCategoryGuards } from '../access/category-guard';
import { applyShield } from '../access/shield';
import { RESOLVERS } from './resolvers';
import { SCHEMA_PUBSUB } from '../subscriptions/subscription-context';

export const categoryDirective = new GraphQLDirective({
  name: 'category',
  description:
    "The Information Sharing Agreement data category of a field that carries a child's data. Access is decided per category: role, relationship and consent.",
  locations: [DirectiveLocation.FIELD_DEFINITION],
  args: { name: { type: new GraphQLNonNull(GraphQLString) } },
});

/** The schema as declared, without guards: what the SDL shows. */
export async function buildDeclaredSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    directives: [categoryDirective],
    validate: false,
    emitSchemaFile: false,
    pubSub: SCHEMA_PUBSUB,
  });
}

export async function buildHubSchema(): Promise<GraphQLSchema> {
  return applyShield(applyCategoryGuards(await buildDeclaredSchema()));
}
