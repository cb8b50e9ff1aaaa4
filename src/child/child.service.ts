/**
 * The master person index: one record per child. Registration matches first on NHS number (only
 * a number the hub traced, with the details agreeing, is trusted), then UPN, then normalised
 * name + date + postcode. An exact identifier match returns the existing record; a probable match
 * creates nothing until a practitioner confirms; concurrent registrations of one NHS number leave exactly one record
 * (the partial unique index decides, the loser re-reads the winner).
 */
import { children, GENDERS } from '../../schema';
import { isUniqueViolation, type Db, type DbOrTx, type Tx } from '../db';
import type { AccessDecider } from '../access/access-decider';
import type { AuditCollector } from '../audit/audit-collector';
import type { OpenEhaWithParts } from '../eha/eha.repo';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { recordCaseEvent, type CaseEventInput } from '../events/case-events';
import { addMonths, ageOn } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import {
  isUuid,
  optionalText,
  requireIsoDate,
  requireOneOf,
  requirePostcode,
  requireText,
  requireUuid,
} from '../shared/validate';
import * as repo from './child.repo';
import * as mergeRepo from '../child-merge/child-merge.repo';
import type { ChildRow } from './child.repo';
import { matchKey, nhsNumberProblem, normaliseNhsNumber, normaliseUpn, upnProblem } from './identifiers';
import { findProbableMatches, type ProbableMatch } from '../matching/matcher';
import { holdRegistration } from '../feeds/registration-hold';

export { GENDERS };

export interface RegisterChildInput {
  givenName: string;
  familyName: string;
  dateOfBirth?: string | null;
  expectedDate?: string | null;
  gender?: string | null;
  nhsNumber?: string | null;
  upn?: string | null;
  addressLine?: string | null;
  postcode?: string | null;
  phone?: string | null;
  hasSend?: boolean | null;
  /** The practitioner's answer to a probable match: this is that child … */
  confirmMatchId?: string | null;
  /** … or none of the candidates is this child. */
  confirmNoMatch?: boolean | null;
}

/** Who a registration or merge is recorded against when no caller is given (seeds, inbound sync). */
export const SYSTEM_ACTOR: CaseEventInput['actor'] = {
  subject: 'system',
  organisationId: '00000000-0000-4000-8000-000000000000',
};

/** How a caller names a child: exactly one of these. */
export interface ChildLookup {
  id?: string | null;
  nhsNumber?: string | null;
  upn?: string | null;
}

