/**
 * Workflow interceptors of every process workflow.
 *
 * A payload the service did not seal (the worker's codec hands it on as a refused payload) never
 * reaches a workflow: a start fails at once, non-retryably; an update or a query is refused; a
 * signal is dropped. Each refusal is logged with the case id.
 *
 * A workflow task that fails (an error that is not a Temporal failure: a defect, or input no rule
 * caught) is retried by Temporal for ever and would be silent; here it is said, with the case id,
 * every time it happens, so an operator sees which case is stuck and why.
 */
import { ContinueAsNew, type WorkflowInterceptorsFactory, isCancellation, log, workflowInfo } from '@temporalio/workflow';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { REFUSAL_TEXT, refusedAmong } from '@buf/temporal/refused-payload';
import { tracingInterceptors } from './tracing';

export const UNSEALED_PAYLOAD = 'UnsealedPayload';

/** Throws (non-retryably) when one of the arguments is a payload the service did not seal. */
function refuseUnsealed(where: string, args: readonly unknown[]): void {
  const reason = refusedAmong(args);
  if (reason === undefined) return;
  const caseId = workflowInfo().workflowId;
  log.warn(`Refused ${REFUSAL_TEXT[reason]} in ${where} of case ${caseId}`, { caseId, refusal: reason });
  throw ApplicationFailure.create({ type: UNSEALED_PAYLOAD, message: `Refused ${REFUSAL_TEXT[reason]} in ${where}`, nonRetryable: true });
}

function reportTaskFailure(where: string, err: unknown): void {
  if (err instanceof TemporalFailure || err instanceof ContinueAsNew || isCancellation(err)) return;
  log.error(`Workflow task failing in ${where}: case ${workflowInfo().workflowId} cannot go on until this is fixed`, {
    caseId: workflowInfo().workflowId,
    error: err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error',
  });
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  // Tracing first: its spans enclose the refusals and failures below.
  const tracing = tracingInterceptors();
  return {
    ...tracing,
    inbound: [
      ...tracing.inbound,
      {
        async execute(input, next) {
          refuseUnsealed('the start', input.args);
          try {
            return await next(input);
          } catch (err) {
            reportTaskFailure('the workflow', err);
            throw err;
          }
        },
        validateUpdate(input, next) {
          refuseUnsealed(`the update ${input.name}`, input.args);
          next(input);
        },
        async handleUpdate(input, next) {
          refuseUnsealed(`the update ${input.name}`, input.args);
          try {
            return await next(input);
          } catch (err) {
            reportTaskFailure(`the update ${input.name}`, err);
            throw err;
          }
        },
        handleQuery(input, next) {
          refuseUnsealed(`the query ${input.queryName}`, input.args);
          return next(input);
        },
        async handleSignal(input, next) {
          // A signal that fails would fail the case's run: an unsealed one is dropped, said in the log.
          const reason = refusedAmong(input.args);
          if (reason !== undefined) {
            log.warn(`Dropped the signal ${input.signalName}: ${REFUSAL_TEXT[reason]}`, { caseId: workflowInfo().workflowId, refusal: reason });
            return;
          }
          await next(input);
        },
      },
    ],
  };
};
