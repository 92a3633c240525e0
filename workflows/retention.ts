import { proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities } from '@buf/activities/retention-activities';

const { anonymiseExpiredCases } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** The daily retention sweep (a Temporal Schedule): closed cases past their period are anonymised. */
export async function retentionSweepWorkflow(): Promise<number> {
  return anonymiseExpiredCases({ asOf: new Date(Date.now()).toISOString() });
}
