/**
 * A real graphql-ws client for end-to-end subscription tests (Node 20 has no global WebSocket:
 * the `ws` implementation is passed in). Collects results in order and the socket's close event.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface WsResult<T = any> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface LiveSubscription<T = any> {
  readonly client: Client;
  readonly results: WsResult<T>[];
  /** Set when the server sent `error` for the operation (refused at subscribe or failed). */
  readonly error: Promise<unknown>;
  /** Resolves with the socket's close event. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The n-th result (0-based), waiting up to `timeoutMs`. */
  nth(n: number, timeoutMs?: number): Promise<WsResult<T>>;
  /** The first result (from index `from`) matching `pick`, waiting up to `timeoutMs`. */
  find(pick: (r: WsResult<T>) => boolean, timeoutMs?: number, from?: number): Promise<WsResult<T>>;
  dispose(): Promise<void>;
}

export function wsUrlOf(httpGraphqlUrl: string): string {
  return httpGraphqlUrl.replace(/^http/, 'ws');
}

export function subscribe<T = any>(
  url: string,
  params: { token: string | null; purpose?: string | null },
  query: string,
  variables: Record<string, unknown> = {},
): LiveSubscription<T> {
  const results: WsResult<T>[] = [];
  const wake = new Set<() => void>();
  let resolveClosed!: (e: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    resolveClosed = resolve;
  });
  let rejectError!: (e: unknown) => void;
  const error = new Promise<unknown>((resolve) => {
    rejectError = resolve;
  });
  const client = createClient({
    url: wsUrlOf(url),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: {
      ...(params.token ? { authorization: `Bearer ${params.token}` } : {}),
      ...(params.purpose === null ? {} : { 'x-purpose-of-use': params.purpose ?? 'direct_support' }),
    },
    on: {
      closed: (event) =>
        resolveClosed({
          code: (event as { code: number }).code,
          reason: String((event as { reason?: string }).reason ?? ''),
        }),
    },
    onNonLazyError: () => {},
  });
  client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        results.push(value as WsResult<T>);
        for (const w of wake) w();
      },
      error: (e) => {
        rejectError(e);
        for (const w of wake) w();
      },
      complete: () => {},
    },
  );
  const find = (pick: (r: WsResult<T>) => boolean, timeoutMs = 10_000, from = 0) =>
    new Promise<WsResult<T>>((resolve, reject) => {
      const check = () => {
        const hit = results.slice(from).find(pick);
        if (hit) {
          done();
          resolve(hit);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching subscription result within ${timeoutMs} ms (got ${results.length})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        wake.delete(onWake);
      };
      const onWake = () => {
        check();
      };
      if (!check()) wake.add(onWake);
    });
  return {
    client,
    results,
    error,
    closed,
    find,
    nth: (n, timeoutMs) => find((r) => results.indexOf(r) === n, timeoutMs),
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** Waits until `probe()` is true (e.g. the server counts a new subscriber). */
export async function until(
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
