/**
 * Readiness-aware shedding: while the database is known to be unreachable (src/db/health.ts),
 * requests that need it are answered at once with 503 SERVICE_UNAVAILABLE and `Retry-After`,
 * instead of each waiting for a connection attempt to fail. Probes (/healthz, /readyz) and the
 * static pages are not behind it.
 */
import type { RequestHandler } from 'express';
import type { DatabaseHealth } from '../../db/health';
import { ErrorCode } from '../../errors';
import { sendGraphQLError } from '../../hardening/http-guards';
import { noteErrorCodes, requestLogRecord } from '../../hardening/request-log';
import { DATABASE_UNAVAILABLE_MESSAGE } from '../mask';

export function databaseGate(health: DatabaseHealth): RequestHandler {
  return (_req, res, next) => {
    if (health.available) return next();
    res.setHeader('Retry-After', String(health.retryAfterSeconds));
    noteErrorCodes(requestLogRecord(res), [ErrorCode.SERVICE_UNAVAILABLE]);
    sendGraphQLError(res, 503, DATABASE_UNAVAILABLE_MESSAGE, {
      code: ErrorCode.SERVICE_UNAVAILABLE,
      retryAfterSeconds: health.retryAfterSeconds,
    });
  };
}
