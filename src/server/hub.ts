/**
 * The hub's composition root: one Node http server carrying the gateway's transports (Apollo on
 * `/graphql` with registered queries answered before it, WebSocket subscriptions on the same path,
 * the DPO downloads), the probes (`/healthz`, `/readyz`) and the static pages.
 * `stop()` drains in-flight requests, then closes.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type Request, type Response } from 'express';
import proxyaddr from 'proxy-addr';
import type { GraphQLSchema } from 'graphql';
import type { VerifyToken } from '../auth/verify-token';
import type { HubContext } from './context';
import { admitCaller } from '../gateway/admit';
import { authenticate, bearerToken, contextFromHeaders } from '../gateway/authenticate';
import { apolloFormatError, apolloGatewayPlugins } from '../gateway/transports/apollo';
import { databaseGate } from '../gateway/transports/database-gate';
import { DOWNLOADS, downloadRoute } from '../gateway/transports/downloads';
import {
  contextHandedOver,
  trustedOperationsHandler,
  type TrustedOperations,
} from '../gateway/transports/registered-operations';
import {
  startSubscriptionServer,
  type SubscriptionServer,
  type SubscriptionServerOptions,
} from '../gateway/transports/websocket';
import { httpDrain } from './http-drain';
import { LANDING_CSS, landingPage } from './landing-page';
import { hubMetrics } from '../observability/metrics';
import { devIdeRouter, type DevPersonaToken } from '../dev-ide/dev-ide.route';
import { dpoPageRouter } from '../dpo-page/dpo-page.route';
import { buildHubSchema } from './schema';
import { createHardening, type HardeningOverrides } from '../hardening/harden';
import type { HubServices } from './services';
import { liquidLogicWebhookRouter } from '../sync/webhook.route';
import { scimRouter } from '../scim/scim.route';
import { graphqlOperationSpan, httpServerSpan } from '../observability/tracing';

export interface HubOptions {
  services: HubServices;
  verifyToken: VerifyToken;
  /** Built once and shared by every hub in a process (tests start several). */
  schema?: GraphQLSchema;
  /** Introspection on (default: on outside production). */
  introspection?: boolean;
  /** Maximum JSON body (default 1 MB). */
  bodyLimit?: string;
  /** Operation limits, rate limits, CORS, headers, persisted operations (src/hardening/limits.ts). */
  hardening?: HardeningOverrides;
  /**
   * On stop, how long a keep-alive connection idle at that moment may still bring one last request
   * (default 1000 ms; see http-drain.ts). Tests that stop many hubs set it lower.
   */
  drainIdleGraceMs?: number;
  /** Development only: the GraphQL IDE at /graphiql, with these personas' tokens (src/dev-ide). */
  devIde?: readonly DevPersonaToken[];
  /** GraphQL over WebSocket (graphql-ws) on the same server and `/graphql` path; `false` turns it off. */
  ws?: SubscriptionServerOptions | false;
  /**
   * Registered queries answered without Apollo's per-request pipeline (src/gateway/transports/registered-operations.ts).
   * Default on; off sends every request through Apollo (tests compare the two).
   */
  trustedOperations?: boolean;
}

export interface Hub {
  readonly app: Express;
  readonly httpServer: Server;
  readonly services: HubServices;
  /** The WebSocket endpoint for subscriptions, unless turned off. */
  readonly subscriptions: SubscriptionServer | null;
  /** The registered queries served outside Apollo, unless turned off. */
  readonly trustedOperations: TrustedOperations | null;
  /** Starts listening; resolves to the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops taking requests, lets in-flight ones finish, closes keep-alive connections between requests. */
  stop(): Promise<void>;
}

