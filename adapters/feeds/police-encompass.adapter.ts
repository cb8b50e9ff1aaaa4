/** The hub's GraphQL Operation Encompass input → a police incident submission. */
import type { PoliceIncidentSubmission } from '../../src/feeds/police.service';
import type { FeedAdapter } from './feed-adapter';

export type EncompassGraphqlPayload = PoliceIncidentSubmission;

export const encompassGraphqlAdapter: FeedAdapter<EncompassGraphqlPayload, PoliceIncidentSubmission> = {
  system: 'hub-graphql',
  feed: 'police',
  toSubmission: (p) => ({
    policeReference: p.policeReference,
    occurredAt: p.occurredAt,
    location: p.location,
    circumstances: p.circumstances,
    children: p.children.map((c) => ({
      nhsNumber: c.nhsNumber,
      upn: c.upn,
      givenName: c.givenName,
      familyName: c.familyName,
      dateOfBirth: c.dateOfBirth,
      postcode: c.postcode,
      present: c.present,
      whereDuring: c.whereDuring,
      voiceOfChild: c.voiceOfChild,
    })),
  }),
};

export const toPoliceIncidentSubmission = (p: EncompassGraphqlPayload): PoliceIncidentSubmission =>
  encompassGraphqlAdapter.toSubmission(p);
