import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { PROMETHEUS_CONTENT_TYPE, ServiceMetrics } from '@buf/telemetry';
import { Public } from '../auth/public.decorator';

/** `GET /metrics` (beside the API, like the docs): Prometheus' scrape, no token. Counts only, never a case. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get()
  @Public()
  @SkipThrottle()
  @Header('content-type', PROMETHEUS_CONTENT_TYPE)
  @Header('cache-control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.metrics();
  }
}
