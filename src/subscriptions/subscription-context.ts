/**
 * What a subscription operation carries besides the ordinary request context: the verified
 * connection (who, why, until when), the connection's event budget, the services that build
 * event streams, and — once `onSubscribe` has authorised it — the source event stream.
 */
import type { Purpose } from '../access/purposes';
import type { Caller } from '../auth/caller';
import type { HubContext } from '../server/context';
import type { EventBudget } from './bounded-queue';
import type { CaseChangesService } from './case-changes.service';

/** One WebSocket connection, authenticated once in `onConnect`. */
export interface LiveConnection {
  readonly caller: Caller;
  readonly purpose: Purpose | null;
  /** Token expiry (ms since epoch): events stop and the socket closes with 4403 after it. */
  readonly expiresAt: number | null;
  /** Undelivered events this connection may hold, shared by all its subscriptions. */
  readonly budget: EventBudget;
  /** Closes the socket with a protocol close code and a reason the client can show. */
  close(code: number, reason: string): void;
}

export interface LiveServices {
  readonly caseChanges: CaseChangesService;
}

/** Context of the subscribe step (the resolver's `subscribe`); each event gets a fresh HubContext. */
export interface SubscriptionContext extends HubContext {
  readonly live: LiveServices;
  readonly connection: LiveConnection;
  /** Set by `onSubscribe` after authorisation, consumed by the per-event executor. */
  sourceStream?: AsyncIterable<unknown>;
}

export function isSubscriptionContext(ctx: unknown): ctx is SubscriptionContext {
  return typeof ctx === 'object' && ctx !== null && 'live' in ctx && 'connection' in ctx;
}

/**
 * type-graphql refuses to build a schema with a `@Subscription` unless given a PubSub, even when
 * every subscription brings its own `subscribe`. Ours do (events come per hub instance from
 * Postgres LISTEN, see case-event-source.ts), and the schema is shared by every hub in a process:
 * this one only fails loudly if a `topics`-style subscription is ever added.
 */
export const SCHEMA_PUBSUB = {
  publish(): void {
    throw new Error('Publish case changes with recordCaseEvent (Postgres NOTIFY), not through the schema PubSub');
  },
  subscribe(): never {
    throw new Error('Subscriptions must give their own `subscribe` (see src/subscriptions)');
  },
};
