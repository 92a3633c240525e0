import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Client } from '@temporalio/client';
import { Public } from '../auth/public.decorator';

/** Readiness: PostgreSQL answers a query and Temporal answers a system-info call. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  @Get()
  @Public()
  @SkipThrottle()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness: database and Temporal (200 or 503)' })
  check() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2_000 }), () => this.temporalCheck()]);
  }

  private async temporalCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('temporal');
    try {
      await this.temporal.connection.withDeadline(Date.now() + 2_000, () => this.temporal.workflowService.getSystemInfo({}));
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: err instanceof Error ? err.message : 'unreachable' });
    }
  }
}
