/**
 * Input schemas as plain data, so that one description of an action's payload drives the
 * API's class-validator DTOs, the OpenAPI document and the workflow's update validator.
 * Everything here is deterministic and free of Node built-ins (it runs inside workflows).
 */
import { endOfCopenhagenDay, fromCopenhagenWallClock, startOfCopenhagenDay } from './calendar';
import type { Role } from './roles';

/**
 * Where a confidential field's value is kept: never in the workflow (nor, then, in Temporal's
 * history, search attributes, notifications or the case file), but by the API in its own
 * encrypted store; the workflow receives only `<field>Provided: true`. `readableBy` names the one
 * who reads it back: a role whose claim matches a field of the case (the assigned jurist).
 */
export interface HeldOutsideWorkflow {
  readableBy: { role: Role; field: string; claim: 'sub' | 'unit' | 'area' };
}

/** Properties any field may have, whatever its type. */
export interface FieldProperties {
  /** What staff read beside the field (Danish, PROCESSES.md's glossary): the web app's forms and lists. */
  label: string;
  heldOutsideWorkflow?: HeldOutsideWorkflow;
  requiredWhen?: RequiredWhen;
}

/**
 * A field required when another field of the same payload (an enum) holds one of `values`; with
 * `only`, refused otherwise. `why` says when, as the 400 reads it ("for a realitetsklage"). One
 * declaration for the rule (validateInput) and for the API's documentation, which gives such a
 * body one schema per case (`anyOf`), so that it says exactly what is accepted.
 */
export interface RequiredWhen {
  field: string;
  values: readonly string[];
  only?: boolean;
  why: string;
}

/** Each named value as staff read it (Danish): the web app's choices and lists. */
export type ValueLabels = Readonly<Record<string, string>>;

export type FieldSpec = FieldProperties & (
  | { type: 'string'; required: boolean; maxLength?: number; description: string }
  | {
      type: 'datetime';
      required: boolean;
      notInFuture?: boolean;
      /** The field names a deadline: a date alone means the end of that day (23:59:59.999 Copenhagen). */
      endOfDay?: boolean;
      /** Only a whole Copenhagen day (a date, 2026-06-12), never a time of day: a statistics period's bound. */
      dateOnly?: boolean;
      description: string;
    }
  | { type: 'enum'; required: boolean; values: readonly string[]; valueLabels: ValueLabels; description: string }
  /** An områdeforvaltning or centre: one of the configured areas (FieldContext), never free text. */
  | { type: 'area'; required: boolean; description: string }
  | { type: 'integer'; required: boolean; min?: number; description: string }
  | {
      type: 'string-array';
      required: boolean;
      minItems?: number;
      /** At most this many items (default MAX_LIST_ITEMS): no input list grows a case without limit. */
      maxItems?: number;
      /** The only items allowed, when the list is of named values. */ values?: readonly string[];
      /** With `values`: each one as staff read it. */
      valueLabels?: ValueLabels;
      /** A list the field's rules accept, for the API's documentation (where a rule on the case asks for particular items). */
      example?: readonly string[];
      description: string;
    }
);

/**
 * The most items an input list may hold unless its field says otherwise: far above any real list
 * (categories of data, grounds of a complaint), low enough that one request cannot grow a case
 * without limit.
 */
export const MAX_LIST_ITEMS = 100;

export type InputSchema = Readonly<Record<string, FieldSpec>>;

/**
 * What a field's rule needs from configuration: the configured areas (områdeforvaltninger and
 * centres, AREAS). `areas` undefined: the list is not known where the rule runs (a workflow run
 * opened before the list travelled in its start input); then an area is held to the form of an
 * area name only. The API always passes the list.
 */
export interface FieldContext {
  areas?: readonly string[];
}

/**
 * The form of an area's name, for configuration and wherever the list is not known: letters,
 * digits and hyphens, at most 50 characters (`nord`, `midtby`, `center-for-specialundervisning`).
 */
export const AREA_NAME = /^[\p{L}\p{N}][\p{L}\p{N}-]{0,49}$/u;

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one rule for instants, wherever a value enters (API bodies and queries, workflow starts and
 * updates): RFC 3339 — `2026-06-12T16:00:00Z`, `2026-06-12T16:00+02:00` — or, without an offset,
 * a Copenhagen wall-clock time (`2026-06-12T16:00`), or a date (`2026-06-12`), which is a
 * calendar date in Europe/Copenhagen: its first instant, or its last for a field that names a
 * deadline (`endOfDay`). Anything else — week dates, compact forms, hour-only times, impossible
 * dates — is refused.
 */
