/**
 * OpenTelemetry traces and the request id, end to end: a real OTLP/HTTP collector (a local HTTP
 * server that keeps what the exporter posts) receives, for one GraphQL request, a server span that
 * continues the caller's W3C trace, a GraphQL operation span inside it and SQL statement spans
 * inside that, carrying the request id and no value from the request or the record. A change's
 * outbox record carries the id of the request that made it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../schema';
import { flushTraces, startTracing, stopTracing } from '../src/observability/tracing';
import { syntheticNhsNumber } from '../seeds/synthetic';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

/** The collector: every span posted to /v1/traces (OTLP JSON), in arrival order. */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; server: Server }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req
      .setEncoding('utf8')
      .on('data', (d: string) => {
        body += d;
      })
      .on('end', () => {
        if (req.url === '/v1/traces' && req.headers['content-type']?.includes('json')) {
          const parsed = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
          for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

describe('traces over OTLP, and the request id in outbox records', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let t: TestHub;
  let dsl: string;
  let screener: string;
  let pupil: { id: string; nhsNumber: string; givenName: string; postcode: string };

  beforeAll(async () => {
    collector = await startCollector();
    // Before the database opens: statements are traced only when tracing is on by then.
    startTracing({ endpoint: collector.url, serviceName: 'hub-under-test' });
    t = await startTestHub();
    const f = fixture(t.database.db);
    const school = await f.org('traced-school', 'school');
    const council = await f.org('council', 'council_early_help');
    const child = await f.child({ givenName: 'Tamsin', postcode: 'LE4 8TT' });
    await f.involve(child.id, school, 'on_roll');
    pupil = { ...child, givenName: 'Tamsin', postcode: 'LE4 8TT' };
    dsl = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-traced' });
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-traced' });
  });
  afterAll(async () => {
    await t?.close();
    await stopTracing();
    collector?.server.close();
  });

  const post = (token: string, requestId: string, query: string, variables: Record<string, unknown>) =>
    fetch(t.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-purpose-of-use': 'direct_support',
        'x-request-id': requestId,
        traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`,
      },
      body: JSON.stringify({ query, variables }),
    });

  it("a request is a server span in the caller's trace, holding the operation span, holding its SQL", async () => {
    const res = await post(
      dsl,
      'trace-test-read-0001',
      'query ($id: ID) { child(id: $id) { id givenName nhsNumber postcode } }',
      { id: pupil.id },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { child: { id: string } } }).data.child.id).toBe(pupil.id);
    await flushTraces();
    const inTrace = collector.spans.filter((s) => s.traceId.toLowerCase() === TRACE_ID);

    const server = inTrace.find((s) => s.name === 'POST /graphql');
    expect(server, `spans: ${inTrace.map((s) => s.name).join(', ')}`).toBeDefined();
    expect(server!.parentSpanId).toBe(CALLER_SPAN_ID);
    expect(attribute(server!, 'hub.request_id')).toBe('trace-test-read-0001');
    expect(attribute(server!, 'http.route')).toBe('/graphql');

    const operation = inTrace.find((s) => s.name === 'query child');
    expect(operation?.parentSpanId).toBe(server!.spanId);
    expect(attribute(operation!, 'graphql.operation.type')).toBe('query');

    const statements = inTrace.filter((s) => s.name.startsWith('db '));
    expect(statements.length).toBeGreaterThan(0);
    // Every statement of the request, the audit append included, inside the operation.
    expect(statements.every((s) => s.parentSpanId === operation!.spanId)).toBe(true);
    expect(statements.map((s) => s.name)).toContain('db insert');
    expect(String(attribute(statements[0]!, 'db.query.text'))).toMatch(/^\s*(select|insert|with)/i);

    // Nothing from the request or the record: not the child's id, name, NHS number or postcode.
    const exported = JSON.stringify(inTrace);
    for (const value of [pupil.id, pupil.givenName, pupil.nhsNumber, pupil.postcode])
      expect(exported).not.toContain(value);
  });

  it('each outbox record says which request made the change', async () => {
    const input = {
      givenName: 'Orla',
      familyName: 'Tracewell',
      dateOfBirth: '2016-02-03',
      postcode: 'LE2 7TT',
      gender: 'female',
      nhsNumber: syntheticNhsNumber(733_112),
      nhsNumberTraced: true,
    };
    const res = await post(
      screener,
      'trace-test-write-0002',
      'mutation ($input: RegisterChildInput!) { registerChild(input: $input) { outcome childId } }',
      { input },
    );
    const body = (await res.json()) as { data: { registerChild: { outcome: string; childId: string } } };
    expect(body.data.registerChild.outcome).toBe('CREATED');
    const rows = await t.database.db
      .select({ requestId: outbox.requestId, entity: outbox.entity })
      .from(outbox)
      .where(eq(outbox.childId, body.data.registerChild.childId));
    expect(rows).toEqual([{ requestId: 'trace-test-write-0002', entity: 'person' }]);
  });
});
