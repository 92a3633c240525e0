import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule } from '../../../libs/config/src';
import { LoggingModule } from '../../../libs/config/src/logging.module';
import { PersistenceModule } from '../../../libs/persistence/src';
import { TemporalClientModule } from '../../../libs/temporal/src';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { HealthController } from './health/health.controller';
import { ProcessesController } from './processes/processes.controller';
import { StatisticsController } from './statistics/statistics.controller';

@Module({
  imports: [ConfigModule, LoggingModule, PersistenceModule, TemporalClientModule, TerminusModule.forRoot({ logger: false })],
  controllers: [CasesController, ProcessesController, StatisticsController, HealthController],
  providers: [
    CasesService,
    TokenVerifier,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class AppModule {}
