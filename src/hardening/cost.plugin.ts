/**
 * Query cost (graphql-query-complexity, which type-graphql already ships): every field costs 1
 * plus its selection; a list field with a page-size argument (`first`, `last`, `limit`,
 * `pageSize`) costs its selection times the page size asked for. Lists without such an argument
 * (a connection's `nodes`, small fixed lists) count once — the page size on the connection field
 * already multiplies them. Meta fields (`__typename`, `__schema`, `__type`) cost like any other:
 * an answer is built for each of them. Runs after the operation is resolved, so page sizes given
 * as variables are known.
 */
import { createRequire } from 'node:module';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { Logger } from '../shared/logger';

// Its ESM build loads graphql's .mjs files, a second copy of graphql ("another module or realm");
// the CommonJS build shares graphql's index.js with the rest of the hub, as type-graphql does.
const { fieldExtensionsEstimator, getComplexity } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof import('graphql-query-complexity');

const PAGE_ARGUMENTS = ['first', 'last', 'limit', 'pageSize'] as const;

export const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = PAGE_ARGUMENTS.map((name) => args[name]).find((v): v is number => typeof v === 'number' && v > 0);
  return 1 + (size ?? 1) * childComplexity;
};

/**
 * Only numbers (page sizes) and booleans (`@include`/`@skip`) among the variables can change an
 * operation's cost; a UPN or an id cannot. So the cost is remembered per parsed document (Apollo
 * hands the same DocumentNode for the same query text) and per those variables: a partner's
 * repeated lookup is costed once, not walked on every request.
 */
const MAX_COSTS_PER_DOCUMENT = 64;

function costKey(operationName: string | null | undefined, variables: Record<string, unknown> | undefined): string {
  const relevant = Object.entries(variables ?? {}).filter(([, v]) => typeof v === 'number' || typeof v === 'boolean');
  return JSON.stringify([operationName ?? null, relevant]);
}

/** The operation's estimated cost; throws as graphql-query-complexity does on bad variables. */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    estimators: [fieldExtensionsEstimator(), pageSizeEstimator],
  });
}

export function costLimitError(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(`The operation's estimated cost ${cost} exceeds the limit maxCost = ${maxCost}`, {
    extensions: {
      code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
      limit: 'maxCost',
      maximum: maxCost,
      cost,
      http: { status: 400 },
    },
  });
}

/** Costs remembered per parsed document and per the variables that can change them. */
export class OperationCosts {
  private readonly costs = new WeakMap<DocumentNode, Map<string, number>>();

  /** The operation's cost; `undefined` when its variables do not allow one (execution reports them as BAD_USER_INPUT). */
  of(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | null | undefined,
  ): number | undefined {
    let known = this.costs.get(document);
    const key = costKey(operationName, variables);
    const remembered = known?.get(key);
    if (remembered !== undefined) return remembered;
    let cost: number;
    try {
      cost = estimateCost(schema, document, variables, operationName);
    } catch {
      return undefined;
    }
    if (!known) this.costs.set(document, (known = new Map()));
    if (known.size < MAX_COSTS_PER_DOCUMENT) known.set(key, cost);
    return cost;
  }
}

export function costLimitPlugin(maxCost: number, logger: Logger): ApolloServerPlugin {
  const costs = new OperationCosts();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const cost = costs.of(schema, document, request.variables, operationName);
          if (cost === undefined) {
            logger.debug('cost not computed');
            return;
          }
          if (cost > maxCost) throw costLimitError(cost, maxCost);
        },
      };
    },
  };
}
