// The workflow bundle's entry point: every process workflow, and nothing else.
export { dataBreachWorkflow } from './data-breach';
export { whistleblowerWorkflow } from './whistleblower';
export { scheduledReportWorkflow } from './reports';
