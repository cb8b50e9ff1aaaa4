/**
 * Rate limits per caller, per organisation and per client address: token buckets held in this
 * process's memory. With several instances behind a load balancer each node enforces its own
 * budget (set the per-minute figures to the partnership's budget divided by the node count, or
 * move the buckets to Postgres if exact shared budgets are ever needed). Refusals are
 * RATE_LIMITED with HTTP 429, a `Retry-After` header and `extensions.retryAfterSeconds`.
 */
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';
import type { Clock } from '../shared/clock';

export class RateLimitedError extends GraphQLError {
  constructor(
    readonly scope: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`Too many requests for this ${scope}; retry after ${retryAfterSeconds} s`, {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        scope,
        retryAfterSeconds,
        http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
      },
    });
  }
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per key: `perMinute` tokens, refilled continuously, bursts up to `perMinute`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  /** Takes one token for `key`: 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
    bucket.updatedAt = now;
    if (!this.buckets.has(key)) {
      // Full buckets are indistinguishable from absent ones: drop the oldest when the map is large.
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000));
  }
}

export interface RateLimiterOptions {
  callerPerMinute: number;
  organisationPerMinute: number;
  addressPerMinute: number;
  clock?: Clock;
}

export class RateLimiter {
  private readonly callers: TokenBuckets;
  private readonly organisations: TokenBuckets;
  private readonly addresses: TokenBuckets;

  constructor(options: RateLimiterOptions) {
    const now = options.clock ? () => options.clock!.now().getTime() : Date.now;
    this.callers = new TokenBuckets(options.callerPerMinute, now);
    this.organisations = new TokenBuckets(options.organisationPerMinute, now);
    this.addresses = new TokenBuckets(options.addressPerMinute, now);
  }

  /** Before authentication: throws RateLimitedError when the address is over budget. */
  checkAddress(address: string): void {
    const wait = this.addresses.take(address);
    if (wait) throw new RateLimitedError('client address', wait);
  }

  /** After authentication: the caller's own budget, then the organisation's. */
  checkCaller(caller: { issuer: string; subject: string; organisationId: string }): void {
    const callerWait = this.callers.take(`${caller.issuer}\u0000${caller.subject}`);
    if (callerWait) throw new RateLimitedError('caller', callerWait);
    const orgWait = this.organisations.take(caller.organisationId);
    if (orgWait) throw new RateLimitedError('organisation', orgWait);
  }
}
