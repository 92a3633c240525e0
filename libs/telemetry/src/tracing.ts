import * as otel from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TelemetryConfig } from '@buf/config/config';

/** Requests that are not worth a trace: scrapes and health checks, every few seconds. */
const UNTRACED_PATHS = /^\/(metrics|api\/v1\/health)(\?|$)/;

export interface Tracing {
  /** Where spans go: the workflow spans (which the worker receives through a sink) go here too. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/**
 * Starts tracing when an OTLP endpoint is configured: a tracer provider with the OTLP/HTTP
 * exporter (JSON), W3C trace context, and the http, express and pg instrumentations. Must run
 * before express and pg are loaded (the entry points import `@buf/telemetry/register` first).
 * Span attributes carry no personal data: URLs lose their query strings, SQL statements are sent
 * with their placeholders and never their parameters.
 */
export function startTracing(config: TelemetryConfig, defaultServiceName: string): Tracing | undefined {
  if (started || !config.tracesEndpoint) return started;
  const resource = new Resource({ 'service.name': config.serviceName ?? defaultServiceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesEndpoint }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
        // Addresses without their query strings: a query can carry what a person typed.
        requestHook: (span) => {
          const attributes = (span as unknown as { attributes?: Record<string, unknown> }).attributes ?? {};
          for (const key of ['http.url', 'http.target', 'url.full']) {
            const value = attributes[key];
            if (typeof value === 'string' && value.includes('?')) span.setAttribute(key, value.split('?')[0]);
          }
        },
      }),
      new ExpressInstrumentation(),
      // Statements only (parameters are never recorded) and only inside a trace: the outbox
      // sender's polling would otherwise be a trace of its own every few hundred milliseconds.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  started = { spanProcessor, resource, shutdown: () => provider.shutdown() };
  return started;
}

/** The tracing started in this process, if any. */
export function currentTracing(): Tracing | undefined {
  return started;
}

/**
 * The worker's sink for workflow spans needs a processor even when tracing is off (a workflow
 * traced by a caller may run on a worker that does not trace): then spans are dropped.
 */
export function workflowSpanTarget(): { spanProcessor: SpanProcessor; resource: Resource } {
  return started ?? { spanProcessor: new NoopSpanProcessor(), resource: Resource.empty() };
}

/** The trace id of the span active here (a request, an activity), for log lines. */
export function activeTraceId(): string | undefined {
  const context = otel.trace.getSpanContext(otel.context.active());
  return context && otel.isSpanContextValid(context) ? context.traceId : undefined;
}