export const MATCH_FIELDS = ['nhs_number', 'upn', 'name_date_postcode', 'probabilistic'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

export type Registration =
  | { outcome: 'matched'; child: ChildRow; matchedOn: MatchField }
  | { outcome: 'created'; child: ChildRow }
  | { outcome: 'probable_match'; candidates: { childId: string; matchedOn: MatchField }[] }
  /** Scored as probably an existing record: EH DAS decides; the registrant gets only the reference. */
  | { outcome: 'held_for_review'; reference: string };

export interface ChildServiceOptions {
  db: Db;
  clock: Clock;
}

export class ChildService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: ChildServiceOptions) {
    this.db = db;
    this.clock = clock;
  }

  /** Validates and normalises registration input; throws BAD_USER_INPUT naming the field. */
  validate(input: RegisterChildInput): repo.NewChildRow {
    const today = partnershipDate(this.clock.now());
    const givenName = requireText('givenName', input.givenName, { max: 100 });
    const familyName = requireText('familyName', input.familyName, { max: 100 });
    const hasSend = input.hasSend ?? false;
    const dateOfBirth = input.dateOfBirth ? requireIsoDate('dateOfBirth', input.dateOfBirth) : null;
    const expectedDate = input.expectedDate ? requireIsoDate('expectedDate', input.expectedDate) : null;
    if (dateOfBirth && expectedDate)
      throw new BadUserInputError(
        'expectedDate',
        'give a date of birth or, for an unborn baby, an expected date — not both',
      );
    if (!dateOfBirth && !expectedDate)
      throw new BadUserInputError('dateOfBirth', 'is required (or expectedDate for an unborn baby)');
    if (dateOfBirth) {
      if (dateOfBirth > today)
        throw new BadUserInputError('dateOfBirth', 'is in the future; record an unborn baby by expectedDate');
      const maxAge = hasSend ? 25 : 18;
      if (ageOn(dateOfBirth, today) >= maxAge) {
        throw new BadUserInputError(
          'dateOfBirth',
          `is outside the Early Help age range (under ${maxAge}${hasSend ? ' with SEND' : '; to 25 with SEND'})`,
        );
      }
    }
    if (expectedDate && (expectedDate < today || expectedDate > addMonths(today, 10))) {
      throw new BadUserInputError('expectedDate', 'must be between today and 10 months ahead');
    }
    const nhsNumber = input.nhsNumber ? normaliseNhsNumber(input.nhsNumber) : null;
    if (nhsNumber) {
      const problem = nhsNumberProblem(nhsNumber);
      if (problem) throw new BadUserInputError('nhsNumber', problem);
    }
    const upn = input.upn ? normaliseUpn(input.upn) : null;
    if (upn) {
      const problem = upnProblem(upn);
      if (problem) throw new BadUserInputError('upn', problem);
    }
    const postcode = input.postcode ? requirePostcode('postcode', input.postcode) : null;
    const gender = requireOneOf('gender', input.gender ?? 'not_known', GENDERS);
    return {
      givenName,
      familyName,
      dateOfBirth,
      expectedDate,
      gender,
      nhsNumber,
      upn,
      postcode,
      hasSend,
      // Only the hub's own trace (traceNhsNumber) makes a number traced: a caller's number is a lead.
      nhsNumberTraced: false,
      addressLine: optionalText('addressLine', input.addressLine, 200),
      phone: optionalText('phone', input.phone, 30),
      matchKey: matchKey({ givenName, familyName, date: dateOfBirth ?? expectedDate, postcode }),
    };
  }

  /**
   * @param audit the request's audit, given for a caller's request: a created record is audited in its own transaction.
   * @param id only for callers inside the hub that keep ids stable across builds (the demo city);
   * the API never passes one, so a partner cannot choose or probe ids.
   */
  async register(
    input: RegisterChildInput,
    actor: CaseEventInput['actor'] = SYSTEM_ACTOR,
    audit?: AuditCollector,
    id?: string,
  ): Promise<Registration> {
    const row = this.validate(input);
    if (input.confirmMatchId) {
      const child = await this.get(input.confirmMatchId);
      if (row.nhsNumber && child.nhsNumber && row.nhsNumber !== child.nhsNumber) {
        throw new BadUserInputError('confirmMatchId', 'the confirmed record carries a different NHS number');
      }
      return { outcome: 'matched', child, matchedOn: 'name_date_postcode' };
    }
    const found = await this.match(this.db, row, Boolean(input.confirmNoMatch));
    if (found) return found;
    if (!input.confirmNoMatch) {
      // Not an exact match: a nickname, a typo, a move or a swapped date must not become a silent second record.
      const probable = await this.probable(this.db, row);
      if (probable.band === 'auto') {
        // A concurrent registration of the same traced number can commit between the exact match and this one.
        const [best] = probable.candidates;
        return {
          outcome: 'matched',
          child: await this.get(best!.childId),
          matchedOn: best!.rule === 'traced_nhs_number' ? 'nhs_number' : 'probabilistic',
        };
      }
      if (probable.band === 'review') {
        const reference = await holdRegistration(this.db, {
          row,
          candidates: probable.candidates,
          caller: actor,
          at: this.clock.now(),
        });
        return { outcome: 'held_for_review', reference };
      }
    }
    try {
      // The record and its case event (and so its Liquid Logic outbox row) commit together.
      const child = await this.db.transaction(async (tx) => {
        const created = await repo.insertChild(tx, id ? { ...row, id } : row);
        await recordCaseEvent(tx, {
          childId: created.id,
          kind: 'child_registered',
          categories: ['identity', 'identifiers', 'contact'],
          changedFields: ['registered'],
          refs: { childId: created.id },
          actor,
          at: this.clock.now(),
        });
        await audit?.changedIn(tx, [
          { childId: created.id, action: 'registerChild:created', fields: Object.keys(input) },
        ]);
        return created;
      });
      return { outcome: 'created', child };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A concurrent registration won the race for this identifier: return its record.
      const winner = await this.match(this.db, row, true);
      if (winner) return winner;
      throw new ConflictError('Another record holds this identifier');
    }
  }

  /**
   * The referral path's match, inside the referral's transaction, answering nobody: an identifier
   * match (a traced NHS number on both sides, or a UPN) is the child; anything less gives
   * candidates for EH DAS screening and the row a new record would take, without an NHS number
   * another live record holds. Never throws on what exists, so its caller reveals nothing.
   */
  async matchQuietly(
    tx: DbOrTx,
    row: repo.NewChildRow,
  ): Promise<{ child: ChildRow | null; candidates: string[]; newRow: repo.NewChildRow }> {
    const found = await repo.findLiveMatchCandidates(tx, row);
    const byNhs = row.nhsNumber ? found.find((c) => c.nhsNumber === row.nhsNumber) : undefined;
    const byUpn = row.upn ? found.find((c) => c.upn === row.upn) : undefined;
    const certain = byNhs && tracedAndAgreeing(byNhs, row) ? byNhs : byUpn;
    const candidates = found.filter((c) => c === byNhs || c.matchKey === row.matchKey).map((c) => c.id);
    const newRow = byNhs ? { ...row, nhsNumber: null, nhsNumberTraced: false } : row;
    if (certain) return { child: certain, candidates: [], newRow };
    // Scored candidates join the exact ones for EH DAS screening; an auto-link is still only a candidate here.
    const probable = await this.probable(tx, row);
    return {
      child: null,
      candidates: [...new Set([...candidates, ...probable.candidates.map((c) => c.childId)])],
      newRow,
    };
  }

  /** The probabilistic match for a validated registration (unborn babies, recorded by expected date, are not scored). */
  private probable(db: DbOrTx, row: repo.NewChildRow): Promise<ProbableMatch> {
    if (!row.dateOfBirth) return Promise.resolve({ band: 'none', candidates: [] });
    return findProbableMatches(db, row);
  }

  /** A new record and its case event inside the caller's transaction (so its Liquid Logic message commits, or not, with it). */
  async createIn(tx: DbOrTx, row: repo.NewChildRow, actor: CaseEventInput['actor']): Promise<ChildRow> {
    const created = await repo.insertChild(tx, row);
    await recordCaseEvent(tx, {
      childId: created.id,
      kind: 'child_registered',
      categories: ['identity', 'identifiers', 'contact'],
      changedFields: ['registered'],
      refs: { childId: created.id },
      actor,
      at: this.clock.now(),
    });
    return created;
  }

  private async match(db: DbOrTx, row: repo.NewChildRow, skipProbable: boolean): Promise<Registration | null> {
    const found = await repo.findLiveMatchCandidates(db, row);
    if (row.nhsNumber) {
      const existing = found.find((c) => c.nhsNumber === row.nhsNumber);
      if (existing) {
        // A caller's number is a lead, not proof: ask the practitioner unless it names a record the hub traced and the details agree.
        if (tracedAndAgreeing(existing, row)) return { outcome: 'matched', child: existing, matchedOn: 'nhs_number' };
        if (!skipProbable)
          return { outcome: 'probable_match', candidates: [{ childId: existing.id, matchedOn: 'nhs_number' }] };
        if (existing.matchKey === row.matchKey) return { outcome: 'matched', child: existing, matchedOn: 'nhs_number' };
        throw new BadUserInputError('nhsNumber', 'is held by another record; confirm the match or correct the number');
      }
    }
    if (row.upn) {
      const existing = found.find((c) => c.upn === row.upn);
      if (existing) return { outcome: 'matched', child: existing, matchedOn: 'upn' };
    }
    if (!skipProbable) {
      const candidates = found.filter((c) => c.matchKey === row.matchKey);
      if (candidates.length > 0) {
        return {
          outcome: 'probable_match',
          candidates: candidates.map((c) => ({ childId: c.id, matchedOn: 'name_date_postcode' as const })),
        };
      }
    }
    return null;
  }

  /** The live record for an id, following merges; NOT_FOUND when there is none. */
  async get(id: string): Promise<ChildRow> {
    const liveId = isUuid(id) ? await repo.resolveLiveId(this.db, id) : null;
    const [row] = liveId ? await repo.findByIds(this.db, [liveId]) : [];
    if (!row) throw new NotFoundError('Child');
    return row;
  }

  /** Resolves a lookup by exactly one of id, NHS number or UPN to a live child id, or null. */
  async resolveLookup(lookup: ChildLookup): Promise<string | null> {
    return (await this.findLive(lookup))?.id ?? null;
  }

  /** The live record for exactly one of id (following merges), NHS number or UPN, or null. */
  private findLive(lookup: ChildLookup): Promise<ChildRow | null> {
    return this.findLiveByKey(this.lookupKey(lookup));
  }

  private async findLiveByKey(key: { id: string } | repo.FrontDoorKey): Promise<ChildRow | null> {
    if ('id' in key) {
      const liveId = isUuid(key.id) ? await repo.resolveLiveId(this.db, key.id) : null;
      return liveId ? ((await repo.findByIds(this.db, [liveId]))[0] ?? null) : null;
    }
    return 'nhsNumber' in key ? repo.findLiveByNhsNumber(this.db, key.nhsNumber) : repo.findLiveByUpn(this.db, key.upn);
  }

  /** Exactly one of id, NHS number or UPN, the numbers normalised and checked. */
  private lookupKey(lookup: ChildLookup): { id: string } | repo.FrontDoorKey {
    const given = [lookup.id, lookup.nhsNumber, lookup.upn].filter((v) => v != null);
    if (given.length !== 1) throw new BadUserInputError('id', 'give exactly one of id, nhsNumber or upn');
    if (lookup.id) return { id: lookup.id };
    if (lookup.nhsNumber) {
      const nhsNumber = normaliseNhsNumber(lookup.nhsNumber);
      const problem = nhsNumberProblem(nhsNumber);
      if (problem) throw new BadUserInputError('nhsNumber', problem);
      return { nhsNumber };
    }
    const upn = normaliseUpn(lookup.upn!);
    const problem = upnProblem(upn);
    if (problem) throw new BadUserInputError('upn', problem);
    return { upn };
  }

  /**
   * The child a caller asked for by id, NHS number or UPN, if the caller has a relationship with
   * it. A missing child and an unrelated one get the same NO_RELATIONSHIP, so ids cannot be probed.
   */
  async findForCaller(lookup: ChildLookup, access: AccessDecider, audit: AuditCollector): Promise<ChildRow> {
    return (await this.findForCallerWith(lookup, access, audit, false)).row;
  }

  /**
   * `findForCaller`, reading the child's open EHA with its parts in the same statement when the
   * lookup is a front door (NHS number or UPN). `openEha` is undefined when it was not read.
   */
  findForCallerWithOpenEha(
    lookup: ChildLookup,
    access: AccessDecider,
    audit: AuditCollector,
  ): Promise<{ row: ChildRow; openEha?: OpenEhaWithParts | null }> {
    return this.findForCallerWith(lookup, access, audit, true);
  }

  private async findForCallerWith(
    lookup: ChildLookup,
    access: AccessDecider,
    audit: AuditCollector,
    withOpenEha: boolean,
  ): Promise<{ row: ChildRow; openEha?: OpenEhaWithParts | null }> {
    access.requirePurpose();
    const key = this.lookupKey(lookup);
    const found = await this.findLiveFor(key, access, withOpenEha);
    // A child the hub does not hold goes through the same relationship check, under the keyed
    // hash of what was asked: the same answer, the same statements and the same kind of audit row.
    const asked =
      'id' in key ? ['child', key.id] : 'nhsNumber' in key ? ['nhs_number', key.nhsNumber] : ['upn', key.upn];
    const childId = found?.row.id ?? audit.standIn(asked);
    if (!found && !('id' in key))
      access.primeFacts({ childId, related: false, held: false, consents: [], overrides: [] });
    await access.requireRelationship(childId, undefined, asked);
    return found!;
  }

  /**
   * The live record for the lookup, one statement; a partner system's lookup by NHS number or UPN
   * reads the caller's access facts in the same statement and hands them to the decider (the
   * front doors: health and school MIS).
   */
  private async findLiveFor(
    key: { id: string } | repo.FrontDoorKey,
    access: AccessDecider,
    withOpenEha: boolean,
  ): Promise<{ row: ChildRow; openEha?: OpenEhaWithParts | null } | null> {
    if ('id' in key) {
      const row = isUuid(key.id) ? await repo.findLiveById(this.db, key.id) : null;
      return row ? { row } : null;
    }
    const scope = await access.scope();
    if (!scope) {
      const row = await this.findLiveByKey(key);
      return row ? { row } : null;
    }
    const found = withOpenEha
      ? await repo.findLiveWithAccessFactsAndOpenEha(this.db, key, scope, access.at)
      : await repo.findLiveWithAccessFacts(this.db, key, scope, access.at);
    if (found) access.primeFacts(found.facts);
    return found;
  }

  /** Live children the caller has a relationship with, one keyset page at a time. */
  async listForCaller(
    access: AccessDecider,
    audit: AuditCollector,
    first: number,
    after: string | null,
  ): Promise<{ rows: ChildRow[]; hasNextPage: boolean }> {
    access.requirePurpose();
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw new BadUserInputError('first', 'must be between 1 and 100');
    const rows = await repo.listLive(this.db, await access.relationshipWhere(children.id), after, first + 1);
    const page = rows.slice(0, first);
    // Ids alone disclose who is on the caller's list: audited even when no guarded field is asked for.
    for (const row of page) audit.identified(row.id, 'Child.id');
    return { rows: page, hasNextPage: rows.length > first };
  }

  /**
   * Merges `fromId` into `intoId` at once, keeping every link and history; the old id redirects.
   * For merges already decided elsewhere (a person merge made in Liquid Logic); a merge a person
   * asks for goes through two-person review (`ChildMergeReview`).
   */
  async merge(
    fromId: string,
    intoId: string,
    reason: string,
    mergedBy: string,
    actor: CaseEventInput['actor'] = { ...SYSTEM_ACTOR, subject: mergedBy },
    audit?: AuditCollector,
  ): Promise<ChildRow> {
    const why = requireText('reason', reason, { min: 10, max: 1000 });
    return this.db.transaction(
      async (tx) => (await this.mergeIn(tx, { fromId, intoId, reason: why, mergedBy, actor, audit })).survivor,
    );
  }

  /**
   * The merge itself, inside the caller's transaction: checks and locks both records, moves every
   * row (recording each in the merge ledger), records the `child_merged` case event (and so its
   * Liquid Logic outbox row) and the audit of the change.
   */
  async mergeIn(
    tx: Tx,
    m: {
      fromId: string;
      intoId: string;
      reason: string;
      mergedBy: string;
      actor: CaseEventInput['actor'];
      audit?: AuditCollector;
      /** The audit's action prefix: the operation that performed the merge. */
      action?: string;
    },
  ): Promise<{ survivor: ChildRow; mergeId: string }> {
    // Compare and look up the normalised (lower-case) ids: rows come back lower-case, so an
    // upper-case id would otherwise read as "no such child" and dodge the same-id check.
    const fromId = requireUuid('fromId', m.fromId);
    const intoId = requireUuid('intoId', m.intoId);
    if (fromId === intoId) throw new BadUserInputError('intoId', 'must differ from fromId');
    const rows = await mergeRepo.lockChildren(tx, [fromId, intoId]);
    const from = rows.find((r) => r.id === fromId);
    const into = rows.find((r) => r.id === intoId);
    if (!from) throw new BadUserInputError('fromId', 'no such child record');
    if (!into) throw new BadUserInputError('intoId', 'no such child record');
    if (from.merged_into) throw new ConflictError('fromId has already been merged', { field: 'fromId' });
    if (into.merged_into)
      throw new ConflictError('intoId has been merged; merge into its surviving record', { field: 'intoId' });
    if (from.nhs_number && into.nhs_number && from.nhs_number !== into.nhs_number) {
      throw new BadUserInputError('fromId', 'the two records carry different NHS numbers');
    }
    const mergeId = await mergeRepo.mergeInto(tx, fromId, intoId, m.mergedBy, m.reason);
    await recordCaseEvent(tx, {
      childId: intoId,
      kind: 'child_merged',
      categories: ['identity', 'identifiers'],
      changedFields: ['mergedFrom'],
      refs: { fromChildId: fromId, intoChildId: intoId },
      actor: m.actor,
      at: this.clock.now(),
    });
    const action = m.action ?? 'merge';
    await m.audit?.changedIn(tx, [
      { childId: fromId, action: `${action}:from`, fields: ['mergedInto'] },
      { childId: intoId, action: `${action}:into`, fields: ['links'] },
    ]);
    const [survivor] = await repo.findByIds(tx, [intoId]);
    return { survivor: survivor!, mergeId };
  }
}

/**
 * A caller's NHS number settles a match only when it names a record whose number the hub itself
 * traced (traceNhsNumber) and the caller's name, date and postcode agree with that record: callers
 * can no longer say their number is traced, so the hub's trace and the details stand in for it.
 */
function tracedAndAgreeing(existing: ChildRow, row: repo.NewChildRow): boolean {
  return existing.nhsNumberTraced && existing.matchKey === row.matchKey;
}
