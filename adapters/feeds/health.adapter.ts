/** The hub's GraphQL health input (the contract trusts code against) → a health submission. */
import type { HealthSubmission } from '../../src/feeds/health.service';
import type { FeedAdapter } from './feed-adapter';

export interface HealthGraphqlPayload {
  recordId: string;
  nhsNumber: string;
  level: string;
  effectiveDate: string;
  contactType: string;
  summary: string;
  child?: {
    givenName?: string | null;
    familyName?: string | null;
    dateOfBirth?: string | null;
    postcode?: string | null;
  } | null;
}

export const healthGraphqlAdapter: FeedAdapter<HealthGraphqlPayload, HealthSubmission> = {
  system: 'hub-graphql',
  feed: 'health',
  toSubmission: (p) => ({
    recordId: p.recordId,
    nhsNumber: p.nhsNumber,
    level: p.level,
    effectiveDate: p.effectiveDate,
    contactType: p.contactType,
    summary: p.summary,
    child: p.child ? { ...p.child } : null,
  }),
};

export const toHealthSubmission = (p: HealthGraphqlPayload): HealthSubmission => healthGraphqlAdapter.toSubmission(p);
