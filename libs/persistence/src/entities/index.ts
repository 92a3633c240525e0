import { CaseFileEntity } from './case-file.entity';
import { CaseFileCountEntity } from './case-file-count.entity';
import { CaseReadEntity } from './case-read.entity';
import { SessionEntity } from './session.entity';
import { ConfidentialFieldEntity } from './confidential-field.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { JournalEntryEntity } from './journal-entry.entity';
import { OpenCaseKeyEntity } from './open-case-key.entity';
import { OutboxMessageEntity } from './outbox-message.entity';

export { CaseFileEntity, CaseFileCountEntity, CaseReadEntity, SessionEntity, ConfidentialFieldEntity, IdempotencyKeyEntity, JournalEntryEntity, OpenCaseKeyEntity, OutboxMessageEntity };
export const ENTITIES = [CaseFileEntity, CaseFileCountEntity, JournalEntryEntity, OutboxMessageEntity, IdempotencyKeyEntity, CaseReadEntity, OpenCaseKeyEntity, SessionEntity, ConfidentialFieldEntity];
