/**
 * Who may give a consent. A young person consents for themselves from `unassistedAge` (16 by
 * default); from `minAge` (12) only on the recording practitioner's assessment of their
 * competence, kept with the consent; younger, never — a parent or carer consents for them. A
 * parent or carer is named either by the family record (`familyMemberId`) or as the practitioner
 * was told (name and relationship), so a practitioner who may not read the family can still record
 * their consent: the stated giver is written, never looked up, and EH DAS reconciles it later.
 */
import type { ConsentGiver } from '../../schema/tables/consent';
import { BadUserInputError } from '../errors';
import { ageOn } from '../shared/calendar';
import { requireIsoDate, requireText, requireUuid } from '../shared/validate';

/** Age thresholds of a young person's own consent (CONSENT_YOUNG_PERSON_MIN_AGE / _UNASSISTED_AGE). */
export interface ConsentAges {
  /** Youngest who may consent for themselves, with a competence assessment. Default 12. */
  minAge: number;
  /** From this age no assessment is needed. Default 16. */
  unassistedAge: number;
}

export const DEFAULT_CONSENT_AGES: ConsentAges = { minAge: 12, unassistedAge: 16 };

export interface CompetenceAssessmentInput {
  assessedBy: string;
  assessedOn: string;
  reasoning: string;
}

export interface StatedGiverInput {
  givenBy: ConsentGiver;
  familyMemberId?: string | null;
  giverName?: string | null;
  giverRelationship?: string | null;
}

export interface Giver {
  familyMemberId: string | null;
  giverName: string | null;
  giverRelationship: string | null;
}

const present = (v: string | null | undefined): v is string => v != null && v.trim() !== '';

/** The giver as named: a linked family member, or a name and relationship as stated; the young person names nobody. */
export function requireGiver(input: StatedGiverInput): Giver {
  const familyMemberId = input.familyMemberId ? requireUuid('familyMemberId', input.familyMemberId) : null;
  if (input.givenBy === 'young_person') {
    if (familyMemberId)
      throw new BadUserInputError(
        'familyMemberId',
        'givenBy young_person names no family member; use young_person_and_family_member',
      );
    if (present(input.giverName) || present(input.giverRelationship)) {
      throw new BadUserInputError(
        'giverName',
        'givenBy young_person names no other giver; use young_person_and_family_member',
      );
    }
    return { familyMemberId: null, giverName: null, giverRelationship: null };
  }
  if (familyMemberId) {
    if (present(input.giverName) || present(input.giverRelationship)) {
      throw new BadUserInputError(
        'giverName',
        'name the parent or carer either by familyMemberId or by giverName and giverRelationship, not both',
      );
    }
    return { familyMemberId, giverName: null, giverRelationship: null };
  }
  if (!present(input.giverName) && !present(input.giverRelationship)) {
    throw new BadUserInputError(
      'familyMemberId',
      'name the parent or carer who gave consent: familyMemberId, or giverName and giverRelationship as you were told them',
    );
  }
  return {
    familyMemberId: null,
    giverName: requireText('giverName', input.giverName ?? '', { max: 200 }),
    giverRelationship: requireText('giverRelationship', input.giverRelationship ?? '', { max: 100 }),
  };
}

/** Shape of a competence assessment; its date may not be after the day the consent was given. */
export function requireCompetenceAssessment(
  input: CompetenceAssessmentInput,
  givenOn: string,
  prefix = '',
): { competenceAssessedBy: string; competenceAssessedOn: string; competenceReasoning: string } {
  const field = `${prefix}competenceAssessment`;
  const competenceAssessedBy = requireText(`${field}.assessedBy`, input.assessedBy, { max: 200 });
  const competenceAssessedOn = requireIsoDate(`${field}.assessedOn`, (input.assessedOn ?? '').trim());
  if (competenceAssessedOn > givenOn)
    throw new BadUserInputError(`${field}.assessedOn`, 'must be on or before the day the consent was given');
  const competenceReasoning = requireText(`${field}.reasoning`, input.reasoning, { max: 2000 });
  return { competenceAssessedBy, competenceAssessedOn, competenceReasoning };
}

/**
 * Whether the young person may give (or join in giving) this consent, and whether an assessment
 * must come with it. `dateOfBirth` null is an unborn baby. Throws BAD_USER_INPUT naming the field.
 */
export function checkYoungPersonAge(
  dateOfBirth: string | null,
  givenOn: string,
  hasAssessment: boolean,
  ages: ConsentAges,
  prefix = '',
): void {
  const age = dateOfBirth === null ? -1 : ageOn(dateOfBirth, givenOn);
  if (age < ages.minAge) {
    throw new BadUserInputError(
      `${prefix}givenBy`,
      `a young person under ${ages.minAge} on the day consent was given cannot consent for themselves; record the consent of a parent or carer (givenBy family_member)`,
    );
  }
  if (age < ages.unassistedAge && !hasAssessment) {
    throw new BadUserInputError(
      `${prefix}competenceAssessment`,
      `a young person aged ${ages.minAge}–${ages.unassistedAge - 1} consents for themselves only with your assessment of their competence: who assessed, when, and why`,
    );
  }
}
