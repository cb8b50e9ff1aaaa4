/**
 * GET /metrics: request counts and latency by operation (the first root field), GraphQL errors by
 * code, audit commit latency and batch size, outbox depth and age, subscription counts, process
 * metrics; and nothing a caller chose (operation names) or read (identifiers) in the labels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS, seedDemoCity } from '../seeds/demo-city';
import { startTestHub, type TestHub } from './support/hub';

/** The value of one sample line, e.g. `hub_http_requests_total{operation="me",…}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

describe('GET /metrics', () => {
  let t: TestHub;
  let text: string;
  beforeAll(async () => {
    t = await startTestHub();
    await seedDemoCity(t.database.db);
    const dsl = DEMO_PERSONAS.find((p) => p.subject === 'demo-school-dsl')!;
    const token = await t.token({ role: dsl.role, org: dsl.organisationId, sub: dsl.subject });
    const list = await t.post(token, '{ children(first: 3) { nodes { id nhsNumber } } }');
    expect(list.errors).toBeUndefined();
    await t.post(token, 'query CallerChosenName { me { subject } }');
    await t.post(token, '{ child(upn: "not-a-upn") { id } }');
    const res = await fetch(t.url.replace(/\/graphql$/, '/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    text = await res.text();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts requests and their latency by operation, and errors by code', () => {
    expect(
      sample(text, 'hub_http_requests_total', {
        operation: 'children',
        operation_type: 'query',
        status_class: '2xx',
        error: 'false',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'hub_http_requests_total', { operation: 'me', operation_type: 'query' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hub_http_request_duration_seconds_count', { operation: 'children' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      sample(text, 'hub_graphql_errors_total', { operation: 'child', code: 'BAD_USER_INPUT' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('reports audit commits (latency and rows per batch)', () => {
    expect(sample(text, 'hub_audit_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hub_audit_batch_rows_sum')).toBeGreaterThanOrEqual(3);
  });

  it('reports the outbox, subscriptions and the process', () => {
    for (const status of ['pending', 'in_flight', 'dead'])
      expect(sample(text, 'hub_outbox_rows', { status })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'hub_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'hub_subscription_connections')).toBe(0);
    expect(sample(text, 'hub_subscriptions')).toBe(0);
    expect(sample(text, 'hub_nodejs_eventloop_lag_seconds')).not.toBeNull();
  });

  it('reports the database: available, and on PostgreSQL its pool', () => {
    expect(sample(text, 'hub_db_available')).toBe(1);
    if (!t.database.url) {
      expect(sample(text, 'hub_db_pool_connections', { state: 'busy' })).toBeNull();
      return;
    }
    expect(sample(text, 'hub_db_pool_max_connections')).toBe(10);
    const states = ['busy', 'reserved', 'idle', 'connecting'].map((state) =>
      sample(text, 'hub_db_pool_connections', { state }),
    );
    expect(states.every((n) => n !== null && n >= 0)).toBe(true);
    // The requests above opened connections, which stay in the pool.
    expect(states.reduce((a, b) => a! + b!, 0)).toBeGreaterThan(0);
    expect(sample(text, 'hub_db_pool_waiting_queries')).toBe(0);
  });

  it('carries no caller-chosen name or record value', () => {
    expect(text).not.toContain('CallerChosenName');
    expect(text).not.toMatch(/\b999\d{7}\b/);
    expect(text).not.toContain('not-a-upn');
  });
});
