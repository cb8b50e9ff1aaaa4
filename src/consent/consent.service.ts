/**
 * Consent (the partnership's Early Help protocol): gained from the young person and/or a parent or carer, in full
 * knowledge of who will see what; verbal first, confirmed in writing later; withdrawable at any
 * time. Nothing is deleted: withdrawn and expired consents stay as history. The access decider
 * reads consents afresh for every request, so a withdrawal takes effect on the very next one.
 */
import { CONSENT_GIVERS, CONSENT_METHODS } from '../../schema/tables/consent';
import type { AccessDecider } from '../access/access-decider';
import type { Db, Tx } from '../db';
import type { Actor } from '../workflow/actor';
import { BadUserInputError, InvalidTransitionError, NoRelationshipError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireOneOf, requireText, requireUuid } from '../shared/validate';
import * as repo from './consent.repo';
import type { ConsentRow } from './consent.repo';
import {
  checkYoungPersonAge,
  DEFAULT_CONSENT_AGES,
  requireCompetenceAssessment,
  requireGiver,
  type CompetenceAssessmentInput,
  type ConsentAges,
} from './consent-givers';
import {
  optionalIds,
  optionalOrganisationKinds,
  requireCategories,
  requireInstant,
  requirePurposes,
} from './consent.rules';

export { CONSENT_GIVERS, CONSENT_METHODS };

/** The category whose writers manage consent: consent is part of the Early Help record. */
export const CONSENT_CATEGORY = 'early_help' as const;

export interface RecordConsentInput {
  childId: string;
  givenBy: string;
  /** The parent or carer from the family record, when the recorder can name them there … */
  familyMemberId?: string | null;
  /** … or as the recorder was told: name and relationship to the child (written, not read). */
  giverName?: string | null;
  giverRelationship?: string | null;
  /** Required when the young person (12 to 15 on the day) gives or joins in giving consent. */
  competenceAssessment?: CompetenceAssessmentInput | null;
  method: string;
  organisationIds?: readonly string[] | null;
  organisationKinds?: readonly string[] | null;
  categories: readonly string[];
  purposes: readonly string[];
  startsAt: string;
  expiresAt?: string | null;
}

/** Who is acting, and the per-request access and audit of the request. */
export interface ConsentServiceOptions {
  db: Db;
  clock: Clock;
  /** Ages of a young person's own consent (default 12 with an assessment, 16 without). */
  ages?: ConsentAges;
}

export class ConsentService {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly ages: ConsentAges;

  constructor({ db, clock, ages = DEFAULT_CONSENT_AGES }: ConsentServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.ages = ages;
  }

  /** Shape checks that need no database: run first, so bad input is refused before anything is read. */
  validate(
    input: RecordConsentInput,
    now: Date,
  ): Omit<repo.NewConsentRow, 'recordedBySubject' | 'recordedByOrganisationId'> {
    const childId = requireUuid('childId', input.childId);
    const givenBy = requireOneOf('givenBy', input.givenBy, CONSENT_GIVERS);
    const method = requireOneOf('method', input.method, CONSENT_METHODS);
    const giver = requireGiver({ ...input, givenBy });
    const organisationIds = optionalIds('organisationIds', input.organisationIds);
    const organisationKinds = optionalOrganisationKinds('organisationKinds', input.organisationKinds);
    if (organisationIds.length === 0 && organisationKinds.length === 0) {
      throw new BadUserInputError(
        'organisationIds',
        'name at least one partner organisation or organisation kind the family agreed may see the data',
      );
    }
    const categories = requireCategories('categories', input.categories);
    const purposes = requirePurposes('purposes', input.purposes);
    const startsAt = requireInstant('startsAt', input.startsAt);
    const expiresAt = input.expiresAt ? requireInstant('expiresAt', input.expiresAt) : null;
    if (expiresAt && expiresAt <= now) throw new BadUserInputError('expiresAt', 'is in the past');
    if (expiresAt && expiresAt <= startsAt) throw new BadUserInputError('expiresAt', 'must be after startsAt');
    if (givenBy === 'family_member' && input.competenceAssessment)
      throw new BadUserInputError('competenceAssessment', 'only a young person giving consent is assessed');
    const competence = input.competenceAssessment
      ? requireCompetenceAssessment(input.competenceAssessment, givenOn(startsAt, now))
      : null;
    return {
      childId,
      givenBy,
      method,
      ...giver,
      ...competence,
      organisationIds,
      organisationKinds,
      categories,
      purposes,
      startsAt,
      expiresAt,
    };
  }

