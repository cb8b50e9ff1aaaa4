/**
 * The access audit's GraphQL face. These types carry audit metadata — ids, roles, categories,
 * field names, bases — never a child's case data, so they are not `@ChildData` types.
 */
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { AuditRow } from '../../src/audit/audit.repo';
import { PageInfo } from '../child/child.type';

@ObjectType({ description: 'A field withheld from a response, and why (the denial code).' })
export class RedactedField {
  @Field(() => String, { description: '"Type.field".' }) field!: string;
  @Field(() => String) category!: string;
  @Field(() => String, { description: 'FORBIDDEN, NO_RELATIONSHIP or CONSENT_REQUIRED.' }) code!: string;
}

@ObjectType({ description: 'Why a category was shared: consent:<id>, override:<id>, isa:<legal basis>, or an oversight basis.' })
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
  @Field(() => String, { nullable: true, description: 'Client application (e.g. a school MIS plugin).' }) clientId!: string | null;
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
    basis: Object.entries(row.basis as Record<string, string>).sort(([a], [b]) => a.localeCompare(b)).map(([category, basis]) => ({ category, basis })),
    changes: row.changes as ChangeRecord[],
  };
}

@ObjectType()
export class AccessLogConnection {
  @Field(() => [AccessLogEntry]) nodes!: AccessLogEntry[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Entries on this page.' }) count!: number;
}

@ObjectType({ description: 'The result of recomputing the audit hash chain over a time window.' })
export class ChainVerification {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int, { description: 'Rows checked.' }) checked!: number;
  @Field(() => ID, { nullable: true, description: 'Seq of the first row whose link or hash does not hold.' }) firstBrokenSeq!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

export enum AnomalyKind { NO_RELATIONSHIP = 'no_relationship', OVERRIDE_USED = 'override_used', UNUSUAL_VOLUME = 'unusual_volume' }
registerEnumType(AnomalyKind, { name: 'AnomalyKind', description: 'Access outside any relationship, use of a safeguarding override, or unusual volume by one caller in an hour.' });

@ObjectType({ description: 'Something in the audit a DPO should look at.' })
export class AuditAnomaly {
  @Field(() => AnomalyKind) kind!: AnomalyKind;
  @Field(() => ID, { nullable: true, description: 'The audit row (not for unusual_volume).' }) seq!: string | null;
  @Field(() => DateTimeResolver, { description: 'When; for unusual_volume, the start of the hour.' }) occurredAt!: Date;
  @Field(() => String) callerSubject!: string;
  @Field(() => ID) callerOrganisationId!: string;
  @Field(() => String) callerRole!: string;
  @Field(() => ID, { nullable: true }) childId!: string | null;
  @Field(() => Int, { nullable: true, description: 'Child records touched in the hour (unusual_volume).' }) count!: number | null;
}

@ObjectType({ description: 'A view of the child by an organisation outside the team around the family.' })
export class AccessByOther {
  @Field(() => ID) organisationId!: string;
  @Field(() => String, { nullable: true }) organisationName!: string | null;
  @Field(() => String, { nullable: true }) organisationKind!: string | null;
  @Field(() => String) callerRole!: string;
  @Field(() => DateTimeResolver) occurredAt!: Date;
  @Field(() => [String], { description: 'Categories of data returned.' }) categories!: string[];
}
