/**
 * The hub's typed client: `HubClient`, typed errors by code, and the generated typed operations
 * (one `…Document` per operation in `operations/*.graphql`, with its `…Query`/`…Variables` types).
 *
 * ```ts
 * const hub = new HubClient({ url, token, purpose: 'direct_support' });
 * const { child } = await hub.request(PupilOpenEhaDocument, { upn });
 * ```
 */
export * from './hub-client';
export * from './errors';
export * from './generated/graphql';
