/**
 * `npm start`: validated config → database (embedded PGlite under ./.data, or DATABASE_URL) →
 * migrations → demo city when empty → HTTP server → printed dev tokens. SIGTERM drains.
 */
import 'reflect-metadata';
import { loadDevIssuer } from './auth/dev-issuer';
import { loadTrustRegistryFile, trustRegistry, type TrustedIssuer } from './auth/trust-registry';
import { createTokenVerifier } from './auth/verify-token';
import { loadConfigOrExit } from './config/config';
import { openDatabase } from './db';
import { createHub } from './server/hub';
import { hardeningFromConfig } from './hardening/limits';
import { createServices } from './server/services';
import { loadSyncConfig } from './outbox/outbox.config';
import { startHubSync, startSimulatorIfNeeded } from './outbox/hub-sync';
import { systemClock } from './shared/clock';
import { createLogger } from './shared/logger';
import { countOrganisations } from './organisation/organisation.repo';
import { seedDemoCity, DEMO_PERSONAS } from '../seeds/demo-city';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  // Read before touching the database, so a bad registry stops start-up at once.
  const issuers: TrustedIssuer[] = config.TRUST_REGISTRY_FILE ? loadTrustRegistryFile(config.TRUST_REGISTRY_FILE) : [];
  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR });
  await database.migrate();
  logger.info({ driver: database.driver }, 'database ready, migrations applied');

  if (config.SEED_DEMO && (await countOrganisations(database.db)) === 0) {
    const summary = await seedDemoCity(database.db, { onProgress: (msg) => logger.info(msg) });
    logger.info(summary, 'demo city loaded');
  }

  const devIssuer = config.NODE_ENV === 'production' ? null : await loadDevIssuer(config.DEV_KEYS_DIR, config.DEV_ISSUER);
  if (devIssuer) issuers.push(devIssuer.trusted);
  const verifyToken = createTokenVerifier({ registry: trustRegistry(issuers), audience: config.JWT_AUDIENCE, clockToleranceSeconds: config.JWT_CLOCK_SKEW_SECONDS });

  // Liquid Logic: LIQUID_LOGIC_URL, or in development the simulator on a free port (README: Liquid Logic sync).
  const syncConfig = loadSyncConfig();
  const ll = await startSimulatorIfNeeded(syncConfig, config.NODE_ENV === 'production');
  const services = createServices({ database, clock: systemClock, logger, liquidLogicWebhookSecret: ll.webhookSecret });
  // Production: no introspection or field suggestions, HSTS; limits and CORS from the environment.
  const hub = await createHub({ services, verifyToken, hardening: hardeningFromConfig(config) });
  const url = await hub.listen(config.PORT, config.HOST);
  logger.info({ url: `${url}/graphql` }, 'Early Help Hub listening');
  const sync = startHubSync(services, syncConfig, ll.url, ll.simulator, url, ll.webhookSecret);
  logger.info({ liquidLogic: ll.simulator ? { simulator: ll.simulator.url, admin: ll.simulator.adminUrl } : ll.url ? 'configured' : 'off', worker: Boolean(sync.worker) }, 'Liquid Logic sync');

  if (devIssuer && (await countOrganisations(database.db)) > 0) {
    console.log(`\nEarly Help Hub on ${url}/graphql (${database.driver}). Development tokens (8h):`);
    for (const persona of DEMO_PERSONAS) {
      const token = await devIssuer.sign({ role: persona.role, org: persona.organisationId, sub: persona.subject, audience: config.JWT_AUDIENCE });
      console.log(`\n# ${persona.label} (role ${persona.role})\n${token}`);
    }
    console.log(`\nTry: curl -s ${url}/graphql -H "authorization: Bearer <token>" -H "x-purpose-of-use: direct_support" -H "content-type: application/json" -d '{"query":"{ me { role organisationId } }"}'\n`);
  }

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'draining in-flight requests');
    const timer = setTimeout(() => { logger.error('shutdown grace period passed; exiting'); process.exit(1); }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    await hub.stop();
    await sync.stop();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  // `on`, not `once`: a repeated signal (npm, tsx and container runtimes may relay it twice) must
  // not fall through to Node's default action and kill the process mid-drain.
  let draining: Promise<void> | undefined;
  const onSignal = (signal: string) => {
    draining ??= shutdown(signal).catch((error: Error) => {
      logger.error({ err: { name: error.name, message: error.message } }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

main().catch((error: Error) => {
  console.error(`Early Help Hub failed to start: ${error.message}`);
  process.exit(1);
});
