import { anonymiseData } from './retention';

describe('anonymisation after retention', () => {
  it('given a closed breach, when anonymised, then only the reported figures survive, not names or free text', () => {
    const data = {
      discoveredAt: '2026-01-05T08:00:00Z',
      unit: 'Skole Nord',
      description: 'Elevplan for Emil Dahl sendt forkert',
      dataCategories: ['helbred'],
      channel: 'form',
      triage: { outcome: 'breach', reason: 'Emil Dahls forældre klagede', at: '2026-01-05T09:00:00Z' },
      risk: { level: 'high', rationale: 'Helbredsoplysninger', at: '2026-01-05T10:00:00Z' },
      authorityNotification: { reference: 'DT-1', submittedAt: '2026-01-06T10:00:00Z', late: false },
      outcome: 'handled',
      summary: 'Emil Dahl er orienteret',
    };
    const kept = anonymiseData('data-breach', data);
    expect(kept).toEqual({
      anonymised: true,
      discoveredAt: '2026-01-05T08:00:00Z',
      unit: 'Skole Nord',
      dataCategories: ['helbred'],
      channel: 'form',
      triage: { outcome: 'breach' },
      risk: { level: 'high' },
      authorityNotification: { submittedAt: '2026-01-06T10:00:00Z', late: false },
      outcome: 'handled',
    });
    expect(JSON.stringify(kept)).not.toMatch(/Emil|Dahl|DT-1/);
  });

  it('given a process without a retained list, when anonymised, then nothing but the marker remains', () => {
    expect(anonymiseData('unknown', { name: 'x' })).toEqual({ anonymised: true });
  });
});
