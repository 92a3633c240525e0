import type { Deadline } from '@buf/domain';
import { ServiceMetrics } from './metrics';

const value = async (metrics: ServiceMetrics, name: string) => (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
const entry = (caseId: string, action: string, at = '2026-03-10T12:00:00.000Z') => ({ caseId, entry: { seq: 2, at, actor: { sub: 'system', name: 'Systemet' }, action } });
const deadline = (name: string, dueAt: string, state: Deadline['state']): Deadline => ({ name, dueAt, state });

describe('the service metrics of journal entries and refusals', () => {
  it('given an escalation entry, when counted, then the deadline is the one missed last before it, by process; no case id in any label', async () => {
    const metrics = new ServiceMetrics({ service: 'test', defaultMetrics: false });
    metrics.countNewEntry(entry('data-breach-2026-0000001', 'deadline-missed'), {
      deadlines: [deadline('earlier', '2026-03-01T00:00:00.000Z', 'missed'), deadline('datatilsynet-72h', '2026-03-10T11:59:59.000Z', 'missed'), deadline('later', '2026-03-20T00:00:00.000Z', 'pending')],
    });
    expect(await value(metrics, 'buf_escalations_total')).toEqual([{ labels: { process: 'data-breach', deadline: 'datatilsynet-72h' }, value: 1 }]);
    expect(JSON.stringify(await metrics.registry.getMetricsAsJSON())).not.toContain('2026-0000001');
  });

  it('given an opening, an action of the definition, a system entry and a case of no process, when counted, then opened and taken count once each and the rest not at all', async () => {
    const metrics = new ServiceMetrics({ service: 'test', defaultMetrics: false });
    metrics.countNewEntry(entry('data-breach-2026-0000001', 'opened'), undefined);
    metrics.countNewEntry(entry('data-breach-2026-0000001', 'triage'), undefined);
    metrics.countNewEntry(entry('data-breach-2026-0000001', 'reminder'), undefined);
    metrics.countNewEntry(entry('no-such-process-2026-0000001', 'opened'), undefined);
    expect(await value(metrics, 'buf_cases_opened_total')).toEqual([{ labels: { process: 'data-breach' }, value: 1 }]);
    expect(await value(metrics, 'buf_actions_taken_total')).toEqual([{ labels: { process: 'data-breach', action: 'triage' }, value: 1 }]);
  });

  it('given refusals with names outside the definitions (anyone can send any path), when counted, then those names are counted as unknown', async () => {
    const metrics = new ServiceMetrics({ service: 'test', defaultMetrics: false });
    metrics.countRefusal('data-breach-2026-0000001', 'triage', 409);
    metrics.countRefusal('data-breach-2026-0000001', 'drop-table', 409);
    metrics.countRefusal('Sofie Jensen 010203-1234', 'triage', 404);
    expect(await value(metrics, 'buf_actions_refused_total')).toEqual([
      { labels: { process: 'data-breach', action: 'triage', status: '409' }, value: 1 },
      { labels: { process: 'data-breach', action: 'unknown', status: '409' }, value: 1 },
      { labels: { process: 'unknown', action: 'unknown', status: '404' }, value: 1 },
    ]);
  });
});
