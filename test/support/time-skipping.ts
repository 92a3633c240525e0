import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry, Runtime, Worker } from '@temporalio/worker';
import type { CaseActivities } from '@buf/activities/case-activities';
import {
  type Actor,
  type CaseEvent,
  type CaseSnapshot,
  applySnapshotChanges,
  type CasePolicy,
  DEFAULT_POLICY,
  type StartCaseInput,
  caseIdOf,
} from '@buf/domain';
import { registerSearchAttributes } from '@buf/temporal/search-attributes';
import { WORKFLOW_BUNDLE_FILE, testEnv } from './paths';

let runtimeInstalled = false;

/** A time-skipping test server from the installed binary (never a download). */
/** What the SDK runtime logged in this test process (workflow logs included), for tests that assert on it. */
export const runtimeLog: LogEntry[] = [];

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        runtimeLog.push(entry);
        process.stderr.write(`[${entry.level}] ${entry.message} ${JSON.stringify(entry.meta ?? {})}\n`);
      }),
      // The test server lacks a few capabilities the core warns about; only errors matter here.
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
    runtimeInstalled = true;
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testEnv('TEMPORAL_TEST_SERVER') } },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** A recorded journal entry with the snapshot it leaves. */
export type RecordedEvent = CaseEvent & { snapshot: CaseSnapshot };

/** Activities that record what the workflow persisted, typed against the real ones. */
export class RecordedCase {
  /** As the workflow handed them over: the whole snapshot, or what changed since the entry before. */
  readonly received: CaseEvent[] = [];

  /** Each entry with the snapshot it leaves, as the case store applies them (in journal order). */
  get events(): RecordedEvent[] {
    let snapshot: CaseSnapshot | undefined;
    let applied = 0;
    return this.received.map((event) => {
      // A retried entry was applied already, as the store applies it once.
      if (event.snapshot) snapshot = event.snapshot;
      else if (event.entry.seq > applied) snapshot = applySnapshotChanges(snapshot ?? ({} as CaseSnapshot), event.changes);
      applied = Math.max(applied, event.entry.seq);
      return { ...event, snapshot: snapshot as CaseSnapshot, changes: undefined };
    });
  }

  /** Own-property functions, as Worker.create expects them. */
  readonly activities: CaseActivities = {
    // Kept in journal order, as the case store keeps them: the workflow may have several
    // records in flight at once, and they need not arrive in the order it started them.
    recordCaseEvent: async (event: CaseEvent) => {
      this.received.push(event);
      this.received.sort((a, b) => a.entry.seq - b.entry.seq);
    },
  };

  actions(): string[] {
    return this.events.map((e) => e.entry.action);
  }

  last(): RecordedEvent {
    const event = this.events.at(-1);
    if (!event) throw new Error('Nothing was recorded');
    return event;
  }

  notifications(kind?: string): { role: string; kind: string; subject: string; body: string }[] {
    return this.events.flatMap((e) => e.notifications).filter((n) => !kind || n.kind === kind);
  }
}

export function createWorker(env: TestWorkflowEnvironment, activities: CaseActivities, taskQueue: string): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: { codePath: WORKFLOW_BUNDLE_FILE },
    activities,
  });
}

let counter = 0;

export function startInput<I>(process: string, actor: Actor, input: I, openedAt: Date, policy: CasePolicy = DEFAULT_POLICY): StartCaseInput<I> {
  counter += 1;
  const caseNumber = `${openedAt.getUTCFullYear()}-${String(counter).padStart(7, '0')}`;
  return { caseId: `${caseIdOf(process, caseNumber)}-${randomUUID().slice(0, 8)}`, caseNumber, openedAt: openedAt.toISOString(), actor, input, policy };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
