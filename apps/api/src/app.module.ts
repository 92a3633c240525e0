import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { ConfigModule } from '@buf/config/config.module';
import { LoggingModule } from '@buf/config/logging.module';
import { DataSource } from 'typeorm';
import { PersistenceModule } from '@buf/persistence';
import { ConfidentialFieldStore } from '@buf/persistence/confidential-field-store';
import { TemporalClientModule, encryptionKeys, payloadKeyCipher } from '@buf/temporal';
import { ServiceMetrics } from '@buf/telemetry';
import { TracingFlush } from '@buf/telemetry/tracing-flush';
import { AuthGuard } from './auth/auth.guard';
import { IdentityThrottlerGuard } from './auth/identity-throttler.guard';
import { TokenVerifier } from './auth/token-verifier';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { InboxController } from './cases/inbox.controller';
import { InboxService } from './cases/inbox.service';
import { CodecController } from './codec/codec.controller';
import { CodecSessionController } from './codec/codec-session.controller';
import { WebSessionController } from './web/web-session.controller';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ProcessesController } from './processes/processes.controller';
import { StatisticsController } from './statistics/statistics.controller';
import { TrainingImportController } from './imports/training-import.controller';
import { TrainingImportService } from './imports/training-import.service';

@Module({
  imports: [ConfigModule, LoggingModule, PersistenceModule, TemporalClientModule, TerminusModule.forRoot({ logger: false }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfigToken],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ ttl: 60_000, limit: config.rateLimitPerMinute }],
        errorMessage: 'Too many requests from this identity; try again in a minute',
      }),
    }),
  ],
  controllers: [CasesController, InboxController, ProcessesController, StatisticsController, HealthController, CodecController, CodecSessionController, WebSessionController, MetricsController, TrainingImportController],
  providers: [
    CasesService,
    InboxService,
    TrainingImportService,
    // Confidential fields held outside the workflow, encrypted with the payload key (only the API reads them).
    {
      provide: ConfidentialFieldStore,
      inject: [DataSource, AppConfigToken],
      useFactory: (ds: DataSource, config: AppConfig) => new ConfidentialFieldStore(ds, payloadKeyCipher(encryptionKeys(config))),
    },
    TokenVerifier,
    { provide: ServiceMetrics, useFactory: () => new ServiceMetrics({ service: 'api' }) },
    TracingFlush,
    // Order matters: authenticate first, so the rate limit counts per identity.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: IdentityThrottlerGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class AppModule {}