  async record(input: RecordConsentInput, { caller, access, audit }: Actor): Promise<ConsentRow> {
    const now = this.clock.now();
    const row = this.validate(input, now);
    await access.requireWrite(row.childId, CONSENT_CATEGORY);
    // Only after the relationship check: otherwise the answer would reveal the child's age.
    if (row.givenBy !== 'family_member') {
      const dateOfBirth = await repo.childDateOfBirth(this.db, row.childId);
      checkYoungPersonAge(dateOfBirth, givenOn(row.startsAt, now), Boolean(row.competenceAssessedOn), this.ages);
    }
    // Only after the relationship check: otherwise the answer would reveal who is in the household.
    if (row.familyMemberId && !(await repo.mayConsentFor(this.db, row.childId, row.familyMemberId))) {
      throw new BadUserInputError(
        'familyMemberId',
        'is not linked to the child as a parent with parental responsibility or a carer',
      );
    }
    const known = await repo.knownOrganisationIds(this.db, row.organisationIds ?? []);
    if ((row.organisationIds ?? []).some((id) => !known.has(id)))
      throw new BadUserInputError('organisationIds', 'names an organisation that is not a partner of the hub');
    const created = await this.db.transaction(async (tx) => {
      const consent = await repo.insertConsent(tx, {
        ...row,
        recordedAt: now,
        recordedBySubject: caller.subject,
        recordedByOrganisationId: caller.organisationId,
      });
      await recordCaseEvent(tx, {
        childId: consent.childId,
        kind: 'consent_changed',
        categories: [CONSENT_CATEGORY],
        changedFields: ['consents'],
        refs: { consentId: consent.id, action: 'recorded' },
        actor: caller,
        at: now,
      });
      await audit.changedIn(tx, [{ childId: consent.childId, action: 'recordConsent', fields: ['consents'] }]);
      return consent;
    });
    return created;
  }

  async confirmInWriting(id: string, acting: Actor): Promise<ConsentRow> {
    return this.change(id, acting, 'confirmConsentInWriting', ['writtenConfirmedAt'], (consent, now) => {
      if (consent.withdrawnAt) throw new InvalidTransitionError('withdrawn', 'confirm in writing');
      if (consent.method === 'written' || consent.writtenConfirmedAt)
        throw new InvalidTransitionError('written', 'confirm in writing');
      return { writtenConfirmedAt: now };
    });
  }

  /**
   * EH DAS (the only role the permission data lets call it) links a giver recorded as stated to
   * the parent or carer in the family record; once linked, the consent is reconciled.
   */
  async reconcileGiver(id: string, familyMemberId: string, acting: Actor): Promise<ConsentRow> {
    const memberId = requireUuid('familyMemberId', familyMemberId);
    return this.change(id, acting, 'reconcileConsentGiver', ['familyMemberId'], async (consent, _now, tx) => {
      if (consent.givenBy === 'young_person' || consent.familyMemberId)
        throw new InvalidTransitionError('reconciled', 'reconcile');
      if (!(await repo.mayConsentFor(tx, consent.childId, memberId))) {
        throw new BadUserInputError(
          'familyMemberId',
          'is not linked to the child as a parent with parental responsibility or a carer',
        );
      }
      return { familyMemberId: memberId };
    });
  }

  async withdraw(id: string, reason: string, acting: Actor): Promise<ConsentRow> {
    const why = requireText('reason', reason, { max: 1000 });
    return this.change(id, acting, 'withdrawConsent', ['withdrawnAt', 'withdrawnReason'], (consent, now) => {
      if (consent.withdrawnAt) throw new InvalidTransitionError('withdrawn', 'withdraw');
      return { withdrawnAt: now, withdrawnReason: why };
    });
  }

  /** The child's consent history, for roles that manage consent and relate to the child. */
  async history(childId: string, access: AccessDecider): Promise<ConsentRow[]> {
    access.requirePurpose();
    const id = requireUuid('childId', childId);
    await access.requireWrite(id, CONSENT_CATEGORY);
    return repo.consentsOfChild(this.db, id);
  }

  /** Locks the consent, checks the caller may manage the child's consent, applies one transition. */
  private async change(
    id: string,
    { caller, access, audit }: Actor,
    action: string,
    fields: string[],
    transition: (
      consent: ConsentRow,
      now: Date,
      tx: Tx,
    ) => Partial<repo.NewConsentRow> | Promise<Partial<repo.NewConsentRow>>,
  ): Promise<ConsentRow> {
    const consentId = requireUuid('id', id);
    const now = this.clock.now();
    // Checked before locking: a consent of someone else's child, and one that does not exist, look alike.
    const existing = await repo.findConsent(this.db, consentId);
    await access.requireWrite(existing?.childId ?? audit.standIn(['consent', consentId]), CONSENT_CATEGORY);
    if (!existing) throw new NoRelationshipError(CONSENT_CATEGORY);
    const updated = await this.db.transaction(async (tx) => {
      const consent = await repo.lockConsent(tx, consentId);
      if (!consent) throw new NoRelationshipError();
      const row = await repo.updateConsent(tx, consentId, await transition(consent, now, tx));
      await recordCaseEvent(tx, {
        childId: row.childId,
        kind: 'consent_changed',
        categories: [CONSENT_CATEGORY],
        changedFields: fields,
        refs: { consentId: row.id, action },
        actor: caller,
        at: now,
      });
      await audit.changedIn(tx, [{ childId: row.childId, action, fields }]);
      return row;
    });
    return updated;
  }
}

/**
 * The day the consent was given, in the partnership's calendar: its start, or the day it is
 * recorded if it starts later (a consent dated ahead cannot age the young person into giving it).
 */
function givenOn(startsAt: Date, recordedAt: Date): string {
  return partnershipDate(startsAt < recordedAt ? startsAt : recordedAt);
}