const INSTANT =
  /^((?:19|[2-9]\d)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[Tt]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])([01]\d|2[0-3]):([0-5]\d))?)?$/;

/**
 * 1 January 1900 to 30 December 9998, in parts: the days of each month and the leap years
 * (29 February), and the first and the last day of the range apart. It ends a year before 9999,
 * so that a deadline counted from an instant's Copenhagen day (a course within 365 days of the
 * employment) still lies within 9999, where dates can be stored and searched (a Temporal search
 * attribute holds no year 10000). An instant is stored in UTC (normalizeInput) and the workflow
 * checks it again: so that what the rule accepts it accepts again in UTC, on the first and the
 * last day only UTC (Z) is accepted, and elsewhere any offset keeps an instant within the range.
 */
const MONTH_DAY = '(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8])';
const DAY_IN_RANGE = [
  `(?:19(?:0[1-9]|[1-9]\\d)|[2-8]\\d{3}|9(?:[0-8]\\d{2}|9(?:[0-8]\\d|9[0-7])))-(?:${MONTH_DAY})`,
  `1900-(?:01-(?:0[2-9]|[12]\\d|3[01])|(?:0[3578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))`,
  `9998-(?:(?:0[13578]|10)-(?:0[1-9]|[12]\\d|3[01])|12-(?:0[1-9]|[12]\\d)|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))`,
  '(?:(?:19|[2-9]\\d)(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[3579][26])00)-02-29',
].join('|');
const TIME_OF_DAY = '[Tt](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,9})?)?';

/** Documented in OpenAPI as the instant fields' pattern: exactly the rule (parseInstant holds a value to it). */
export const INSTANT_PATTERN = `^(?:(?:${DAY_IN_RANGE})(?:${TIME_OF_DAY}(?:[Zz]|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)?)?|(?:1900-01-01|9998-12-30)${TIME_OF_DAY}[Zz])$`;
const INSTANT_TEXT = new RegExp(INSTANT_PATTERN);

/** A field value that is a date only (`YYYY-MM-DD`). */
export function isDateOnly(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseInstant(value: unknown, dateMeans: 'start-of-day' | 'end-of-day' = 'start-of-day'): number | undefined {
  if (typeof value !== 'string' || !INSTANT_TEXT.test(value)) return undefined;
  const m = INSTANT.exec(value);
  if (!m) return undefined;
  // The pattern holds every part in range; only the days of each month are left to check.
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (day > daysInMonth(year, month)) return undefined;
  if (m[4] === undefined) return dateMeans === 'end-of-day' ? endOfCopenhagenDay({ year, month, day }) : startOfCopenhagenDay({ year, month, day });
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (m[8] !== undefined) return wallClock;
  if (m[9] === undefined) return fromCopenhagenWallClock(wallClock);
  const [offsetHours, offsetMinutes] = [Number(m[10]), Number(m[11])];
  return wallClock - (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/** The instant a datetime field's value stands for, by that field's rule (undefined when invalid). */
export function instantOf(spec: FieldSpec | undefined, value: unknown): number | undefined {
  return parseInstant(value, spec?.type === 'datetime' && spec.endOfDay ? 'end-of-day' : 'start-of-day');
}

/** A field error when `input[field]` is an instant that is not after `now` (a promised date, a new deadline). */
export function mustBeInFuture(input: Record<string, unknown>, field: string, now: number, spec?: FieldSpec): FieldError[] {
  const instant = instantOf(spec, input[field]);
  return instant !== undefined && instant <= now ? [{ field, message: `${field} must be in the future` }] : [];
}

/**
 * The payload with every instant written one way (`toISOString()`, UTC), so that whoever reads it
 * later — a workflow, a report, a person — reads the instant the rule gave, not their own zone's
 * reading of the text. Call only on a payload that `validateInput` accepted.
 */
export function normalizeInput<T extends Record<string, unknown>>(schema: InputSchema, input: T): T {
  const out: Record<string, unknown> = { ...input };
  for (const [field, spec] of Object.entries(schema)) {
    if (spec.type !== 'datetime' || out[field] === undefined || out[field] === null) continue;
    const ms = instantOf(spec, out[field]);
    if (ms !== undefined) out[field] = new Date(ms).toISOString();
  }
  return out as T;
}

/** Checks a payload against its schema; `now` is passed in (workflow time inside workflows). */
export function validateInput(schema: InputSchema, input: unknown, now: number, context: FieldContext = {}): FieldError[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ field: '(body)', message: 'must be a JSON object' }];
  }
  const record = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const markers = Object.entries(schema).filter(([, spec]) => spec.heldOutsideWorkflow).map(([field]) => providedMarker(field));
  for (const field of Object.keys(record)) {
    if (!Object.hasOwn(schema, field) && !markers.includes(field)) errors.push({ field, message: `${field} is not a known field` });
  }
  for (const [field, spec] of Object.entries(schema)) {
    const value = record[field];
    if (spec.heldOutsideWorkflow) {
      // Here (the workflow) only the marker may arrive: the value itself is refused before it is written anywhere.
      const marker = record[providedMarker(field)];
      if (value !== undefined) errors.push({ field, message: `${field} is held outside the workflow and must not be sent to it` });
      else if (marker !== undefined && marker !== true) errors.push({ field: providedMarker(field), message: `${providedMarker(field)} must be true` });
      else if (spec.required && marker !== true) errors.push({ field, message: `${field} is required` });
      continue;
    }
    const problem = fieldProblem(field, spec, value, now, context);
    if (problem) errors.push({ field, message: problem });
  }
  return [...errors, ...requiredWhenErrors(schema, record, new Set(errors.map((e) => e.field)))];
}

