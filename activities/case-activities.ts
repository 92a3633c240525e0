import type { CaseEvent } from '../libs/domain/src';
import type { CaseStore } from '../libs/persistence/src/case-store';

/** The activities workflows call. Workflows see only this type; the worker injects the store. */
export interface CaseActivities {
  /** Writes one step of a case (journal entry, snapshot, notifications) exactly once. */
  recordCaseEvent(event: CaseEvent): Promise<void>;
}

export function createCaseActivities(store: CaseStore): CaseActivities {
  return {
    async recordCaseEvent(event: CaseEvent): Promise<void> {
      await store.recordEvent(event);
    },
  };
}
