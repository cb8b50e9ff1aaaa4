/**
 * GraphQL over WebSocket (graphql-ws protocol) as a transport of the gateway, on the hub's own
 * HTTP server and path. graphql-shield does not run at subscribe time, so each step is checked here:
 *  - `onConnect`: the client address's rate limit, then the bearer token and purpose from
 *    `connectionParams` with the same verifier and organisation check as HTTP (a bad token closes
 *    the socket with 4403 Forbidden), then the caller's rate limit (4429);
 *  - `onSubscribe`: the caller's rate limit and the connection's subscription count, then the
 *    gateway's `admitOperation` (tokens; the document's shape before graphql-js validation;
 *    variables as BAD_USER_INPUT; cost; subscriptions only, queries and mutations go to POST
 *    /graphql; the role allowed by OPERATION_PERMISSIONS.Subscription), without suggestions where
 *    introspection is off, then the field's own subscribe-time rule (run by creating the source
 *    stream: refusals come back as an `error`);
 *  - per event: a fresh context decides, and the gateway's `run` masks and audits (websocket-events.ts);
 *  - the token's expiry: a timer closes the socket with 4403 then, events or not.
 */
import type { IncomingMessage, Server } from 'node:http';
import { createSourceEventStream, type ExecutionArgs, type GraphQLError, type GraphQLSchema } from 'graphql';
import { CloseCode, type Context, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import { PURPOSE_HEADER, PURPOSES } from '../../access/purposes';
import type { VerifyToken } from '../../auth/verify-token';
import { ForbiddenError } from '../../errors';
import { DEFAULT_LIMITS, type OperationLimits } from '../../hardening/limits';
import { limitError } from '../../hardening/operation-shape';
import { RateLimitedError, type RateLimiter } from '../../hardening/rate-limit';
import { errorWithoutSuggestions } from '../../hardening/suggestions';
import { CaseEventSource } from '../../pubsub/case-event-source';
import type { HubServices } from '../../server/services';
import { EventBudget } from '../../subscriptions/bounded-queue';
import { CaseChangesService } from '../../subscriptions/case-changes.service';
import type { LiveConnection, LiveServices, SubscriptionContext } from '../../subscriptions/subscription-context';
import { admitOperation, unsupportedOperation } from '../admit';
import { authenticate, bearerToken, contextFor, parsePurpose } from '../authenticate';
import { auditBeforeDisclosure } from '../disclose';
import { maskGraphQLError } from '../mask';
import { subscribePerEvent } from './websocket-events';

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

/** setTimeout's longest delay; tokens live at most days, so this only guards the arithmetic. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
  /** No "Did you mean …?" in refusals, as over HTTP where introspection is off (default false). */
  hideSuggestions?: boolean;
  /** The client's address as POST /graphql sees it (trusted proxy hops applied); default the socket's peer. */
  clientAddress?: (request: IncomingMessage) => string;
}

const ONLY_SUBSCRIPTIONS = unsupportedOperation(
  'query',
  'only subscriptions are served over WebSocket; send queries and mutations to POST /graphql',
);

export function startSubscriptionServer(options: StartSubscriptionServerOptions): SubscriptionServer {
  const { httpServer, schema, services, verifyToken } = options;
  const queueLimit = options.queueLimit ?? 100;
  const maxSubscriptions = options.maxSubscriptionsPerConnection ?? 20;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const limiter = options.limiter;
  const source = new CaseEventSource({ database: services.database, logger: services.logger });
  const live: LiveServices = {
    caseChanges: new CaseChangesService({ children: services.children, source, db: services.db }),
  };
  const wss = new WebSocketServer({
    server: httpServer,
    path: options.path ?? '/graphql',
    maxPayload: options.maxPayloadBytes ?? 1024 * 1024,
  });

  async function subscribeOrRefuse(
    ctx: Context<Record<string, unknown> | undefined, Extra>,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
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
    const admitted = admitOperation(
      { schema, limits },
      payload,
      connection.caller.role,
      ['subscription'],
      ONLY_SUBSCRIPTIONS,
    );
    if (!admitted.ok) return admitted.errors;
    const { document } = admitted;
    const contextValue: SubscriptionContext = {
      ...contextFor(services, connection.caller, connection.purpose),
      operation: 'subscription',
      live,
      connection,
    };
    const args: ExecutionArgs = {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue,
    };
    let stream;
    try {
      stream = await createSourceEventStream(args);
    } finally {
      // A refused subscribe (e.g. no relationship with the followed child) is audited like a refused query.
      await auditBeforeDisclosure(contextValue, 'subscription', payload.operationName ?? null);
    }
    if (!(Symbol.asyncIterator in Object(stream))) {
      return [...((stream as { errors?: readonly GraphQLError[] }).errors ?? [])].map((e) =>
        maskGraphQLError(
          e,
          contextValue.requestId,
          services.logger,
          services.database.health,
          'unexpected error at subscribe',
        ),
      );
    }
    contextValue.sourceStream = stream as AsyncIterable<unknown>;
    return args;
  }

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
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
          limiter?.checkAddress(
            options.clientAddress?.(ctx.extra.request) ?? ctx.extra.request.socket.remoteAddress ?? 'unknown',
          );
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
          ctx.extra.socket.close(
            CloseCode.BadRequest,
            `${PURPOSE_HEADER} must be one of ${PURPOSES.join(', ')}`.slice(0, 120),
          );
          return false;
        }
        const socket = ctx.extra.socket;
        const close = (code: number, reason: string) => {
          if (socket.readyState === socket.OPEN) socket.close(code, reason.slice(0, 120));
        };
        const expiresAt = tokenExpiry(token!);
        // The socket closes when the token expires, not at the next event (which may never come).
        if (expiresAt !== null) {
          const timer = setTimeout(
            () => close(CloseCode.Forbidden, 'Forbidden: token expired'),
            Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - services.clock.now().getTime())),
          );
          timer.unref();
          socket.once('close', () => clearTimeout(timer));
        }
        ctx.extra.connection = {
          caller,
          purpose,
          expiresAt,
          budget: new EventBudget({
            limit: queueLimit,
            onOverflow: (error) => {
              services.logger.warn(
                { subject: caller.subject, organisationId: caller.organisationId, limit: error.limit },
                'slow subscriber disconnected',
              );
              close(TOO_SLOW_CLOSE_CODE, `Subscriber too slow: over ${error.limit} events waiting; reconnect`);
            },
          }),
          close,
        };
        return true;
      },

      async onSubscribe(ctx, _id, payload) {
        const answer = await subscribeOrRefuse(ctx, payload);
        return options.hideSuggestions && Array.isArray(answer) ? answer.map(errorWithoutSuggestions) : answer;
      },
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  let disposing: Promise<void> | undefined;
  return {
    get connections() {
      return wss.clients.size;
    },
    get subscribers() {
      return source.subscriberCount;
    },
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
  const value =
    params[name] ?? params[name.toLowerCase()] ?? Object.entries(params).find(([k]) => k.toLowerCase() === name)?.[1];
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