/**
 * The rule of fields another field requires (`requiredWhen`), for the fields whose own rule found
 * nothing (not in `faulty`). The API's DTOs and the workflow's validator both call this.
 */
export function requiredWhenErrors(schema: InputSchema, record: Record<string, unknown>, faulty: ReadonlySet<string>): FieldError[] {
  return Object.entries(schema).flatMap(([field, spec]): FieldError[] => {
    const when = spec.requiredWhen;
    if (!when || faulty.has(field)) return [];
    const applies = when.values.includes(record[when.field] as string);
    const given = record[field] !== undefined && record[field] !== null;
    if (applies && !given) return [{ field, message: `${field} is required ${when.why}` }];
    return !applies && given && when.only ? [{ field, message: `${field} is only given ${when.why}` }] : [];
  });
}

/** What the workflow receives in place of a field held outside it: `<field>Provided: true`. */
export function providedMarker(field: string): string {
  return `${field}Provided`;
}

/**
 * Splits a payload the field rules accepted: the values of fields held outside the workflow
 * (for the API to store), and the payload for the workflow with `<field>Provided: true` in their place.
 */
export function withholdFields(schema: InputSchema, input: Record<string, unknown>): { forWorkflow: Record<string, unknown>; withheld: Record<string, string> } {
  const forWorkflow: Record<string, unknown> = { ...input };
  const withheld: Record<string, string> = {};
  for (const [field, spec] of Object.entries(schema)) {
    if (!spec.heldOutsideWorkflow || input[field] === undefined || input[field] === null) continue;
    withheld[field] = String(input[field]);
    delete forWorkflow[field];
    forWorkflow[providedMarker(field)] = true;
  }
  return { forWorkflow, withheld };
}

/**
 * What a field's rule found wrong with a value, as data: the one check (`fieldFault`) worded in
 * English for the API's 400 (`fieldProblem`) and in Danish for staff (`fieldProblemDa`).
 */
export type FieldFault =
  | { kind: 'required' }
  | { kind: 'not-text' }
  | { kind: 'nul' }
  | { kind: 'too-long'; max: number }
  | { kind: 'not-date' }
  | { kind: 'not-instant' }
  | { kind: 'in-future' }
  | { kind: 'not-one-of'; values: readonly string[] }
  | { kind: 'not-configured-area'; areas: readonly string[] }
  | { kind: 'not-area-name' }
  | { kind: 'not-integer' }
  | { kind: 'below-min'; min: number }
  | { kind: 'not-text-list' }
  | { kind: 'too-few'; min: number }
  | { kind: 'too-many'; max: number }
  | { kind: 'unknown-values'; unknown: readonly string[]; values: readonly string[] };

