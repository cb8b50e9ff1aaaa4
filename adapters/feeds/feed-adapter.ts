/**
 * A partner system's payload → the hub's submission for a feed. A new partner system (another
 * trust's EPR, another MIS, another force's Encompass message) is a new adapter; the services,
 * rules and resolvers stay as they are.
 */
export interface FeedAdapter<TPayload, TSubmission> {
  /** e.g. 'hub-graphql', 'mis-csv'. */
  readonly system: string;
  readonly feed: 'health' | 'school' | 'police' | 'vcs';
  toSubmission(payload: TPayload): TSubmission;
}
