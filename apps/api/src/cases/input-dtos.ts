import type { Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsOptional, ValidateBy, type ValidationArguments, type ValidationError, validate } from 'class-validator';
import {
  type FieldContext,
  type FieldError,
  INSTANT_PATTERN,
  fieldProblem,
  type FieldSpec,
  type InputSchema,
  PROCESS_DEFINITIONS,
  requiredWhenErrors,
} from '@buf/domain';

/**
 * class-validator DTO classes built from the process definitions' input schemas, so that the
 * payload of each start and action is described once (in libs/domain), validated here by that
 * description's own field rule (`fieldProblem`, the rule the workflow applies too) and documented
 * for OpenAPI from it.
 */
/**
 * Documented as validated: some character that is neither white space nor U+0000, and no U+0000
 * anywhere (also for the list's area filter). `\S` alone would let one U+0000 through.
 */
export const TEXT_PATTERN = '^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$';

/**
 * What the field rules need from configuration (the configured areas), given once when the API
 * starts (`configureFieldRules`, from AppConfig). Until then no area is accepted: the DTO classes
 * are built when this module loads, before configuration is read.
 */
let fieldContext: FieldContext = { areas: [] };

export function configureFieldRules(context: { areas: readonly string[] }): void {
  fieldContext = { areas: [...context.areas] };
}

/** The one class-validator constraint of a field: the domain's rule for its type. */
export function FieldRule(field: string, spec: FieldSpec): PropertyDecorator {
  return ValidateBy({
    name: 'fieldRule',
    validator: {
      validate: (value: unknown) => fieldProblem(field, spec, value, Date.now(), fieldContext) === undefined,
      defaultMessage: (args?: ValidationArguments) => fieldProblem(field, spec, args?.value, Date.now(), fieldContext) ?? `${field} is invalid`,
    },
  });
}

/**
 * The OpenAPI format of an area field: its allowed values are configuration, so the document
 * built at start lists them (`documentAreas`) as the field's enum.
 */
export const AREA_FORMAT = 'area';

/** What OpenAPI says of a field: the same rule, as JSON Schema. */
function documentation(spec: FieldSpec): ApiPropertyOptions {
  const doc = { description: spec.description, required: spec.required };
  switch (spec.type) {
    case 'string':
      return { ...doc, type: String, minLength: 1, pattern: TEXT_PATTERN, ...(spec.maxLength ? { maxLength: spec.maxLength } : {}) };
    case 'datetime':
      return {
        ...doc,
        type: String,
        pattern: INSTANT_PATTERN,
        description: `${spec.description}. RFC 3339 with Z or an offset; without an offset, Copenhagen time; a date alone (YYYY-MM-DD) is that day in Copenhagen, ${spec.endOfDay ? 'until its end (23:59:59)' : 'from its start (00:00)'}.`,
        example: '2026-06-12T16:00:00+02:00',
      };
    case 'enum':
      return { ...doc, enum: [...spec.values] };
    case 'area':
      return { ...doc, type: String, format: AREA_FORMAT, description: `${spec.description}. One of the configured areas.` };
    case 'integer':
      return { ...doc, type: 'integer', ...(spec.min !== undefined ? { minimum: spec.min } : {}) };
    case 'string-array':
      return {
        ...doc,
        type: 'array',
        items: spec.values ? { type: 'string', enum: [...spec.values] } : { type: 'string', minLength: 1, pattern: TEXT_PATTERN },
        ...(spec.minItems ? { minItems: spec.minItems } : {}),
        ...(spec.example ? { example: [...spec.example] } : {}),
      };
  }
}

function decoratorsFor(field: string, spec: FieldSpec): PropertyDecorator[] {
  return [...(spec.required ? [] : [IsOptional()]), FieldRule(field, spec), ApiProperty(documentation(spec))];
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
}

/** The schema each DTO class was built from. */
const SCHEMA_OF = new WeakMap<Type<object>, InputSchema>();

export function buildDtoClass(name: string, schema: InputSchema): Type<object> {
  const holder: Record<string, Type<object>> = { [name]: class {} };
  const cls = holder[name];
  for (const [field, spec] of Object.entries(schema)) {
    for (const decorate of decoratorsFor(field, spec)) decorate(cls.prototype, field);
  }
  SCHEMA_OF.set(cls, schema);
  return cls;
}

/** The OpenAPI schema names of the bodies of a process's start and of its actions. */
export const BODY_SCHEMA_NAMES = {
  start: (process: string) => `Start${pascal(process)}Body`,
  action: (process: string, action: string) => `${pascal(process)}${pascal(action)}Body`,
};

export const START_DTOS: ReadonlyMap<string, Type<object>> = new Map(
  PROCESS_DEFINITIONS.map((p) => [p.name, buildDtoClass(BODY_SCHEMA_NAMES.start(p.name), p.startInput)]),
);

export const ACTION_DTOS: ReadonlyMap<string, Type<object>> = new Map(
  PROCESS_DEFINITIONS.flatMap((p) =>
    p.actions.map((a) => [`${p.name}/${a.name}`, buildDtoClass(BODY_SCHEMA_NAMES.action(p.name, a.name), a.input)] as const),
  ),
);

export const ALL_INPUT_DTOS: Type<object>[] = [...START_DTOS.values(), ...ACTION_DTOS.values()];

/** Validates a body against a DTO class; unknown fields are refused. Returns field errors. */
export async function validateBody(dto: Type<object>, body: unknown): Promise<FieldError[]> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ field: '(body)', message: 'The body must be a JSON object' }];
  }
  const instance = plainToInstance(dto, body);
  // forbidUnknownValues off: an action without fields (request-further-reply) has a DTO without
  // metadata, which class-validator would otherwise refuse whatever the body; unknown fields
  // are still refused by forbidNonWhitelisted.
  const errors = (await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false })).flatMap(flatten);
  // class-validator's whitelist misses keys that name Object's own members (`constructor`, …).
  const schema = SCHEMA_OF.get(dto) ?? {};
  const unknown = Object.keys(body).filter((k) => !Object.hasOwn(schema, k) && !errors.some((e) => e.field === k));
  const own = [...errors, ...unknown.map((field) => ({ field, message: `${field} is not a known field` }))];
  // A field another field requires (a realitetsklage's guidance): the same rule as the workflow's.
  return [...own, ...requiredWhenErrors(schema, body as Record<string, unknown>, new Set(own.map((e) => e.field)))];
}

function flatten(e: ValidationError): FieldError[] {
  const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
    field: e.property,
    message: rule === 'whitelistValidation' ? `${e.property} is not a known field` : message,
  }));
  return [...own.slice(0, 1), ...(e.children ?? []).flatMap(flatten)];
}
