/**
 * Registered operations as a transport of the gateway: the registered (persisted) queries of
 * service accounts — a school MIS plugin's pupil lookup — admitted once at start-up
 * (`admitDocument`: tokens, shape, validation) and executed by graphql-js directly, through the
 * gateway's `run`, instead of through Apollo's per-request pipeline, which costs noticeably more
 * server time per lookup (BENCHMARKS.md). Nothing else changes: the same Express guards run
 * before, the same context (token, revocation, purpose, rate limit), the same schema, so the same
 * shield, category guards and decisions; the same cost limit, mask, request log fields and audit
 * written before the body leaves.
 *
 * Anything this path does not answer itself is handed to Apollo with the context already built
 * (so the rate limit is charged once): an unregistered document, a caller whose allow-list does
 * not hold it, a mutation, a batch, variables the operation refuses, a cost over the limit, a
 * context that could not be built. Those answers come from one place, Apollo.
 */
import type { Request, RequestHandler, Response } from 'express';
import {
  execute,
  getOperationAST,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../../errors';
import { OperationCosts } from '../../hardening/cost.plugin';
import type { OperationLimits } from '../../hardening/limits';
import type { PersistedOperations } from '../../hardening/persisted-operations';
import { noteErrorCodes, noteOperation, requestLogRecord } from '../../hardening/request-log';
import { unstorableTextError } from '../../hardening/input-text';
import { formattedWithoutSuggestions } from '../../hardening/suggestions';
import type { Logger } from '../../shared/logger';
import type { HubContext } from '../../server/context';
import { admitDocument } from '../admit';
import { AUDIT_FAILED_STATUS, auditFailedResult } from '../disclose';
import { isUnavailableResult, maskError, maskThrown, withRequestId } from '../mask';
import { run } from '../run';

interface TrustedOperation {
  readonly hash: string;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly operationName: string | null;
}

export interface TrustedOperations {
  /** Registered queries this path answers, by exact text and by SHA-256 hash. */
  readonly byText: ReadonlyMap<string, TrustedOperation>;
  readonly byHash: ReadonlyMap<string, TrustedOperation>;
  /** Requests answered here rather than by Apollo (diagnostics and tests). */
  readonly served: () => number;
}

export interface TrustedOperationsOptions {
  schema: GraphQLSchema;
  registry: PersistedOperations | null;
  limits: OperationLimits;
  introspection: boolean;
}

/**
 * Parses and validates every registered operation as Apollo would (the same rules, the same
 * shape limits, introspection as configured). A document that fails, or holds anything but one
 * query, is left to Apollo, which refuses it with the usual errors on each request.
 */
function compileTrustedOperations({
  schema,
  registry,
  limits,
  introspection,
}: TrustedOperationsOptions): Omit<TrustedOperations, 'served'> {
  const byText = new Map<string, TrustedOperation>();
  const byHash = new Map<string, TrustedOperation>();
  const rules = [...specifiedRules, ...(introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  for (const [hash, text] of new Map([...(registry?.values() ?? [])].flatMap((ops) => [...ops]))) {
    const admitted = admitDocument(text, { schema, limits, rules });
    if (!admitted.ok) continue;
    const { document } = admitted;
    const operation = getOperationAST(document);
    if (operation?.operation !== 'query') continue;
    const trusted = { hash, document, operation, operationName: operation.name?.value ?? null };
    byText.set(text, trusted);
    byHash.set(hash, trusted);
  }
  return { byText, byHash };
}

type HandedOver = { context: HubContext } | { error: unknown };

/** Where a request handed to Apollo finds the context (or the error) this path already produced. */
const handedOver = new WeakMap<Response, HandedOver>();

/** For Apollo's context function: the context built here for a request handed over, if any. */
export async function contextHandedOver(res: Response): Promise<HubContext | undefined> {
  const handed = handedOver.get(res);
  if (!handed) return undefined;
  if ('error' in handed) throw handed.error;
  return handed.context;
}

export interface TrustedOperationsHandlerOptions extends TrustedOperationsOptions {
  logger: Logger;
  /** The hub's context function (hardening-wrapped), the one Apollo uses. */
  context: (args: { req: Request; res: Response }) => Promise<HubContext>;
}

export function trustedOperationsHandler(options: TrustedOperationsHandlerOptions): {
  handler: RequestHandler;
  operations: TrustedOperations;
} {
  const {
    schema,
    registry,
    limits: { maxCost },
    logger,
    introspection,
  } = options;
  const { byText, byHash } = compileTrustedOperations(options);
  const costs = new OperationCosts();
  let served = 0;

  /** The registered operation a request body names, if it is one this path may answer. */
  function match(
    body: unknown,
  ): { trusted: TrustedOperation; byHashOnly: boolean; variables: Record<string, unknown> | undefined } | null {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const { query, operationName, variables, extensions, ...rest } = body as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return null;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables)))
      return null;
    let trusted: TrustedOperation | undefined;
    let byHashOnly = false;
    if (typeof query === 'string') {
      if (extensions !== undefined) return null;
      trusted = byText.get(query);
    } else if (
      query === undefined &&
      extensions &&
      typeof extensions === 'object' &&
      Object.keys(extensions).length === 1
    ) {
      const persisted = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } }).persistedQuery;
      if (persisted?.version !== 1 || typeof persisted.sha256Hash !== 'string') return null;
      trusted = byHash.get(persisted.sha256Hash);
      byHashOnly = true;
    }
    if (!trusted) return null;
    if (operationName !== undefined && operationName !== null && operationName !== trusted.operationName) return null;
    return { trusted, byHashOnly, variables: (variables ?? undefined) as Record<string, unknown> | undefined };
  }

  /** As persisted-operations.ts rules: an allow-list binds its client; without one, text is open, a bare hash is not. */
  function mayUse(clientId: string | null, trusted: TrustedOperation, byHashOnly: boolean): boolean {
    const allowed = clientId ? registry?.get(clientId) : undefined;
    return allowed ? allowed.has(trusted.hash) : !byHashOnly;
  }

  const handler: RequestHandler = async (req, res, next) => {
    const request = req.method === 'POST' ? match(req.body) : null;
    const contentType = request ? responseContentType(req) : null;
    if (!request || !contentType) return next();
    let context: HubContext;
    try {
      context = await options.context({ req, res });
    } catch (error) {
      handedOver.set(res, { error });
      return next();
    }
    handedOver.set(res, { context });
    const { trusted, byHashOnly, variables } = request;
    if (!mayUse(context.caller.clientId, trusted, byHashOnly)) return next();
    // Refused by Apollo, in the words it uses for every other request.
    if (unstorableTextError(schema, trusted.document, trusted.operation, variables)) return next();
    const cost = costs.of(schema, trusted.document, variables, trusted.operationName);
    if (cost === undefined || cost > maxCost) return next();

    const record = requestLogRecord(res);
    noteOperation(record, trusted.operation, trusted.operationName);
    context.audit.operationName = trusted.operationName;
    try {
      let handOver = false;
      const outcome = await run(
        context,
        { operation: trusted.operation.operation, operationName: trusted.operationName },
        async (): Promise<ExecutionResult> => {
          const result = await execute({
            schema,
            document: trusted.document,
            operationName: trusted.operationName,
            variableValues: variables,
            contextValue: context,
          });
          // No data: the variables were refused before any resolver ran. Apollo words that answer.
          handOver = result.data === undefined;
          return handOver ? {} : result;
        },
      );
      if (handOver) return next();
      served++;
      if (!outcome.disclosed) return send(res, contentType, AUDIT_FAILED_STATUS, auditFailedResult(context.requestId));
      const { result } = outcome;
      let status = 200;
      const errors = result.errors ?? [];
      const body: FormattedExecutionResult =
        errors.length > 0
          ? {
              errors: errors.map((e) => {
                const f = formatError(e, !introspection);
                status = f.status ?? status;
                return f.formatted;
              }),
              data: result.data,
            }
          : { data: result.data };
      withRequestId(body, context.requestId);
      noteErrorCodes(
        record,
        (body.errors ?? []).map((e) => e.extensions?.code),
      );
      if (isUnavailableResult(body)) {
        status = 503;
        res.setHeader('Retry-After', String(context.services.database.health.retryAfterSeconds));
      }
      send(res, contentType, status, body);
    } catch (error) {
      const masked = maskThrown(
        error,
        context.requestId,
        logger,
        context.services.database.health,
        'trusted operation failed',
      );
      noteErrorCodes(record, [masked.error.extensions?.code]);
      if (masked.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(masked.retryAfterSeconds));
      send(res, contentType, masked.status, { errors: [masked.error] });
    }
  };

  return { handler, operations: { byText, byHash, served: () => served } };
}

