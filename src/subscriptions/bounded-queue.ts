/**
 * Bounded buffering between the event fan-out and a subscriber. Events wait here while a
 * subscriber's socket is slow; every queue of one connection draws on the same `EventBudget`, so
 * a connection holds at most `limit` undelivered events whatever it subscribed to. Past the limit
 * the budget overflows once: the connection is told and closed (see src/gateway/transports/websocket.ts), never allowed
 * to grow memory without bound.
 */

/** Raised to the subscriber whose queue overflowed. */
export class SubscriberTooSlowError extends Error {
  constructor(readonly limit: number) {
    super(
      `Subscriber too slow: more than ${limit} events were waiting to be sent; the connection is closed. Reconnect and re-read the cases you follow.`,
    );
    this.name = 'SubscriberTooSlowError';
  }
}

export interface EventBudgetOptions {
  /** Undelivered events a connection may hold (default 100). */
  limit?: number;
  /** Called once, on the first event over the limit. */
  onOverflow?: (error: SubscriberTooSlowError) => void;
}

export class EventBudget {
  readonly limit: number;
  private held = 0;
  private overflowError: SubscriberTooSlowError | null = null;
  private readonly onOverflow: ((error: SubscriberTooSlowError) => void) | undefined;

  constructor({ limit = 100, onOverflow }: EventBudgetOptions = {}) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('event budget limit must be a positive integer');
    this.limit = limit;
    this.onOverflow = onOverflow;
  }

  get pending(): number {
    return this.held;
  }

  get overflowed(): SubscriberTooSlowError | null {
    return this.overflowError;
  }

  /** Reserves room for one event; false (and overflow, once) when the connection is full. */
  take(): boolean {
    if (this.overflowError) return false;
    if (this.held >= this.limit) {
      this.overflowError = new SubscriberTooSlowError(this.limit);
      this.onOverflow?.(this.overflowError);
      return false;
    }
    this.held++;
    return true;
  }

  release(count = 1): void {
    this.held = Math.max(0, this.held - count);
  }
}

type Waiter<T> = { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void };

/** A single-consumer async queue drawing on an `EventBudget`. */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiter: Waiter<T> | null = null;
  private done = false;
  private failure: unknown = null;
  private readonly budget: EventBudget;
  private readonly onClose: (() => void) | undefined;

  constructor(budget: EventBudget, onClose?: () => void) {
    this.budget = budget;
    this.onClose = onClose;
  }

  get size(): number {
    return this.items.length;
  }

  /** Offers an event; false when it was not accepted (queue ended, or the budget overflowed). */
  push(item: T): boolean {
    if (this.done) return false;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve({ value: item, done: false });
      return true;
    }
    if (!this.budget.take()) {
      this.fail(this.budget.overflowed ?? new SubscriberTooSlowError(this.budget.limit));
      return false;
    }
    this.items.push(item);
    return true;
  }

  /** Ends the stream with an error: waiting events are dropped, the next pull rejects. */
  fail(error: unknown): void {
    if (this.done) return;
    this.failure = error;
    this.finish();
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = null;
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      this.budget.release();
      return Promise.resolve({ value: this.items.shift()!, done: false });
    }
    if (this.failure !== null) {
      const error = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.failure = null;
    this.finish();
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.budget.release(this.items.length);
    this.items.length = 0;
    this.onClose?.();
  }
}
