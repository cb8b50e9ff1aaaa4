/**
 * Tracing a child's NHS number against PDS. "Traced" means the hub traced it: EH DAS asks, the hub
 * verifies a number by reading it (following a superseded number to the current one) or finds it
 * by the child's demographics, and stores the number with who asked, when, PDS's score and the
 * source. A caller can no longer say a number is traced. A record PDS holds as restricted marks
 * the child so its address is never disclosed to any partner.
 */
import type { PatientDirectoryAdapter, PdsPatient } from '../../adapters/pds/patient-directory';
import { PdsError } from '../../adapters/pds/patient-directory';
import { isUniqueViolation, type Db } from '../db';
import { BadUserInputError, ConflictError, NotFoundError, ServiceUnavailableError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import type { Clock } from '../shared/clock';
import { requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import * as repo from './child.repo';
import type { ChildRow } from './child.repo';
import { nhsNumberProblem, normaliseNhsNumber } from './identifiers';

/** Where a trace was answered: a PDS search by demographics, or a read of a number. */
export const NHS_TRACE_SOURCES = ['pds_search', 'pds_read'] as const;
export type NhsTraceSource = (typeof NHS_TRACE_SOURCES)[number];

/**
 * What a trace did. `traced`: a number is stored as traced. `no_match`: PDS found nobody (or holds
 * no such number). `ambiguous`: more than one confident match, or only weak ones. `mismatch`: the
 * number's PDS record is someone with a different name or date of birth. Only `traced` changes the record.
 */
export const NHS_TRACE_OUTCOMES = ['traced', 'no_match', 'ambiguous', 'mismatch'] as const;
export type NhsTraceOutcome = (typeof NHS_TRACE_OUTCOMES)[number];

/** A demographic match is accepted only at this PDS score or above (1 is an exact match). */
export const MIN_TRACE_SCORE = 0.95;

export interface NhsTraceResult {
  outcome: NhsTraceOutcome;
  child: ChildRow;
  /** The number asked for when PDS answered with the current one that replaced it. */
  supersededNumber: string | null;
}

export interface NhsTraceServiceOptions {
  db: Db;
  clock: Clock;
  /** The PDS adapter; null when PDS_URL is unset (a trace then answers SERVICE_UNAVAILABLE). */
  pds: PatientDirectoryAdapter | null;
}

export class NhsTraceService {
  constructor(private readonly options: NhsTraceServiceOptions) {}

  /**
   * Traces the child's NHS number: `nhsNumber` (or the number the record holds as a lead) is
   * verified by a read; without one, the child is searched for by name, date of birth and postcode.
   */
  async trace(childIdGiven: string, nhsNumberGiven: string | null | undefined, actor: Actor): Promise<NhsTraceResult> {
    actor.access.requirePurpose();
    const childId = requireUuid('childId', childIdGiven);
    let given: string | null = null;
    if (nhsNumberGiven) {
      given = normaliseNhsNumber(nhsNumberGiven);
      const problem = nhsNumberProblem(given);
      if (problem) throw new BadUserInputError('nhsNumber', problem);
    }
    await actor.access.requireWrite(childId, 'identifiers');
    const child = await repo.findLiveById(this.options.db, childId);
    if (!child) throw new NotFoundError('Child');
    const pds = this.options.pds;
    if (!pds) throw new ServiceUnavailableError('NHS number tracing is not configured (PDS_URL)', { service: 'pds' });
    const number = given ?? child.nhsNumber;
    const found = await this.ask(() => (number ? this.byRead(pds, number, child) : this.bySearch(pds, child)));
    if (found.outcome !== 'traced') return { outcome: found.outcome, child, supersededNumber: null };
    return this.store(child, found, actor);
  }

  private async byRead(pds: PatientDirectoryAdapter, number: string, child: ChildRow): Promise<Found> {
    const read = await pds.read(number);
    if (!read) return { outcome: 'no_match' };
    // A number is the child's only when PDS's record is the same person: never trace a mistyped number to someone else.
    if (!sameChild(read.patient, child)) return { outcome: 'mismatch' };
    return {
      outcome: 'traced',
      patient: read.patient,
      score: 1,
      source: 'pds_read',
      superseded: read.supersededNumber,
    };
  }

  private async bySearch(pds: PatientDirectoryAdapter, child: ChildRow): Promise<Found> {
    if (!child.dateOfBirth) return { outcome: 'no_match' }; // an unborn baby has no NHS number yet
    const matches = await pds.search({
      family: child.familyName,
      given: child.givenName,
      birthdate: child.dateOfBirth,
      postcode: child.postcode,
    });
    const confident = matches.filter((m) => m.score >= MIN_TRACE_SCORE);
    if (confident.length === 0) return { outcome: matches.length ? 'ambiguous' : 'no_match' };
    if (confident.length > 1) return { outcome: 'ambiguous' };
    const [best] = confident;
    return { outcome: 'traced', patient: best!.patient, score: best!.score, source: 'pds_search', superseded: null };
  }

  private async store(child: ChildRow, found: Traced, actor: Actor): Promise<NhsTraceResult> {
    const { db, clock } = this.options;
    const nhsNumber = found.patient.nhsNumber;
    if (await repo.otherLiveHolderOf(db, nhsNumber, child.id))
      throw new ConflictError('Another record holds the traced NHS number: merge the two records', {
        field: 'nhsNumber',
      });
    const at = clock.now();
    try {
      const updated = await db.transaction(async (tx) => {
        const row = await repo.recordNhsTrace(tx, child.id, {
          nhsNumber,
          tracedAt: at,
          tracedBy: actor.caller.subject,
          score: found.score,
          source: found.source,
          addressRestricted: found.patient.restricted,
        });
        await recordCaseEvent(tx, {
          childId: child.id,
          kind: 'nhs_number_traced',
          categories:
            found.patient.restricted !== child.addressRestricted ? ['identifiers', 'contact'] : ['identifiers'],
          changedFields: ['nhsNumber', 'nhsNumberTraced', 'addressRestricted'],
          refs: { childId: child.id },
          actor: actor.caller,
          at,
        });
        await actor.audit.changedIn(tx, [
          {
            childId: child.id,
            action: 'traceNhsNumber',
            fields: ['nhsNumber', 'nhsNumberTraced', 'addressRestricted'],
          },
        ]);
        return row;
      });
      return { outcome: 'traced', child: updated, supersededNumber: found.superseded };
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError('Another record holds the traced NHS number: merge the two records', {
          field: 'nhsNumber',
        });
      throw error;
    }
  }

  /** Any PDS failure (already retried by the adapter where retrying helps) is SERVICE_UNAVAILABLE: nothing changed, retry later. */
  private async ask(call: () => Promise<Found>): Promise<Found> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof PdsError)) throw error;
      throw new ServiceUnavailableError('PDS could not answer; nothing was changed, retry later', {
        service: 'pds',
        reason: error.code,
      });
    }
  }
}

type Traced = {
  outcome: 'traced';
  patient: PdsPatient;
  score: number;
  source: NhsTraceSource;
  superseded: string | null;
};
type Found = Traced | { outcome: Exclude<NhsTraceOutcome, 'traced'> };

/** Same family name (ignoring case and spacing) and date of birth. */
function sameChild(patient: PdsPatient, child: ChildRow): boolean {
  const norm = (s: string | null) => (s ?? '').toLowerCase().replace(/[^a-z]/g, '');
  return norm(patient.familyName) === norm(child.familyName) && patient.birthDate === child.dateOfBirth;
}
