import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Actor, CaseErrorDetails, CaseSnapshot, Deadline } from '@buf/domain';
import { caseSnapshotQuery, takeActionUpdate } from '@buf/workflows/messages';
import type { RecordedCase } from './time-skipping';

/** Takes an action on a case through the one action update, as the API does. */
export function act(handle: WorkflowHandle, actor: Actor, action: string, input: Record<string, unknown> = {}): Promise<void> {
  return handle.executeUpdate(takeActionUpdate, { args: [{ action, input, actor }] });
}

export interface Refusal {
  type: string | undefined;
  message: string;
  details?: CaseErrorDetails;
}

/** The validator's refusal of an update (the API maps its type to 400/403/404/409). */
export async function refusalOf(update: Promise<unknown>): Promise<Refusal> {
  try {
    await update;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      return { type: err.cause.type ?? undefined, message: err.cause.message, details: err.cause.details?.[0] as CaseErrorDetails | undefined };
    }
    throw err;
  }
  throw new Error('The update was accepted, but a refusal was expected');
}

/** Skips the test server's clock to an instant (never backwards). */
export async function skipTo(env: TestWorkflowEnvironment, instant: number): Promise<void> {
  const remaining = instant - (await env.currentTimeMs());
  if (remaining > 0) await env.sleep(remaining);
}

/**
 * Sets the test server's clock to a calendar instant that a test works its deadlines out from by
 * hand. The clock only moves forward: an instant already past fails, naming both.
 */
export async function clockAt(env: TestWorkflowEnvironment, instant: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (instant < now) throw new Error(`The test server's clock is at ${new Date(now).toISOString()}, past ${new Date(instant).toISOString()}: pick a later date`);
  if (instant > now) await env.sleep(instant - now);
}

/** When the latest deadline of that name is due, as the workflow last recorded it. */
export function dueAt(recorded: RecordedCase, name: string): number {
  const deadline = [...recorded.last().snapshot.deadlines].reverse().find((d) => d.name === name);
  if (!deadline) throw new Error(`No deadline ${name} was recorded`);
  return Date.parse(deadline.dueAt);
}

/**
 * One case in a workflow test: its handle and what the workflow recorded, with the readings every
 * process's test needs. Each test's own case class adds its actions on top.
 */
export class CaseUnderTest<S extends CaseSnapshot<object> = CaseSnapshot, H extends WorkflowHandle = WorkflowHandle> {
  constructor(
    readonly handle: H,
    readonly recorded: RecordedCase,
  ) {}

  /** The snapshot last persisted with a journal entry. */
  persisted(): S {
    return this.recorded.last().snapshot as unknown as S;
  }

  /** The latest deadline of that name in the snapshot last persisted. */
  deadline(name: string): Deadline {
    const found = this.persisted().deadlines.filter((d) => d.name === name).at(-1);
    if (!found) throw new Error(`No deadline ${name}`);
    return found;
  }

  count(action: string): number {
    return this.recorded.actions().filter((a) => a === action).length;
  }

  escalationRoles(): string[] {
    return this.recorded.notifications('escalation').map((n) => n.role).sort();
  }

  /** The update is refused by the validator and leaves no trace: no journal entry, no change of state. */
  protected async refusedWithoutTrace(update: () => Promise<unknown>, type: string): Promise<ApplicationFailure> {
    const eventsBefore = this.recorded.events.length;
    const stateBefore = await this.handle.query(caseSnapshotQuery);
    const error: unknown = await update().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(type);
    expect(this.recorded.events).toHaveLength(eventsBefore);
    expect(await this.handle.query(caseSnapshotQuery)).toEqual(stateBefore);
    return cause as ApplicationFailure;
  }
}
