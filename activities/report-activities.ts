import { SCHEDULED_REPORTS, type ScheduledReport, formatCopenhagen } from '@buf/domain';
import type { OutboxStore } from '@buf/persistence/outbox-store';
import type { StatisticsStore } from '@buf/persistence/statistics-store';

export interface ReportActivities {
  /** Compiles a scheduled report and queues one e-mail per recipient role; returns how many were queued. */
  sendScheduledReport(args: { report: ScheduledReport; runKey: string; asOf: string }): Promise<number>;
}

const DAY = 86_400_000;

export function createReportActivities(statistics: StatisticsStore, outbox: OutboxStore): ReportActivities {
  return {
    async sendScheduledReport({ report, runKey, asOf }) {
      const at = new Date(asOf);
      const { subject, body } = await compile(report, at);
      const recipients = SCHEDULED_REPORTS[report].recipients;
      await outbox.enqueue(
        recipients.map((role) => ({ key: `${runKey}:${role}`, caseId: `report:${report}`, role, kind: 'report', subject, body })),
      );
      return recipients.length;
    },
  };

  async function compile(report: ScheduledReport, at: Date): Promise<{ subject: string; body: string }> {
    switch (report) {
      case 'training-monthly': {
        const s = await statistics.training(at);
        const lines = s.units.map((u) => `${u.area} / ${u.unit} / ${u.course}: ${u.employees} medarbejdere, ${u.completed} gennemført, ${u.overdue} overskredet`);
        return {
          subject: `Månedlig rapport: obligatoriske kurser pr. ${formatCopenhagen(at.getTime())}`,
          body: [`Gennemførelse af obligatoriske kurser pr. ${formatCopenhagen(at.getTime())}.`, '', ...(lines.length ? lines : ['Ingen aktive kursussager.']), '', `Overskredne i alt: ${s.overdue.length}.`].join('\n'),
        };
      }
      case 'complaints-6-weekly': {
        const s = await statistics.complaints({ from: new Date(at.getTime() - 42 * DAY).toISOString(), to: at.toISOString() });
        const lines = s.areas.map((a) => `${a.area}: ${a.inPeriod} i perioden, ${a.sinceBaseline} siden ${s.baselineDate}`);
        return {
          subject: `Klager pr. område – 6-ugers opgørelse pr. ${formatCopenhagen(at.getTime())}`,
          body: [`Antal klager pr. område de seneste 6 uger og siden baseline (${s.baselineDate}), til validering i det juridiske netværk.`, '', ...(lines.length ? lines : ['Ingen klager registreret.']), '', `I alt: ${s.total.inPeriod} i perioden, ${s.total.sinceBaseline} siden baseline.`].join('\n'),
        };
      }
    }
  }
}
