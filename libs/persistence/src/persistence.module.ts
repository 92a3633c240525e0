import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { CaseStore } from './case-store';
import { ClaimsStore } from './claims-store';
import { SessionStore } from './session-store';
import { ReadLogStore } from './read-log-store';
import { RetentionStore } from './retention-store';
import { dataSourceOptions } from './data-source';
import { OutboxStore } from './outbox-store';
import { StatisticsStore } from './statistics-store';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfigToken],
      useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl),
    }),
  ],
  providers: [
    { provide: CaseStore, inject: [DataSource], useFactory: (ds: DataSource) => new CaseStore(ds) },
    { provide: ClaimsStore, inject: [DataSource], useFactory: (ds: DataSource) => new ClaimsStore(ds) },
    { provide: SessionStore, inject: [DataSource], useFactory: (ds: DataSource) => new SessionStore(ds) },
    { provide: ReadLogStore, inject: [DataSource], useFactory: (ds: DataSource) => new ReadLogStore(ds) },
    { provide: RetentionStore, inject: [DataSource], useFactory: (ds: DataSource) => new RetentionStore(ds) },
    { provide: OutboxStore, inject: [DataSource], useFactory: (ds: DataSource) => new OutboxStore(ds) },
    { provide: StatisticsStore, inject: [DataSource], useFactory: (ds: DataSource) => new StatisticsStore(ds) },
  ],
  exports: [CaseStore, ClaimsStore, SessionStore, ReadLogStore, RetentionStore, OutboxStore, StatisticsStore, TypeOrmModule],
})
export class PersistenceModule {}
