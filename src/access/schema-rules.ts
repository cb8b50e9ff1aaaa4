/**
 * The schema-wide rules of field-level access, checked over a built schema (the test walks the
 * whole hub schema with it):
 *  - every field of a `@ChildData` type names exactly one ISA category, except its own ids
 *    (`id`, `childId`, `…Id` of GraphQL type ID), which identify rather than describe, links to
 *    another `@ChildData` type (whose own fields are guarded), and fields gated by their record's
 *    own categories (`@GatedByRecordCategories`, e.g. a case event's kind);
 *  - every categorised field is nullable, so redaction nulls the field and never its parent;
 *  - a category appears only on `@ChildData` types (whose sources carry `childId`) or on fields of them;
 *  - every root field is listed in OPERATION_PERMISSIONS (an unlisted one is silently denied by
 *    the shield), and every listed one exists (a stale entry hides a rename).
 */
import { getNamedType, GraphQLID, GraphQLNonNull, isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { isDataCategory } from './categories';
import { CATEGORY_EXTENSION, CHILD_DATA_EXTENSION, RECORD_CATEGORIES_EXTENSION } from './category.decorator';
import type { OperationPermissions } from './operation-permissions';

const ROOTS = ['Query', 'Mutation', 'Subscription'] as const;

function isIdField(name: string, field: GraphQLField<unknown, unknown>): boolean {
  return getNamedType(field.type) === GraphQLID && (name === 'id' || /Id$/.test(name));
}

/** A link to another child-data type, or a field its resolver gates by the record's categories. */
function isGuardedElsewhere(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  if (isObjectType(named) && named.extensions?.[CHILD_DATA_EXTENSION] === true) return true;
  return field.extensions?.[RECORD_CATEGORIES_EXTENSION] === true;
}

/** Category directives written on the field (the decorator writes one per `@Category`). */
function categoryDirectives(field: GraphQLField<unknown, unknown>): string[] {
  return (field.astNode?.directives ?? [])
    .filter((d) => d.name.value === 'category')
    .map((d) => {
      const arg = d.arguments?.find((a) => a.name.value === 'name');
      return arg && arg.value.kind === 'StringValue' ? arg.value.value : '?';
    });
}

export function schemaRuleViolations(schema: GraphQLSchema, permissions: OperationPermissions): string[] {
  const problems: string[] = [];
  const roots = new Set<string>(ROOTS);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const childData = type.extensions?.[CHILD_DATA_EXTENSION] === true;
    for (const [name, field] of Object.entries(type.getFields())) {
      const where = `${type.name}.${name}`;
      const category = field.extensions?.[CATEGORY_EXTENSION];
      const directives = categoryDirectives(field);
      if (category !== undefined && !isDataCategory(category))
        problems.push(`${where}: unknown category ${String(category)}`);
      if (directives.length > 1)
        problems.push(
          `${where}: names ${directives.length} categories (${directives.join(', ')}); exactly one is allowed`,
        );
      if (category !== undefined && directives.length === 1 && directives[0] !== category)
        problems.push(`${where}: directive and extension disagree`);
      if (category !== undefined && field.type instanceof GraphQLNonNull)
        problems.push(`${where}: carries ${String(category)} data but is non-null`);
      if (childData && category === undefined && !isIdField(name, field) && !isGuardedElsewhere(field))
        problems.push(`${where}: field of a @ChildData type names no category`);
      if (!childData && category !== undefined && !roots.has(type.name))
        problems.push(
          `${where}: categorised field on ${type.name}, which is not @ChildData (its source has no childId)`,
        );
      if (roots.has(type.name) && category !== undefined)
        problems.push(`${where}: a root field cannot carry a category`);
    }
  }
  for (const root of ROOTS) {
    const type =
      root === 'Query'
        ? schema.getQueryType()
        : root === 'Mutation'
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    const fields = type ? Object.keys(type.getFields()) : [];
    const listed = permissions[root] ?? {};
    for (const name of fields)
      if (!(name in listed)) problems.push(`${root}.${name}: not listed in OPERATION_PERMISSIONS (denied to everyone)`);
    for (const name of Object.keys(listed))
      if (!fields.includes(name))
        problems.push(`${root}.${name}: listed in OPERATION_PERMISSIONS but not in the schema`);
    for (const [name, roles] of Object.entries(listed))
      if (roles.length === 0 && fields.includes(name)) problems.push(`${root}.${name}: listed with no roles`);
  }
  return problems.sort();
}
