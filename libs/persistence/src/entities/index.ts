import { CaseFileEntity } from './case-file.entity';
import { CaseReadEntity } from './case-read.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { JournalEntryEntity } from './journal-entry.entity';
import { OutboxMessageEntity } from './outbox-message.entity';

export { CaseFileEntity, CaseReadEntity, IdempotencyKeyEntity, JournalEntryEntity, OutboxMessageEntity };
export const ENTITIES = [CaseFileEntity, JournalEntryEntity, OutboxMessageEntity, IdempotencyKeyEntity, CaseReadEntity];
