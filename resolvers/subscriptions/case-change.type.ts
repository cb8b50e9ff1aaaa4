import { Field, ID, ObjectType } from 'type-graphql';
import { ChildData, GatedByRecordCategories } from '../../src/access/category.decorator';
import { ACCESSED_BY_OTHERS } from '../../src/audit/access-notifications.service';
import type { CaseEventRow } from '../../src/events/case-events';
import { AccessByOther } from '../audit/audit.type';
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
  /** An accessed_by_others event's stored refs (organisation, role, purpose), for `access`. */
  accessRefs: Record<string, unknown> | null;
}

export function toCaseChangeSource(row: CaseEventRow): CaseChangeSource {
  const stored = (row.refs ?? {}) as Record<string, unknown>;
  const access = row.kind === ACCESSED_BY_OTHERS;
  // A notification of access keeps the viewer's role and purpose with the organisation: only the
  // organisation is an id; the rest is shown through `access`.
  const refs = Object.entries(stored)
    .filter(([name, id]) => typeof id === 'string' && (!access || name === 'organisationId'))
    .map(([name, id]) => ({ name, id: id as string }));
  return {
    id: String(row.seq),
    childId: row.childId,
    kind: row.kind,
    occurredAt: row.occurredAt,
    categories: row.categories,
    changedFields: row.changedFields,
    refs,
    accessRefs: access ? stored : null,
  };
}

@ObjectType({
  description:
    'A change to a case you follow, decided for you at the moment it happened. What changed (kind, time, fields, categories, refs) ' +
    "is shown only when you may read every category the change touched; otherwise those fields are null with the refusal's code. " +
    'Select `child` fields to read the child as it is now, within your access.',
})
@ChildData()
export class CaseChange {
  @Field(() => ID, { description: 'Event sequence number: increases with each change recorded by the hub.' })
  id!: string;

  @Field(() => ID, { description: 'The child the change is about.' })
  childId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'What happened, e.g. referral_submitted, consent_changed, health_level_changed; accessed_by_others: a view from outside the team (see access).',
  })
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

  @Field(() => [CaseEventRef], {
    nullable: true,
    description: 'Ids of the records involved, to read them through their queries.',
  })
  @GatedByRecordCategories()
  refs!: CaseEventRef[] | null;

  @Field(() => AccessByOther, {
    nullable: true,
    description:
      'For kind accessed_by_others (notify-on-access): the view of the child by an organisation outside the team around the family, ' +
      "as recentAccessByOthers lists it — organisation, role, purpose, time, categories, never the viewer's name. Sent only to the lead practitioner, " +
      'the responsible council team and the DPO. Null for other kinds.',
  })
  @GatedByRecordCategories()
  access!: AccessByOther | null;

  @Field(() => Child, {
    nullable: true,
    description: 'The child now; each field is decided by its category as in `child(id)`. Null for accessed_by_others.',
  })
  child!: Child | null;
}
