import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Actor, CaseErrorDetails } from '../../libs/domain/src';
import { takeActionUpdate } from '../../workflows/messages';
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

/** When the latest deadline of that name is due, as the workflow last recorded it. */
export function dueAt(recorded: RecordedCase, name: string): number {
  const deadline = [...recorded.last().snapshot.deadlines].reverse().find((d) => d.name === name);
  if (!deadline) throw new Error(`No deadline ${name} was recorded`);
  return Date.parse(deadline.dueAt);
}
