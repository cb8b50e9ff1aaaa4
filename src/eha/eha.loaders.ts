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
  actions: DataLoader<string, repo.PlanActionRow[]>;
  tafMeetings: DataLoader<string, repo.TafMeetingRow[]>;
  reviews: DataLoader<string, repo.ReviewRow[]>;
  practitioner: DataLoader<string, wf.PractitionerRow | null>;
  organisation: DataLoader<string, wf.OrganisationRow | null>;
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

function createEhaLoaders(db: Db): EhaLoaders {
  return {
    plan: new DataLoader(async (ids) => {
      const rows = await repo.currentPlans(db, ids);
      return ids.map((id) => rows.find((r) => r.ehaId === id) ?? null);
    }),
    actions: new DataLoader(async (planIds) => {
      const rows = await repo.actionsOfPlans(db, planIds);
      return planIds.map((id) => rows.filter((r) => r.planId === id));
    }),
    tafMeetings: new DataLoader(async (ids) => {
      const rows = await repo.tafMeetingsOf(db, ids);
      return ids.map((id) => rows.filter((r) => r.ehaId === id));
    }),
    reviews: new DataLoader(async (ids) => {
      const rows = await repo.reviewsOf(db, ids);
      return ids.map((id) => rows.filter((r) => r.ehaId === id));
    }),
    practitioner: new DataLoader(async (ids) => {
      const rows = await wf.findPractitioners(db, [...ids]);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    organisation: new DataLoader(async (ids) => {
      const rows = await wf.findOrganisations(db, [...ids]);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    openEha: new DataLoader(async (childIds) => {
      const rows = await repo.openEhasOfChildren(db, childIds);
      return childIds.map((id) => rows.find((r) => r.childId === id) ?? null);
    }),
  };
}
