import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type AppConfig, AppConfigToken } from '../../config/src';
import { CaseStore } from './case-store';
import { dataSourceOptions } from './data-source';
import { OutboxStore } from './outbox-store';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfigToken],
      useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl),
    }),
  ],
  providers: [
    { provide: CaseStore, inject: [DataSource], useFactory: (ds: DataSource) => new CaseStore(ds) },
    { provide: OutboxStore, inject: [DataSource], useFactory: (ds: DataSource) => new OutboxStore(ds) },
  ],
  exports: [CaseStore, OutboxStore, TypeOrmModule],
})
export class PersistenceModule {}
