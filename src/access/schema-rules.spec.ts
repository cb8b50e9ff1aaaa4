import { Field, ID, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildDeclaredSchema, categoryDirective } from '../server/schema';
import {
  CATEGORY_EXTENSION,
  CHILD_DATA_EXTENSION,
  Category,
  ChildData,
  GatedByRecordCategories,
} from './category.decorator';
import { OPERATION_PERMISSIONS } from './operation-permissions';
import { schemaRuleViolations } from './schema-rules';
import { isObjectType } from 'graphql';

// A deliberately broken child-data type: the rules must catch each mistake in it.
@ObjectType()
@ChildData()
class SyntheticChildData {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => String, { nullable: true }) @Category('health') tagged!: string | null;
  @Field(() => String, { nullable: true }) untagged!: string | null;
  @Field(() => String) @Category('education') nonNullTagged!: string;
  @Field(() => String, { nullable: true }) @Category('health') @Category('police') twice!: string | null;
  @Field(() => String, { nullable: true }) @GatedByRecordCategories() gatedByRecord!: string | null;
  @Field(() => SyntheticChildData, { nullable: true }) linked!: SyntheticChildData | null;
}

@ObjectType()
class SyntheticPlain {
  @Field(() => String, { nullable: true }) @Category('family') strayCategory!: string | null;
}

@Resolver()
class SyntheticResolver {
  @Query(() => SyntheticChildData, { nullable: true }) syntheticChild(): null {
    return null;
  }
  @Query(() => SyntheticPlain, { nullable: true }) syntheticPlain(): null {
    return null;
  }
}

describe('schema rules of field-level access', () => {
  it('hold for the whole hub schema: every child-data field names one category, is nullable, every root field is permissioned', async () => {
    const schema = await buildDeclaredSchema();
    expect(schemaRuleViolations(schema, OPERATION_PERMISSIONS)).toEqual([]);
  });

  it('actually walked child-data types and categorised fields (the check is not vacuous)', async () => {
    const schema = await buildDeclaredSchema();
    const childTypes = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && t.extensions?.[CHILD_DATA_EXTENSION] === true)
      .map((t) => t.name);
    expect(childTypes).toEqual(expect.arrayContaining(['Child', 'FamilyLink']));
    const child = schema.getType('Child');
    if (!isObjectType(child)) throw new Error('Child is not an object type');
    expect(child.getFields().family!.extensions?.[CATEGORY_EXTENSION]).toBe('family');
    expect(child.getFields().nhsNumber!.extensions?.[CATEGORY_EXTENSION]).toBe('identifiers');
  });

  it('fail on an untagged field, a non-null categorised field, two categories, a category off a child-data type and unlisted root fields', async () => {
    const schema = await buildSchema({
      resolvers: [SyntheticResolver],
      directives: [categoryDirective],
      validate: false,
      emitSchemaFile: false,
      orphanedTypes: [],
    });
    const problems = schemaRuleViolations(schema, {
      Query: { syntheticPlain: ['admin'], gone: ['admin'] },
      Mutation: {},
      Subscription: {},
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'SyntheticChildData.untagged: field of a @ChildData type names no category',
        'SyntheticChildData.nonNullTagged: carries education data but is non-null',
        expect.stringMatching(/^SyntheticChildData\.twice: names 2 categories/),
        'SyntheticPlain.strayCategory: categorised field on SyntheticPlain, which is not @ChildData (its source has no childId)',
        'Query.syntheticChild: not listed in OPERATION_PERMISSIONS (denied to everyone)',
        'Query.gone: listed in OPERATION_PERMISSIONS but not in the schema',
      ]),
    );
    // ids, correctly tagged fields, links to child-data types and record-gated fields are not reported.
    expect(problems.filter((p) => /\.(id|childId|tagged|gatedByRecord|linked):/.test(p))).toEqual([]);
  });
});