export async function createHub(options: HubOptions): Promise<Hub> {
  const { services } = options;
  const hardening = createHardening({
    services,
    overrides: { introspection: options.introspection, bodyLimit: options.bodyLimit, ...options.hardening },
  });
  const verifyToken = hardening.verifyToken(options.verifyToken);
  const schema = options.schema ?? (await buildHubSchema());
  const app = express();
  app.disable('x-powered-by');
  // Which proxies' X-Forwarded-For decides req.ip (the per-address rate limit); none by default.
  app.set('trust proxy', hardening.options.trustProxy);
  // No ETags: responses carry a child's data and are never cached (no-store); hashing every body for one was wasted.
  app.set('etag', false);
  const httpServer = createServer(app);
  const drain = httpDrain(httpServer, { idleGraceMs: options.drainIdleGraceMs ?? 1_000 });

  const apollo = new ApolloServer<HubContext>({
    schema,
    ...hardening.apollo,
    formatError: apolloFormatError(!hardening.options.introspection),
    includeStacktraceInErrorResponses: false,
    // The process owns SIGTERM/SIGINT (src/main.ts: drain, stop workers, close the database, exit
    // 0). Apollo's own handlers stop the server a second time and re-raise the signal, which
    // killed the process mid-drain (exit 143) and later left shutdown hanging until the grace ran out.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Apollo installs cache control by default: a willResolveField hook that wraps every field
      // resolver of the schema. Nothing here is cacheable (every response is Cache-Control:
      // no-store, http-guards.ts), so it only cost time on every field.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...apolloGatewayPlugins(services.logger),
      ...hardening.plugins,
    ],
  });
  await apollo.start();

  app.use(httpServerSpan());
  app.use((req, res, next) => {
    const given = req.header('x-request-id');
    const requestId = given && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  });
  app.use(...hardening.before);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await services.database.isReady().catch(() => false);
    if (!ready) res.setHeader('Retry-After', String(services.database.health.retryAfterSeconds));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', database: services.database.driver });
  });
  const landing = landingPage({ ide: Boolean(options.devIde) });
  app.get('/', (_req, res) => {
    res.type('html').send(landing);
  });
  // Read at scrape time, once the subscription server below exists.
  const metrics = hubMetrics({
    database: services.database,
    subscriptions: {
      get connections() {
        return subscriptions?.connections ?? 0;
      },
      get subscribers() {
        return subscriptions?.subscribers ?? 0;
      },
    },
  });
  // Operational counts only (no personal data), but not for the public: keep it off the proxy.
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.render());
  });
  app.get('/landing.css', (_req, res) => {
    res.type('text/css').send(LANDING_CSS);
  });
  if (options.devIde) app.use('/graphiql', devIdeRouter(options.devIde));
  // Everything below needs the database: while it is unreachable, answer 503 at once.
  const gate = databaseGate(services.database.health);
  for (const download of DOWNLOADS) app.get(download.path, gate, downloadRoute(download, services, verifyToken));
  app.use('/dpo', dpoPageRouter());
  // SCIM provisioning of practitioners (src/scim): the same verified token, role admin.
  app.use(
    '/scim/v2',
    gate,
    scimRouter(services, (authorization) => authenticate(bearerToken(authorization), verifyToken, services)),
  );
  app.use(
    '/adapters/liquid-logic',
    liquidLogicWebhookRouter({
      inbound: services.inbound,
      clock: services.clock,
      logger: services.logger,
      secret: services.liquidLogicWebhookSecret,
    }),
  );
  const context = admitCaller(
    services,
    hardening.limiter,
  )<{ req: Request; res: Response }>(async ({ req, res }) =>
    contextFromHeaders(req.headers, res.locals.requestId as string, verifyToken, services),
  );
  const trusted =
    options.trustedOperations === false
      ? null
      : trustedOperationsHandler({
          schema,
          registry: hardening.persistedOperations,
          limits: hardening.options.limits,
          introspection: hardening.options.introspection,
          logger: services.logger,
          context,
        });
  app.use(
    '/graphql',
    gate,
    express.json({ limit: hardening.options.bodyLimit }),
    graphqlOperationSpan(),
    ...(trusted ? [trusted.handler] : []),
    expressMiddleware(apollo, {
      // A request the trusted path handed over arrives with its context (or its error) already built.
      context: async (args) => (await contextHandedOver(args.res)) ?? context(args),
    }),
  );
  app.use('/graphql', ...hardening.after);

  const subscriptions =
    options.ws === false
      ? null
      : startSubscriptionServer({
          ...options.ws,
          httpServer,
          schema,
          services,
          verifyToken,
          path: '/graphql',
          limits: hardening.options.limits,
          limiter: hardening.limiter,
          hideSuggestions: !hardening.options.introspection,
          clientAddress: (request) => proxyaddr(request, app.get('trust proxy fn') as Parameters<typeof proxyaddr>[1]),
        });

  let stopping: Promise<void> | undefined;
  return {
    app,
    httpServer,
    services,
    subscriptions,
    trustedOperations: trusted?.operations ?? null,
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
        });
      }),
    stop: () => {
      // WebSockets first (they are not HTTP requests), then HTTP, then Apollo's own stop hooks.
      stopping ??= (async () => {
        await subscriptions?.dispose();
        await drain.drain();
        await apollo.stop();
      })();
      return stopping;
    },
  };
}
