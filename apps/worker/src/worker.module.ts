import { Module } from '@nestjs/common';
import { OutboxSender } from '../../../activities/notifications/outbox-sender';
import { ConfigModule } from '../../../libs/config/src';
import { LoggingModule } from '../../../libs/config/src/logging.module';
import { PersistenceModule } from '../../../libs/persistence/src';
import { TemporalClientModule } from '../../../libs/temporal/src';
import { ReportSchedules } from './report-schedules.service';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({
  imports: [ConfigModule, LoggingModule, PersistenceModule, TemporalClientModule],
  providers: [TemporalWorkerService, OutboxSender, ReportSchedules],
})
export class WorkerModule {}
