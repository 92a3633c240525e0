import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  type Actor,
  CaseErrorCode,
  DATE_PATTERN,
  type InputSchema,
  PROCESS_DEFINITIONS,
  STATISTICS_REPORTS,
  copenhagenDate,
  instantOf,
  type StatisticsReport,
  hasAnyRole,
  withSmallCountsHidden,
} from '@buf/domain';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { StatisticsStore } from '@buf/persistence/statistics-store';
import { CurrentActor } from '../auth/current-actor.decorator';
import { FieldRule } from '../cases/input-dtos';
import { CaseException } from '../errors/api-error';

/**
 * The period's bounds: whole Copenhagen days (a period down to the millisecond could isolate one
 * case), by the domain's one rule for dates.
 */
export const PERIOD_FIELDS = {
  from: { label: 'Fra', type: 'datetime', required: false, dateOnly: true, description: 'First day of the period (a date; from 00:00 Copenhagen); default: 1 January this year' },
  to: { label: 'Til', type: 'datetime', required: false, dateOnly: true, endOfDay: true, description: 'Last day of the period (a date; the whole day in Copenhagen is included); default: today' },
} as const satisfies InputSchema;

export class PeriodQuery {
  @ApiPropertyOptional({ type: String, format: 'date', pattern: DATE_PATTERN, description: PERIOD_FIELDS.from.description })
  @IsOptional() @FieldRule('from', PERIOD_FIELDS.from)
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date', pattern: DATE_PATTERN, description: PERIOD_FIELDS.to.description })
  @IsOptional() @FieldRule('to', PERIOD_FIELDS.to)
  to?: string;
}

/** The period a query names, [from, to) in instants: from the first day's 00:00 to the end of the last day, in Copenhagen. */
export function periodOf(query: PeriodQuery, now: number): { from: string; to: string } {
  const today = copenhagenDate(now);
  const day = (d: { year: number; month: number; day: number }) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  const from = instantOf(PERIOD_FIELDS.from, query.from ?? `${today.year}-01-01`) ?? NaN;
  // The end of the last day (23:59:59.999) plus one millisecond: the next day's 00:00, exclusive.
  const to = (instantOf(PERIOD_FIELDS.to, query.to ?? day(today)) ?? NaN) + 1;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
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
    const figures = await this.figures(report as StatisticsReport, period, now);
    // Exact counts for those who may read the cases counted; small ones hidden from the others.
    const process = PROCESS_DEFINITIONS.find((p) => p.name === definition.process);
    return process && hasAnyRole(actor, process.readRoles) ? figures : withSmallCountsHidden(report as StatisticsReport, figures);
  }

  private figures(report: StatisticsReport, period: { from: string; to: string }, now: Date): Promise<object> {
    switch (report) {
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
