import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  type Actor,
  CaseErrorCode,
  DATE_PATTERN,
  type InputSchema,
  PROCESS_DEFINITIONS,
  SMALL_COUNT,
  SMALL_COUNT_THRESHOLD,
  STATISTICS_REPORTS,
  WAITING_STATISTICS,
  type WaitingProcess,
  copenhagenDate,
  instantOf,
  type StatisticsReport,
  hasAnyRole,
  waitingStatisticsRoles,
  waitingWithSmallCountsHidden,
  withSmallCountsHidden,
} from '@buf/domain';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { StatisticsStore } from '@buf/persistence/statistics-store';
import { CurrentActor } from '../auth/current-actor.decorator';
import { AREA_FORMAT, FieldRule } from '../cases/input-dtos';
import { LIST_AREA_FIELD } from '../cases/case.dto';
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

/** The area filter is the case list's (one of the configured areas). */
const WAITING_AREA_FIELD = LIST_AREA_FIELD;

export class WaitingQuery extends PeriodQuery {
  @ApiPropertyOptional({ enum: PROCESS_DEFINITIONS.map((p) => p.name), description: 'Only this process (default: every process the caller may read the figures of)' })
  @IsOptional() @IsIn(PROCESS_DEFINITIONS.map((p) => p.name), { message: `process must be one of: ${PROCESS_DEFINITIONS.map((p) => p.name).join(', ')}` })
  process?: string;

  @ApiPropertyOptional({ type: String, format: AREA_FORMAT, description: `${WAITING_AREA_FIELD.description}. One of the configured areas.` })
  @IsOptional() @FieldRule('area', WAITING_AREA_FIELD)
  area?: string;
}

const COUNT_DOC = { oneOf: [{ type: 'integer' as const }, { type: 'string' as const, enum: [SMALL_COUNT] }], description: `A count; "${SMALL_COUNT}" for a count from 1 to ${SMALL_COUNT_THRESHOLD - 1} to a caller who may not read the cases` };
const HOURS_DOC = { type: 'number' as const, nullable: true, description: 'Hours, one decimal; null when there is nothing to measure, or when the count it rests on is hidden' };

class WaitingEndedDto {
  @ApiProperty(COUNT_DOC) count!: number | string;
  @ApiProperty({ ...HOURS_DOC, description: `Median stay. ${HOURS_DOC.description}` }) medianHours!: number | null;
  @ApiProperty({ ...HOURS_DOC, description: `90th percentile of the stays (percentile_cont, interpolated). ${HOURS_DOC.description}` }) p90Hours!: number | null;
}

class WaitingNowDto {
  @ApiProperty(COUNT_DOC) count!: number | string;
  @ApiProperty({ ...HOURS_DOC, description: `How long the case that has waited longest in the step has waited, at asOf. ${HOURS_DOC.description}` }) longestHours!: number | null;
}

class WaitingStepDto {
  @ApiProperty({ description: 'The step (its name in the process definition)' }) step!: string;
  @ApiProperty({ description: "The case's area; '(uden område)' for cases without one" }) area!: string;
  @ApiProperty({ type: WaitingEndedDto, description: 'Stays in the step that ended within the period (the case moved on to another step)' }) ended!: WaitingEndedDto;
  @ApiProperty({ type: WaitingNowDto, description: 'Open cases in the step now' }) waitingNow!: WaitingNowDto;
}

class WaitingProcessDto {
  @ApiProperty({ enum: PROCESS_DEFINITIONS.map((p) => p.name) }) process!: string;
  @ApiProperty({ type: [WaitingStepDto], description: "In the definition's order of steps, then by area" }) steps!: WaitingStepDto[];
  @ApiPropertyOptional({ description: 'Present when small counts are hidden from the caller (who may not read the cases)' }) smallCountsHiddenBelow?: number;
}

class PeriodDto {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive' }) to!: string;
}

