import { Module } from '@nestjs/common';
import * as otel from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';
import type { LoggerOptions } from 'pino';
import { PROCESS_DEFINITIONS, isCaseIdOf } from '@buf/domain';
import type { AppConfig } from './config';
import { AppConfigToken } from './config.module';

/** Where a log line finds the case it is about, beyond a request's route (the worker: the activity's workflow). */
type CaseIdSource = () => string | undefined;
const caseIdSources: CaseIdSource[] = [];

/** The worker adds the activity's workflow id (a case id) here; log lines written while it runs carry it. */
export function addCaseIdSource(source: CaseIdSource): void {
  caseIdSources.push(source);
}

/** The case id an address names (`/api/v1/cases/{caseId}…`), if it is one. */
export function caseIdOfPath(url: string): string | undefined {
  const id = /^\/api\/v1\/cases\/([^/?#]+)/.exec(url)?.[1];
  return id !== undefined && isCaseId(id) ? id : undefined;
}

export function isCaseId(id: string): boolean {
  return PROCESS_DEFINITIONS.some((p) => isCaseIdOf(p.name, id));
}

/** The trace and the case of what is running now, on every line (a request's case comes with the request). */
function lineContext(): Record<string, string> {
  const span = otel.trace.getSpanContext(otel.context.active());
  const traceId = span && otel.isSpanContextValid(span) ? span.traceId : undefined;
  let caseId: string | undefined;
  for (const source of caseIdSources) caseId ??= source();
  return { ...(traceId ? { traceId } : {}), ...(caseId ? { caseId } : {}) };
}

/**
 * What every pino logger of the service shares (the HTTP logger here, the worker's SDK runtime
 * logger): the level, the case and trace of each line, and the format: one JSON object a line,
 * or (LOG_FORMAT=pretty, or a terminal) short coloured lines for a person.
 */
export function pinoOptions(config: Pick<AppConfig, 'logLevel' | 'telemetry'>): LoggerOptions {
  return {
    level: config.logLevel,
    mixin: lineContext,
    ...(config.telemetry.logFormat === 'pretty'
      ? {
          transport: {
            // By path: pino resolves a bare name from its caller, which is nestjs-pino's folder.
            target: require.resolve('pino-pretty'),
            options: {
              colorize: true,
              singleLine: true,
              translateTime: 'SYS:HH:MM:ss',
              // Short: what happened and where; the ids stay in the JSON lines (LOG_FORMAT=json).
              ignore: 'pid,hostname,context,caseId,traceId,req,res,responseTime,sdkComponent,taskQueue,namespace,workflowId,runId,workflowType',
              messageFormat: '{if context}[{context}] {end}{msg}{if req} {req.method} {req.path} → {res.statusCode}{end}',
            },
          },
        }
      : {}),
  };
}

/**
 * Structured logs (pino). Requests are logged by method, route and status only: no bodies, no
 * query strings, no Authorization header, since those carry personal data. A line about a case
 * carries `caseId` and, when tracing, `traceId`.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfigToken],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          ...pinoOptions(config),
          customProps: (req: { url?: string }) => {
            const caseId = caseIdOfPath(String(req.url ?? ''));
            return caseId ? { caseId } : {};
          },
          // Scrapes come every few seconds and say nothing.
          autoLogging: { ignore: (req: { url?: string }) => String(req.url ?? '').startsWith('/metrics') },
          serializers: {
            req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
