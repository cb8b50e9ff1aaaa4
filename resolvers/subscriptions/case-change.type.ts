import { Field, ID, ObjectType } from 'type-graphql';
import { ChildData, GatedByRecordCategories } from '../../src/access/category.decorator';
import type { CaseEventRow } from '../../src/events/case-events';
import { Child } from '../child/child.type';

@ObjectType({ description: 'An id of something the change involved, e.g. name "ehaId".' })
export class CaseEventRef {
  @Field(() => String) name!: string;
  @Field(() => ID) id!: string;
}

/** Source behind `CaseChange`: the case event row's facts plus the `childId` the guards read. */
export interface CaseChangeSource {
  id: string;
  childId: string;
  kind: string;
  occurredAt: Date;
  categories: string[];
  changedFields: string[];
  refs: CaseEventRef[];
}

export function toCaseChangeSource(row: CaseEventRow): CaseChangeSource {
  const refs = Object.entries((row.refs ?? {}) as Record<string, unknown>)
    .filter(([, id]) => typeof id === 'string')
    .map(([name, id]) => ({ name, id: id as string }));
  return {
    id: String(row.seq), childId: row.childId, kind: row.kind, occurredAt: row.occurredAt,
    categories: row.categories, changedFields: row.changedFields, refs,
  };
}

@ObjectType({
  description: 'A change to a case you follow, decided for you at the moment it happened. What changed (kind, time, fields, categories, refs) '
    + 'is shown only when you may read every category the change touched; otherwise those fields are null with the refusal\'s code. '
    + 'Select `child` fields to read the child as it is now, within your access.',
})
@ChildData()
export class CaseChange {
  @Field(() => ID, { description: 'Event sequence number: increases with each change recorded by the hub.' })
  id!: string;

  @Field(() => ID, { description: 'The child the change is about.' })
  childId!: string;

  @Field(() => String, { nullable: true, description: 'What happened, e.g. referral_submitted, consent_changed, health_level_changed.' })
  @GatedByRecordCategories()
  kind!: string | null;

  @Field(() => Date, { nullable: true })
  @GatedByRecordCategories()
  occurredAt!: Date | null;

  @Field(() => [String], { nullable: true, description: 'Names of the fields that changed (never their values).' })
  @GatedByRecordCategories()
  changedFields!: string[] | null;

  @Field(() => [String], { nullable: true, description: 'ISA data categories whose data changed.' })
  @GatedByRecordCategories()
  categories!: string[] | null;

  @Field(() => [CaseEventRef], { nullable: true, description: 'Ids of the records involved, to read them through their queries.' })
  @GatedByRecordCategories()
  refs!: CaseEventRef[] | null;

  @Field(() => Child, { nullable: true, description: 'The child now; each field is decided by its category as in `child(id)`.' })
  child!: Child | null;
}
