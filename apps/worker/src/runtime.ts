import * as v8 from 'node:v8';
import { Context } from '@temporalio/activity';
import { DefaultLogger, type LogEntry, Runtime } from '@temporalio/worker';
import pino from 'pino';
import type { AppConfig } from '@buf/config';
import { isCaseId, pinoOptions } from '@buf/config/logging.module';
import { freeLoopbackPort } from '@buf/telemetry';

/**
 * The SDK's log lines (the worker's, the workflows' own `log`) in the service's format: JSON, or
 * short lines at a terminal. A line of a case's workflow carries `caseId`, and `traceId` when the
 * step it is about was traced.
 */
export function runtimeLogger(config: Pick<AppConfig, 'logLevel' | 'telemetry'>, destination?: pino.DestinationStream): DefaultLogger {
  const options = { ...pinoOptions(config), mixin: undefined, base: { context: 'Temporal' } };
  const logger = destination ? pino(options, destination) : pino(options);
  return new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN', ({ level, message, meta }: LogEntry) => {
    const { trace_id: traceId, caseId, ...rest } = (meta ?? {}) as Record<string, unknown>;
    delete rest.span_id;
    delete rest.trace_flags;
    const workflowId = typeof rest.workflowId === 'string' ? rest.workflowId : undefined;
    const ofCase = typeof caseId === 'string' ? caseId : workflowId !== undefined && isCaseId(workflowId) ? workflowId : undefined;
    // An Error in the SDK's meta (an activity's or task's failure) says its name and message; as an object it would log as {}.
    for (const [key, value] of Object.entries(rest)) if (value instanceof Error) rest[key] = `${value.name}: ${value.message}`;
    const fields = { ...rest, ...(ofCase ? { caseId: ofCase } : {}), ...(typeof traceId === 'string' ? { traceId } : {}) };
    const method = ({ TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const)[level];
    logger[method](fields, message);
  });
}

/** The case of the activity running here (a case's workflow id is its case id), for the lines it logs. */
export function activityCaseId(): string | undefined {
  let id: string | undefined;
  try {
    id = Context.current().info.workflowExecution?.workflowId;
  } catch {
    // Not inside an activity.
    return undefined;
  }
  return id !== undefined && isCaseId(id) ? id : undefined;
}

/**
 * Bounds the V8 heap of the threads started from now on, which are the SDK's workflow threads
 * (WORKER_WORKFLOW_HEAP_MB). The process's own heap was sized at its start and stays as it is.
 */
export function boundWorkflowHeap(config: Pick<AppConfig, 'workflowHeapMb'>): void {
  v8.setFlagsFromString(`--max-old-space-size=${config.workflowHeapMb}`);
}

/**
 * Installs the SDK runtime (before anything else touches the SDK), with the workflow threads'
 * heap bounded first. With WORKER_METRICS_PORT, the
 * runtime's own Prometheus exporter (worker metrics: task latencies, failures, slots) listens on a
 * loopback port of its own, which the worker's /metrics serves together with the service's
 * metrics; returns that exporter's address.
 */
export async function installRuntime(config: AppConfig): Promise<string | undefined> {
  boundWorkflowHeap(config);
  const sdkPort = config.telemetry.workerMetricsPort !== undefined ? await freeLoopbackPort() : undefined;
  Runtime.install({
    logger: runtimeLogger(config),
    // Nest, not the SDK, reacts to SIGTERM/SIGINT.
    shutdownSignals: [],
    ...(sdkPort !== undefined ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkPort}`, useSecondsForDurations: true } } } } : {}),
  });
  return sdkPort !== undefined ? `http://127.0.0.1:${sdkPort}/metrics` : undefined;
}
