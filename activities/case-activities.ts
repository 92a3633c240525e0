import type { CaseEvent } from '../libs/domain/src';
import type { CaseStore } from '../libs/persistence/src/case-store';

/** The activities workflows call. Workflows see only this type; the worker injects the store. */
export interface CaseActivities {
  /** Writes one step of a case (journal entry, snapshot, notifications) exactly once. */
  recordCaseEvent(event: CaseEvent): Promise<void>;
}

/** Where progress is reported: case ids, actions and steps only, never case content. */
export interface ProgressLog {
  log(message: string): void;
}

export function createCaseActivities(store: CaseStore, progress?: ProgressLog): CaseActivities {
  return {
    async recordCaseEvent(event: CaseEvent): Promise<void> {
      await store.recordEvent(event);
      progress?.log(
        `Case ${event.caseId}: ${event.entry.action} recorded (seq ${event.entry.seq}, step ${event.snapshot.step}` +
          `${event.snapshot.overdue ? ', overdue' : ''}${event.notifications.length ? `, ${event.notifications.length} notification(s) queued` : ''})`,
      );
    },
  };
}
