/**
 * The consent a referral rests on, as the referrer states it: who gave it (name and relationship
 * as stated: written, never read back), how, for which categories and purposes, and to whom. A
 * referral is a request to the council's Early Help service, so the consent must name it — by
 * organisation or as the `council_early_help` kind — and cover `early_help`; a consent that only
 * names, say, a voluntary organisation does not let the council screen the family.
 */
import type { ConsentRow } from '../consent/consent.repo';
import {
  checkYoungPersonAge,
  requireCompetenceAssessment,
  type CompetenceAssessmentInput,
  type ConsentAges,
} from '../consent/consent-givers';
import { CONSENT_GIVERS, CONSENT_METHODS } from '../consent/consent.service';
import { optionalIds, optionalOrganisationKinds, requireCategories, requirePurposes } from '../consent/consent.rules';
import { BadUserInputError } from '../errors';
import { requireOneOf, requireText } from '../shared/validate';

export interface ReferralConsentInput {
  givenBy: string;
  giverName: string;
  giverRelationship: string;
  method: string;
  organisationIds?: readonly string[] | null;
  organisationKinds?: readonly string[] | null;
  categories: readonly string[];
  purposes: readonly string[];
  /** Required when the young person (12 to 15 today) gives or joins in giving consent. */
  competenceAssessment?: CompetenceAssessmentInput | null;
}

export type StatedConsent = Pick<
  ConsentRow,
  | 'givenBy'
  | 'giverName'
  | 'giverRelationship'
  | 'method'
  | 'organisationIds'
  | 'organisationKinds'
  | 'categories'
  | 'purposes'
  | 'competenceAssessedBy'
  | 'competenceAssessedOn'
  | 'competenceReasoning'
>;

/**
 * The consent as stated, checked like any consent; the young person's age is taken from the date
 * of birth the referrer gave (`dateOfBirth`, null for an unborn baby) on the day of the referral,
 * never from a record the hub holds, so the answer says nothing about a matched child.
 */
export function validateStatedConsent(
  input: ReferralConsentInput,
  child: { dateOfBirth: string | null; today: string; ages: ConsentAges },
): StatedConsent {
  const organisationIds = optionalIds('consent.organisationIds', input.organisationIds);
  const organisationKinds = optionalOrganisationKinds('consent.organisationKinds', input.organisationKinds);
  if (organisationIds.length === 0 && organisationKinds.length === 0) {
    throw new BadUserInputError(
      'consent.organisationIds',
      "name the organisations the family agreed may see the data, the council's Early Help service among them",
    );
  }
  const givenBy = requireOneOf('consent.givenBy', input.givenBy, CONSENT_GIVERS);
  if (givenBy === 'family_member' && input.competenceAssessment)
    throw new BadUserInputError('consent.competenceAssessment', 'only a young person giving consent is assessed');
  const competence = input.competenceAssessment
    ? requireCompetenceAssessment(input.competenceAssessment, child.today, 'consent.')
    : null;
  if (givenBy !== 'family_member')
    checkYoungPersonAge(child.dateOfBirth, child.today, competence !== null, child.ages, 'consent.');
  return {
    givenBy,
    competenceAssessedBy: competence?.competenceAssessedBy ?? null,
    competenceAssessedOn: competence?.competenceAssessedOn ?? null,
    competenceReasoning: competence?.competenceReasoning ?? null,
    giverName: requireText('consent.giverName', input.giverName, { max: 200 }),
    giverRelationship: requireText('consent.giverRelationship', input.giverRelationship, { max: 100 }),
    method: requireOneOf('consent.method', input.method, CONSENT_METHODS),
    organisationIds,
    organisationKinds,
    categories: requireCategories('consent.categories', input.categories),
    purposes: requirePurposes('consent.purposes', input.purposes),
  };
}

/** Whether a consent lets the council's Early Help service (`councilId`) screen the referral. */
export function coversReferral(
  consent: Pick<ConsentRow, 'categories' | 'organisationIds' | 'organisationKinds'>,
  councilId: string,
): boolean {
  return (
    consent.categories.includes('early_help') &&
    (consent.organisationIds.includes(councilId) || consent.organisationKinds.includes('council_early_help'))
  );
}
