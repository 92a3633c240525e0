import { CaseFileEntity } from './case-file.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { JournalEntryEntity } from './journal-entry.entity';
import { OutboxMessageEntity } from './outbox-message.entity';

export { CaseFileEntity, IdempotencyKeyEntity, JournalEntryEntity, OutboxMessageEntity };
export const ENTITIES = [CaseFileEntity, JournalEntryEntity, OutboxMessageEntity, IdempotencyKeyEntity];
