/**
 * HTTP-level guards, set by hand (a handful of headers; helmet would add little): security
 * headers, CORS for the allowed browser origins (the DPO page), JSON errors for bodies that are
 * too large or not JSON (instead of express's HTML page), and a request timeout.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ErrorCode } from '../errors';

/** A GraphQL-shaped error body, so clients parse every refusal the same way. */
export function sendGraphQLError(
  res: Response,
  status: number,
  message: string,
  extensions: Record<string, unknown>,
): void {
  if (res.headersSent) return;
  res
    .status(status)
    .type('application/json')
    .send(
      JSON.stringify({
        errors: [{ message, extensions: { ...extensions, requestId: res.locals.requestId } }],
      }),
    );
}

export function securityHeaders(options: { hsts: boolean }): RequestHandler {
  return (_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    if (options.hsts) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

const CORS_ALLOWED_HEADERS = 'authorization, content-type, x-purpose-of-use, x-request-id, apollo-require-preflight';

/**
 * CORS: only listed origins get `Access-Control-Allow-Origin`; preflights from others get 403.
 * Bearer tokens, not cookies, so credentials are not allowed.
 */
export function cors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.header('origin');
    res.vary('Origin');
    const ok = origin !== undefined && allowed.has(origin);
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'x-request-id, retry-after');
    }
    if (req.method === 'OPTIONS' && req.header('access-control-request-method')) {
      if (!ok) {
        res.status(403).end();
        return;
      }
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

/** body-parser failures as GraphQL-shaped JSON: 413 for an oversize body, 400 for bad JSON. */
export function bodyErrors(bodyLimit: string): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, next) => {
    if (error?.type === 'entity.too.large') {
      sendGraphQLError(res, 413, `The request body exceeds the limit bodyLimit = ${bodyLimit}`, {
        code: ErrorCode.BAD_USER_INPUT,
        limit: 'bodyLimit',
        maximum: bodyLimit,
      });
    } else if (error?.type === 'entity.parse.failed') {
      sendGraphQLError(res, 400, 'The request body is not valid JSON', { code: 'BAD_REQUEST' });
    } else if (error?.status && error.status >= 400 && error.status < 500) {
      sendGraphQLError(res, error.status, 'The request could not be read', { code: 'BAD_REQUEST' });
    } else if (res.headersSent) {
      // e.g. a late write after the timeout answered: the client already has its response.
      return;
    } else {
      next(error);
    }
  };
}

/**
 * Answers 503 REQUEST_TIMEOUT when no response has started within `ms`. This bounds how long a
 * client waits; it does not stop work already running (a mutation still commits or rolls back
 * as a whole) — bound that with Postgres `statement_timeout` on the database role.
 */
export function requestTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      sendGraphQLError(res, 503, `The request took longer than the limit requestTimeoutMs = ${ms}`, {
        code: 'REQUEST_TIMEOUT',
        limit: 'requestTimeoutMs',
        maximum: ms,
      });
      res.locals.timedOut = true;
    }, ms);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
    res.once('finish', () => clearTimeout(timer));
    next();
  };
}
