import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type CalendarSpec, Client, MONTHS, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { SCHEDULED_REPORTS, type ScheduledReport, reportSchedule } from '@buf/domain';

/** One schedule per report and task queue, so separate deployments never steer each other's. */
export function reportScheduleId(taskQueue: string, report: ScheduledReport): string {
  return `${taskQueue}.${report}-report`;
}

export function retentionScheduleId(taskQueue: string): string {
  return `${taskQueue}.retention-sweep`;
}

/**
 * Creates the schedules (reports, the retention sweep) at start-up, or brings existing ones up to date: running it on
 * every start (and on several workers) leaves exactly one schedule per report.
 */
@Injectable()
export class ReportSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportSchedules.name);

  constructor(
    @Inject(Client) private readonly client: Client,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const taskQueue = this.config.temporal.taskQueue;
    for (const report of Object.keys(SCHEDULED_REPORTS) as ScheduledReport[]) {
      const definition = reportSchedule(report);
      const calendar = definition.calendar;
      await this.ensure({
        scheduleId: reportScheduleId(taskQueue, report),
        spec: {
          ...(calendar ? { calendars: [calendarSpec(calendar)] } : {}),
          ...(definition.everyDays ? { intervals: [{ every: `${definition.everyDays} days` }] } : {}),
          timezone: 'Europe/Copenhagen',
        },
        action: { type: 'startWorkflow', workflowType: 'scheduledReportWorkflow', taskQueue, args: [report] },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
        memo: { description: SCHEDULED_REPORTS[report].description },
      });
    }
    await this.ensure({
      scheduleId: retentionScheduleId(taskQueue),
      spec: { calendars: [{ hour: 2, minute: 30 }], timezone: 'Europe/Copenhagen' },
      action: { type: 'startWorkflow', workflowType: 'retentionSweepWorkflow', taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { description: 'Daily: closed cases past their retention period are anonymised.' },
    });
  }

  private async ensure(options: ScheduleOptions): Promise<void> {
    const { scheduleId } = options;
    try {
      await this.client.schedule.create(options);
      this.logger.log(`Created schedule ${scheduleId}`);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await this.client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
      this.logger.log(`Schedule ${scheduleId} is up to date`);
    }
  }
}

/** The domain's calendar (month 1–12) as Temporal's (month names). */
function calendarSpec({ month, ...rest }: { month?: number; dayOfMonth: number; hour: number; minute: number }): CalendarSpec {
  return { ...rest, ...(month !== undefined ? { month: MONTHS[month - 1] } : {}) };
}
