/**
 * Persisted operations for service accounts: a client with an allow-list (e.g. a school MIS
 * plugin) may send only its registered operations — by full text or by hash alone (Apollo's
 * `extensions.persistedQuery.sha256Hash`). Clients without an allow-list are not restricted.
 *
 * File (PERSISTED_OPERATIONS_FILE), JSON: `{ "<client id>": ["query PupilOpenEha(...) {...}", ...] }`.
 * The hash of an operation is the SHA-256 hex of its exact text, as Apollo clients compute it.
 * The file is read at start-up; a change needs a restart (it is deployment configuration).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ErrorCode } from '../errors';
import type { HubContext } from '../server/context';

/** client id → (hash → operation text). */
export type PersistedOperations = ReadonlyMap<string, ReadonlyMap<string, string>>;

export function operationHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function persistedOperations(byClient: Record<string, readonly string[]>): PersistedOperations {
  return new Map(
    Object.entries(byClient).map(([client, docs]) => [client, new Map(docs.map((d) => [operationHash(d), d]))]),
  );
}

export function loadPersistedOperationsFile(path: string): PersistedOperations {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `Invalid persisted operations file ${path}: ${(error as Error).name === 'SyntaxError' ? 'not valid JSON' : 'cannot read the file'}`,
    );
  }
  const parsed = z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).safeParse(raw);
  if (!parsed.success)
    throw new Error(`Invalid persisted operations file ${path}: expected { "<client id>": ["<operation>", ...] }`);
  return persistedOperations(parsed.data);
}

function refused(code: string, message: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/**
 * Stands in for a document the client may not send, so the refusal below can answer: the refused
 * text is never parsed or validated (a client's allow-list is checked by hash first, so an
 * unregistered document costs a SHA-256, whatever its shape), and no validation error tells the
 * client about the schema.
 */
const REFUSED_PLACEHOLDER = '{ __typename }';

export function persistedOperationsPlugin(registry: PersistedOperations): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const clientId = contextValue.caller.clientId;
      const allowed = clientId ? registry.get(clientId) : undefined;
      if (!allowed) return;
      let refusal: GraphQLError | null = null;
      const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      if (request.query === undefined && typeof hash === 'string') {
        // Resolved here, so Apollo's own (open, registering) persisted-query cache is not used.
        const text = allowed.get(hash);
        if (text) request.query = text;
        else refusal = refused(ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound', 404);
        delete request.extensions!.persistedQuery;
      } else if (typeof request.query === 'string' && !allowed.has(operationHash(request.query))) {
        refusal = refused(ErrorCode.FORBIDDEN, 'This client may send only its registered operations', 403);
      }
      if (!refusal) return;
      request.query = REFUSED_PLACEHOLDER;
      request.operationName = undefined;
      return {
        // Apollo answers errors thrown here as GraphQL errors (earlier hooks would give a 500).
        async didResolveOperation() {
          throw refusal;
        },
      };
    },
  };
}
