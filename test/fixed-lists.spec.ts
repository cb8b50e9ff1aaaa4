/**
 * Each fixed list of values (states, kinds, outcomes, roles …) is written out once, as a const
 * array; the database enum, the TypeScript type, the GraphQL enum and the input validation are
 * built from it. A second copy drifts: a value added to the database enum but not to the
 * validation list is refused at the door, one added to the GraphQL enum but not the database fails
 * on write. This reads the production source and fails on any array, union type or enum body
 * that spells out every value of one of these lists outside its declaration.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CONSENT_GIVERS, CONSENT_METHODS, OVERRIDE_REVIEWS } from '../schema/tables/consent';
import { CLUSTERS, GENDERS, HOUSEHOLD_RELATIONS, INVOLVEMENT_KINDS, ORGANISATION_KINDS } from '../schema/tables/core';
import { OUTBOX_STATUSES, SOCIAL_CARE_KINDS } from '../schema/tables/outbox';
import { EHA_ORIGINS, EHA_STATUSES, LEVELS_OF_NEED, REFERRAL_STATUSES } from '../schema/tables/workflow';
import { DATA_CATEGORIES } from '../src/access/categories';
import { PURPOSES, type Purpose } from '../src/access/purposes';
import type { HubPurpose } from '../src/client/hub-client';
import { ROLES } from '../src/access/roles';
import { TARGETED_SUPPORT_OUTCOMES } from '../src/referral/targeted-support.service';
import { SOCIAL_CARE_MASP_OUTCOMES, SOCIAL_CARE_MASP_STATUSES } from '../src/masp/social-care-masp.service';
import { RECORD_TYPES } from '../src/audit/retention';
import { HUB_ERROR_CODES } from '../src/client/errors';
import { CASE_EVENT_KINDS } from '../src/events/case-events';
import { OUTBOX_ENTITIES } from '../src/outbox/outbox-routing';
import { ANOMALY_KINDS, REVIEW_OUTCOMES } from '../src/audit/dpo.service';
import { MATCH_FIELDS } from '../src/child/child.service';
import { NHS_TRACE_OUTCOMES, NHS_TRACE_SOURCES } from '../src/child/nhs-trace.service';
import { CONTACT_CHANNELS, DIRECTORY_ENTRY_KINDS, OFFER_LEVELS } from '../src/directory/directory.service';
import { ACTION_STATUSES } from '../src/eha/eha.service';
import {
  CLOSE_OUTCOMES,
  MASP_CRITERIA,
  MASP_OUTCOMES,
  SINGLE_ASSESSMENT_OUTCOMES,
  STEP_DOWN_MEETINGS,
  STEP_DOWN_SUPPORT,
} from '../src/eha/escalation.service';
import { VOICE_POINTS } from '../src/family-plan/family-plan.service';
import { HEALTH_LEVELS } from '../src/feeds/health.service';
import { FEED_STATUSES } from '../src/feeds/pending';
import { NOTIFICATION_ROUTES } from '../src/feeds/police.service';
import { PENDING_MATCH_STATUSES } from '../src/feeds/pending-matches.service';
import { PUSH_KINDS } from '../src/feeds/relationship-push';
import { INTERVIEW_STEPS } from '../src/missing/missing.service';
import { RETURN_INTERVIEW_STATUSES } from '../src/missing/return-window';
import { ASSESSMENT_POINTS, RICKTER_AREAS } from '../src/outcomes/rickter';
import { PRIORITY_DECISIONS, PRIORITY_STATUSES } from '../src/priority-list/priority-list.service';
import { QA_GRADES } from '../src/qa/qa.service';
import { REFERRAL_FAMILY_RELATIONS } from '../src/referral/referral.service';
import { REFERRAL_OUTCOMES } from '../src/referrer-feedback/referrer-feedback.service';
import { ELIGIBILITY_RECOMMENDATIONS, NEED_CATEGORY_KEYS } from '../src/workflow/needs';
import { REFERRAL_ACTIONS } from '../src/workflow/transitions';
import { sourceFiles, type SourceFile } from './support/source-scan';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where production code lives; the generated client mirrors the SDL, so it is not a second declaration. */
const ROOTS = ['schema', 'src', 'resolvers', 'seeds', 'adapters', 'examples', 'bench'];
const GENERATED = /^src\/client\/generated\//;

