/**
 * Prometheus metrics (prom-client), served at GET /metrics. Labels are only values the hub defines
 * (root field names of the schema, operation types, error codes, HTTP status classes): never a
 * caller's operation name, an id or anything from a record, so neither cardinality nor personal data
 * can come in through them.
 *
 * Counters and histograms live in one registry per process (every hub in it adds to them);
 * gauges read at scrape time (outbox, subscriptions) belong to each hub.
 */
import { sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { rowsOf, type Database } from '../db';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'hub_' });

export const httpRequests = new Counter({
  name: 'hub_http_requests_total',
  help: 'HTTP requests, by GraphQL operation (first root field) and outcome',
  labelNames: ['operation', 'operation_type', 'status_class', 'error'] as const,
  registers: [processRegistry],
});
export const httpRequestSeconds = new Histogram({
  name: 'hub_http_request_duration_seconds',
  help: 'HTTP request latency, by GraphQL operation (first root field)',
  labelNames: ['operation', 'operation_type'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});
export const graphqlErrors = new Counter({
  name: 'hub_graphql_errors_total',
  help: 'GraphQL errors returned, by operation and extensions.code',
  labelNames: ['operation', 'code'] as const,
  registers: [processRegistry],
});
export const auditCommitSeconds = new Histogram({
  name: 'hub_audit_commit_duration_seconds',
  help: 'Time to append one batch of access audit rows to the chain',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [processRegistry],
});
export const auditBatchRows = new Histogram({
  name: 'hub_audit_batch_rows',
  help: 'Access audit rows per chain append (group commit)',
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
  registers: [processRegistry],
});
export const auditVerifications = new Counter({
  name: 'hub_audit_verifications_total',
  help: 'Scheduled audit log verifications, by outcome (ok, failed: the log does not match its checkpoint)',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});
export const auditLogVerified = new Gauge({
  name: 'hub_audit_log_verified',
  help: '1 while the last scheduled verification of the audit log passed, 0 after one failed (alert on 0)',
  registers: [processRegistry],
});
export const retentionSweeps = new Counter({
  name: 'hub_retention_sweeps_total',
  help: 'Scheduled retention sweeps, by outcome (ok, failed)',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});
export const retentionChildrenDeleted = new Counter({
  name: 'hub_retention_children_deleted_total',
  help: 'Children whose case data the retention sweep deleted',
  registers: [processRegistry],
});

const OPERATION = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface RequestOutcome {
  rootFields?: readonly string[];
  operationType?: string;
  errorCodes?: readonly string[];
  status: number;
  seconds: number;
}

/** One finished HTTP request (from the request log line's record). */
export function observeRequest(outcome: RequestOutcome): void {
  const first = outcome.rootFields?.[0];
  const operation = first && OPERATION.test(first) ? first : 'none';
  const operationType = outcome.operationType ?? 'none';
  const codes = outcome.errorCodes ?? [];
  httpRequests.inc({
    operation,
    operation_type: operationType,
    status_class: `${Math.floor(outcome.status / 100)}xx`,
    error: codes.length > 0 || outcome.status >= 500 ? 'true' : 'false',
  });
  httpRequestSeconds.observe({ operation, operation_type: operationType }, outcome.seconds);
  for (const code of codes) graphqlErrors.inc({ operation, code });
}

export interface HubMetricsSources {
  database: Database;
  /** Open WebSocket connections and attached subscribers, when subscriptions are on. */
  subscriptions?: { readonly connections: number; readonly subscribers: number } | null;
}

/** This hub's scrape-time gauges, and the text of /metrics (process metrics and these). */
export function hubMetrics(sources: HubMetricsSources): { contentType: string; render(): Promise<string> } {
  const registry = new Registry();
  new Gauge({
    name: 'hub_subscription_connections',
    help: 'Open GraphQL WebSocket connections',
    registers: [registry],
    collect() {
      this.set(sources.subscriptions?.connections ?? 0);
    },
  });
  new Gauge({
    name: 'hub_subscriptions',
    help: 'Subscribers attached to the case event listener',
    registers: [registry],
    collect() {
      this.set(sources.subscriptions?.subscribers ?? 0);
    },
  });
  const outboxRows = new Gauge({
    name: 'hub_outbox_rows',
    help: 'Outbox rows by status (pending, in_flight, dead: dead letters)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const outboxAge = new Gauge({
    name: 'hub_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest undelivered (pending or in-flight) outbox row; 0 when none',
    registers: [registry],
  });
  const outbox = async () => {
    const rows = rowsOf<{ pending: number; in_flight: number; dead: number; age: number | null }>(
      await sources.database.db.execute(sql`
      select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'in_flight')::int as in_flight,
             count(*) filter (where status = 'dead')::int as dead,
             extract(epoch from now() - min(created_at) filter (where status in ('pending', 'in_flight')))::float8 as age
        from outbox`),
    );
    const r = rows[0];
    outboxRows.set({ status: 'pending' }, r?.pending ?? 0);
    outboxRows.set({ status: 'in_flight' }, r?.in_flight ?? 0);
    outboxRows.set({ status: 'dead' }, r?.dead ?? 0);
    outboxAge.set(Number(r?.age ?? 0));
  };
  const pool = new Gauge({
    name: 'hub_db_pool_connections',
    help: 'PostgreSQL connections by state (busy, reserved, idle, connecting); absent on PGlite',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const poolMax = new Gauge({
    name: 'hub_db_pool_max_connections',
    help: 'PostgreSQL pool size',
    registers: [registry],
  });
  const poolWaiting = new Gauge({
    name: 'hub_db_pool_waiting_queries',
    help: 'Queries waiting for a free PostgreSQL connection',
    registers: [registry],
  });
  new Gauge({
    name: 'hub_db_available',
    help: '1 while the database answers, 0 while requests are being shed (503)',
    registers: [registry],
    collect() {
      this.set(sources.database.health.available ? 1 : 0);
    },
  });
  const readPool = () => {
    const stats = sources.database.poolStats();
    if (!stats) return;
    for (const state of ['busy', 'reserved', 'idle', 'connecting'] as const) pool.set({ state }, stats[state]);
    poolMax.set(stats.max);
    poolWaiting.set(stats.waiting);
  };
  return {
    contentType: registry.contentType,
    async render() {
      readPool();
      // A database that does not answer leaves the outbox gauges out rather than failing the scrape.
      await outbox().catch(() => {
        outboxRows.reset();
        outboxAge.reset();
      });
      return (await processRegistry.metrics()) + (await registry.metrics());
    },
  };
}
