import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReportActivities } from '@buf/activities/report-activities';
import type { ScheduledReport } from '@buf/domain';

const { sendScheduledReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * One run of a scheduled report: compiles the figures and queues the e-mails. The run's
 * workflow id (unique per scheduled time) keys the e-mails, so a retry never sends twice.
 */
export async function scheduledReportWorkflow(report: ScheduledReport): Promise<number> {
  return sendScheduledReport({ report, runKey: workflowInfo().workflowId, asOf: new Date(Date.now()).toISOString() });
}
