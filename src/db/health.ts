/**
 * Whether the database can be reached, learnt from the failures queries meet: one that says a
 * connection was lost (refused, reset, terminated, timed out connecting) runs a probe
 * (`select 1`) at once, twice if need be (the first may meet another dying connection of the
 * pool); if both fail the database is down, and the probe runs every `probeIntervalMs` until one
 * succeeds. A terminated backend is answered by a fresh connection, and so sheds nothing. While it is down the
 * hub answers 503 with `Retry-After` at once (src/gateway/transports/database-gate.ts) and /readyz says not
 * ready, instead of every request queueing on a connection attempt.
 */

/** postgres.js connection errors, Node socket errors, and SQLSTATEs saying the server is unreachable or going away. */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now (starting up or shutting down)
  '57P01',
  '57P02',
  '57P03',
]);

/** True when an error (or one it wraps, as drizzle does) says the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    // SQLSTATE class 08: connection exception.
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

export interface DatabaseHealthOptions {
  /** One round trip to the server; rejects when it cannot be reached. */
  probe(): Promise<unknown>;
  /** Wait between probes while the database is down (default 250 ms). */
  probeIntervalMs?: number;
}

export type HealthListener = (available: boolean) => void;

export class DatabaseHealth {
  /** What a shed request is told to wait, in seconds (the header `Retry-After`). */
  readonly retryAfterSeconds = 1;
  private down = false;
  private checking = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<HealthListener>();
  private readonly probe: () => Promise<unknown>;
  private readonly intervalMs: number;

  constructor(options: DatabaseHealthOptions) {
    this.probe = options.probe;
    this.intervalMs = options.probeIntervalMs ?? 250;
  }

  get available(): boolean {
    return !this.down;
  }

  /** Called with each transition (logging). */
  onChange(listener: HealthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Takes note of an error a query met; returns whether it was a lost or refused connection. */
  noteError(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (!this.down && !this.checking && !this.closed) {
      this.checking = true;
      this.probe()
        .catch(() => this.probe())
        .then(
          () => {
            this.checking = false;
          },
          () => {
            this.checking = false;
            this.markDown();
          },
        );
    }
    return true;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private markDown(): void {
    if (this.down || this.closed) return;
    this.down = true;
    this.emit(false);
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.tryProbe();
    }, this.intervalMs);
    this.timer.unref();
  }

  private async tryProbe(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    try {
      await this.probe();
    } catch {
      if (!this.closed) this.schedule();
      return;
    }
    this.down = false;
    this.emit(true);
  }

  private emit(available: boolean): void {
    for (const listener of this.listeners) listener(available);
  }
}