export class WaitingStatisticsDto {
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ format: 'date-time', description: 'When "now" was read (the cases waiting now)' }) asOf!: string;
  @ApiProperty({ enum: ['hours'] }) unit!: 'hours';
  @ApiProperty({ type: [String], description: 'The configured areas (what the area filter accepts)' }) areas!: string[];
  @ApiProperty({ type: [WaitingProcessDto], description: 'The processes whose figures the caller may read (or the one asked for)' }) processes!: WaitingProcessDto[];
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

  @Get('waiting')
  @ApiOperation({
    summary: 'Where cases wait: time per step, per process and area, from the journal',
    description:
      `${WAITING_STATISTICS.description} A stay ends when the case moves to another step; stays in the terminal step are not counted, nor stays that began before the journal recorded steps (their start is not known). ` +
      'Readers of a process\'s figures: the roles of the report that counts it (for a process without a report, the roles that read every report) and those who read its cases; exact figures only for those who read the cases.',
  })
  @ApiOkResponse({ type: WaitingStatisticsDto })
  @ApiBadRequestResponse({ description: 'A bad period (not whole days, or from after to), process or area; details.fields names it' })
  @ApiForbiddenResponse({ description: 'The caller may read the waiting figures of no process, or not of the process asked for' })
  async waiting(@Query() query: WaitingQuery, @CurrentActor() actor: Actor): Promise<object> {
    const now = new Date();
    const period = this.period(query, now);
    const asked = PROCESS_DEFINITIONS.filter((p) => query.process === undefined || p.name === query.process);
    const readable = asked.filter((p) => hasAnyRole(actor, waitingStatisticsRoles(p)));
    if (readable.length === 0) {
      const roles = [...new Set(asked.flatMap((p) => waitingStatisticsRoles(p)))];
      throw new CaseException(CaseErrorCode.Forbidden, `The waiting statistics${query.process ? ` of ${query.process}` : ''} require one of the roles: ${roles.join(', ')}`);
    }
    const rows = await this.statistics.waiting(
      period,
      { processes: readable.map((p) => p.name), ...(query.area !== undefined ? { area: query.area } : {}), terminalSteps: [...new Set(PROCESS_DEFINITIONS.flatMap((p) => p.steps.filter((s) => s.terminal).map((s) => s.name)))] },
      now,
    );
    const processes = readable.map((p) => {
      const order = (step: string) => p.steps.findIndex((s) => s.name === step);
      const figures: WaitingProcess = {
        process: p.name,
        steps: rows
          .filter((r) => r.process === p.name)
          .sort((a, b) => order(a.step) - order(b.step) || a.area.localeCompare(b.area))
          .map((r) => ({
            step: r.step,
            area: r.area,
            ended: { count: r.endedCount, medianHours: r.medianHours, p90Hours: r.p90Hours },
            waitingNow: { count: r.waitingCount, longestHours: r.longestHours },
          })),
      };
      // Exact figures for those who may read the cases counted; small ones hidden from the others.
      return hasAnyRole(actor, p.readRoles) ? figures : waitingWithSmallCountsHidden(figures);
    });
    return { period, asOf: now.toISOString(), unit: 'hours', areas: this.config.areas, processes };
  }

  @Get(':report')
  @ApiOperation({
    summary: 'A report (docs/processes.md, Reports): data-breaches, complaints, access-requests or training',
    description: 'data-breaches also gives its counts per Copenhagen calendar year of discovery (`years`: every year the period touches, each cut to the period), as the 2021 memo tabulates them.',
  })
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
    const period = this.period(query, now);
    const figures = await this.figures(report as StatisticsReport, period, now);
    // Exact counts for those who may read the cases counted; small ones hidden from the others.
    const process = PROCESS_DEFINITIONS.find((p) => p.name === definition.process);
    return process && hasAnyRole(actor, process.readRoles) ? figures : withSmallCountsHidden(report as StatisticsReport, figures);
  }

  /** The query's period, or 400 when it ends before it begins. */
  private period(query: PeriodQuery, now: Date): { from: string; to: string } {
    const period = periodOf(query, now.getTime());
    if (period.from >= period.to) {
      throw new CaseException(CaseErrorCode.InvalidInput, 'from must be before to', { fields: [{ field: 'from', message: 'from must be before to' }] });
    }
    return period;
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
