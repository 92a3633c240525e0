import type { AppConfig } from '@buf/config';
import {
  type ComplaintAreaStatistics,
  type Recipient,
  SCHEDULED_REPORTS,
  type ScheduledReport,
  TRAINING_COURSE_LABELS,
  type TrainingCourse,
  type TrainingOverdueEmployee,
  copenhagenDate,
  copenhagenMonth,
  formatCopenhagen,
  previousCopenhagenDays,
  previousCopenhagenYear,
  recipientKey,
} from '@buf/domain';
import type { OutboxStore } from '@buf/persistence/outbox-store';
import type { StatisticsStore } from '@buf/persistence/statistics-store';

export interface ReportActivities {
  /**
   * Compiles a scheduled report and queues its e-mails; returns how many it queued or had queued.
   * `runKey` (the run's workflow id) is kept for the recorded histories: the messages are keyed by
   * the report's period instead, so a retried activity and a re-run of the same period queue each
   * message once.
   */
  sendScheduledReport(args: { report: ScheduledReport; runKey: string; asOf: string }): Promise<number>;
}

/** The 6-weekly complaint report covers the 42 whole Copenhagen days before its run. */
const COMPLAINT_PERIOD_DAYS = 42;

interface Message {
  to: Recipient;
  cc?: Recipient;
  subject: string;
  body: string;
}

