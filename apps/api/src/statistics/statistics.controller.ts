import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import {
  type Actor,
  CaseErrorCode,
  STATISTICS_REPORTS,
  type StatisticsReport,
  hasAnyRole,
} from '../../../../libs/domain/src';
import { StatisticsStore } from '../../../../libs/persistence/src/statistics-store';
import { CurrentActor } from '../auth/current-actor.decorator';
import { CaseException } from '../errors/api-error';

export class PeriodQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start of the period (inclusive); default: 1 January this year' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the period (exclusive); default: now' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;
}

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('statistics')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsStore) {}

  @Get(':report')
  @ApiOperation({ summary: 'A report of PROCESSES.md: data-breaches, complaints, access-requests or training' })
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
    const period = {
      from: new Date(query.from ?? Date.UTC(now.getUTCFullYear(), 0, 1)).toISOString(),
      to: new Date(query.to ?? now.getTime() + 1).toISOString(),
    };
    if (period.from >= period.to) {
      throw new CaseException(CaseErrorCode.InvalidInput, 'from must be before to', { fields: [{ field: 'from', message: 'from must be before to' }] });
    }
    switch (report as StatisticsReport) {
      case 'data-breaches':
        return this.statistics.dataBreaches(period);
      case 'complaints':
        return this.statistics.complaints(period);
      case 'access-requests':
        return this.statistics.accessRequests(period);
      case 'training':
        return this.statistics.training(now);
    }
  }
}