/**
 * The rule of one field: what is wrong with `value` (undefined when nothing). The API's
 * class-validator constraint and the workflow's validators both call this.
 */
export function fieldProblem(field: string, spec: FieldSpec, value: unknown, now: number, context: FieldContext = {}): string | undefined {
  const fault = fieldFault(spec, value, now, context);
  if (!fault) return undefined;
  return fault.kind === 'required' ? `${field} is required` : `${field} ${faultInEnglish(fault)}`;
}

/**
 * The same rule worded for staff, in Danish, with the field's label and its values' labels:
 * "Jurist: skal udfyldes" (undefined when nothing is wrong). The web app words a 400 that names
 * a field with it, on the value it sent.
 */
export function fieldProblemDa(spec: FieldSpec, value: unknown, now: number, context: FieldContext = {}): string | undefined {
  const fault = fieldFault(spec, value, now, context);
  return fault ? `${spec.label}: ${faultInDanish(fault, spec)}` : undefined;
}

/** Which of the field's rules `value` breaks, if any: the one check both wordings share. */
export function fieldFault(spec: FieldSpec, value: unknown, now: number, context: FieldContext = {}): FieldFault | undefined {
  if (value === undefined || value === null) return spec.required ? { kind: 'required' } : undefined;
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') return { kind: 'not-text' };
      // PostgreSQL text cannot hold U+0000: a case with it could never be recorded.
      if (value.includes('\u0000')) return { kind: 'nul' };
      if (spec.maxLength !== undefined && value.length > spec.maxLength) return { kind: 'too-long', max: spec.maxLength };
      return undefined;
    case 'datetime': {
      const ms = instantOf(spec, value);
      if (spec.dateOnly && (ms === undefined || !isDateOnly(value))) return { kind: 'not-date' };
      if (ms === undefined) return { kind: 'not-instant' };
      if (spec.notInFuture && ms > now + CLOCK_SKEW_MS) return { kind: 'in-future' };
      return undefined;
    }
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value) ? undefined : { kind: 'not-one-of', values: spec.values };
    case 'area':
      if (context.areas !== undefined) return typeof value === 'string' && context.areas.includes(value) ? undefined : { kind: 'not-configured-area', areas: context.areas };
      return typeof value === 'string' && AREA_NAME.test(value) ? undefined : { kind: 'not-area-name' };
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return { kind: 'not-integer' };
      if (spec.min !== undefined && value < spec.min) return { kind: 'below-min', min: spec.min };
      return undefined;
    case 'string-array': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) return { kind: 'not-text-list' };
      if (value.some((v: string) => v.includes('\u0000'))) return { kind: 'nul' };
      if (spec.minItems !== undefined && value.length < spec.minItems) return { kind: 'too-few', min: spec.minItems };
      const max = spec.maxItems ?? MAX_LIST_ITEMS;
      if (value.length > max) return { kind: 'too-many', max };
      const unknown = spec.values ? (value as string[]).filter((v) => !spec.values?.includes(v)) : [];
      return spec.values && unknown.length > 0 ? { kind: 'unknown-values', unknown, values: spec.values } : undefined;
    }
  }
}

function faultInEnglish(fault: Exclude<FieldFault, { kind: 'required' }>): string {
  switch (fault.kind) {
    case 'not-text': return 'must be a non-empty string';
    case 'nul': return 'must not contain the NUL character';
    case 'too-long': return `must be at most ${fault.max} characters`;
    case 'not-date': return DATE_RULE;
    case 'not-instant': return INSTANT_RULE;
    case 'in-future': return 'must not be in the future';
    case 'not-one-of': return `must be one of: ${fault.values.join(', ')}`;
    // The value is never repeated in the message: free text here may be personal data.
    case 'not-configured-area': return `must be one of the configured areas: ${fault.areas.join(', ') || '(none configured)'}`;
    case 'not-area-name': return 'must be the name of an area (letters, digits and hyphens, at most 50 characters)';
    case 'not-integer': return 'must be an integer';
    case 'below-min': return `must not be less than ${fault.min}`;
    case 'not-text-list': return 'must be an array of non-empty strings';
    case 'too-few': return `must contain at least ${fault.min} item(s)`;
    case 'too-many': return `must contain at most ${fault.max} item(s)`;
    case 'unknown-values': return `contains unknown values (${fault.unknown.join(', ')}); allowed: ${fault.values.join(', ')}`;
  }
}