/** Copies kept on purpose, each with its reason. */
const KEPT = new Set([
  // The partner client imports nothing from the hub; the type test below holds it to PURPOSES.
  'PURPOSES in src/client/hub-client.ts',
  // A grant, not the list: case workers see these, and a new category is granted on purpose.
  'DATA_CATEGORIES in src/access/permissions.ts',
]);

/** Each list and the one file that writes it out (`map`: as the keys of an object, each with its description). */
const LISTS: Record<string, { values: readonly string[]; declaredIn: string; map?: true }> = {
  CLUSTERS: { values: CLUSTERS, declaredIn: 'schema/tables/core.ts' },
  GENDERS: { values: GENDERS, declaredIn: 'schema/tables/core.ts' },
  ORGANISATION_KINDS: { values: ORGANISATION_KINDS, declaredIn: 'schema/tables/core.ts' },
  HOUSEHOLD_RELATIONS: { values: HOUSEHOLD_RELATIONS, declaredIn: 'schema/tables/core.ts' },
  INVOLVEMENT_KINDS: { values: INVOLVEMENT_KINDS, declaredIn: 'schema/tables/core.ts' },
  EHA_STATUSES: { values: EHA_STATUSES, declaredIn: 'schema/tables/workflow.ts' },
  EHA_ORIGINS: { values: EHA_ORIGINS, declaredIn: 'schema/tables/workflow.ts' },
  REFERRAL_STATUSES: { values: REFERRAL_STATUSES, declaredIn: 'schema/tables/workflow.ts' },
  LEVELS_OF_NEED: { values: LEVELS_OF_NEED, declaredIn: 'schema/tables/workflow.ts' },
  CONSENT_GIVERS: { values: CONSENT_GIVERS, declaredIn: 'schema/tables/consent.ts' },
  CONSENT_METHODS: { values: CONSENT_METHODS, declaredIn: 'schema/tables/consent.ts' },
  OVERRIDE_REVIEWS: { values: OVERRIDE_REVIEWS, declaredIn: 'schema/tables/consent.ts' },
  SOCIAL_CARE_KINDS: { values: SOCIAL_CARE_KINDS, declaredIn: 'schema/tables/outbox.ts' },
  OUTBOX_STATUSES: { values: OUTBOX_STATUSES, declaredIn: 'schema/tables/outbox.ts' },
  ROLES: { values: ROLES, declaredIn: 'src/access/roles.ts' },
  PURPOSES: { values: PURPOSES, declaredIn: 'src/access/purposes.ts' },
  DATA_CATEGORIES: { values: DATA_CATEGORIES, declaredIn: 'src/access/categories.ts' },
  ANOMALY_KINDS: { values: ANOMALY_KINDS, declaredIn: 'src/audit/dpo.service.ts' },
  REVIEW_OUTCOMES: { values: REVIEW_OUTCOMES, declaredIn: 'src/audit/dpo.service.ts' },
  MATCH_FIELDS: { values: MATCH_FIELDS, declaredIn: 'src/child/child.service.ts' },
  NHS_TRACE_OUTCOMES: { values: NHS_TRACE_OUTCOMES, declaredIn: 'src/child/nhs-trace.service.ts' },
  NHS_TRACE_SOURCES: { values: NHS_TRACE_SOURCES, declaredIn: 'src/child/nhs-trace.service.ts' },
  RECORD_TYPES: { values: RECORD_TYPES, declaredIn: 'src/audit/retention.ts' },
  HUB_ERROR_CODES: { values: HUB_ERROR_CODES, declaredIn: 'src/client/errors.ts' },
  CASE_EVENT_KINDS: { values: CASE_EVENT_KINDS, declaredIn: 'src/events/case-events.ts' },
  OUTBOX_ENTITIES: { values: OUTBOX_ENTITIES, declaredIn: 'src/outbox/outbox-routing.ts' },
  NEED_CATEGORIES: { values: NEED_CATEGORY_KEYS, declaredIn: 'src/workflow/needs.ts', map: true },
  ELIGIBILITY_RECOMMENDATIONS: { values: ELIGIBILITY_RECOMMENDATIONS, declaredIn: 'src/workflow/needs.ts' },
  REFERRAL_ACTIONS: { values: REFERRAL_ACTIONS, declaredIn: 'src/workflow/transitions.ts' },
  REFERRAL_FAMILY_RELATIONS: { values: REFERRAL_FAMILY_RELATIONS, declaredIn: 'src/referral/referral.service.ts' },
  REFERRAL_OUTCOMES: { values: REFERRAL_OUTCOMES, declaredIn: 'src/referrer-feedback/referrer-feedback.service.ts' },
  ACTION_STATUSES: { values: ACTION_STATUSES, declaredIn: 'src/eha/eha.service.ts' },
  CLOSE_OUTCOMES: { values: CLOSE_OUTCOMES, declaredIn: 'src/eha/escalation.service.ts' },
  MASP_CRITERIA: { values: MASP_CRITERIA, declaredIn: 'src/eha/escalation.service.ts' },
  MASP_OUTCOMES: { values: MASP_OUTCOMES, declaredIn: 'src/eha/escalation.service.ts' },
  SINGLE_ASSESSMENT_OUTCOMES: { values: SINGLE_ASSESSMENT_OUTCOMES, declaredIn: 'src/eha/escalation.service.ts' },
  STEP_DOWN_MEETINGS: { values: STEP_DOWN_MEETINGS, declaredIn: 'src/eha/escalation.service.ts' },
  STEP_DOWN_SUPPORT: { values: STEP_DOWN_SUPPORT, declaredIn: 'src/eha/escalation.service.ts' },
  SOCIAL_CARE_MASP_OUTCOMES: { values: SOCIAL_CARE_MASP_OUTCOMES, declaredIn: 'src/masp/social-care-masp.service.ts' },
  SOCIAL_CARE_MASP_STATUSES: { values: SOCIAL_CARE_MASP_STATUSES, declaredIn: 'src/masp/social-care-masp.service.ts' },
  TARGETED_SUPPORT_OUTCOMES: {
    values: TARGETED_SUPPORT_OUTCOMES,
    declaredIn: 'src/referral/targeted-support.service.ts',
  },
  VOICE_POINTS: { values: VOICE_POINTS, declaredIn: 'src/family-plan/family-plan.service.ts' },
  HEALTH_LEVELS: { values: HEALTH_LEVELS, declaredIn: 'src/feeds/health.service.ts' },
  FEED_STATUSES: { values: FEED_STATUSES, declaredIn: 'src/feeds/pending.ts' },
  NOTIFICATION_ROUTES: { values: NOTIFICATION_ROUTES, declaredIn: 'src/feeds/police.service.ts' },
  PENDING_MATCH_STATUSES: { values: PENDING_MATCH_STATUSES, declaredIn: 'src/feeds/pending-matches.service.ts' },
  PUSH_KINDS: { values: PUSH_KINDS, declaredIn: 'src/feeds/relationship-push.ts' },
  INTERVIEW_STEPS: { values: INTERVIEW_STEPS, declaredIn: 'src/missing/missing.service.ts' },
  RETURN_INTERVIEW_STATUSES: { values: RETURN_INTERVIEW_STATUSES, declaredIn: 'src/missing/return-window.ts' },
  RICKTER_AREAS: { values: RICKTER_AREAS, declaredIn: 'src/outcomes/rickter.ts' },
  ASSESSMENT_POINTS: { values: ASSESSMENT_POINTS, declaredIn: 'src/outcomes/rickter.ts' },
  PRIORITY_DECISIONS: { values: PRIORITY_DECISIONS, declaredIn: 'src/priority-list/priority-list.service.ts' },
  PRIORITY_STATUSES: { values: PRIORITY_STATUSES, declaredIn: 'src/priority-list/priority-list.service.ts' },
  QA_GRADES: { values: QA_GRADES, declaredIn: 'src/qa/qa.service.ts' },
  DIRECTORY_ENTRY_KINDS: { values: DIRECTORY_ENTRY_KINDS, declaredIn: 'src/directory/directory.service.ts' },
  OFFER_LEVELS: { values: OFFER_LEVELS, declaredIn: 'src/directory/directory.service.ts' },
  CONTACT_CHANNELS: { values: CONTACT_CHANNELS, declaredIn: 'src/directory/directory.service.ts' },
};

