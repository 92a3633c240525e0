import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  type Actor,
  CaseErrorCode,
  INSTANT_PATTERN,
  type InputSchema,
  STATISTICS_REPORTS,
  copenhagenDate,
  instantOf,
  isDateOnly,
  type StatisticsReport,
  hasAnyRole,
} from '@buf/domain';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { StatisticsStore } from '@buf/persistence/statistics-store';
import { CurrentActor } from '../auth/current-actor.decorator';
import { FieldRule } from '../cases/input-dtos';
import { CaseException } from '../errors/api-error';

/** The period's bounds, by the domain's one rule for instants (the rule of every date field). */
export const PERIOD_FIELDS = {
  from: { type: 'datetime', required: false, description: 'Start of the period (inclusive); a date alone is its first instant in Copenhagen; default: 1 January this year, 00:00 Copenhagen' },
  to: { type: 'datetime', required: false, endOfDay: true, description: 'End of the period (exclusive); a date alone includes that whole day in Copenhagen; default: now' },
} as const satisfies InputSchema;

export class PeriodQuery {
  @ApiPropertyOptional({ type: String, pattern: INSTANT_PATTERN, description: PERIOD_FIELDS.from.description })
  @IsOptional() @FieldRule('from', PERIOD_FIELDS.from)
  from?: string;

  @ApiPropertyOptional({ type: String, pattern: INSTANT_PATTERN, description: PERIOD_FIELDS.to.description })
  @IsOptional() @FieldRule('to', PERIOD_FIELDS.to)
  to?: string;
}

/** The period a query names: [from, to) in instants; a date alone as `to` counts that whole day. */
export function periodOf(query: PeriodQuery, now: number): { from: string; to: string } {
  const thisYear = copenhagenDate(now).year;
  const from = query.from !== undefined ? instantOf(PERIOD_FIELDS.from, query.from) : instantOf(PERIOD_FIELDS.from, `${thisYear}-01-01`);
  const to = query.to !== undefined ? (instantOf(PERIOD_FIELDS.to, query.to) ?? NaN) + (isDateOnly(query.to) ? 1 : 0) : now + 1;
  return { from: new Date(from ?? NaN).toISOString(), to: new Date(to).toISOString() };
}

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('statistics')
export class StatisticsController {
  constructor(
    private readonly statistics: StatisticsStore,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  @Get(':report')
  @ApiOperation({ summary: 'A report (docs/processes.md, Reports): data-breaches, complaints, access-requests or training' })
  @ApiParam({ name: 'report', enum: Object.keys(STATISTICS_REPORTS) })
  @ApiOkResponse({ schema: { type: 'object' } })
  @ApiForbiddenResponse({ description: 'The caller may not read this report' })
  @ApiNotFoundResponse({ description: 'Unknown report' })
  async report(@Param('report') report: string, @Query() query: PeriodQuery, @CurrentActor() actor: Actor): Promise<object> {
    if (!(report in STATISTICS_REPORTS)) {
      throw new CaseException(CaseErrorCode.NotFound, `Unknown report ${report}; known: ${Object.keys(STATISTICS_REPORTS).join(', ')}`);
    }
    const definition = STATISTICS_REPORTS[report as StatisticsReport];
    if (!hasAnyRole(actor, definition.roles)) {
      throw new CaseException(CaseErrorCode.Forbidden, `The ${report} report requires one of the roles: ${definition.roles.join(', ')}`);
    }
    const now = new Date();
    const period = periodOf(query, now.getTime());
    if (period.from >= period.to) {
      throw new CaseException(CaseErrorCode.InvalidInput, 'from must be before to', { fields: [{ field: 'from', message: 'from must be before to' }] });
    }
    switch (report as StatisticsReport) {
      case 'data-breaches':
        return this.statistics.dataBreaches(period);
      case 'complaints':
        return this.statistics.complaints(period, this.config.complaintBaseline);
      case 'access-requests':
        return this.statistics.accessRequests(period);
      case 'training':
        return this.statistics.training(now);
    }
  }
}
