import type { WorkflowStartOptions } from '@temporalio/client';
import type { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { ProcessDefinition, StartCaseInput } from '@buf/domain';
import { CASE_SEARCH_ATTRIBUTES as SA } from '@buf/workflows/search-attributes';

/**
 * The options a case's workflow is started with (the API's update-with-start): the case id as
 * workflow id, joining a start of the same id in flight, never a second run of a case that
 * ended, and the search attributes the case lists read. `npm run bench -- --cluster` starts its
 * raw cases with these same options.
 */
export function caseStartOptions(
  definition: ProcessDefinition,
  startInput: StartCaseInput,
  taskQueue: string,
): WorkflowStartOptions & { args: [StartCaseInput]; workflowIdConflictPolicy: WorkflowIdConflictPolicy } {
  return {
    workflowId: startInput.caseId,
    taskQueue,
    args: [startInput],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: SA.process, value: definition.name },
      { key: SA.caseNumber, value: startInput.caseNumber },
      { key: SA.step, value: definition.initialStep },
      { key: SA.overdue, value: false },
    ],
  };
}
