/**
 * Input schemas as plain data, so that one description of an action's payload drives the
 * API's class-validator DTOs, the OpenAPI document and the workflow's update validator.
 * Everything here is deterministic and free of Node built-ins (it runs inside workflows).
 */
export type FieldSpec =
  | { type: 'string'; required: boolean; maxLength?: number; description: string }
  | { type: 'datetime'; required: boolean; notInFuture?: boolean; description: string }
  | { type: 'enum'; required: boolean; values: readonly string[]; description: string }
  | { type: 'integer'; required: boolean; min?: number; description: string }
  | { type: 'string-array'; required: boolean; minItems?: number; description: string };

export type InputSchema = Readonly<Record<string, FieldSpec>>;

export interface FieldError {
  field: string;
  message: string;
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_DATETIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A field error when `input[field]` is an instant that is not after `now` (a promised date, a new deadline). */
export function mustBeInFuture(input: Record<string, unknown>, field: string, now: number): FieldError[] {
  const instant = parseInstant(input[field]);
  return instant !== undefined && instant <= now ? [{ field, message: `${field} must be in the future` }] : [];
}

/** Checks a payload against its schema; `now` is passed in (workflow time inside workflows). */
export function validateInput(schema: InputSchema, input: unknown, now: number): FieldError[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ field: '(body)', message: 'must be a JSON object' }];
  }
  const record = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const field of Object.keys(record)) {
    if (!(field in schema)) errors.push({ field, message: `${field} is not a known field` });
  }
  for (const [field, spec] of Object.entries(schema)) {
    const value = record[field];
    if (value === undefined || value === null) {
      if (spec.required) errors.push({ field, message: `${field} is required` });
      continue;
    }
    const problem = checkField(spec, value, now);
    if (problem) errors.push({ field, message: `${field} ${problem}` });
  }
  return errors;
}

function checkField(spec: FieldSpec, value: unknown, now: number): string | undefined {
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') return 'must be a non-empty string';
      // PostgreSQL text cannot hold U+0000: a case with it could never be recorded.
      if (value.includes('\u0000')) return 'must not contain the NUL character';
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        return `must be at most ${spec.maxLength} characters`;
      }
      return undefined;
    case 'datetime': {
      const ms = parseInstant(value);
      if (ms === undefined) return 'must be an ISO 8601 date-time';
      if (spec.notInFuture && ms > now + CLOCK_SKEW_MS) return 'must not be in the future';
      return undefined;
    }
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? undefined
        : `must be one of: ${spec.values.join(', ')}`;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer';
      if (spec.min !== undefined && value < spec.min) return `must not be less than ${spec.min}`;
      return undefined;
    case 'string-array':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
        return 'must be an array of non-empty strings';
      }
      if (value.some((v: string) => v.includes('\u0000'))) return 'must not contain the NUL character';
      if (spec.minItems !== undefined && value.length < spec.minItems) {
        return `must contain at least ${spec.minItems} item(s)`;
      }
      return undefined;
  }
}

/** Clocks of the API host and the worker differ a little; "not in the future" allows for it. */
export const CLOCK_SKEW_MS = 60_000;
