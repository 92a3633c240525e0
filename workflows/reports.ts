import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReportActivities } from '@buf/activities/report-activities';
import type { ScheduledReport } from '@buf/domain';

const { sendScheduledReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * One run of a scheduled report: compiles the figures and queues the e-mails. The activity keys
 * each e-mail by report, period and recipient, so neither a retry nor a second run for the same
 * period sends twice (the run's workflow id still travels as `runKey`, as the recorded histories have it).
 */
export async function scheduledReportWorkflow(report: ScheduledReport): Promise<number> {
  return sendScheduledReport({ report, runKey: workflowInfo().workflowId, asOf: new Date(Date.now()).toISOString() });
}
