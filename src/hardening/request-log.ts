/**
 * One structured log line per HTTP request: request id, method, route, status, duration, the
 * caller's organisation and role (and client id for service accounts), the operation's type,
 * name and root fields, and the error codes returned. Never variables, query text, names, dates
 * of birth, identifiers, addresses, free text or tokens: only values the hub itself defines.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler, Response } from 'express';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Caller } from '../auth/caller';
import type { Logger } from '../shared/logger';
import { observeRequest } from '../observability/metrics';
import { nameOperationSpan } from '../observability/tracing';

export interface RequestLogRecord {
  requestId: string;
  organisationId?: string;
  role?: string;
  clientId?: string | null;
  operationType?: string;
  operationName?: string;
  rootFields?: string[];
  errorCodes?: string[];
}

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function requestLogRecord(res: Response): RequestLogRecord {
  return (res.locals.requestLog ??= { requestId: res.locals.requestId as string }) as RequestLogRecord;
}

export function noteCaller(record: RequestLogRecord, caller: Caller): void {
  record.organisationId = caller.organisationId;
  record.role = caller.role;
  record.clientId = caller.clientId;
}

export function noteErrorCodes(record: RequestLogRecord, codes: readonly unknown[]): void {
  const known = codes.map((c) => (typeof c === 'string' && SAFE_NAME.test(c) ? c : 'UNKNOWN'));
  record.errorCodes = [...new Set([...(record.errorCodes ?? []), ...known])];
}

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const record = requestLogRecord(res);
    res.once('finish', () => {
      const durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      logger.info(
        {
          ...record,
          method: req.method,
          path: req.path.length <= 64 ? req.path : req.path.slice(0, 64),
          status: res.statusCode,
          durationMs,
        },
        'request',
      );
      observeRequest({
        rootFields: record.rootFields,
        operationType: record.operationType,
        errorCodes: record.errorCodes,
        status: res.statusCode,
        seconds: durationMs / 1000,
      });
    });
    next();
  };
}

export function noteOperation(
  record: RequestLogRecord,
  operation: OperationDefinitionNode,
  operationName: string | null,
): void {
  record.operationType = operation.operation;
  if (operationName && SAFE_NAME.test(operationName)) record.operationName = operationName;
  record.rootFields = rootFieldNames(operation);
  nameOperationSpan(operation.operation, record.rootFields);
}

/** Fills the log record with what the operation is (names the schema defines) and its error codes. */
export function requestLogPlugin<C extends object>(
  recordFor: (context: C) => RequestLogRecord | undefined,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const record = recordFor(contextValue);
      if (!record) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (operation) noteOperation(record, operation, operationName ?? null);
        },
        async willSendResponse({ response }) {
          if (response.body.kind === 'single')
            noteErrorCodes(
              record,
              (response.body.singleResult.errors ?? []).map((e) => e.extensions?.code),
            );
        },
      };
    },
  };
}

function rootFieldNames(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections
    .filter((s) => s.kind === Kind.FIELD)
    .map((s) => (s as { name: { value: string } }).name.value)
    .slice(0, 20);
}
