/**
 * The access audit's GraphQL face. These types carry audit metadata — ids, roles, categories,
 * field names, bases — never a child's case data, so they are not `@ChildData` types.
 */
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { AuditRow } from '../../src/audit/audit.repo';
import { ANOMALY_KINDS } from '../../src/audit/dpo.service';
import { PageInfo } from '../child/child.type';
import { upperCaseEnumOf } from '../shared/enum-of';

@ObjectType({ description: 'A field withheld from a response, and why (the denial code).' })
export class RedactedField {
  @Field(() => String, { description: '"Type.field".' }) field!: string;
  @Field(() => String) category!: string;
  @Field(() => String, { description: 'FORBIDDEN, NO_RELATIONSHIP or CONSENT_REQUIRED.' }) code!: string;
}

@ObjectType({
  description: 'Why a category was shared: consent:<id>, override:<id>, isa:<legal basis>, or an oversight basis.',
})
export class CategoryBasis {
  @Field(() => String) category!: string;
  @Field(() => String) basis!: string;
}

@ObjectType({ description: 'A change made by a mutation: the field names, never the values.' })
export class ChangeRecord {
  @Field(() => String) action!: string;
  @Field(() => [String]) fields!: string[];
}

@ObjectType({ description: 'One audit record: one request (or subscription event) touching one child.' })
export class AccessLogEntry {
  @Field(() => ID, { description: 'Position in the hash chain.' }) seq!: string;
  @Field(() => String) requestId!: string;
  @Field(() => DateTimeResolver) occurredAt!: Date;
  @Field(() => String, { description: 'Token subject of the caller.' }) callerSubject!: string;
  @Field(() => ID) callerOrganisationId!: string;
  @Field(() => String) callerRole!: string;
  @Field(() => String, { nullable: true, description: 'Client application (e.g. a school MIS plugin).' }) clientId!:
    | string
    | null;
  @Field(() => String, { nullable: true, description: 'Purpose of access the caller stated.' }) purpose!: string | null;
  @Field(() => String, { description: 'query, mutation, subscription, download or retention.' }) operation!: string;
  @Field(() => String, { nullable: true }) operationName!: string | null;
  @Field(() => ID) childId!: string;
  @Field(() => [String]) categoriesReturned!: string[];
  @Field(() => [String], { description: '"Type.field" paths returned.' }) fieldsReturned!: string[];
  @Field(() => [RedactedField]) fieldsRedacted!: RedactedField[];
  @Field(() => [CategoryBasis], { description: 'The basis of each granted category.' }) basis!: CategoryBasis[];
  @Field(() => [ChangeRecord]) changes!: ChangeRecord[];
  @Field(() => [String], { description: 'Anomaly flags, e.g. no_relationship, override_used.' }) flags!: string[];
}

export function toAccessLogEntry(row: AuditRow): AccessLogEntry {
  return {
    ...row,
    seq: String(row.seq),
    fieldsRedacted: row.fieldsRedacted as RedactedField[],
    // jsonb keeps its own key order (shortest first): sort for a stable answer.
    basis: Object.entries(row.basis as Record<string, string>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([category, basis]) => ({ category, basis })),
    changes: row.changes as ChangeRecord[],
  };
}

@ObjectType()
export class AccessLogConnection {
  @Field(() => [AccessLogEntry]) nodes!: AccessLogEntry[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Entries on this page.' }) count!: number;
}

@ObjectType({
  description:
    "The result of checking the audit log against its last published checkpoint and re-hashing a time window's rows.",
})
export class ChainVerification {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int, {
    description:
      'Rows checked (up to and including a broken one): those of the window when one is given, otherwise the log entries added since the last verified checkpoint.',
  })
  checked!: number;
  @Field(() => ID, {
    nullable: true,
    description:
      'Seq of the first row that does not hold (null when the log as a whole does not match the checkpoint).',
  })
  firstBrokenSeq!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Int, {
    description: 'Size of the checkpoint verified before, from which this check started (0: the whole log).',
  })
  fromTreeSize!: number;
  @Field(() => Int, { description: 'Size of the published checkpoint checked against (0: none published yet).' })
  treeSize!: number;
}

export const AnomalyKind = upperCaseEnumOf(ANOMALY_KINDS);
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
registerEnumType(AnomalyKind, {
  name: 'AnomalyKind',
  description:
    'Access outside any relationship, use of a safeguarding override, or unusual volume by one caller in an hour.',
});

@ObjectType({ description: 'Something in the audit a DPO should look at.' })
export class AuditAnomaly {
  @Field(() => AnomalyKind) kind!: AnomalyKind;
  @Field(() => ID, { nullable: true, description: 'The audit row (not for unusual_volume).' }) seq!: string | null;
  @Field(() => DateTimeResolver, { description: 'When; for unusual_volume, the start of the hour.' }) occurredAt!: Date;
  @Field(() => String) callerSubject!: string;
  @Field(() => ID) callerOrganisationId!: string;
  @Field(() => String) callerRole!: string;
  @Field(() => ID, { nullable: true }) childId!: string | null;
  @Field(() => Int, { nullable: true, description: 'Child records touched in the hour (unusual_volume).' }) count!:
    | number
    | null;
}

@ObjectType({ description: 'A view of the child by an organisation outside the team around the family.' })
export class AccessByOther {
  @Field(() => ID) organisationId!: string;
  @Field(() => String, { nullable: true }) organisationName!: string | null;
  @Field(() => String, { nullable: true }) organisationKind!: string | null;
  @Field(() => String) callerRole!: string;
  @Field(() => String, { nullable: true, description: 'The purpose of use the viewer stated.' }) purpose!:
    | string
    | null;
  @Field(() => DateTimeResolver) occurredAt!: Date;
  @Field(() => [String], { description: 'Categories of data returned.' }) categories!: string[];
}
