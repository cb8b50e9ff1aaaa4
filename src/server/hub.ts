/**
 * The hub's HTTP face: one Node http server carrying Apollo (`/graphql`, with registered queries
 * answered before it on the trusted-operations path), the probes
 * (`/healthz`, `/readyz`) and the landing page. `stop()` drains in-flight requests, then closes.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { VerifyToken } from '../auth/verify-token';
import { auditPlugin } from './audit-plugin';
import { SUBJECT_ACCESS_PATH, subjectAccessRoute } from '../audit/subject-access.route';
import type { HubContext } from './context';
import { contextFromHeaders } from './authenticate';
import { errorLoggingPlugin, maskError } from './errors-plugin';
import { landingPage } from './landing-page';
import { dpoPageRouter } from '../dpo-page/dpo-page.route';
import { buildHubSchema } from './schema';
import { createHardening, type HardeningOverrides } from '../hardening/harden';
import { startSubscriptionServer, type SubscriptionServer, type SubscriptionServerOptions } from '../subscriptions/ws-server';
import type { HubServices } from './services';
import { liquidLogicWebhookRouter } from '../sync/webhook.route';
import { contextHandedOver, trustedOperationsHandler, type TrustedOperations } from './trusted-operations';

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
  /** GraphQL over WebSocket (graphql-ws) on the same server and `/graphql` path; `false` turns it off. */
  ws?: SubscriptionServerOptions | false;
  /**
   * Registered queries answered without Apollo's per-request pipeline (trusted-operations.ts).
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
  /** Stops taking requests, lets in-flight ones finish, then closes. */
  stop(): Promise<void>;
}

export async function createHub(options: HubOptions): Promise<Hub> {
  const { services } = options;
  const hardening = createHardening({ services, overrides: { introspection: options.introspection, bodyLimit: options.bodyLimit, ...options.hardening } });
  const verifyToken = hardening.verifyToken(options.verifyToken);
  const schema = options.schema ?? await buildHubSchema();
  const app = express();
  app.disable('x-powered-by');
  // No ETags: responses carry a child's data and are never cached (no-store); hashing every body for one was wasted.
  app.set('etag', false);
  const httpServer = createServer(app);

  const apollo = new ApolloServer<HubContext>({
    schema,
    ...hardening.apollo,
    formatError: maskError,
    includeStacktraceInErrorResponses: false,
    // The process owns SIGTERM/SIGINT (src/main.ts: drain, stop workers, close the database, exit
    // 0). Apollo's own handlers stop the server a second time and re-raise the signal, which
    // killed the process mid-drain (exit 143) and later left shutdown hanging until the grace ran out.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Apollo installs cache control by default: a willResolveField hook that wraps every field
      // resolver of the schema. Nothing here is cacheable (every response is Cache-Control:
      // no-store, http-guards.ts), so it only cost time on every field.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      errorLoggingPlugin(services.logger),
      auditPlugin(),
      ...hardening.plugins,
    ],
  });
  await apollo.start();

  app.use((req, res, next) => {
    const given = req.header('x-request-id');
    const requestId = given && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  });
  app.use(...hardening.before);
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    const ready = await services.database.isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', database: services.database.driver });
  });
  app.get('/', (_req, res) => { res.type('html').send(landingPage()); });
  app.get(SUBJECT_ACCESS_PATH, subjectAccessRoute(services, verifyToken));
  app.use('/dpo', dpoPageRouter());
  app.use('/adapters/liquid-logic', liquidLogicWebhookRouter({ inbound: services.inbound, clock: services.clock, logger: services.logger, secret: services.liquidLogicWebhookSecret }));
  const context = hardening.context<{ req: Request; res: Response }>(async ({ req, res }) => contextFromHeaders(req.headers, res.locals.requestId as string, verifyToken, services));
  const trusted = options.trustedOperations === false ? null : trustedOperationsHandler({
    schema, registry: hardening.persistedOperations, limits: hardening.options.limits, introspection: hardening.options.introspection, logger: services.logger, context,
  });
  app.use('/graphql', express.json({ limit: hardening.options.bodyLimit }), ...(trusted ? [trusted.handler] : []), expressMiddleware(apollo, {
    // A request the trusted path handed over arrives with its context (or its error) already built.
    context: async (args) => (await contextHandedOver(args.res)) ?? context(args),
  }));
  app.use('/graphql', ...hardening.after);

  const subscriptions = options.ws === false ? null
    : startSubscriptionServer({
      ...options.ws, httpServer, schema, services, verifyToken, path: '/graphql', limits: hardening.options.limits, limiter: hardening.limiter,
    });

  let stopping: Promise<void> | undefined;
  return {
    app,
    httpServer,
    services,
    subscriptions,
    trustedOperations: trusted?.operations ?? null,
    listen: (port = 0, host = '127.0.0.1') => new Promise((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => {
        const address = httpServer.address() as AddressInfo;
        resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
      });
    }),
    stop: () => {
      // Sockets first (they are not HTTP requests the drain plugin waits for), then Apollo.
      stopping ??= (async () => { await subscriptions?.dispose(); await apollo.stop(); })();
      return stopping;
    },
  };
}