/**
 * The string literals of every place a list can be spelled out: an array of string literals
 * alone, a union of string literals, or an enum body. Maps keyed by a list (`Record<Role, …>`) are
 * left alone: the compiler already holds them to the one list.
 */
export function spelledOutLists(text: string): string[][] {
  const literals = (s: string) => [...s.matchAll(/['"]([A-Za-z0-9_]+)['"]/g)].map((m) => m[1]!);
  const onlyLiterals = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/|,|['"][A-Za-z0-9_]+['"])*$/;
  const arrays = [...text.matchAll(/\[([^[\]]*)\]/g)]
    .filter((m) => onlyLiterals.test(m[1]!))
    .map((m) => literals(m[1]!));
  const unions = [...text.matchAll(/['"][A-Za-z0-9_]+['"](?:\s*\|\s*['"][A-Za-z0-9_]+['"])+/g)].map((m) =>
    literals(m[0]),
  );
  const enums = [...text.matchAll(/\benum\s+\w+\s*\{([^{}]*)\}/g)].map((m) => literals(m[1]!));
  return [...arrays, ...unions, ...enums];
}

/**
 * Names of the lists one piece of text spells out: exactly their values, in any order. A part of a
 * list (the suspended states) or a list with more in it is a different list.
 */
export function copiesIn(text: string, lists: typeof LISTS = LISTS): string[] {
  const found = spelledOutLists(text);
  return Object.entries(lists)
    .filter(([, { values }]) =>
      found.some((written) => new Set(written).size === values.length && values.every((v) => written.includes(v))),
    )
    .map(([name]) => name);
}

const files: SourceFile[] = ROOTS.flatMap((dir) => sourceFiles(REPO, join(REPO, dir))).filter(
  (f) => !GENERATED.test(f.name),
);

describe('fixed lists are written out once', () => {
  it('scans the source it means to (a scan of nothing would pass)', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files.map((f) => f.name)).toContain('schema/tables/core.ts');
    expect(files.map((f) => f.name)).toContain('resolvers/eha/eha.enums.ts');
  });

  it('recognises a copy as an array, a union or an enum, and not a part of the list', () => {
    const lists = { STATES: { values: ['taf_held', 'closed', 'at_masp'], declaredIn: 'x.ts' } };
    expect(copiesIn(`const S = ['closed', 'taf_held',\n  'at_masp'] as const;`, lists)).toEqual(['STATES']);
    expect(copiesIn(`type S = 'taf_held' | 'closed' | 'at_masp';`, lists)).toEqual(['STATES']);
    expect(copiesIn(`enum S { taf_held = 'taf_held', closed = 'closed', at_masp = 'at_masp' }`, lists)).toEqual([
      'STATES',
    ]);
    expect(copiesIn(`const SUSPENDED = ['at_masp', 'closed'];`, lists)).toEqual([]);
    expect(copiesIn(`const ALL = ['at_masp', 'closed', 'taf_held', 'new'];`, lists)).toEqual([]);
    expect(copiesIn(`rows = [{ s: 'taf_held' }, { s: 'closed' }, { s: 'at_masp' }];`, lists)).toEqual([]);
  });

  it("the partner client's purposes are the hub's", () => {
    expectTypeOf<HubPurpose>().toEqualTypeOf<Purpose>();
  });

  it('every list is written out in its declaration, and nowhere else', () => {
    const places = files
      .flatMap((f) => copiesIn(f.text).map((name) => `${name} in ${f.name}`))
      .filter((p) => !KEPT.has(p));
    const expected = Object.entries(LISTS)
      .filter(([, l]) => !l.map)
      .map(([name, { declaredIn }]) => `${name} in ${declaredIn}`);
    expect(places.sort()).toEqual(expected.sort());
  });
});
