/**
 * Workflow interceptors of every process workflow. A workflow task that fails (an error that is
 * not a Temporal failure: a defect, or input no rule caught) is retried by Temporal for ever and
 * would be silent; here it is said, with the case id, every time it happens, so an operator sees
 * which case is stuck and why.
 */
import { ContinueAsNew, type WorkflowInterceptorsFactory, isCancellation, log, workflowInfo } from '@temporalio/workflow';
import { TemporalFailure } from '@temporalio/common';

function reportTaskFailure(where: string, err: unknown): void {
  if (err instanceof TemporalFailure || err instanceof ContinueAsNew || isCancellation(err)) return;
  log.error(`Workflow task failing in ${where}: case ${workflowInfo().workflowId} cannot go on until this is fixed`, {
    caseId: workflowInfo().workflowId,
    error: err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error',
  });
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          reportTaskFailure('the workflow', err);
          throw err;
        }
      },
      async handleUpdate(input, next) {
        try {
          return await next(input);
        } catch (err) {
          reportTaskFailure(`the update ${input.name}`, err);
          throw err;
        }
      },
    },
  ],
});
