/**
 * Per-request DataLoaders for the parts of an EHA (plans, actions, meetings, reviews, people):
 * one query per kind for a whole list of EHAs. Built lazily for each request context and dropped
 * with it, so nothing is cached across callers.
 */
import DataLoader from 'dataloader';
import type { Db } from '../db';
import * as wf from '../workflow/workflow.repo';
import * as repo from './eha.repo';

export interface EhaLoaders {
  plan: DataLoader<string, repo.ActionPlanRow | null>;
  /** Keyed by plan id. */
  actions: DataLoader<string, repo.PlanActionRow[]>;
  /** Keyed by EHA id: the actions of its current plan, without reading the plan first. */
  currentActions: DataLoader<string, repo.PlanActionRow[]>;
  tafMeetings: DataLoader<string, repo.TafMeetingRow[]>;
  reviews: DataLoader<string, repo.ReviewRow[]>;
  /** Keyed by plan action id: the organisation owning it. */
  actionOwner: DataLoader<string, string | null>;
  contact: DataLoader<string, wf.PractitionerContactRow | null>;
  openEha: DataLoader<string, repo.EhaRow | null>;
}

const byContext = new WeakMap<object, EhaLoaders>();

export function ehaLoaders(context: object, db: Db): EhaLoaders {
  let loaders = byContext.get(context);
  if (!loaders) {
    loaders = createEhaLoaders(db);
    byContext.set(context, loaders);
  }
  return loaders;
}

/**
 * A child's open EHA read elsewhere (the front-door lookup reads it with the child): what the
 * request asks next — the EHA, its lead contact, its current actions — costs no statement.
 */
export function primeOpenEha(loaders: EhaLoaders, childId: string, found: repo.OpenEhaWithParts | null): void {
  loaders.openEha.prime(childId, found?.eha ?? null);
  if (found) primeParts(loaders, found);
}

// The open EHA comes with its lead practitioner's contact and current plan actions.
function primeParts(loaders: EhaLoaders, { eha, leadContact, currentActions }: repo.OpenEhaWithParts): void {
  if (eha.leadPractitionerId) loaders.contact.prime(eha.leadPractitionerId, leadContact);
  loaders.currentActions.prime(eha.id, currentActions);
}

function createEhaLoaders(db: Db): EhaLoaders {
  const loaders: EhaLoaders = {
    plan: new DataLoader(async (ids) => {
      const rows = await repo.currentPlans(db, ids);
      return ids.map((id) => rows.find((r) => r.ehaId === id) ?? null);
    }),
    actions: new DataLoader(async (planIds) => {
      const rows = await repo.actionsOfPlans(db, planIds);
      return planIds.map((id) => rows.filter((r) => r.planId === id));
    }),
    currentActions: new DataLoader(async (ehaIds) => {
      const rows = await repo.currentPlanActionsOf(db, ehaIds);
      return ehaIds.map((id) => rows.filter((r) => r.ehaId === id));
    }),
    tafMeetings: new DataLoader(async (ids) => {
      const rows = await repo.tafMeetingsOf(db, ids);
      return ids.map((id) => rows.filter((r) => r.ehaId === id));
    }),
    reviews: new DataLoader(async (ids) => {
      const rows = await repo.reviewsOf(db, ids);
      return ids.map((id) => rows.filter((r) => r.ehaId === id));
    }),
    actionOwner: new DataLoader(async (ids) => {
      const rows = await repo.actionOwners(db, ids);
      return ids.map((id) => rows.find((r) => r.id === id)?.owningOrganisationId ?? null);
    }),
    contact: new DataLoader(async (ids) => {
      const rows = await wf.practitionerContacts(db, ids);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    openEha: new DataLoader(async (childIds) => {
      const rows = await repo.openEhasWithPartsOfChildren(db, childIds);
      for (const row of rows) primeParts(loaders, row);
      return childIds.map((id) => rows.find((r) => r.eha.childId === id)?.eha ?? null);
    }),
  };
  return loaders;
}