export function createReportActivities(
  statistics: StatisticsStore,
  outbox: OutboxStore,
  config: Pick<AppConfig, 'complaintBaseline' | 'notificationDirectory'>,
): ReportActivities {
  return {
    async sendScheduledReport({ report, asOf }) {
      const at = new Date(asOf);
      const { periodKey, messages } = await compile(report, at);
      await outbox.enqueue(
        messages.map((m) => ({
          key: `report:${report}:${periodKey}:${recipientKey(m.to)}`,
          caseId: `report:${report}`,
          role: recipientKey(m.to),
          ...(m.cc ? { cc: recipientKey(m.cc) } : {}),
          kind: 'report',
          subject: m.subject,
          body: m.body,
        })),
      );
      return messages.length;
    },
  };

  /** The same report to every role of the report's recipients, and to `extra`. */
  function toEach(report: ScheduledReport, subject: string, body: string, extra: Recipient[] = []): Message[] {
    const roles: Recipient[] = SCHEDULED_REPORTS[report].recipients.map((role) => ({ role }));
    return [...roles, ...extra].map((to) => ({ to, subject, body }));
  }

  async function compile(report: ScheduledReport, at: Date): Promise<{ periodKey: string; messages: Message[] }> {
    const now = formatCopenhagen(at.getTime());
    switch (report) {
      case 'training-monthly': {
        const s = await statistics.training(at);
        const lines = s.units.map(
          (u) => `${u.area} / ${u.unit} / ${courseLabel(u.course)}: ${u.employees} medarbejdere — ${u.completedAndCurrent} gennemført og gældende, ${u.notYetDue} endnu ikke forfaldne, ${u.overdue} overskredet`,
        );
        return {
          periodKey: copenhagenMonth(at.getTime()),
          messages: toEach(
            report,
            `Månedlig rapport: obligatoriske kurser pr. ${now}`,
            [
              `Gennemførelse af obligatoriske kurser pr. ${now}: alle medarbejdere med en kursussag (åben eller gennemført), pr. område, enhed og kursus.`,
              'IT-sikkerhed tæller som gennemført og gældende, indtil fristen for genopfriskning er overskredet.',
              '',
              ...(lines.length ? lines : ['Ingen kursussager.']),
              '',
              `Overskredne i alt: ${s.overdue.length}.`,
            ].join('\n'),
          ),
        };
      }
      case 'training-overdue-lists': {
        const s = await statistics.training(at);
        const byUnit = new Map<string, TrainingOverdueEmployee[]>();
        for (const o of s.overdue) byUnit.set(o.unit, [...(byUnit.get(o.unit) ?? []), o]);
        const month = copenhagenDate(at.getTime());
        return {
          periodKey: copenhagenMonth(at.getTime()),
          // One message per institution leader (per unit), the unit's cluster leader in copy. The
          // employees are named in the body only, by the employee id the training case holds.
          messages: [...byUnit].map(([unit, employees]) => ({
            to: { role: 'institution-leader', unit },
            cc: { role: 'cluster-leader', unit },
            subject: `Månedlig liste: medarbejdere med overskredne obligatoriske kurser (${MONTHS[month.month - 1]} ${month.year})`,
            body: [
              `Medarbejdere i ${unit}, der pr. ${now} mangler at gennemføre et obligatorisk kursus efter fristen:`,
              '',
              ...employees.map((e) => `- Medarbejder ${e.employeeId}: ${courseLabel(e.course)}, frist ${e.dueAt ? formatCopenhagen(Date.parse(e.dueAt)) : 'ukendt'}`),
              '',
              'Klyngelederen modtager listen i kopi.',
            ].join('\n'),
          })),
        };
      }
      case 'complaints-6-weekly': {
        const period = previousCopenhagenDays(at.getTime(), COMPLAINT_PERIOD_DAYS);
        const s = await statistics.complaints(period, config.complaintBaseline);
        const baselineDate = danishDate(s.baselineDate);
        const representatives: Recipient[] = Object.entries(config.notificationDirectory.areas)
          .filter(([, entry]) => entry.representative)
          .map(([area]) => ({ role: 'area-representative', area }));
        const last = new Date(Date.parse(period.to) - 1).getTime();
        return {
          periodKey: period.to.slice(0, 10),
          messages: toEach(
            report,
            `Klager pr. område – 6-ugers opgørelse pr. ${now}`,
            [
              `Antal klager pr. område i perioden ${formatCopenhagen(Date.parse(period.from)).slice(0, 10)}–${formatCopenhagen(last).slice(0, 10)} (${COMPLAINT_PERIOD_DAYS} dage), siden baseline ${baselineDate} og sammenholdt med baseline, til validering i det juridiske netværk.`,
              'Kun klager tælles (sagsbehandling, adfærd, serviceniveau); realitetsklager tælles for sig. Henvendelser, der ikke er klager, og uklare henvendelser, som borgeren ikke har besvaret, tælles ikke.',
              `Sammenholdt med baseline: forskellen er periodens antal minus områdets baselineantal (klager pr. 6 uger ved baseline ${baselineDate}); forholdet er periodens antal i procent af baselineantallet (100 % = samme niveau som ved baseline).`,
              '',
              ...(s.areas.length ? s.areas.map((a) => areaLine(a, baselineDate)) : ['Ingen klager registreret.']),
              '',
              `I alt: ${s.total.inPeriod} klager i perioden, ${s.total.sinceBaseline} siden baseline; baseline ${s.total.baseline}; realitetsklager ${s.total.realitetsklagerInPeriod} i perioden, ${s.total.realitetsklagerSinceBaseline} siden baseline.`,
            ].join('\n'),
            representatives,
          ),
        };
      }
      case 'data-breaches-yearly': {
        const { year, ...period } = previousCopenhagenYear(at.getTime());
        const s = await statistics.dataBreaches(period);
        return {
          periodKey: String(year),
          messages: toEach(
            report,
            `Årlig rapport: sikkerhedsbrud ${year}`,
            [
              `Sikkerhedsbrud konstateret i ${year} (1. januar kl. 00.00 til 31. december kl. 24.00, dansk tid):`,
              '',
              `Anmeldte mulige sikkerhedsbrud: ${s.reported}`,
              `Håndteret som faktiske sikkerhedsbrud: ${s.actual}`,
              `Omkategoriseret: ${s.recategorised}`,
              `Anmeldt til Datatilsynet: ${s.notified}`,
              `Heraf anmeldt efter 72-timersfristen: ${s.notifiedLate}`,
            ].join('\n'),
          ),
        };
      }
    }
  }
}

const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];

function courseLabel(course: string): string {
  return TRAINING_COURSE_LABELS[course as TrainingCourse] ?? course;
}

/** `2021-09-01` as `01.09.2021`. */
function danishDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

function areaLine(a: ComplaintAreaStatistics, baselineDate: string): string {
  const difference = a.differenceFromBaseline ?? 0;
  const against =
    a.baseline === null
      ? 'ingen baseline konfigureret'
      : `baseline ${a.baseline} (forskel ${difference >= 0 ? '+' : ''}${difference}${a.ratioToBaseline === null ? '' : `, ${Math.round(a.ratioToBaseline * 100)} %`})`;
  return `${a.area}: ${a.inPeriod} klager i perioden, ${a.sinceBaseline} siden ${baselineDate}; ${against}; realitetsklager: ${a.realitetsklagerInPeriod} i perioden, ${a.realitetsklagerSinceBaseline} siden ${baselineDate}`;
}
