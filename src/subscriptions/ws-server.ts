/**
 * GraphQL over WebSocket (graphql-ws protocol) on the hub's own HTTP server and path. graphql-shield
 * does not run at subscribe time, so each step is checked here:
 *  - `onConnect`: the client address's rate limit, then the bearer token and purpose from
 *    `connectionParams` with the same verifier and organisation check as HTTP (a bad token closes
 *    the socket with 4403 Forbidden), then the caller's rate limit (4429);
 *  - `onSubscribe`: the caller's rate limit and the connection's subscription count, then the
 *    operation limits HTTP applies (tokens, depth, aliases, root fields, directives, cost);
 *    subscriptions only (queries and mutations go to POST /graphql, where the audit plugin runs),
 *    the role allowed by OPERATION_PERMISSIONS.Subscription, then the field's own subscribe-time
 *    rule (run by creating the source stream: refusals come back as an `error`);
 *  - per event: a fresh context decides and audits (event-execution.ts).
 */
import type { IncomingMessage, Server } from 'node:http';
import { createSourceEventStream, getOperationAST, GraphQLError, Kind, parse, specifiedRules, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import { OPERATION_PERMISSIONS } from '../access/operation-permissions';
import { PURPOSE_HEADER, PURPOSES } from '../access/purposes';
import type { VerifyToken } from '../auth/verify-token';
import { BadUserInputError, ErrorCode, ForbiddenError } from '../errors';
import { costLimitError, estimateCost } from '../hardening/cost.plugin';
import { DEFAULT_LIMITS, type OperationLimits } from '../hardening/limits';
import { limitError, operationShapeRule } from '../hardening/operation-shape.rule';
import { RateLimitedError, type RateLimiter } from '../hardening/rate-limit';
import { CaseEventSource } from '../pubsub/case-event-source';
import { authenticate, bearerToken, contextFor, parsePurpose } from '../server/authenticate';
import { isExpectedError } from '../server/errors-plugin';
import type { HubServices } from '../server/services';
import { EventBudget } from './bounded-queue';
import { CaseChangesService } from './case-changes.service';
import { subscribePerEvent } from './event-execution';
import type { LiveConnection, LiveServices, SubscriptionContext } from './subscription-context';

/** Options of the WebSocket endpoint (HubOptions.ws). */
export interface SubscriptionServerOptions {
  /** Undelivered events one connection may hold before it is told and closed (default 100). */
  queueLimit?: number;
  /** Ping interval; a client that does not pong in time is dropped (default 12 000 ms). */
  keepAliveMs?: number;
  /** Largest message a client may send (default 1 MB; ws itself would allow 100 MB). */
  maxPayloadBytes?: number;
  /** Time a client has to send `connection_init` (default 3 000 ms). */
  connectionInitWaitTimeoutMs?: number;
  /** Subscriptions one connection may hold open at once (default 20: a dashboard needs a few). */
  maxSubscriptionsPerConnection?: number;
}

/** Close code for a subscriber whose queue overflowed (RFC 6455 policy violation). */
export const TOO_SLOW_CLOSE_CODE = 1008;
/** Close code for a connection refused by a rate limit (4xxx: application codes; 429 as in HTTP). */
export const RATE_LIMITED_CLOSE_CODE = 4429;

export interface SubscriptionServer {
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Subscribers attached to this instance's case event listener. */
  readonly subscribers: number;
  /** Closes every socket (1001), stops the server and unlistens. */
  dispose(): Promise<void>;
}

type Extra = Record<PropertyKey, unknown> & {
  socket: WebSocket;
  request: IncomingMessage;
  connection?: LiveConnection;
};

export interface StartSubscriptionServerOptions extends SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  services: HubServices;
  verifyToken: VerifyToken;
  path?: string;
  /** The operation limits POST /graphql applies (default DEFAULT_LIMITS). */
  limits?: OperationLimits;
  /** The rate limiter POST /graphql uses, so a caller has one budget over both (default: none). */
  limiter?: RateLimiter;
}

