import { Module } from '@nestjs/common';
import { OutboxSender } from '../../../activities/notifications/outbox-sender';
import { ConfigModule } from '../../../libs/config/src';
import { LoggingModule } from '../../../libs/config/src/logging.module';
import { PersistenceModule } from '../../../libs/persistence/src';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({
  imports: [ConfigModule, LoggingModule, PersistenceModule],
  providers: [TemporalWorkerService, OutboxSender],
})
export class WorkerModule {}
