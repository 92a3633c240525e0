/**
 * OpenTelemetry for workflows (`@temporalio/interceptors-opentelemetry`), only where the caller
 * traces: an update, a signal or a start carries a trace context from the API when tracing is on,
 * and then the workflow's spans (the update handler, the activities it schedules) join that
 * trace; the worker exports them through the `exporter` sink. Without a trace context (tracing
 * off, a Schedule's start, runs from before) nothing is instrumented and no span is made.
 * Whether a call is traced depends on its headers, which are in the history: replay decides alike.
 */
import * as otel from '@opentelemetry/api';
import { extractContextFromHeaders } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import type { Payload } from '@temporalio/common';

/** Whether the headers carry a trace context that is being traced. */
function traced(headers: Record<string, Payload>): boolean {
  const context = extractContextFromHeaders(headers);
  const span = context ? otel.trace.getSpanContext(context) : undefined;
  return span !== undefined && otel.isSpanContextValid(span);
}

/** Whether the workflow code runs inside a traced span (an update handler, a traced start). */
function insideSpan(): boolean {
  const span = otel.trace.getSpanContext(otel.context.active());
  return span !== undefined && otel.isSpanContextValid(span);
}

export function tracingInterceptors(): Required<Pick<WorkflowInterceptors, 'inbound' | 'outbound' | 'internals'>> {
  // Constructing them sets up the workflow's tracer and context propagation (W3C trace context).
  const inbound = new OpenTelemetryInboundInterceptor();
  const outbound = new OpenTelemetryOutboundInterceptor();
  const tracedInbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => (traced(input.headers) ? inbound.execute(input, next) : next(input)),
    handleUpdate: (input, next) => (traced(input.headers) ? inbound.handleUpdate(input, next) : next(input)),
    validateUpdate: (input, next) => (traced(input.headers) ? inbound.validateUpdate(input, next) : next(input)),
    handleSignal: (input, next) => (traced(input.headers) ? inbound.handleSignal(input, next) : next(input)),
  };
  const tracedOutbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => (insideSpan() ? outbound.scheduleActivity(input, next) : next(input)),
    scheduleLocalActivity: (input, next) => (insideSpan() ? outbound.scheduleLocalActivity(input, next) : next(input)),
    startChildWorkflowExecution: (input, next) => (insideSpan() ? outbound.startChildWorkflowExecution(input, next) : next(input)),
    continueAsNew: (input, next) => (insideSpan() ? outbound.continueAsNew(input, next) : next(input)),
    signalWorkflow: (input, next) => (insideSpan() ? outbound.signalWorkflow(input, next) : next(input)),
    // Workflow log lines carry the trace id where there is one.
    getLogAttributes: (input, next) => outbound.getLogAttributes(input, next),
  };
  return { inbound: [tracedInbound], outbound: [tracedOutbound], internals: [new OpenTelemetryInternalsInterceptor()] };
}
