import { ApplicationFailure } from '@temporalio/common';
import { type CaseEvent, type CaseSnapshot, UNRECORDABLE_CASE_EVENT } from '@buf/domain';
import type { CaseStore } from '@buf/persistence/case-store';

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
      let written: CaseSnapshot | undefined;
      try {
        // An entry scheduled before entries carried only their changes has the whole snapshot: the store takes both.
        written = await store.recordEvent(event);
      } catch (err) {
        const code = permanentDataErrorCode(err);
        if (code === undefined) throw err; // the database away or busy: retried until it is back
        throw ApplicationFailure.create({
          type: UNRECORDABLE_CASE_EVENT,
          message: `Case ${event.caseId}: journal entry ${event.entry.seq} (${event.entry.action}) cannot be recorded: PostgreSQL refuses the data (SQLSTATE ${code})`,
        });
      }
      progress?.log(
        `Case ${event.caseId}: ${event.entry.action} recorded (seq ${event.entry.seq}${written ? `, step ${written.step}${written.overdue ? ', overdue' : ''}` : ', already written'}` +
          `${event.notifications.length ? `, ${event.notifications.length} notification(s) queued` : ''})`,
      );
    },
  };
}

/**
 * The SQLSTATE of a PostgreSQL error that no retry will cure: the data itself (class 22, data
 * exception) or a rule it breaks (class 23, integrity constraint). Undefined for anything else.
 */
export function permanentDataErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.driverError?.code === 'string' ? e.driverError.code : undefined;
  return code !== undefined && /^2[23][0-9A-Z]{3}$/.test(code) ? code : undefined;
}
