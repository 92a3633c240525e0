import { HttpException, HttpStatus } from '@nestjs/common';
import { CaseErrorCode, type CaseErrorDetails } from '@buf/domain';

/** The one JSON shape of every error the API answers with. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: CaseErrorDetails | Record<string, unknown>;
}

const STATUS_BY_CODE: Record<CaseErrorCode, HttpStatus> = {
  [CaseErrorCode.InvalidInput]: HttpStatus.BAD_REQUEST,
  [CaseErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [CaseErrorCode.NotAllowedInStep]: HttpStatus.CONFLICT,
  [CaseErrorCode.Conflict]: HttpStatus.CONFLICT,
  [CaseErrorCode.NotFound]: HttpStatus.NOT_FOUND,
};

/** A refusal in domain terms (also what the workflow's validator throws), mapped to HTTP once. */
export class CaseException extends HttpException {
  constructor(code: CaseErrorCode, message: string, details?: CaseErrorDetails) {
    const status = STATUS_BY_CODE[code];
    super(errorBody(status, message, details), status);
  }
}

export function isCaseErrorCode(value: unknown): value is CaseErrorCode {
  return typeof value === 'string' && (Object.values(CaseErrorCode) as string[]).includes(value);
}

export class ServiceUnavailableException extends HttpException {
  constructor(message: string) {
    super(errorBody(HttpStatus.SERVICE_UNAVAILABLE, message), HttpStatus.SERVICE_UNAVAILABLE);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function errorBody(statusCode: number, message: string, details?: ApiErrorBody['details']): ApiErrorBody {
  return { statusCode, error: REASONS[statusCode] ?? 'Error', message, ...(details ? { details } : {}) };
}
