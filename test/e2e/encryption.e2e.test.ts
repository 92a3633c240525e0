import type { Client } from '@temporalio/client';
import { type Caller, ServiceUnderTest } from '../support/service';

/** Whoever can open the Temporal UI sees the state of cases, not their content. */
describe('encrypted workflow history', () => {
  let service: ServiceUnderTest;
  let plain: Client;
  let keyed: Client;
  let reporter: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('encryption-e2e');
    plain = await service.temporalClient({ withPayloadKey: false });
    keyed = await service.temporalClient({ withPayloadKey: true });
    reporter = await service.as({ sub: 'emp-enc', name: 'Sofie Kristensen', roles: ['employee'] });
    gdpr = await service.as({ sub: 'gdpr-enc', name: 'Henrik Mølgaard', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await Promise.all([plain?.connection.close(), keyed?.connection.close()]);
    await service?.stop();
  });

  it('given a breach with personal data, when its history is read without the key, then none of the personal data is in it; with the key it is', async () => {
    const secrets = {
      description: 'Lærer sendte elevplan for Oliver Bæk, CPR 120315-4411, til forkert forælder',
      rationale: 'Helbredsoplysninger om Oliver Bæk',
    };
    const opened = await reporter.start('data-breach', {
      discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
      unit: 'Skole Øst',
      description: secrets.description,
      dataCategories: ['helbredsoplysninger'],
      channel: 'form',
    });
    expect(opened.status).toBe(201);
    await gdpr.act(opened.body.id, 'triage', { outcome: 'breach', reason: secrets.rationale });

    const history = readableText(await plain.workflow.getHandle(opened.body.id).fetchHistory());
    expect(history).toContain('binary/encrypted');
    expect(history).toContain('data-breach'); // what the UI may show: process, step, case number
    for (const needle of ['Oliver', '120315-4411', 'Sofie Kristensen', 'Henrik Mølgaard', 'elevplan', 'Skole Øst']) {
      expect(history).not.toContain(needle);
    }

    const snapshot = await keyed.workflow.getHandle(opened.body.id).query<{ data: { description: string } }>('caseSnapshot');
    expect(snapshot.data.description).toBe(secrets.description);
    await expect(plain.workflow.getHandle(opened.body.id).query('caseSnapshot')).rejects.toThrow();
  });

  it("given whole flows with personal data, when the service's logs (API and worker) are scanned, then none of the personal data is in them", async () => {
    const personal = { name: 'Magnus Thorsen', cpr: '241299-7733', detail: 'Journalnotat om Ida Krogh blev delt' };
    const employee = await service.as({ sub: 'emp-log', name: personal.name, roles: ['employee'] });
    const opened = await employee.start('data-breach', {
      discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
      unit: 'Dagtilbud Vest',
      description: `${personal.detail}, CPR ${personal.cpr}`,
      dataCategories: ['cpr-nummer'],
      channel: 'serviceportal',
    });
    const id = opened.body.id;
    await gdpr.act(id, 'triage', { outcome: 'breach', reason: `Vedrører ${personal.name}` });
    await gdpr.act(id, 'assess-risk', { risk: 'high', rationale: `CPR ${personal.cpr} er delt` });
    await gdpr.act(id, 'notify-datatilsynet', { reference: 'DT-LOG-1' });
    await gdpr.act(id, 'record-subject-notice-exception', { reason: `${personal.name} er allerede orienteret` });
    await gdpr.act(id, 'close', { summary: `Sagen om ${personal.name} er afsluttet` });
    await employee.act(id, 'triage', { outcome: 'breach', reason: personal.detail }); // refused: still not logged

    const log = service.logs.join('\n');
    expect(log).toContain(id); // the log does tell what happened to which case
    for (const needle of [personal.name, personal.cpr, 'Ida Krogh', 'Journalnotat', 'Dagtilbud Vest']) {
      expect(log).not.toContain(needle);
    }
  });
});

/** Everything a person with the UI could read in a history: every string, and every payload's bytes decoded. */
function readableText(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown, key?: string): void => {
    if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('utf8'));
    else if (typeof v === 'string') parts.push(v, ...(key === 'data' || key === 'metadata' || /^[A-Za-z0-9+/]+=*$/.test(v) ? [Buffer.from(v, 'base64').toString('utf8')] : []));
    else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(value);
  return parts.join('\n');
}
