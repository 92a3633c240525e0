import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry/lib/worker';
import { createCaseActivities } from '@buf/activities/case-activities';
import { createReportActivities } from '@buf/activities/report-activities';
import { createRetentionActivities } from '@buf/activities/retention-activities';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { addCaseIdSource } from '@buf/config/logging.module';
import { CaseStore } from '@buf/persistence/case-store';
import { RetentionStore } from '@buf/persistence/retention-store';
import { createDataConverter } from '@buf/temporal/data-converter';
import { temporalConnectionOptions } from '@buf/temporal/connection-options';
import { OutboxStore } from '@buf/persistence/outbox-store';
import { StatisticsStore } from '@buf/persistence/statistics-store';
import { ServiceMetrics, currentTracing, workflowSpanTarget } from '@buf/telemetry';
import { activityCaseId } from './runtime';

/**
 * Runs the Temporal worker inside the Nest context: activities get their dependencies from
 * Nest, and Nest's shutdown drains the worker (in-flight tasks finish) before connections close.
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    @Inject(AppConfigToken) private readonly config: AppConfig,
    private readonly store: CaseStore,
    private readonly retention: RetentionStore,
    private readonly statistics: StatisticsStore,
    private readonly outbox: OutboxStore,
    private readonly metrics: ServiceMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    addCaseIdSource(activityCaseId);
    const { namespace, taskQueue } = this.config.temporal;
    const workflowSpans = workflowSpanTarget();
    this.connection = await NativeConnection.connect(temporalConnectionOptions(this.config.temporal));
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      // Only what the service sealed, for the workflow it was sealed for, runs here.
      dataConverter: createDataConverter(this.config, { sealedOnly: true }),
      maxCachedWorkflows: this.config.maxCachedWorkflows,
      ...(this.config.workerVersion
        ? { workerDeploymentOptions: { useWorkerVersioning: true, version: this.config.workerVersion, defaultVersioningBehavior: 'PINNED' as const } }
        : {}),
      ...(this.config.workflowBundlePath
        ? { workflowBundle: { codePath: this.config.workflowBundlePath } }
        : { workflowsPath: require.resolve('../../../workflows') }),
      interceptors: {
        ...(this.config.workflowBundlePath ? {} : { workflowModules: [require.resolve('../../../workflows/interceptors')] }),
        // An activity joins the trace of the workflow step that scheduled it (its SQL with it).
        ...(currentTracing() ? { activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })] } : {}),
      },
      // The workflows' spans (traced callers only), exported with the worker's own.
      sinks: { exporter: makeWorkflowExporter(workflowSpans.spanProcessor, workflowSpans.resource) },
      activities: {
        ...createCaseActivities(this.store, new Logger('CaseActivities'), undefined, (event, snapshot) => this.metrics.countNewEntry(event, snapshot)),
        ...createReportActivities(this.statistics, this.outbox, this.config),
        ...createRetentionActivities(this.retention, this.config.policy.retentionDays),
      },
    });
    this.running = this.worker.run();
    this.running.catch((err: unknown) => {
      this.logger.error(`Worker stopped with an error: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
    this.logger.log(`Worker polling task queue ${taskQueue} on ${this.config.temporal.address}${this.config.temporal.tls ? ' (TLS)' : ''} (namespace ${namespace}${this.config.workerVersion ? `, deployment ${this.config.workerVersion.deploymentName} build ${this.config.workerVersion.buildId}` : ''})`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') {
      this.logger.log('Draining the worker');
      this.worker.shutdown();
    }
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    // The spans of the last tasks, before the process ends.
    await currentTracing()?.shutdown();
  }
}