/** A list of named values as staff read them: "Borger eller Journalist". */
function valuesInDanish(values: readonly string[], spec: FieldSpec): string {
  const labels = 'valueLabels' in spec && spec.valueLabels ? spec.valueLabels : {};
  const named = values.map((v) => labels[v] ?? v);
  return named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} eller ${named[named.length - 1]}`;
}

const items = (n: number) => `${n} ${n === 1 ? 'punkt' : 'punkter'}`;

function faultInDanish(fault: FieldFault, spec: FieldSpec): string {
  switch (fault.kind) {
    case 'required': return 'skal udfyldes';
    case 'not-text': return 'skal udfyldes med tekst';
    case 'nul': return 'må ikke indeholde tegnet NUL';
    case 'too-long': return `må højst være ${fault.max} tegn`;
    case 'not-date': return 'skal være en dato (en hel dag)';
    case 'not-instant': return 'skal være en dato eller et tidspunkt (dato og klokkeslæt)';
    case 'in-future': return 'må ikke ligge i fremtiden';
    case 'not-one-of': return `skal være ${valuesInDanish(fault.values, spec)}`;
    case 'not-configured-area': return fault.areas.length > 0 ? `skal være et af områderne ${valuesInDanish(fault.areas, spec)}` : 'skal være et område, men ingen områder er sat op';
    case 'not-area-name': return 'skal være navnet på et område (bogstaver, tal og bindestreg, højst 50 tegn)';
    case 'not-integer': return 'skal være et helt tal';
    case 'below-min': return `må ikke være mindre end ${fault.min}`;
    case 'not-text-list': return 'skal være en liste, hvor hvert punkt er udfyldt';
    case 'too-few': return `skal have mindst ${items(fault.min)}`;
    case 'too-many': return `må højst have ${items(fault.max)}`;
    case 'unknown-values': return `må kun indeholde ${valuesInDanish(fault.values, spec)}`;
  }
}

/**
 * What a field's rule demands, in Danish, before anything is sent: the form's hint
 * ("Højst 200 tegn. Må ikke ligge i fremtiden."). Empty when the field asks nothing beyond its type.
 */
export function fieldRuleDa(spec: FieldSpec, context: FieldContext = {}): string {
  const rules: string[] = [];
  switch (spec.type) {
    case 'string':
      if (spec.maxLength !== undefined) rules.push(`Højst ${spec.maxLength} tegn.`);
      break;
    case 'datetime':
      if (spec.dateOnly) rules.push('En dato (en hel dag).');
      else if (spec.endOfDay) rules.push('En dato alene betyder dagens udløb (kl. 23.59).');
      if (spec.notInFuture) rules.push('Må ikke ligge i fremtiden.');
      break;
    case 'enum':
      rules.push(`${valuesInDanish(spec.values, spec)}.`);
      break;
    case 'area':
      if (context.areas !== undefined && context.areas.length > 0) rules.push(`Et af områderne ${valuesInDanish(context.areas, spec)}.`);
      break;
    case 'integer':
      if (spec.min !== undefined) rules.push(`Et helt tal, mindst ${spec.min}.`);
      else rules.push('Et helt tal.');
      break;
    case 'string-array':
      if (spec.minItems !== undefined) rules.push(`Mindst ${items(spec.minItems)}.`);
      if (spec.maxItems !== undefined) rules.push(`Højst ${items(spec.maxItems)}.`);
      break;
  }
  return rules.join(' ');
}

/** How an instant field's rule reads to a person (the 400's message). */
export const INSTANT_RULE =
  'must be an RFC 3339 date-time with Z or an offset (2026-06-12T16:00:00+02:00), a Copenhagen local date-time (2026-06-12T16:00) or a date (2026-06-12)';

/** How a date-only field's rule reads to a person. */
export const DATE_RULE = 'must be a date (2026-06-12), a whole day in Copenhagen';

/** The pattern of a date-only field, as OpenAPI documents it: exactly the rule. */
export const DATE_PATTERN = `^(?:${DAY_IN_RANGE})$`;

/** Clocks of the API host and the worker differ a little; "not in the future" allows for it. */
export const CLOCK_SKEW_MS = 60_000;
