import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = {
  security?: unknown[];
  parameters?: { in?: string }[];
  requestBody?: unknown;
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};

/** The one error shape (ApiErrorBody in errors/api-error.ts) as an OpenAPI schema. */
export const API_ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    message: { type: 'string', example: 'discoveredAt must be an ISO 8601 date-time' },
    details: {
      type: 'object',
      description: '400: fields ([{ field, message }]); 409: step and allowedActions; 403: the role or person required',
      additionalProperties: true,
    },
  },
} as const;

const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'Invalid input: a parameter, the body, or its JSON (details.fields names the fields)',
  '401': 'No valid bearer token',
  '413': 'The request body is too large (at most 256 kB)',
  '415': 'The request body has an unsupported encoding',
  '429': 'Too many requests from this identity (RATE_LIMIT_PER_MINUTE)',
  '503': 'A backing service (database or Temporal) is unavailable; try again shortly',
};

/**
 * Documents every error answer with the one error shape, so that the document says what the
 * API really answers (and schemathesis can hold the API to it): each documented 4xx/5xx
 * response without content gets the ApiError schema, and every operation gets the errors any
 * request can meet — 400 (parameters, body), 401 (secured operations), 413/415 (a body),
 * 429 (the rate limit) and 503 (database or Temporal away). Responses that already have
 * content (e.g. the health check's own 503) are left as they are.
 */
export function documentErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ApiError = API_ERROR_SCHEMA as never;
  const ref = { $ref: '#/components/schemas/ApiError' };
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = (pathItem as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const add = (status: string) => {
        op.responses[status] ??= { description: ERROR_DESCRIPTIONS[status] ?? status };
      };
      const secured = (op.security ?? document.security ?? []).length > 0;
      if (secured) {
        add('401');
        add('429');
      }
      if ((op.parameters ?? []).length > 0 || op.requestBody) add('400');
      if (op.requestBody) {
        add('413');
        add('415');
      }
      add('503');
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]\d\d$/.test(status) || response.content) continue;
        response.content = { 'application/json': { schema: ref } };
      }
    }
  }
  return document;
}