export function startSubscriptionServer(options: StartSubscriptionServerOptions): SubscriptionServer {
  const { httpServer, schema, services, verifyToken } = options;
  const queueLimit = options.queueLimit ?? 100;
  const maxSubscriptions = options.maxSubscriptionsPerConnection ?? 20;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const limiter = options.limiter;
  const validationRules = [...specifiedRules, operationShapeRule(limits)];
  const source = new CaseEventSource({ database: services.database, logger: services.logger });
  const live: LiveServices = { caseChanges: new CaseChangesService({ children: services.children, source, db: services.db }) };
  const wss = new WebSocketServer({ server: httpServer, path: options.path ?? '/graphql', maxPayload: options.maxPayloadBytes ?? 1024 * 1024 });

  const server = useServer<Record<string, unknown> | undefined, Extra>({
    schema,
    connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs ?? 3_000,
    subscribe: subscribePerEvent,

    async onConnect(ctx) {
      const refuseRateLimited = (error: RateLimitedError) => {
        services.logger.info({ scope: error.scope }, 'websocket connection rate limited');
        ctx.extra.socket.close(RATE_LIMITED_CLOSE_CODE, error.message.slice(0, 120));
        return false;
      };
      try {
        limiter?.checkAddress(ctx.extra.request.socket.remoteAddress ?? 'unknown');
      } catch (error) {
        return refuseRateLimited(error as RateLimitedError);
      }
      const params = ctx.connectionParams ?? {};
      const token = bearerToken(stringParam(params, 'authorization'));
      let caller;
      try {
        caller = await authenticate(token, verifyToken, services);
      } catch (error) {
        services.logger.info({ reason: (error as Error).message }, 'websocket connection refused');
        return false; // graphql-ws closes with 4403 Forbidden
      }
      try {
        limiter?.checkCaller(caller);
      } catch (error) {
        return refuseRateLimited(error as RateLimitedError);
      }
      let purpose;
      try {
        purpose = parsePurpose(stringParam(params, PURPOSE_HEADER));
      } catch {
        ctx.extra.socket.close(CloseCode.BadRequest, `${PURPOSE_HEADER} must be one of ${PURPOSES.join(', ')}`.slice(0, 120));
        return false;
      }
      const socket = ctx.extra.socket;
      const close = (code: number, reason: string) => {
        if (socket.readyState === socket.OPEN) socket.close(code, reason.slice(0, 120));
      };
      ctx.extra.connection = {
        caller,
        purpose,
        expiresAt: tokenExpiry(token!),
        budget: new EventBudget({
          limit: queueLimit,
          onOverflow: (error) => {
            services.logger.warn({ subject: caller.subject, organisationId: caller.organisationId, limit: error.limit }, 'slow subscriber disconnected');
            close(TOO_SLOW_CLOSE_CODE, `Subscriber too slow: over ${error.limit} events waiting; reconnect`);
          },
        }),
        close,
      };
      return true;
    },

    async onSubscribe(ctx, _id, payload) {
      const connection = ctx.extra.connection;
      if (!connection) return [new ForbiddenError('Connection is not authenticated')];
      if (connection.expiresAt !== null && services.clock.now().getTime() >= connection.expiresAt) {
        connection.close(CloseCode.Forbidden, 'Forbidden: token expired');
        return [new ForbiddenError('Token has expired')];
      }
      // graphql-ws has already reserved this id, so the count includes it.
      const open = Object.keys(ctx.subscriptions).length;
      if (open > maxSubscriptions) {
        return [limitError('maxSubscriptionsPerConnection', maxSubscriptions, `The connection's ${open} subscriptions`)];
      }
      try {
        limiter?.checkCaller(connection.caller);
      } catch (error) {
        if (error instanceof RateLimitedError) return [error];
        throw error;
      }
      let document: DocumentNode;
      try {
        document = parse(payload.query, { maxTokens: limits.maxTokens });
      } catch (error) {
        return [error as GraphQLError];
      }
      const invalid = validate(schema, document, validationRules);
      if (invalid.length > 0) return [...invalid];
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return [new GraphQLError('Unable to identify operation')];
      let cost: number | undefined;
      try {
        cost = estimateCost(schema, document, payload.variables ?? undefined, payload.operationName);
      } catch {
        // Bad variables: creating the source stream reports them.
      }
      if (cost !== undefined && cost > limits.maxCost) return [costLimitError(cost, limits.maxCost)];
      if (operation.operation !== 'subscription') {
        return [new BadUserInputError('query', 'only subscriptions are served over WebSocket; send queries and mutations to POST /graphql')];
      }
      for (const field of rootFields(document, operation.selectionSet)) {
        if (!OPERATION_PERMISSIONS.Subscription[field]?.includes(connection.caller.role)) {
          return [new ForbiddenError('Your role does not permit this operation')];
        }
      }
      const contextValue: SubscriptionContext = { ...contextFor(services, connection.caller, connection.purpose), operation: 'subscription', live, connection };
      const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      let stream;
      try {
        stream = await createSourceEventStream(args);
      } finally {
        await auditRefusals(contextValue, payload.operationName ?? null);
      }
      if (!(Symbol.asyncIterator in Object(stream))) {
        return [...((stream as { errors?: readonly GraphQLError[] }).errors ?? [])].map((e) => maskSubscribeError(e, contextValue));
      }
      contextValue.sourceStream = stream as AsyncIterable<unknown>;
      return args;
    },
  }, wss, options.keepAliveMs ?? 12_000);

  let disposing: Promise<void> | undefined;
  return {
    get connections() { return wss.clients.size; },
    get subscribers() { return source.subscriberCount; },
    dispose() {
      disposing ??= (async () => {
        await server.dispose();
        await source.stop();
      })();
      return disposing;
    },
  };
}

function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name] ?? params[name.toLowerCase()] ?? Object.entries(params).find(([k]) => k.toLowerCase() === name)?.[1];
  return typeof value === 'string' ? value : undefined;
}

function tokenExpiry(token: string): number | null {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Root field names of an operation, through fragments (`__typename` needs no permission). */
function rootFields(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') names.push(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      names.push(...rootFields(document, selection.selectionSet, seen));
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment && fragment.kind === Kind.FRAGMENT_DEFINITION) names.push(...rootFields(document, fragment.selectionSet, seen));
    }
  }
  return names;
}

/** A refused subscribe (e.g. no relationship with the followed child) is audited like a refused query. */
async function auditRefusals(ctx: SubscriptionContext, operationName: string | null): Promise<void> {
  if (ctx.audit.isEmpty) return;
  try {
    await ctx.services.audit.record({ requestId: ctx.requestId, caller: ctx.caller, purpose: ctx.purpose, operation: 'subscription', operationName, audit: ctx.audit });
  } catch (error) {
    ctx.services.logger.error({ requestId: ctx.requestId, err: { name: (error as Error).name, message: (error as Error).message } }, 'audit write failed at subscribe');
  }
}

function maskSubscribeError(error: GraphQLError, ctx: SubscriptionContext): GraphQLError {
  if (isExpectedError(error.extensions?.code)) return error;
  ctx.services.logger.error({ requestId: ctx.requestId, err: { name: error.originalError?.name, message: error.originalError?.message } }, 'unexpected error at subscribe');
  return new GraphQLError('Internal server error', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: ctx.requestId } });
}
