import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import type { ChildRow } from '../../src/child/child.repo';
import { NHS_TRACE_OUTCOMES, NHS_TRACE_SOURCES } from '../../src/child/nhs-trace.service';
import { upperCaseEnumOf } from '../shared/enum-of';

export const NhsTraceOutcome = upperCaseEnumOf(NHS_TRACE_OUTCOMES);
export type NhsTraceOutcome = (typeof NHS_TRACE_OUTCOMES)[number];
registerEnumType(NhsTraceOutcome, {
  name: 'NhsTraceOutcome',
  description: 'What a trace against PDS did; only TRACED changes the record.',
  valuesConfig: {
    TRACED: { description: 'The number is stored as traced, with who asked, when, the PDS score and the source.' },
    NO_MATCH: { description: 'PDS found nobody with these details, or holds no such number.' },
    AMBIGUOUS: { description: 'More than one confident match, or only weak ones: check the details and trace again.' },
    MISMATCH: { description: "The number's PDS record has a different family name or date of birth." },
  },
});

export const NhsTraceSource = upperCaseEnumOf(NHS_TRACE_SOURCES);
export type NhsTraceSource = (typeof NHS_TRACE_SOURCES)[number];
registerEnumType(NhsTraceSource, {
  name: 'NhsTraceSource',
  valuesConfig: {
    PDS_SEARCH: { description: "Found by the child's name, date of birth and postcode." },
    PDS_READ: { description: 'A number verified by reading it from PDS.' },
  },
});

/** The source object behind `NhsNumberTrace`. */
export interface NhsNumberTraceSource {
  childId: string;
  outcome: NhsTraceOutcome;
  nhsNumber: string | null;
  supersededNumber: string | null;
  score: number | null;
  source: NhsTraceSource | null;
  tracedAt: Date | null;
  tracedBy: string | null;
  addressRestricted: boolean;
}

/** The provenance of a child's traced number, as the record holds it (null when it holds none). */
export function traceOf(row: ChildRow, outcome: NhsTraceOutcome = 'traced', superseded: string | null = null) {
  return {
    childId: row.id,
    outcome,
    nhsNumber: row.nhsNumber,
    supersededNumber: superseded,
    score: row.nhsNumberTraced ? row.nhsNumberTraceScore : null,
    source: row.nhsNumberTraced ? (row.nhsNumberTraceSource as NhsTraceSource | null) : null,
    tracedAt: row.nhsNumberTraced ? row.nhsNumberTracedAt : null,
    tracedBy: row.nhsNumberTraced ? row.nhsNumberTracedBy : null,
    addressRestricted: row.addressRestricted,
  } satisfies NhsNumberTraceSource;
}

@ObjectType({
  description:
    "A trace of a child's NHS number against the NHS Personal Demographics Service (PDS), done by the hub: the number, who asked, when, PDS's score and the source.",
})
@ChildData()
export class NhsNumberTrace {
  @Field(() => ID) childId!: string;

  @Field(() => NhsTraceOutcome, { nullable: true })
  @Category('identifiers')
  outcome!: NhsTraceOutcome | null;

  @Field(() => String, {
    nullable: true,
    description: "The child's NHS number after the trace (traced only when TRACED).",
  })
  @Category('identifiers')
  nhsNumber!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The number asked for, when PDS answered with the current number that superseded it.',
  })
  @Category('identifiers')
  supersededNumber!: string | null;

  @Field(() => Float, { nullable: true, description: "PDS's search score (0–1; 1 for a number verified by read)." })
  @Category('identifiers')
  score!: number | null;

  @Field(() => NhsTraceSource, { nullable: true })
  @Category('identifiers')
  source!: NhsTraceSource | null;

  @Field(() => Date, { nullable: true })
  @Category('identifiers')
  tracedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Subject of the practitioner who asked for the trace.' })
  @Category('identifiers')
  tracedBy!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "PDS holds the record as restricted: the child's address is shown to no partner.",
  })
  @Category('identifiers')
  addressRestricted!: boolean | null;
}
