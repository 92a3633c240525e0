// The workflow bundle's entry point: every process workflow, and nothing else.
export { bullyingComplaintWorkflow } from './bullying-complaint';
export { complaintWorkflow } from './complaint';
export { dataBreachWorkflow } from './data-breach';
export { whistleblowerWorkflow } from './whistleblower';
export { mandatoryTrainingWorkflow } from './mandatory-training';
export { accessRequestWorkflow } from './access-request';
export { taskforceWorkflow } from './taskforce';
export { scheduledReportWorkflow } from './reports';
export { retentionSweepWorkflow } from './retention';
