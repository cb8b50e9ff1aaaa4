/**
 * LISTEN on one dedicated PostgreSQL connection that comes back after every loss.
 *
 * postgres.js's own `sql.listen` re-issues LISTEN once when its connection closes and gives up
 * silently if that attempt fails (the backend terminated again, the server still refusing
 * connections): the channel is dropped and the instance goes deaf for good. Here the connection's
 * close starts a retry loop with capped backoff that runs until every channel is listened to
 * again, and then tells each listener (`onReconnect`), since NOTIFYs sent meanwhile were lost.
 */
import postgres from 'postgres';

/**
 * Reconnect delay after failed connection attempts, seconds: postgres.js's own grows to 20 s, so
 * a pool (or this listener) that failed a few times while the server was away kept waiting long
 * after it came back. Capped at one second.
 */
export function reconnectBackoff(retries: number): number {
  return (0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, 1);
}

export interface ListenHandlers {
  onPayload(payload: string): void;
  /** Called after LISTEN was re-established following a lost connection: catch up on what was missed. */
  onReconnect?(): void;
}

export interface PostgresListenerOptions {
  url: string;
  /** Unix socket path, when the URL names one (see postgresSocket). */
  path?: string;
  /** Seconds to wait for the server to accept a connection. */
  connectTimeoutSeconds: number;
  /** First retry delay after a loss, doubled up to `maxRetryDelayMs` (defaults 100 and 5,000). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export interface PostgresListener {
  /** LISTEN on a channel; resolves once listening, to a function that stops this listener. */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function postgresListener(options: PostgresListenerOptions): PostgresListener {
  const channels = new Map<string, { handlers: Set<ListenHandlers>; listening: Promise<unknown> }>();
  const first = options.retryDelayMs ?? 100;
  const cap = options.maxRetryDelayMs ?? 5_000;
  let closes = 0;
  let recovering = false;
  let ended = false;

  // `onnotify` is postgres.js's own hook for notifications (what its `listen` is built on), absent from its types.
  const settings: postgres.Options<Record<string, never>> & { onnotify(channel: string, payload: string): void } = {
    path: options.path,
    max: 1,
    max_lifetime: null,
    fetch_types: false,
    connect_timeout: options.connectTimeoutSeconds,
    backoff: reconnectBackoff,
    onnotice: () => {},
    onnotify: (channel, payload) => {
      for (const h of channels.get(channel)?.handlers ?? []) h.onPayload(payload);
    },
    onclose: () => {
      closes++;
      if (ended || channels.size === 0 || recovering) return;
      recovering = true;
      void recover().finally(() => {
        recovering = false;
      });
    },
  };
  const sql = postgres(options.url, settings);
  const command = (verb: 'listen' | 'unlisten', channel: string) =>
    sql.unsafe(`${verb} "${channel.replace(/"/g, '""')}"`);

  async function recover(): Promise<void> {
    for (let attempt = 0; !ended; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(cap, first * 2 ** attempt)));
      const closesBefore = closes;
      try {
        for (const channel of channels.keys()) await command('listen', channel);
      } catch {
        continue;
      }
      // Closed again while re-listening: the LISTENs above died with that connection.
      if (closes !== closesBefore) continue;
      for (const { handlers } of channels.values()) for (const h of handlers) h.onReconnect?.();
      return;
    }
  }

  return {
    async listen(channel, handlers) {
      let entry = channels.get(channel);
      if (!entry) {
        const created = { handlers: new Set<ListenHandlers>(), listening: command('listen', channel) };
        channels.set(channel, created);
        created.listening.catch(() => {
          if (channels.get(channel) === created) channels.delete(channel);
        });
        entry = created;
      }
      await entry.listening;
      const { handlers: set } = entry;
      set.add(handlers);
      return async () => {
        set.delete(handlers);
        if (set.size > 0 || channels.get(channel) !== entry) return;
        channels.delete(channel);
        await command('unlisten', channel).catch(() => {});
      };
    },
    async close() {
      ended = true;
      channels.clear();
      await sql.end({ timeout: 5 });
    },
  };
}
