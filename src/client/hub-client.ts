/**
 * `HubClient`: the typed way for a partner system to talk to the hub. Queries and mutations go
 * over HTTP with graphql-request, subscriptions (`caseChanged`) over WebSocket with graphql-ws;
 * both carry the bearer token and the purpose of use. Operations are the typed document nodes
 * generated from `schema/schema.graphql` (`./generated/graphql.ts`), so variables and results are
 * checked by the compiler. Failures are thrown as typed errors by code (`./errors.ts`).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { HubClientError, hubErrorFrom, NetworkClientError, type HubErrorDetail } from './errors';

/** Purposes of access the hub accepts in `x-purpose-of-use` (src/access/purposes.ts). */
export type HubPurpose =
  | 'direct_support'
  | 'screening'
  | 'safeguarding'
  | 'operation_encompass'
  | 'service_planning'
  | 'system_sync'
  | 'audit'
  | 'subject_access';

/** A bearer token, or a function giving the current one (called per request, for refresh). */
export type TokenSource = string | (() => string | Promise<string>);

export interface HubClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql` (a base URL gets `/graphql` added). */
  url: string;
  token: TokenSource;
  /** Default purpose of use for every operation (default `direct_support`); override per call. */
  purpose?: HubPurpose;
  /** WebSocket implementation for subscriptions. Default: the global one, else `ws` (Node 20 has none). */
  webSocketImpl?: unknown;
  /** Extra headers on every HTTP request (e.g. a client name for the operator's logs). */
  headers?: Record<string, string>;
}

export interface CallOptions {
  /** Purpose of use for this call (default: the client's). */
  purpose?: HubPurpose;
  /** Sent as `x-request-id` (8–64 of [A-Za-z0-9_.-]) so the hub's audit and logs use it. */
  requestId?: string;
}

/** Data plus field-level refusals (redacted fields are null with one error each). */
export interface PartialResult<T> {
  data: T | null;
  errors: readonly HubErrorDetail[];
  requestId?: string;
}

/** One event of a subscription: the data, and any field-level refusals for it. */
export type SubscriptionEvent<T> = PartialResult<T>;

const printed = new WeakMap<DocumentNode, string>();
const source = (document: DocumentNode) => {
  let text = printed.get(document);
  if (!text) printed.set(document, (text = print(document)));
  return text;
};

function endpoint(url: string): string {
  const u = new URL(url);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/graphql';
  return u.toString();
}

export class HubClient {
  readonly url: string;
  private readonly http: GraphQLClient;
  private ws: WsClient | null = null;

  constructor(private readonly options: HubClientOptions) {
    this.url = endpoint(options.url);
    this.http = new GraphQLClient(this.url, { errorPolicy: 'all' });
  }

  /** Runs a query or mutation; any error (even beside partial data) is thrown as a typed `HubClientError`. */
  async request<T, V extends Record<string, unknown>>(
    document: TypedDocumentNode<T, V>,
    variables: V,
    call: CallOptions = {},
  ): Promise<T> {
    const result = await this.execute(document, variables, call);
    if (result.errors.length > 0 || result.data === null)
      throw hubErrorFrom(result.errors, { requestId: result.requestId, data: result.data });
    return result.data;
  }

  /**
   * Runs a query or mutation and returns partial data with the field-level refusals (a child's
   * health fields redacted for want of consent, say). Throws only when there is no data at all.
   */
  async execute<T, V extends Record<string, unknown>>(
    document: TypedDocumentNode<T, V>,
    variables: V,
    call: CallOptions = {},
  ): Promise<PartialResult<T>> {
    const headers = await this.headers(call);
    try {
      const res = await this.http.rawRequest<T, V>(source(document), variables, headers);
      const errors = (res.errors ?? []) as HubErrorDetail[];
      const requestId = res.headers.get('x-request-id') ?? undefined;
      if ((res.data ?? null) === null) throw hubErrorFrom(errors, { requestId, status: res.status });
      return { data: res.data as T, errors, requestId };
    } catch (error) {
      throw toHubError(error);
    }
  }

  /**
   * Subscribes over WebSocket; iterate the result with `for await`. `return()` on the iterator
   * (or `break`) unsubscribes. An operation the hub refuses throws a typed `HubClientError`.
   */
  subscribe<T, V extends Record<string, unknown>>(
    document: TypedDocumentNode<T, V>,
    variables: V,
  ): AsyncIterableIterator<SubscriptionEvent<T>> {
    const inner = this.socket().iterate<T>({ query: source(document), variables });
    const iterator: AsyncIterableIterator<SubscriptionEvent<T>> = {
      async next() {
        try {
          const step = await inner.next();
          if (step.done) return { done: true, value: undefined };
          return {
            done: false,
            value: {
              data: (step.value.data ?? null) as T | null,
              errors: (step.value.errors ?? []) as HubErrorDetail[],
            },
          };
        } catch (error) {
          throw toHubError(error);
        }
      },
      async return() {
        await inner.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Closes the WebSocket, if one was opened. */
  async close(): Promise<void> {
    const ws = this.ws;
    this.ws = null;
    await ws?.dispose();
  }

  private async headers(call: CallOptions): Promise<Record<string, string>> {
    return {
      ...this.options.headers,
      authorization: `Bearer ${await this.token()}`,
      'x-purpose-of-use': call.purpose ?? this.options.purpose ?? 'direct_support',
      ...(call.requestId ? { 'x-request-id': call.requestId } : {}),
    };
  }

  private async token(): Promise<string> {
    const { token } = this.options;
    return typeof token === 'function' ? token() : token;
  }

  private socket(): WsClient {
    if (this.ws) return this.ws;
    const url = this.url.replace(/^http/, 'ws');
    this.ws = createClient({
      url,
      lazy: true,
      retryAttempts: 0,
      webSocketImpl: this.options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket ?? WebSocket,
      connectionParams: async () => ({
        authorization: `Bearer ${await this.token()}`,
        'x-purpose-of-use': this.options.purpose ?? 'direct_support',
      }),
    });
    return this.ws;
  }
}

/** graphql-request / graphql-ws failures → typed hub errors. */
export function toHubError(error: unknown): HubClientError {
  if (error instanceof HubClientError) return error;
  if (error instanceof ClientError) {
    const response = error.response as { errors?: HubErrorDetail[]; status: number; headers?: Headers; data?: unknown };
    const requestId = response.headers?.get?.('x-request-id') ?? undefined;
    if (response.errors?.length)
      return hubErrorFrom(response.errors, { requestId, status: response.status, data: response.data });
    return new NetworkClientError('NETWORK_ERROR', `The hub answered HTTP ${response.status} without GraphQL errors`, {
      status: response.status,
      requestId,
    });
  }
  // graphql-ws: an array of GraphQL errors for a refused operation, or a CloseEvent.
  if (Array.isArray(error)) return hubErrorFrom(error as HubErrorDetail[]);
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) {
    const { code, reason } = error as { code: number; reason: string };
    const refused = code === 4403 || code === 4401;
    return hubErrorFrom([
      {
        message: reason || `WebSocket closed (${code})`,
        extensions: { code: refused ? 'UNAUTHENTICATED' : 'NETWORK_ERROR' },
      },
    ]);
  }
  return new NetworkClientError('NETWORK_ERROR', error instanceof Error ? error.message : String(error));
}
