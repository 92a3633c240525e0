import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { CASE_OWNED_BY_ANOTHER_RUN, type CaseEvent, type CaseSnapshot, UNRECORDABLE_CASE_EVENT } from '@buf/domain';
import { CaseOwnershipError, type CaseStore } from '@buf/persistence/case-store';

/** The activities workflows call. Workflows see only this type; the worker injects the store. */
export interface CaseActivities {
  /** Writes one step of a case (journal entry, snapshot, notifications) exactly once. */
  recordCaseEvent(event: CaseEvent): Promise<void>;
}

/** Where progress is reported: case ids, actions and steps only, never case content. */
export interface ProgressLog {
  log(message: string): void;
}

/** The workflow id of the activity being run (a case's workflow id is its case id). */
function callingWorkflowId(): string | undefined {
  return Context.current().info.workflowExecution?.workflowId;
}

/** Told of each journal entry written for the first time (never of a retry that found it written): metrics. */
export type NewEntryListener = (event: CaseEvent, snapshot: CaseSnapshot | undefined) => void;

export function createCaseActivities(
  store: CaseStore,
  progress?: ProgressLog,
  workflowIdOf: () => string | undefined = callingWorkflowId,
  onNewEntry?: NewEntryListener,
): CaseActivities {
  return {
    async recordCaseEvent(event: CaseEvent): Promise<void> {
      // A workflow writes its own case only: a run started under another id (or given a refused
      // payload) cannot write another case's file.
      const workflowId = workflowIdOf();
      if (typeof event?.caseId !== 'string' || event.caseId !== workflowId) {
        progress?.log(`Refused an event of workflow ${workflowId ?? '(unknown)'} for another case`);
        throw ApplicationFailure.create({ type: CASE_OWNED_BY_ANOTHER_RUN, message: `Workflow ${workflowId ?? '(unknown)'} may write only its own case`, nonRetryable: true });
      }
      let written: CaseSnapshot | undefined;
      let newEntry = false;
      try {
        // An entry scheduled before entries carried only their changes has the whole snapshot: the store takes both.
        ({ snapshot: written, newEntry } = await store.recordEvent(event));
      } catch (err) {
        if (err instanceof CaseOwnershipError) {
          progress?.log(`Case ${event.caseId}: refused entry ${event.entry.seq} from run chain ${event.runChain ?? '(none)'}: ${err.message}`);
          throw ApplicationFailure.create({ type: CASE_OWNED_BY_ANOTHER_RUN, message: `Case ${event.caseId}: ${err.message}`, nonRetryable: true });
        }
        const code = permanentDataErrorCode(err);
        // The database away or busy: retried until it is back. Said without the driver's error,
        // which carries the query's parameters (the case's content) into the worker's log.
        if (code === undefined) throw retryableWithoutContent(event, err);
        throw ApplicationFailure.create({
          type: UNRECORDABLE_CASE_EVENT,
          message: `Case ${event.caseId}: journal entry ${event.entry.seq} (${event.entry.action}) cannot be recorded: PostgreSQL refuses the data (SQLSTATE ${code})`,
        });
      }
      if (newEntry) onNewEntry?.(event, written);
      progress?.log(
        `Case ${event.caseId}: ${event.entry.action} recorded (seq ${event.entry.seq}${written ? `, step ${written.step}${written.overdue ? ', overdue' : ''}` : ', already written'}` +
          `${event.notifications.length ? `, ${event.notifications.length} notification(s) queued` : ''})`,
      );
    },
  };
}

function retryableWithoutContent(event: CaseEvent, err: unknown): Error {
  const code = errorCodeOf(err);
  const name = typeof (err as { name?: unknown } | undefined)?.name === 'string' ? (err as { name: string }).name : 'Error';
  return Object.assign(new Error(`Case ${event.caseId}: journal entry ${event.entry.seq} (${event.entry.action}) not recorded yet: ${name}${code ? ` (${code})` : ''}; retried`), code ? { code } : {});
}

/**
 * The SQLSTATE of a PostgreSQL error that no retry will cure: the data itself (class 22, data
 * exception) or a rule it breaks (class 23, integrity constraint). Undefined for anything else.
 */
export function permanentDataErrorCode(err: unknown): string | undefined {
  const code = errorCodeOf(err);
  return code !== undefined && /^2[23][0-9A-Z]{3}$/.test(code) ? code : undefined;
}

/** The error's code (a SQLSTATE, or a Node code such as ECONNREFUSED), on it or on TypeORM's driver error. */
function errorCodeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  return typeof e?.code === 'string' ? e.code : typeof e?.driverError?.code === 'string' ? e.driverError.code : undefined;
}
