import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  type Actor,
  type CaseSnapshot,
  type FieldSpec,
  type JournalEntry,
  type ProcessDefinition,
  PROCESS_DEFINITIONS,
  allowedActions,
} from '@buf/domain';
import { AREA_FORMAT, FieldRule } from './input-dtos';

export class DeadlineDto {
  @ApiProperty({ example: 'datatilsynet-72h' }) name!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ enum: ['pending', 'met', 'missed'] }) state!: 'pending' | 'met' | 'missed';
  @ApiPropertyOptional({ format: 'date-time', description: 'When it was met, or when a missed obligation was fulfilled' }) settledAt?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'The instant it counts from' }) from?: string;
  @ApiPropertyOptional({ example: 'Offentlighedsloven § 36, stk. 2', description: 'Its legal basis: statute and paragraph, or the policy figure' }) basis?: string;
  @ApiPropertyOptional({
    example: '7 arbejdsdage fra modtagelsen tirsdag 31.03.2026 (skærtorsdag, langfredag og 2. påskedag springes over): senest tirsdag 14.04.2026 kl. 23.59',
    description: 'How the due instant was computed, in Danish',
  })
  explanation?: string;
}

export class JournalActorDto {
  @ApiProperty() sub!: string;
  @ApiProperty() name!: string;
}

export class JournalEntryDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: JournalActorDto }) actor!: JournalActorDto;
  @ApiProperty({ example: 'triage' }) action!: string;
  @ApiPropertyOptional() note?: string;
}

export class CaseSummaryDto {
  @ApiProperty({ example: 'data-breach-2026-0000001', description: 'Also the Temporal workflow id' }) id!: string;
  @ApiProperty({ example: '2026-0000001' }) caseNumber!: string;
  @ApiProperty({ enum: PROCESS_DEFINITIONS.map((p) => p.name) }) process!: string;
  @ApiProperty() step!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiProperty() overdue!: boolean;
  @ApiPropertyOptional() area?: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiProperty({ type: [DeadlineDto] }) deadlines!: DeadlineDto[];
}

export class CaseDto extends CaseSummaryDto {
  @ApiProperty({ type: [String], description: 'The actions the caller may take in this step' }) allowedActions!: string[];
  @ApiProperty({ type: [JournalEntryDto] }) journal!: JournalEntryDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The process's own fields" }) data!: Record<string, unknown>;
}

export class CaseListDto {
  @ApiProperty({ type: [CaseSummaryDto] }) items!: CaseSummaryDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

/** The list's area filter follows the field rule of an area (the same rule as every area a case is opened with). */
export const LIST_AREA_FIELD = { label: 'Område', type: 'area', required: false, description: 'Only cases of this area' } as const satisfies FieldSpec;

export class ListCasesQuery {
  @ApiPropertyOptional({ enum: PROCESS_DEFINITIONS.map((p) => p.name) })
  @IsOptional() @IsIn(PROCESS_DEFINITIONS.map((p) => p.name))
  process?: string;

  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional() @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @ApiPropertyOptional({ type: String, format: AREA_FORMAT, description: `${LIST_AREA_FIELD.description}. One of the configured areas.` })
  @IsOptional() @FieldRule('area', LIST_AREA_FIELD)
  area?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, default: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize: number = 20;
}

export function toCaseSummary(s: CaseSnapshot): CaseSummaryDto {
  return {
    id: s.id,
    caseNumber: s.caseNumber,
    process: s.process,
    step: s.step,
    status: s.status,
    overdue: s.overdue,
    ...(s.area ? { area: s.area } : {}),
    openedAt: s.openedAt,
    ...(s.closedAt ? { closedAt: s.closedAt } : {}),
    deadlines: s.deadlines,
  };
}

/**
 * The case as this caller may see it. With 'status' access (a reporter, where the process says
 * so) the caller sees the steps taken and what they reported themselves, not the notes and
 * assessments of those who handle the case.
 */
export function toCaseDto(definition: ProcessDefinition, s: CaseSnapshot, journal: JournalEntry[], actor: Actor, access: 'full' | 'status' = 'full'): CaseDto {
  if (access === 'status') {
    const data = s.data as Record<string, unknown>;
    return {
      ...toCaseSummary(s),
      allowedActions: allowedActions(definition, s, actor),
      journal: journal.map(({ seq, at, actor: who, action }) => ({ seq, at, actor: who, action })),
      data: Object.fromEntries(Object.keys(definition.startInput).filter((k) => k in data).map((k) => [k, data[k]])),
    };
  }
  return {
    ...toCaseSummary(s),
    allowedActions: allowedActions(definition, s, actor),
    journal,
    data: s.data as Record<string, unknown>,
  };
}
