/**
 * OpenTelemetry traces, off unless an OTLP endpoint is configured: one server span per HTTP
 * request (continuing the caller's W3C `traceparent`), a GraphQL operation span inside it, and a
 * span per SQL statement inside that. Exported over OTLP/HTTP in batches.
 *
 * What a span may carry follows the metrics' rule: values the hub defines (route templates, root
 * field names, operation types, statement texts, which hold placeholders and never parameters, the
 * request id), never a caller's operation name, an identifier from a path or anything from a
 * record. Off, the API's no-op tracer makes every call here a cheap no-op and no driver is wrapped.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const tracer = trace.getTracer('early-help-hub');
let provider: NodeTracerProvider | null = null;

export interface TracingOptions {
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); traces go to `<endpoint>/v1/traces`. */
  endpoint: string;
  serviceName: string;
}

/** Registers the global tracer provider, W3C propagation and async context. Once per process. */
export function startTracing(options: TracingOptions): void {
  if (provider) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, '')}/v1/traces` }), {
        scheduledDelayMillis: 1_000,
      }),
    ],
  });
  provider.register();
}

export function tracingEnabled(): boolean {
  return provider !== null;
}

/** Sends the spans still buffered (shutdown, tests). */
export async function flushTraces(): Promise<void> {
  await provider?.forceFlush();
}

export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
  provider = null;
}

/**
 * The first middleware: the server span. Its name and route are set when the response finishes,
 * from the route that matched (a template such as `/dpo/subject-access/:childId`, never the path).
 */
export function httpServerSpan(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!provider) return next();
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    res.locals.traceContext = active;
    res.once('close', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || firstSegment(req.path);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({
        'http.route': route,
        'http.response.status_code': res.statusCode,
        'hub.request_id': String(res.locals.requestId ?? ''),
      });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(active, next);
  };
}

/**
 * After the body parser, which calls on from a stream event and so outside the request's async
 * context: the GraphQL operation span, made active so that every statement the operation sends
 * is its child. Named for its operation type and root fields once Apollo has resolved them.
 */
export function graphqlOperationSpan(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const parent = res.locals.traceContext as Context | undefined;
    if (!provider || !parent) return next();
    const span = tracer.startSpan('graphql', { kind: SpanKind.INTERNAL }, parent);
    res.once('close', () => span.end());
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Names the active GraphQL span (from Apollo's didResolveOperation). */
export function nameOperationSpan(operationType: string, rootFields: readonly string[]): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  const fields = rootFields.slice(0, 5).join(',');
  span.updateName(`${operationType} ${fields}`);
  span.setAttributes({ 'graphql.operation.type': operationType, 'hub.graphql.root_fields': fields });
}

/** Runs one SQL statement inside a client span named for its verb. */
export function traceStatement<T>(text: string, run: () => PromiseLike<T>): Promise<T> {
  const span = tracer.startSpan(statementVerb(text), {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': 'postgresql',
      'db.query.text': text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text,
    },
  });
  return context.with(trace.setSpan(context.active(), span), () =>
    Promise.resolve(run()).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failed(span, error);
        throw error;
      },
    ),
  );
}

function failed(span: Span, error: unknown): void {
  // The error's class and the server's SQLSTATE only: a message can quote a value.
  const code = (error as { code?: unknown }).code;
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : (error as Error).name });
  span.end();
}

function statementVerb(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? 'sql';
  return `db ${verb}`;
}

function firstSegment(path: string): string {
  const first = path.split('/')[1];
  return first ? `/${first}` : '/';
}
