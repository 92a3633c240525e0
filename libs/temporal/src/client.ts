import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import type { AppConfig } from '@buf/config';
import { currentTracing } from '@buf/telemetry/tracing';
import { temporalConnectionOptions } from './connection-options';
import { createDataConverter } from './data-converter';

/**
 * How often a call is tried while Temporal is unreachable: six tries over about three seconds
 * ride out a restart or a blip; the SDK's default (ten, up to 5 s apart) kept a person waiting
 * some 20 seconds per request for the 503 that says Temporal is down.
 */
export const TEMPORAL_CALL_ATTEMPTS = 6;

/** A Temporal client for the configured server and namespace, encrypting every payload. */
export async function connectClient(config: Pick<AppConfig, 'temporal' | 'encryption'>): Promise<Client> {
  const connection = await Connection.connect({
    ...temporalConnectionOptions(config.temporal),
    connectTimeout: '5 seconds',
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: TEMPORAL_CALL_ATTEMPTS }))],
  });
  return new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: createDataConverter(config),
    // With tracing on, starts and updates carry the caller's trace into the workflow.
    ...(currentTracing() ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } } : {}),
  });
}
