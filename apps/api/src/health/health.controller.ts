import { Controller, Get, Inject, Logger } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Client } from '@temporalio/client';
import { Public } from '../auth/public.decorator';

/**
 * Readiness: PostgreSQL answers a query and Temporal answers a system-info call. The answer is
 * public, so a dependency that is down is named, never its address or the driver's message (those
 * go to the log, for the operator).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

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
    return this.health.check([() => this.databaseCheck(), () => this.temporalCheck()]);
  }

  private async databaseCheck(): Promise<HealthIndicatorResult> {
    try {
      const result = await this.db.pingCheck('database', { timeout: 2_000 });
      if (result.database?.status === 'up') return result;
      this.logger.warn(`Database health check failed: ${reason(result.database)}`);
    } catch (err) {
      this.logger.warn(`Database health check failed: ${reason(err)}`);
    }
    return this.indicators.check('database').down({ message: 'not answering' });
  }

  private async temporalCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('temporal');
    try {
      await this.temporal.connection.withDeadline(Date.now() + 2_000, () => this.temporal.workflowService.getSystemInfo({}));
      return indicator.up();
    } catch (err) {
      this.logger.warn(`Temporal health check failed: ${reason(err)}`);
      return indicator.down({ message: 'not answering' });
    }
  }
}

function reason(err: unknown): string {
  if (err instanceof Error) return err.message;
  // terminus' HealthCheckError carries the indicator's result
  return JSON.stringify(err);
}
