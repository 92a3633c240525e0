import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type CaseEvent, type CaseSnapshot, PROCESS_DEFINITIONS, isCaseIdOf } from '@buf/domain';

/**
 * The service's own Prometheus metrics (prom-client). Labels name processes, actions, deadlines,
 * routes and statuses, all from a closed list: never a case id or anything a person wrote.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'buf_http_request_duration_seconds',
    help: 'API requests by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly casesOpened = new Counter({
    name: 'buf_cases_opened_total',
    help: 'Cases opened (their first journal entry written), by process',
    labelNames: ['process'] as const,
    registers: [this.registry],
  });

  readonly actionsTaken = new Counter({
    name: 'buf_actions_taken_total',
    help: 'Actions taken on cases (journal entries written), by process and action',
    labelNames: ['process', 'action'] as const,
    registers: [this.registry],
  });

  readonly actionsRefused = new Counter({
    name: 'buf_actions_refused_total',
    help: 'Actions the API refused, by process, action and HTTP status (400 input, 403 role, 404 case, 409 step)',
    labelNames: ['process', 'action', 'status'] as const,
    registers: [this.registry],
  });

  readonly escalations = new Counter({
    name: 'buf_escalations_total',
    help: 'Deadlines missed and escalated, by process and deadline',
    labelNames: ['process', 'deadline'] as const,
    registers: [this.registry],
  });

  constructor(options: { service: string; defaultMetrics?: boolean }) {
    this.registry.setDefaultLabels({ service: options.service });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'buf_' });
  }

  /**
   * A journal entry written for the first time (never for a retry that found it written): a case
   * opened, an action taken or a deadline escalated.
   */
  countNewEntry(event: Pick<CaseEvent, 'caseId' | 'entry'>, snapshot: Pick<CaseSnapshot, 'deadlines'> | undefined): void {
    const definition = processOfCase(event.caseId);
    if (!definition) return;
    const process = definition.name;
    const { action } = event.entry;
    if (action === 'opened') this.casesOpened.inc({ process });
    else if (action === 'deadline-missed') this.escalations.inc({ process, deadline: escalatedDeadline(snapshot, event.entry.at) ?? 'unknown' });
    else if (definition.actions.some((a) => a.name === action)) this.actionsTaken.inc({ process, action });
  }

  /** A refused action, as the API answered it; names outside the definitions are counted as `unknown`. */
  countRefusal(caseId: string, action: string, status: number): void {
    const definition = processOfCase(caseId);
    this.actionsRefused.inc({
      process: definition?.name ?? 'unknown',
      action: definition?.actions.some((a) => a.name === action) ? action : 'unknown',
      status: String(status),
    });
  }

  /**
   * Gauges computed when scraped (e.g. from PostgreSQL). A failed computation leaves the gauge
   * unset for that scrape rather than failing the scrape.
   */
  gaugeAtScrape(name: string, help: string, compute: () => Promise<number | undefined>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.reset();
        const value = await compute().catch(() => undefined);
        if (value !== undefined) this.set(value);
      },
    });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

function processOfCase(caseId: string) {
  return PROCESS_DEFINITIONS.find((p) => isCaseIdOf(p.name, caseId));
}

/**
 * The deadline an escalation entry is about: the one missed last, at or before the entry (the
 * kit marks a deadline missed and escalates it in the same step; any other missed deadline was
 * missed earlier).
 */
function escalatedDeadline(snapshot: Pick<CaseSnapshot, 'deadlines'> | undefined, at: string): string | undefined {
  const missed = (snapshot?.deadlines ?? []).filter((d) => d.state === 'missed' && d.dueAt <= at);
  return missed.sort((a, b) => a.dueAt.localeCompare(b.dueAt)).at(-1)?.name;
}
