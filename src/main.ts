/**
 * `npm start`: validated config → database (embedded PGlite under ./.data, or DATABASE_URL) →
 * migrations → demo city when empty → HTTP server → printed dev tokens. SIGTERM drains.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { loadDevIssuer } from './auth/dev-issuer';
import { loadTrustRegistryFile, trustRegistry, type TrustedIssuer } from './auth/trust-registry';
import { createTokenVerifier } from './auth/verify-token';
import { loadConfigOrExit, productionTrustRefusal } from './config/config';
import { openDatabase } from './db';
import { databaseStartFailure } from './db/start-failure';
import { pendingMigrations } from './db/migrations-status';
import { createHub } from './server/hub';
import { isLoopbackHost } from './dev-ide/dev-ide.route';
import { hardeningFromConfig } from './hardening/limits';
import { createServices } from './server/services';
import { HttpPdsAdapter } from '../adapters/pds/http-adapter';
import { auditKeysFromConfig } from './audit/audit-keys';
import { checkpointStoreFromConfig } from './audit/checkpoint-store';
import { WitnessPublisher } from './audit/witness-client';
import { auditIdentifierKeyFromConfig } from './audit/attempt-id';
import { auditPrivilegeProblems } from './audit/db-roles';
import { AuditSchedule } from './audit/audit-schedule';
import { loadSyncConfig } from './outbox/outbox.config';
import { startHubSync, startSimulatorIfNeeded } from './outbox/hub-sync';
import { systemClock } from './shared/clock';
import { createLogger } from './shared/logger';
import { startTracing, stopTracing } from './observability/tracing';
import { countOrganisations } from './organisation/organisation.repo';
import { DEMO_PERSONAS } from './dev/personas';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL, undefined, config.LOG_FORMAT);
  // Read before touching the database, so a bad registry stops start-up at once.
  const issuers: TrustedIssuer[] = config.TRUST_REGISTRY_FILE ? loadTrustRegistryFile(config.TRUST_REGISTRY_FILE) : [];
  const refusal = productionTrustRefusal(config, issuers.length);
  if (refusal) {
    console.error(refusal);
    process.exit(78);
  }
  // Before the database is opened: its statements are traced only if tracing is on by then.
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT)
    startTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: config.OTEL_SERVICE_NAME });
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDataDir: config.PGLITE_DATA_DIR,
    connectTimeoutSeconds: config.DATABASE_CONNECT_TIMEOUT_SECONDS,
  });
  database.health.onChange((available) => {
    if (available) logger.info('database reachable again; taking requests');
    else logger.error('database unreachable; answering 503 until it is back');
  });
  const migrateOnStart = config.MIGRATE_ON_START ?? config.NODE_ENV !== 'production';
  const pending = await (migrateOnStart ? database.migrate().then(() => 0) : pendingMigrations(database.db)).catch(
    async (error: unknown) => {
      await database.close().catch(() => {});
      throw new Error(databaseStartFailure(error, config.DATABASE_URL));
    },
  );
  if (pending > 0) {
    await database.close();
    throw new Error(
      `${pending} migration(s) not applied and MIGRATE_ON_START is off; run the migrations first (npm run migrate)`,
    );
  }
  logger.info(
    { driver: database.driver },
    migrateOnStart ? 'database ready, migrations applied' : 'database ready, migrations checked',
  );
  const auditRights = database.driver === 'postgres' ? await auditPrivilegeProblems(database.db) : [];
  if (auditRights.length && config.NODE_ENV === 'production') {
    logger.fatal(
      { problems: auditRights },
      'the database role could rewrite the audit: connect as the runtime role (README: Database roles)',
    );
    process.exit(78);
  }
  if (auditRights.length)
    logger.warn(
      { problems: auditRights },
      'the database role could rewrite the audit (fine in development; not in production)',
    );

  if (config.SEED_DEMO && (await countOrganisations(database.db)) === 0) {
    // Loaded only when asked for (never in production, where SEED_DEMO is refused): the running
    // hub's code does not depend on the seeds.
    const { seedDemoCity } = await import('../seeds/demo-city');
    const summary = await seedDemoCity(database.db, { onProgress: (msg) => logger.info(msg) });
    logger.info(summary, 'demo city loaded');
  }

  const devIssuer =
    config.NODE_ENV === 'production' ? null : await loadDevIssuer(config.DEV_KEYS_DIR, config.DEV_ISSUER);
  if (devIssuer) issuers.push(devIssuer.trusted);
  const verifyToken = createTokenVerifier({
    registry: trustRegistry(issuers),
    audience: config.JWT_AUDIENCE,
    clockToleranceSeconds: config.JWT_CLOCK_SKEW_SECONDS,
    maxLifetimeSeconds: config.JWT_MAX_LIFETIME_SECONDS,
  });

  // Liquid Logic: LIQUID_LOGIC_URL, or in development the simulator on a free port (README: Liquid Logic sync).
  const syncConfig = loadSyncConfig();
  const keptPglite = !config.DATABASE_URL && !config.PGLITE_DATA_DIR.startsWith('memory://');
  const ll = await startSimulatorIfNeeded(
    syncConfig,
    config.NODE_ENV === 'production',
    keptPglite ? join(config.PGLITE_DATA_DIR, '..', 'liquid-logic-simulator.json') : undefined,
  );
  const services = createServices({
    database,
    clock: systemClock,
    logger,
    liquidLogicWebhookSecret: ll.webhookSecret,
    auditKeys: auditKeysFromConfig(config),
    auditIdentifierKey: auditIdentifierKeyFromConfig(config),
    checkpointStore: checkpointStoreFromConfig(config),
    ...(config.AUDIT_WITNESS_URL ? { auditWitness: new WitnessPublisher(config.AUDIT_WITNESS_URL, logger) } : {}),
    // NHS number tracing: PDS_URL (or `npm run pds-sim` in development); unset, a trace answers SERVICE_UNAVAILABLE.
    pds: config.PDS_URL ? new HttpPdsAdapter({ baseUrl: config.PDS_URL, timeoutMs: config.PDS_TIMEOUT_MS }) : null,
    consentAges: {
      minAge: config.CONSENT_YOUNG_PERSON_MIN_AGE,
      unassistedAge: config.CONSENT_YOUNG_PERSON_UNASSISTED_AGE,
    },
  });
  // The audit log is checked against the last checkpoint published outside the database before any request.
  await services.auditLog.open();
  services.auditLog.start(config.AUDIT_CHECKPOINT_INTERVAL_MS);
  const auditSchedule = new AuditSchedule({
    log: services.auditLog,
    retention: services.retention,
    logger,
    verifyIntervalMs: config.AUDIT_VERIFY_INTERVAL_MS,
    retentionIntervalMs: config.RETENTION_SWEEP_INTERVAL_MS,
  });
  auditSchedule.start();
  // Health updates and police incidents received but not yet applied (a crash after the receipt).
  services.feedInbox.start();
  logger.info(
    {
      verifierKey: services.auditLog.verifierKey,
      checkpoints: config.AUDIT_CHECKPOINT_DIR ?? 'default',
      witness: config.AUDIT_WITNESS_URL ? 'configured' : 'none',
    },
    'audit log checkpointer running',
  );
  // Development: the demo personas' tokens, printed below and one click away in the IDE (/graphiql).
  const personaTokens =
    devIssuer && (await countOrganisations(database.db)) > 0
      ? await Promise.all(
          DEMO_PERSONAS.map(async (p) => ({
            subject: p.subject,
            label: p.label,
            role: p.role,
            token: await devIssuer.sign({
              role: p.role,
              org: p.organisationId,
              sub: p.subject,
              audience: config.JWT_AUDIENCE,
            }),
          })),
        )
      : null;
  // Production: no introspection or field suggestions, HSTS; limits and CORS from the environment.
  const ide = personaTokens && isLoopbackHost(config.HOST);
  if (personaTokens && !ide)
    logger.warn(
      { host: config.HOST },
      'GraphQL IDE off: it hands out development tokens, so it is served on a loopback HOST only',
    );
  const hub = await createHub({
    services,
    verifyToken,
    drainIdleGraceMs: config.SHUTDOWN_IDLE_GRACE_MS,
    hardening: hardeningFromConfig(config),
    ...(ide ? { devIde: personaTokens } : {}),
  });
  const url = await hub.listen(config.PORT, config.HOST);
  logger.info({ url: `${url}/graphql` }, 'Early Help Hub listening');
  const sync = startHubSync(services, syncConfig, ll.url, ll.simulator, url, ll.webhookSecret);
  logger.info(
    {
      liquidLogic: ll.simulator
        ? { simulator: ll.simulator.url, admin: ll.simulator.adminUrl }
        : ll.url
          ? 'configured'
          : 'off',
      worker: Boolean(sync.worker),
    },
    'Liquid Logic sync',
  );

  if (personaTokens) {
    // One block, after the log lines already queued have been written: pino writes asynchronously,
    // and tokens printed line by line ended up between JSON log lines.
    const lines = [
      `\nEarly Help Hub on ${url}/graphql (${database.driver}). ${ide ? `GraphQL IDE: ${url}/graphiql. ` : ''}Development tokens (8h):`,
    ];
    for (const p of personaTokens) lines.push(`\n# ${p.label} (role ${p.role})\n${p.token}`);
    lines.push(
      `\nTry: curl -s ${url}/graphql -H "authorization: Bearer <token>" -H "x-purpose-of-use: direct_support" -H "content-type: application/json" -d '{"query":"{ me { role organisationId } }"}'\n\n`,
    );
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.stdout.write(lines.join('\n'));
  }

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'draining in-flight requests');
    const timer = setTimeout(() => {
      logger.error('shutdown grace period passed; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    await hub.stop();
    await services.feedInbox.stop();
    await auditSchedule.stop();
    await services.auditLog.stop();
    await sync.stop();
    await database.close();
    await stopTracing().catch(() => {});
    logger.info('stopped');
    process.exit(0);
  };
  // `on`, not `once`: a repeated signal (npm, tsx and container runtimes may relay it twice) must
  // not fall through to Node's default action and kill the process mid-drain.
  let draining = false;
  const onSignal = (signal: string) => {
    if (draining) return;
    draining = true;
    void shutdown(signal).catch((error: Error) => {
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
