/**
 * The request id of the request whose code is running, for records written far below the edge
 * (an outbox row written with a case event) that should say which request caused them, without
 * every service passing it down. Entered at the edge after the body parser (which calls on from
 * a stream event, outside the request's async context).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

const scope = new AsyncLocalStorage<{ requestId: string }>();

export function currentRequestId(): string | null {
  return scope.getStore()?.requestId ?? null;
}

export function runInRequestScope<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

/** Express middleware: the rest of the request runs in its scope (res.locals.requestId is set first). */
export function requestScope(_req: Request, res: Response, next: NextFunction): void {
  const requestId = res.locals.requestId as string | undefined;
  if (!requestId) {
    next();
    return;
  }
  runInRequestScope(requestId, next);
}
