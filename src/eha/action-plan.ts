/**
 * What an action plan must contain (the partnership's Early Help protocol): "desired outcome, family strengths, the child's
 * identified needs and services to meet them, specific actions, contingency plan, timescales, key
 * agencies and their responsibilities incl. frequency of contact, and a review date within 3
 * months". Checked before anything is written; each missing part is refused by its field name.
 */
import { BadUserInputError } from '../errors';
import { addMonths } from '../shared/calendar';
import { requireIsoDate, requireOneOf, requireText, requireUuid } from '../shared/validate';
import { NEED_CATEGORY_KEYS, type NeedCategory } from '../workflow/needs';

export interface ActionPlanInput {
  desiredOutcome?: string | null;
  familyStrengths?: string | null;
  protectiveFactors?: string[] | null;
  needs?: { category: string; services?: string | null }[] | null;
  actions?:
    | {
        description?: string | null;
        owningOrganisationId?: string | null;
        dueDate?: string | null;
        frequencyOfContact?: string | null;
      }[]
    | null;
  contingencyPlan?: string | null;
  timescales?: string | null;
  keyAgencies?:
    | { organisationId?: string | null; responsibilities?: string | null; frequencyOfContact?: string | null }[]
    | null;
  reviewDate?: string | null;
}

export interface ValidPlan {
  desiredOutcome: string;
  familyStrengths: string;
  protectiveFactors: string[];
  needs: { category: NeedCategory; services: string }[];
  actions: { description: string; owningOrganisationId: string; dueDate: string; frequencyOfContact: string }[];
  contingencyPlan: string;
  timescales: string;
  keyAgencies: { organisationId: string; responsibilities: string; frequencyOfContact: string }[];
  reviewDate: string;
}

function requireList<T>(field: string, list: T[] | null | undefined, what: string): T[] {
  if (!list || list.length === 0) throw new BadUserInputError(field, `the plan must list ${what}`);
  return list;
}

export function validatePlan(input: ActionPlanInput): ValidPlan {
  const desiredOutcome = requireText('desiredOutcome', input.desiredOutcome, { max: 4000 });
  const familyStrengths = requireText('familyStrengths', input.familyStrengths, { max: 4000 });
  const protectiveFactors = (input.protectiveFactors ?? []).map((f, i) =>
    requireText(`protectiveFactors[${i}]`, f, { max: 500 }),
  );
  const needs = requireList('needs', input.needs, "the child's identified needs and the services to meet them").map(
    (n, i) => ({
      category: requireOneOf(`needs[${i}].category`, n.category, NEED_CATEGORY_KEYS),
      services: requireText(`needs[${i}].services`, n.services, { max: 2000 }),
    }),
  );
  const actions = requireList('actions', input.actions, 'specific actions').map((a, i) => ({
    description: requireText(`actions[${i}].description`, a.description, { max: 2000 }),
    owningOrganisationId: requireUuid(`actions[${i}].owningOrganisationId`, a.owningOrganisationId ?? ''),
    dueDate: requireIsoDate(`actions[${i}].dueDate`, a.dueDate ?? ''),
    frequencyOfContact: requireText(`actions[${i}].frequencyOfContact`, a.frequencyOfContact, { max: 200 }),
  }));
  const contingencyPlan = requireText('contingencyPlan', input.contingencyPlan, { max: 4000 });
  const timescales = requireText('timescales', input.timescales, { max: 2000 });
  const keyAgencies = requireList('keyAgencies', input.keyAgencies, 'the key agencies and their responsibilities').map(
    (k, i) => ({
      organisationId: requireUuid(`keyAgencies[${i}].organisationId`, k.organisationId ?? ''),
      responsibilities: requireText(`keyAgencies[${i}].responsibilities`, k.responsibilities, { max: 2000 }),
      frequencyOfContact: requireText(`keyAgencies[${i}].frequencyOfContact`, k.frequencyOfContact, { max: 200 }),
    }),
  );
  if (!input.reviewDate) throw new BadUserInputError('reviewDate', 'the plan must set a review date within 3 months');
  const reviewDate = requireIsoDate('reviewDate', input.reviewDate);
  return {
    desiredOutcome,
    familyStrengths,
    protectiveFactors,
    needs,
    actions,
    contingencyPlan,
    timescales,
    keyAgencies,
    reviewDate,
  };
}

/**
 * "A review date within 3 months" of the meeting, counted in calendar months: a meeting on 31 Jan
 * allows 30 Apr (addMonths clamps to the month's end), and a meeting on 30 Nov 2027 allows 29 Feb
 * 2028. A review on the meeting day itself is no review.
 */
export function requireReviewWithinThreeMonths(field: string, reviewDate: string, meetingDate: string): void {
  const latest = addMonths(meetingDate, 3);
  if (reviewDate <= meetingDate) throw new BadUserInputError(field, 'must be after the meeting');
  if (reviewDate > latest) throw new BadUserInputError(field, 'must be no later than 3 months after the meeting');
}