/**
 * As Apollo formats an execution error (errorNormalize.js) before the hub's `formatError`: a
 * missing code is INTERNAL_SERVER_ERROR; `extensions.http` sets the status and is not shown.
 */
function formatError(
  error: GraphQLError,
  hideSuggestions: boolean,
): { formatted: GraphQLFormattedError; status?: number } {
  const { http, ...extensions } = {
    ...error.extensions,
    code: error.extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR,
  } as Record<string, unknown>;
  const status = (http as { status?: unknown } | undefined)?.status;
  const formatted = { ...error.toJSON(), extensions };
  return {
    formatted: maskError(hideSuggestions ? formattedWithoutSuggestions(formatted) : formatted, error),
    status: typeof status === 'number' ? status : undefined,
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
/** Apollo also offers its subscription-callback type; a request preferring it is Apollo's. */
const CALLBACK_TYPE = 'application/json; callbackSpec=1.0; charset=utf-8';

/** The content type Apollo would choose (the same negotiator over the same offers), or null to leave the request to Apollo. */
function responseContentType(req: Request): string | null {
  const preferred = req.accepts([JSON_TYPE, GRAPHQL_RESPONSE_TYPE, CALLBACK_TYPE]);
  return preferred === JSON_TYPE || preferred === GRAPHQL_RESPONSE_TYPE ? preferred : null;
}

function send(res: Response, contentType: string, status: number, body: FormattedExecutionResult): void {
  if (res.headersSent) return;
  res.status(status).setHeader('content-type', contentType);
  // As Apollo writes it (runHttpQuery.js prettyJSONStringify, fields in this order).
  res.send(`${JSON.stringify({ errors: body.errors, data: body.data, extensions: body.extensions })}\n`);
}
