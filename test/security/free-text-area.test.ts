import { Client, Connection } from '@temporalio/client';
import { breachReport } from '../support/data-breach-fixtures';
import { testEnv } from '../support/paths';
import { unique } from '../support/platform';
import { type Caller, ServiceUnderTest } from '../support/service';

/**
 * `BufArea` is a search attribute every Temporal UI user sees: an attacker (or a careless reporter)
 * who may type the area writes what they like into it, e.g. a pupil's CPR number. Areas come from
 * the configured list (AREAS; the demo default here); anything else is 400 naming the field and
 * never reaches Temporal.
 */
describe('an area is one of the configured areas, never free text', () => {
  let service: ServiceUnderTest;
  let temporal: Client;
  let complaintsUnit: Caller;
  let reporter: Caller;
  const FREE_TEXT = 'Skole med CPR 010203-1234';

  beforeAll(async () => {
    service = await ServiceUnderTest.start('security-free-text-area');
    temporal = new Client({ connection: await Connection.connect({ address: testEnv('TEST_TEMPORAL_ADDRESS') }), namespace: 'default' });
    complaintsUnit = await service.as({ sub: unique('ke'), name: 'Karin Klageenhed', roles: ['klageenhed'] });
    reporter = await service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'] });
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  const fieldsOf = (body: { details?: { fields?: { field: string }[] } }) => (body.details?.fields ?? []).map((f) => f.field);
  const complaint = (area: unknown) => ({ channel: 'email', area, unit: 'Skole Nord', unitType: 'school', subject: 'Forløbet med skolen' });

  it('given a complaint or a breach with free text as its area, when started, then 400 names area, the value is not repeated, and no workflow or search attribute reaches Temporal', async () => {
    const before = await service.db.query('SELECT count(*)::int AS n FROM case_files');
    for (const [caller, process, body] of [
      [complaintsUnit, 'complaint', complaint(FREE_TEXT)],
      [reporter, 'data-breach', breachReport({ area: FREE_TEXT })],
    ] as const) {
      const res = await caller.start(process, body);
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['area']);
      expect(res.body.message).toBe('area must be one of the configured areas: nord, syd, oest, vest, midtby');
      expect(JSON.stringify(res.body)).not.toContain('010203');
    }
    // Nothing was opened: no case file, and Temporal holds no workflow with that area.
    expect((await service.db.query('SELECT count(*)::int AS n FROM case_files')).rows[0].n).toBe(before.rows[0].n);
    const matching: string[] = [];
    for await (const execution of temporal.workflow.list({ query: `BufArea = '${FREE_TEXT}'` })) matching.push(execution.workflowId);
    expect(matching).toEqual([]);
  });

  it('given an area that differs from a configured one only in case or spacing, or is not a string, when started, then 400 naming area; a configured area opens the case', async () => {
    for (const area of ['Nord', ' nord', 'nord ', 'matrix-area', 42, ['nord']]) {
      const res = await complaintsUnit.start('complaint', complaint(area));
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['area']);
    }
    const opened = await complaintsUnit.start('complaint', complaint('nord'));
    expect(opened.status).toBe(201);
    expect(opened.body.area).toBe('nord');
  });

  it('given free text as the list filter, when the list is asked for, then 400 naming area', async () => {
    const res = await complaintsUnit.get(`/cases?area=${encodeURIComponent(FREE_TEXT)}`);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['area']);
    expect((await complaintsUnit.get('/cases?area=syd')).status).toBe(200);
  });
});
