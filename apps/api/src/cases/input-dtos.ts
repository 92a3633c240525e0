import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  Matches,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateBy,
  type ValidationError,
  validate,
} from 'class-validator';
import {
  CLOCK_SKEW_MS,
  type FieldError,
  type FieldSpec,
  type InputSchema,
  PROCESS_DEFINITIONS,
} from '../../../../libs/domain/src';

/**
 * class-validator DTO classes built from the process definitions' input schemas, so that the
 * payload of each start and action is described once (in libs/domain) and validated and
 * documented here from that description.
 */
/** PostgreSQL text cannot hold U+0000; a case whose input had it could never be recorded. */
// eslint-disable-next-line no-control-regex -- the one control character this rule is about
const NO_NUL = /^[^\u0000]*$/;
/** Documented as validated: some character that is not white space, and no U+0000. */
const TEXT_PATTERN = '^[^\\u0000]*\\S[^\\u0000]*$';

function decoratorsFor(field: string, spec: FieldSpec): PropertyDecorator[] {
  const d: PropertyDecorator[] = [spec.required ? IsDefined({ message: `${field} is required` }) : IsOptional()];
  const doc = { description: spec.description, required: spec.required };
  switch (spec.type) {
    case 'string':
      d.push(IsString({ message: `${field} must be a string` }), Matches(/\S/, { message: `${field} must not be empty` }), Matches(NO_NUL, { message: `${field} must not contain the NUL character` }));
      if (spec.maxLength) d.push(MaxLength(spec.maxLength, { message: `${field} must be at most ${spec.maxLength} characters` }));
      d.push(ApiProperty({ ...doc, type: String, minLength: 1, pattern: TEXT_PATTERN, ...(spec.maxLength ? { maxLength: spec.maxLength } : {}) }));
      break;
    case 'datetime':
      d.push(IsISO8601({ strict: true }, { message: `${field} must be an ISO 8601 date-time` }));
      if (spec.notInFuture) {
        d.push(
          ValidateBy({
            name: 'notInFuture',
            validator: {
              validate: (value: unknown) => typeof value === 'string' && Date.parse(value) <= Date.now() + CLOCK_SKEW_MS,
              defaultMessage: () => `${field} must not be in the future`,
            },
          }),
        );
      }
      d.push(ApiProperty({ ...doc, type: String, format: 'date-time' }));
      break;
    case 'enum':
      d.push(IsIn([...spec.values], { message: `${field} must be one of: ${spec.values.join(', ')}` }));
      d.push(ApiProperty({ ...doc, enum: [...spec.values] }));
      break;
    case 'integer':
      d.push(IsInt({ message: `${field} must be an integer` }));
      if (spec.min !== undefined) d.push(Min(spec.min, { message: `${field} must not be less than ${spec.min}` }));
      d.push(ApiProperty({ ...doc, type: 'integer', ...(spec.min !== undefined ? { minimum: spec.min } : {}) }));
      break;
    case 'string-array':
      d.push(
        IsArray({ message: `${field} must be an array` }),
        IsString({ each: true, message: `${field} must contain strings` }),
        Matches(/\S/, { each: true, message: `${field} must not contain empty strings` }),
        Matches(NO_NUL, { each: true, message: `${field} must not contain the NUL character` }),
      );
      if (spec.minItems) d.push(ArrayMinSize(spec.minItems, { message: `${field} must contain at least ${spec.minItems} item(s)` }));
      d.push(ApiProperty({ ...doc, type: 'array', items: { type: 'string', minLength: 1, pattern: TEXT_PATTERN }, ...(spec.minItems ? { minItems: spec.minItems } : {}) }));
      break;
  }
  return d;
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
}

export function buildDtoClass(name: string, schema: InputSchema): Type<object> {
  const holder: Record<string, Type<object>> = { [name]: class {} };
  const cls = holder[name];
  for (const [field, spec] of Object.entries(schema)) {
    for (const decorate of decoratorsFor(field, spec)) decorate(cls.prototype, field);
  }
  return cls;
}

export const START_DTOS: ReadonlyMap<string, Type<object>> = new Map(
  PROCESS_DEFINITIONS.map((p) => [p.name, buildDtoClass(`Start${pascal(p.name)}Body`, p.startInput)]),
);

export const ACTION_DTOS: ReadonlyMap<string, Type<object>> = new Map(
  PROCESS_DEFINITIONS.flatMap((p) =>
    p.actions.map((a) => [`${p.name}/${a.name}`, buildDtoClass(`${pascal(p.name)}${pascal(a.name)}Body`, a.input)] as const),
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
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  return errors.flatMap(flatten);
}

function flatten(e: ValidationError): FieldError[] {
  const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
    field: e.property,
    message: rule === 'whitelistValidation' ? `${e.property} is not a known field` : message,
  }));
  return [...own.slice(0, 1), ...(e.children ?? []).flatMap(flatten)];
}
