import type { OpenAPIObject } from '@nestjs/swagger';
import type { InputSchema } from '@buf/domain';

type Operation = {
  security?: unknown[];
  parameters?: { in?: string; name?: string }[];
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
  '413': 'The request body is too large (at most 256 kB; a training import file at most 4 MB)',
  '415': 'The request body has an unsupported encoding or media type (the API reads application/json; the training import text/csv)',
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

type PathItem = Record<string, Operation & { operationId?: string; summary?: string }>;

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * One operation per process start and per action, each with the body schema of exactly that
 * start or action (the definitions' field rules, unknown fields refused), instead of the two
 * generic routes with a union of every body. Each start's 201 links to the actions of its
 * process with the new case's id, so a client (or a fuzzer) can walk a case it opened. The
 * routes served are the same: `/cases/{process}` and `/cases/{caseId}/actions/{action}`.
 */
export function documentProcessOperations(
  document: OpenAPIObject,
  processes: readonly { name: string; label: string; actions: readonly { name: string; label: string; input?: InputSchema }[] }[],
  schemaName: { start: (process: string) => string; action: (process: string, action: string) => string },
): OpenAPIObject {
  const paths = document.paths as Record<string, PathItem>;
  const startPath = '/api/v1/cases/{process}';
  const actPath = '/api/v1/cases/{caseId}/actions/{action}';
  const start = paths[startPath]?.post;
  const act = paths[actPath]?.post;
  if (!start || !act) return document;
  // Unknown fields are refused (400): the body schemas say so.
  const bodies = processes.flatMap((p) => [schemaName.start(p.name), ...p.actions.map((a) => schemaName.action(p.name, a.name))]);
  for (const name of bodies) {
    const schema = document.components?.schemas?.[name] as { additionalProperties?: boolean } | undefined;
    if (schema) schema.additionalProperties = false;
  }
  for (const p of processes) {
    for (const a of p.actions) documentRequiredWhen(document, schemaName.action(p.name, a.name), a.input ?? {});
  }
  const byAction = new Map<string, string[]>();
  for (const p of processes) for (const a of p.actions) byAction.set(a.name, [...(byAction.get(a.name) ?? []), p.name]);
  for (const p of processes) {
    const op = structuredClone(start);
    op.operationId = `start${camel(`-${p.name}`)}`;
    op.summary = `Open a case: ${p.label} (${p.name})`;
    op.parameters = (op.parameters ?? []).filter((x) => !(x.in === 'path' && x.name === 'process'));
    op.requestBody = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName.start(p.name)}` } } } };
    const created = op.responses['201'] as { links?: Record<string, unknown> };
    created.links = Object.fromEntries(p.actions.map((a) => [a.name, { operationId: `act${camel(`-${a.name}`)}`, parameters: { caseId: '$response.body#/id' } }]));
    paths[`/api/v1/cases/${p.name}`] = { post: op };
  }
  for (const [action, owners] of byAction) {
    const op = structuredClone(act);
    op.operationId = `act${camel(`-${action}`)}`;
    op.summary = `Take the action ${action} (${owners.join(', ')})`;
    op.parameters = (op.parameters ?? []).filter((x) => !(x.in === 'path' && x.name === 'action'));
    const refs = owners.map((p) => ({ $ref: `#/components/schemas/${schemaName.action(p, action)}` }));
    op.requestBody = { required: true, content: { 'application/json': { schema: refs.length === 1 ? refs[0] : { anyOf: refs } } } };
    paths[`/api/v1/cases/{caseId}/actions/${action}`] = { post: op };
  }
  delete paths[actPath];
  delete paths[startPath].post;
  if (Object.keys(paths[startPath]).length === 0) delete paths[startPath];
  return document;
}

type ObjectSchema = { properties?: Record<string, { enum?: string[] }>; required?: string[] };

/**
 * A body with a field required by the value of another (`requiredWhen`: a realitetsklage names
 * the complaint body) documented as one schema per case (`anyOf`): where the other field holds
 * one of the values, the field is required; elsewhere it is optional, or with `only` absent. So
 * the document says exactly what the rule accepts.
 */
function documentRequiredWhen(document: OpenAPIObject, name: string, input: InputSchema): void {
  const schemas = document.components?.schemas as Record<string, ObjectSchema> | undefined;
  const body = schemas?.[name];
  if (!schemas || !body) return;
  let variants: ObjectSchema[] = [body];
  for (const [field, spec] of Object.entries(input)) {
    const when = spec.requiredWhen;
    if (!when) continue;
    variants = variants.flatMap((v) => {
      const values = v.properties?.[when.field]?.enum ?? [];
      const restricted = (kept: string[], required: boolean): ObjectSchema[] => {
        if (kept.length === 0) return [];
        const variant = structuredClone(v);
        variant.properties = { ...variant.properties, [when.field]: { ...variant.properties?.[when.field], enum: kept } };
        const others = (variant.required ?? []).filter((r) => r !== field);
        variant.required = required ? [...others, field] : others;
        if (!required && when.only) delete variant.properties[field];
        return [variant];
      };
      return [...restricted(values.filter((x) => when.values.includes(x)), true), ...restricted(values.filter((x) => !when.values.includes(x)), false)];
    });
  }
  if (variants.length > 1) schemas[name] = { anyOf: variants } as ObjectSchema;
}

/**
 * Every area field (format `area`: a case's `area`, the list filter) documented with the
 * configured areas as its enum: the list is configuration, known when the document is built.
 */
export function documentAreas(document: OpenAPIObject, areas: readonly string[], format: string): OpenAPIObject {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const schema = node as Record<string, unknown>;
    if (schema.format === format && schema.type === 'string') schema.enum = [...areas];
    Object.values(schema).forEach(visit);
  };
  visit(document.paths);
  visit(document.components);
  return document;
}
