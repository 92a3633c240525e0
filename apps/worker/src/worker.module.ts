import { Module } from '@nestjs/common';
import { OutboxSender } from '@buf/activities/notifications/outbox-sender';
import { ConfigModule } from '@buf/config';
import { LoggingModule } from '@buf/config/logging.module';
import { PersistenceModule } from '@buf/persistence';
import { TemporalClientModule } from '@buf/temporal';
import { ReportSchedules } from './report-schedules.service';
import { TemporalWorkerService } from './temporal-worker.service';
import { workerMetricsProvider } from './worker-metrics';

@Module({
  imports: [ConfigModule, LoggingModule, PersistenceModule, TemporalClientModule],
  providers: [TemporalWorkerService, OutboxSender, ReportSchedules, workerMetricsProvider],
})
export class WorkerModule {}
