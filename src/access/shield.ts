/**
 * graphql-shield around the core: one rule per root field (from OPERATION_PERMISSIONS), deny by
 * default. Rules depend only on the caller's role, so the contextual cache is safe here;
 * child-dependent rules live in the category guard instead. Only the root fields are wrapped:
 * every object below is reached through a permitted root field and its categorised fields are
 * guarded per child. (Shield's `allow` on each of them cost an async wrapper per resolved field,
 * several per cent of a school lookup.)
 */
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { deny, rule, shield, type IRule, type IRules } from 'graphql-shield';

type ShieldRule = IRule;
import { ErrorCode } from '../errors';
import { OPERATION_PERMISSIONS, type OperationPermissions } from './operation-permissions';
import type { Role } from './roles';

const hasRoleRules = new Map<string, ShieldRule>();

function hasRole(roles: readonly Role[]): ShieldRule {
  const key = [...roles].sort().join(',');
  let r = hasRoleRules.get(key);
  if (!r) {
    r = rule(`hasRole(${key})`, { cache: 'contextual' })(
      (_parent, _args, ctx: { caller?: { role: Role } }) =>
        Boolean(ctx.caller && roles.includes(ctx.caller.role)) || forbidden(),
    );
    hasRoleRules.set(key, r);
  }
  return r!;
}

function forbidden(): GraphQLError {
  return new GraphQLError('Your role does not permit this operation', { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function applyShield(
  schema: GraphQLSchema,
  permissions: OperationPermissions = OPERATION_PERMISSIONS,
): GraphQLSchema {
  const tree: Record<string, unknown> = {};
  for (const [typeName, fields] of Object.entries(permissions)) {
    if (!schema.getType(typeName)) continue;
    tree[typeName] = Object.fromEntries(Object.entries(fields).map(([field, roles]) => [field, hasRole(roles)]));
  }
  const middleware = shield(tree as IRules, {
    fallbackRule: deny,
    fallbackError: forbidden(),
    allowExternalErrors: true,
  });
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t!.name),
  );
  const rootFields = Object.fromEntries(
    Object.entries(middleware.generate(schema)).filter(([typeName]) => roots.has(typeName)),
  );
  return applyMiddleware(schema, rootFields);
}
