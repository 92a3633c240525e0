import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { CaseReadLog1764100000000 } from './migrations/1764100000000-case-read-log';
import { IdempotentActions1764200000000 } from './migrations/1764200000000-idempotent-actions';
import { JournalAnonymisation1764300000000 } from './migrations/1764300000000-journal-anonymisation';
import { OpenCaseKeys1764400000000 } from './migrations/1764400000000-open-case-keys';
import { OutboxCopy1764500000000 } from './migrations/1764500000000-outbox-copy';
import { CaseConfidentialFields1764520000000 } from './migrations/1764520000000-case-confidential-fields';
import { CodecSessions1764900000000 } from './migrations/1764900000000-codec-sessions';
import { CaseRunChain1764910000000 } from './migrations/1764910000000-case-run-chain';
import { Sessions1765000000000 } from './migrations/1765000000000-sessions';
import { JournalStep1765100000000 } from './migrations/1765100000000-journal-step';
import { CaseFilesInboxIndexes1765120000000 } from './migrations/1765120000000-case-files-inbox-indexes';
import { CaseFilesListCoveringIndex1765200000000 } from './migrations/1765200000000-case-files-list-covering-index';
import { CaseFileCounts1765300000000 } from './migrations/1765300000000-case-file-counts';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  CaseReadLog1764100000000,
  IdempotentActions1764200000000,
  JournalAnonymisation1764300000000,
  OpenCaseKeys1764400000000,
  OutboxCopy1764500000000,
  CaseConfidentialFields1764520000000,
  CodecSessions1764900000000,
  CaseRunChain1764910000000,
  Sessions1765000000000,
  JournalStep1765100000000,
  CaseFilesInboxIndexes1765120000000,
  CaseFilesListCoveringIndex1765200000000,
  CaseFileCounts1765300000000,
];

/** One definition of how the service talks to PostgreSQL; the schema comes from migrations only. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5_000 },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}

/** Applies pending migrations; safe to run on every start. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = createDataSource(url, 2);
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
