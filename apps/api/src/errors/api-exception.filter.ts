import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { type ApiErrorBody, errorBody } from './api-error';

/**
 * Every error leaves the API in one shape. Known HTTP errors keep their status; anything else
 * is logged (message only, no request data) and answered with a bare 500, or 503 when a
 * backing service is unreachable.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    // JSON even where a route set another type beforehand (e.g. the BPMN endpoint's XML).
    res.status(body.statusCode).type('application/json').json(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'statusCode' in response && 'error' in response && 'message' in response) {
        const r = response as ApiErrorBody & { message: unknown };
        return { ...r, message: Array.isArray(r.message) ? r.message.join('; ') : String(r.message) };
      }
      const health = healthCheckFailure(response);
      if (health) return errorBody(status, `Not ready: ${health.down.join(', ')} unavailable`, { checks: health.details });
      return errorBody(status, typeof response === 'string' ? response : exception.message);
    }
    const clientError = bodyParserError(exception);
    if (clientError) return clientError;
    if (isUnavailable(exception)) {
      this.logger.warn(`Backing service unavailable: ${(exception as Error).message}`);
      return errorBody(503, 'A backing service (database or Temporal) is unavailable; try again shortly.');
    }
    this.logger.error(`Unhandled error: ${exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception)}`);
    return errorBody(500, 'Internal server error');
  }
}

/** A failed @nestjs/terminus check (`{ status: 'error', details: { name: { status } } }`): which dependencies are down. */
function healthCheckFailure(response: unknown): { down: string[]; details: Record<string, unknown> } | undefined {
  const r = response as { status?: unknown; details?: unknown };
  if (r?.status !== 'error' || typeof r.details !== 'object' || r.details === null) return undefined;
  const details = r.details as Record<string, { status?: unknown }>;
  const down = Object.keys(details).filter((name) => details[name]?.status !== 'up');
  return { down, details };
}

/** Errors of the JSON body parser (http-errors with `expose`): the client's fault, said plainly. */
function bodyParserError(err: unknown): ApiErrorBody | undefined {
  const e = err as { status?: unknown; expose?: unknown; type?: unknown };
  if (typeof e?.status !== 'number' || e.status < 400 || e.status >= 500 || e.expose !== true) return undefined;
  const messages: Record<string, string> = {
    'entity.too.large': 'The request body is too large (at most 256 kB; a training import file at most 4 MB)',
    'entity.parse.failed': 'The request body is not valid JSON',
    'encoding.unsupported': 'The request body has an unsupported encoding',
    'content-type.unsupported': 'The request body must be JSON (Content-Type: application/json)',
  };
  return errorBody(e.status, messages[String(e.type)] ?? 'The request body could not be read');
}

/** Connection-level failures of PostgreSQL or Temporal: the request can be retried later. */
export function isUnavailable(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error)) return false;
  const text = `${err.name} ${err.message} ${(err as { code?: unknown }).code ?? ''}`;
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P01|57P03|Connection terminated|connection timeout|14 UNAVAILABLE|4 DEADLINE_EXCEEDED|ConnectionError|Failed to connect/i.test(text)) return true;
  // The Temporal client wraps the gRPC failure (e.g. ServiceError "Update-With-Start failed", cause 14 UNAVAILABLE).
  return depth < 5 && isUnavailable(err.cause, depth + 1);
}
