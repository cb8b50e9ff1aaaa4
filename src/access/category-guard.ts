/**
 * Wraps the resolver of every categorised field once, at schema build time: the field resolves
 * only when the request's cached decision for (child, category) allows it; otherwise it becomes
 * null with one error naming the code and category, and the rest of the response still arrives.
 * Every outcome goes to the request's audit collector.
 */
import { defaultFieldResolver, GraphQLNonNull, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { AccessDecider } from './access-decider';
import { denialError } from './access-decider';
import type { AuditCollector } from '../audit/audit-collector';
import { CATEGORY_EXTENSION } from './category.decorator';
import type { DataCategory } from './categories';
import type { AccessDecision } from './decision';

export interface GuardedContext {
  access: AccessDecider;
  audit: AuditCollector;
}

export function applyCategoryGuards(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const category = fieldConfig.extensions?.[CATEGORY_EXTENSION] as DataCategory | undefined;
      if (!category) return fieldConfig;
      if (fieldConfig.type instanceof GraphQLNonNull) {
        // Redaction must null the field, never its parent: refuse to build such a schema.
        throw new Error(`${typeName}.${fieldName} carries ${category} data and must be nullable`);
      }
      const path = `${typeName}.${fieldName}`;
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        // Synchronous when the request has already decided (or can decide from what it has
        // read): a child's fields then resolve without a promise each.
        resolve: (source: { childId?: string }, args, context: GuardedContext, info) => {
          const childId = source.childId;
          if (!childId) throw new Error(`${path}: source object has no childId`);
          // Every disclosure states a purpose the role may state, a mutation's answer included.
          context.access.requirePurpose();
          const disclose = (decision: AccessDecision): unknown => {
            if (!decision.allowed) {
              context.audit.redacted(childId, category, path, decision.code);
              throw denialError(decision);
            }
            context.audit.disclosed(childId, category, path, decision.basis);
            return resolve(source, args, context, info);
          };
          const now = context.access.decideNow(childId, category);
          return now ? disclose(now) : context.access.decide(childId, category).then(disclose);
        },
      };
    },
  });
}
