/** The hub's GraphQL VCS contact input → a VCS contact submission. */
import type { VcsContactSubmission } from '../../src/feeds/vcs.service';
import type { FeedAdapter } from './feed-adapter';

export type VcsGraphqlPayload = VcsContactSubmission;

export const vcsGraphqlAdapter: FeedAdapter<VcsGraphqlPayload, VcsContactSubmission> = {
  system: 'hub-graphql',
  feed: 'vcs',
  toSubmission: (p) => ({
    contactRef: p.contactRef,
    childId: p.childId,
    nhsNumber: p.nhsNumber,
    upn: p.upn,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    postcode: p.postcode,
    contactDate: p.contactDate,
    contactType: p.contactType,
    summary: p.summary,
  }),
};

export const toVcsContactSubmission = (p: VcsGraphqlPayload): VcsContactSubmission => vcsGraphqlAdapter.toSubmission(p);
