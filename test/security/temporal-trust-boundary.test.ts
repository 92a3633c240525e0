import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import * as fc from 'fast-check';
import { breachReport } from '../support/data-breach-fixtures';
import { PROJECT_ROOT, testEnv } from '../support/paths';
import { eventually } from '../support/polling';
import { type Caller, ServiceUnderTest } from '../support/service';

const run = promisify(execFile);
const TEMPORAL_CLI = path.join(PROJECT_ROOT, '.venv', 'bin', 'temporal');
const EventType = temporal.api.enums.v1.EventType;

type UiPayload = { metadata: Record<string, string>; data: string };

/**
 * The paths around the API, as an attacker would take them: the Temporal UI's codec endpoint
 * asked to decode cases the API would not show, and Temporal's frontend reached directly with
 * the Temporal CLI (plain JSON) or with payloads copied out of a history.
 */
describe('the trust boundary at Temporal and the codec', () => {
  let service: ServiceUnderTest;
  let plain: Client;
  let sealed: Client;
  let employee: Caller;
  let secretariatCaller: Caller;
  let jurist: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    // The codec open to more roles than the default, so that the read rule, not the role list, decides.
    service = await ServiceUnderTest.start('security-trust', { CODEC_ROLES: 'ledelsessekretariat,direktion,gdpr' });
    plain = await service.temporalClient({ withPayloadKey: false });
    sealed = await service.temporalClient({ withPayloadKey: true });
    employee = await service.as({ sub: 'emp-tb', name: 'Karen Lund', roles: ['employee'] });
    secretariatCaller = await service.as({ sub: 'ls-tb', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] });
    jurist = await service.as({ sub: 'jur-tb', name: 'Jens Jurist', roles: ['jurist'] });
    gdpr = await service.as({ sub: 'gdpr-tb', name: 'Gitte GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await plain?.connection.close();
    await sealed?.connection.close();
    await service?.stop();
  });

  const openBreach = async (): Promise<string> => service.expectStatus(await employee.start('data-breach', breachReport({ description: 'Karakterark for Emil Dahl lå åbent' })), 201).body.id;
  const openWhistleblowerCase = async (): Promise<string> =>
    service.expectStatus(
      await secretariatCaller.start('whistleblower', {
        brgReference: 'BRG-2026-901', subject: 'Indberetning om Børnehuset Kastanjen', summary: 'Fortroligt indhold fra BRG', handlingUnit: 'Jura Syd', area: 'syd',
        receivedAt: new Date(Date.now() - 600_000).toISOString(), replyDeadline: new Date(Date.now() + 21 * 86_400_000).toISOString(),
      }),
      201,
    ).body.id;
  const openAccessRequest = async (): Promise<string> =>
    service.expectStatus(
      await jurist.start('access-request', { receivedAt: new Date(Date.now() - 600_000).toISOString(), requester: 'Journalist Hansen', requesterType: 'journalist', request: 'Referater om Skole Øst', area: 'nord' }),
      201,
    ).body.id;

  async function startPayloads(caseId: string): Promise<UiPayload[]> {
    const history = await plain.workflow.getHandle(caseId).fetchHistory();
    const b64 = (v: Uint8Array | null | undefined) => Buffer.from(v ?? new Uint8Array()).toString('base64');
    return (history.events?.[0].workflowExecutionStartedEventAttributes?.input?.payloads ?? []).map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
      data: b64(p.data),
    }));
  }

  const decodeAs = async (roles: string[], payloads: UiPayload[]) =>
    service.expectStatus(
      await service.request('POST', '/codec/decode', { token: await service.token({ sub: `codec-${roles.join('-')}`, name: 'Codec', roles }), body: { payloads }, headers: { 'x-namespace': 'default' } }),
      200,
    ).body.payloads as UiPayload[];
  const isPlain = (p: UiPayload) => Buffer.from(p.metadata.encoding, 'base64').toString() === 'json/plain';
  const readLogCount = async (caseId: string) => Number((await service.db.query('SELECT count(*) AS n FROM case_read_log WHERE case_id = $1', [caseId])).rows[0].n);

  it('given payloads of a breach, a whistleblower case and an access request, when each codec role decodes them, then exactly what the API would show them is decrypted, the rest comes back encrypted', async () => {
    const cases = { breach: await openBreach(), whistleblower: await openWhistleblowerCase(), access: await openAccessRequest() };
    const payloads = [...(await startPayloads(cases.breach)), ...(await startPayloads(cases.whistleblower)), ...(await startPayloads(cases.access))];
    expect(payloads).toHaveLength(3);
    // GET /cases/{id} as each of them decides: 200 or 404.
    const expected: Record<string, [boolean, boolean, boolean]> = {
      ledelsessekretariat: [false, true, true],
      direktion: [false, true, false],
      gdpr: [true, false, false],
    };
    for (const [role, readable] of Object.entries(expected)) {
      const api = await service.as({ sub: `api-${role}`, name: 'API', roles: [role] });
      for (const [i, id] of [cases.breach, cases.whistleblower, cases.access].entries()) {
        expect({ role, id, status: (await api.get(`/cases/${id}`)).status }).toEqual({ role, id, status: readable[i] ? 200 : 404 });
      }
      const decoded = await decodeAs([role], payloads);
      expect({ role, decrypted: decoded.map(isPlain) }).toEqual({ role, decrypted: readable });
      decoded.forEach((p, i) => (readable[i] ? undefined : expect(p).toEqual(payloads[i])));
    }
  });

  it('given a whistleblower case, when a secretariat member decodes its content in the UI, then the read is in the case read log', async () => {
    const id = await openWhistleblowerCase();
    const before = await readLogCount(id);
    const [decoded] = await decodeAs(['ledelsessekretariat'], await startPayloads(id));
    expect(Buffer.from(decoded.data, 'base64').toString()).toContain('Fortroligt indhold fra BRG');
    expect(await readLogCount(id)).toBe(before + 1);
  });

  it('given input typed in the Temporal UI, when the codec seals it, then it is sealed for the UI (no worker runs it) and decodes back as typed', async () => {
    const typed = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"action":"close"}').toString('base64') };
    const token = await service.token({ sub: 'ls-enc', name: 'Lise', roles: ['ledelsessekretariat'] });
    const encoded = service.expectStatus(await service.request('POST', '/codec/encode', { token, body: { payloads: [typed] }, headers: { 'x-namespace': 'default' } }), 200).body;
    expect((await decodeAs(['ledelsessekretariat'], encoded.payloads))[0]).toEqual(typed);
  });

  it('given the plain Temporal CLI, when it sends a takeAction update with a forged GDPR actor to a breach, then it is refused, the case is unchanged and the refusal is logged with the case id', async () => {
    const id = await openBreach();
    const forged = JSON.stringify({ action: 'triage', input: { outcome: 'not-a-breach', reason: 'Lukket udefra' }, actor: { sub: 'x', name: 'x', roles: ['gdpr'] } });
    const attempt = await run(TEMPORAL_CLI, ['workflow', 'update', 'execute', '--address', testEnv('TEST_TEMPORAL_ADDRESS'), '--workflow-id', id, '--name', 'takeAction', '--input', forged]).then(
      (r) => ({ ok: true, out: r.stdout + r.stderr }),
      (err: { stdout?: string; stderr?: string }) => ({ ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    );
    expect(attempt.ok).toBe(false);
    // The refusal's text is encrypted like every failure message; its type is not.
    expect(attempt.out).toMatch(/UnsealedPayload/);
    const now = service.expectStatus(await gdpr.get(`/cases/${id}`), 200).body;
    expect(now.step).toBe('reported');
    expect(now.journal.map((e: { action: string }) => e.action)).toEqual(['opened']);
    await eventually('the refusal in the worker log', async () => service.logs.some((l) => l.includes('Refused a payload not sealed') && l.includes(id)));
  });

  it('given the plain Temporal CLI, when it starts a process workflow with plain JSON, then the run fails at once, non-retryably, with its failure message encrypted in the history', async () => {
    const workflowId = `data-breach-forged-${randomUUID().slice(0, 8)}`;
    const input = JSON.stringify({ caseId: workflowId, caseNumber: 'X-1', openedAt: new Date().toISOString(), actor: { sub: 'x', name: 'x', roles: ['employee'] }, input: breachReport(), policy: {} });
    await run(TEMPORAL_CLI, ['workflow', 'start', '--address', testEnv('TEST_TEMPORAL_ADDRESS'), '--type', 'dataBreachWorkflow', '--task-queue', service.taskQueue, '--workflow-id', workflowId, '--input', input]);
    const handle = plain.workflow.getHandle(workflowId);
    await eventually('the forged run has failed', async () => (await handle.describe()).status.name === 'FAILED');
    const history = await handle.fetchHistory();
    const types = (history.events ?? []).map((e) => e.eventType);
    expect(types).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    expect(types).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    const failure = history.events?.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED)?.workflowExecutionFailedEventAttributes?.failure;
    expect(failure?.message).toBe('Encoded failure');
    expect(Buffer.from(failure?.encodedAttributes?.metadata?.encoding ?? new Uint8Array()).toString()).toBe('binary/encrypted');
    expect(failure?.applicationFailureInfo?.nonRetryable).toBe(true);
    expect(await service.db.query('SELECT 1 FROM case_files WHERE id = $1', [workflowId]).then((r) => r.rowCount)).toBe(0);
  });

  it("given a closed case, when its own sealed start payload is replayed into a new run of the case's id, then the run cannot write the case: file and journal are unchanged", async () => {
    const id = await openAccessRequest();
    service.expectStatus(await jurist.act(id, 'withdraw', { reason: 'Trukket tilbage pr. telefon' }), 200);
    const before = await service.db.query('SELECT snapshot, last_seq FROM case_files WHERE id = $1', [id]);
    const journalBefore = await service.db.query('SELECT count(*) AS n FROM case_journal WHERE case_id = $1', [id]);
    const history = await plain.workflow.getHandle(id).fetchHistory();
    const started = history.events?.[0].workflowExecutionStartedEventAttributes;
    await plain.workflowService.startWorkflowExecution({
      namespace: 'default',
      workflowId: id,
      workflowType: started?.workflowType,
      taskQueue: { name: service.taskQueue },
      input: started?.input,
      requestId: randomUUID(),
      workflowIdReusePolicy: temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
    });
    const replayed: WorkflowHandle = plain.workflow.getHandle(id);
    await eventually('the replayed run has failed', async () => (await replayed.describe()).status.name === 'FAILED');
    expect((await service.db.query('SELECT snapshot, last_seq FROM case_files WHERE id = $1', [id])).rows).toEqual(before.rows);
    expect((await service.db.query('SELECT count(*) AS n FROM case_journal WHERE case_id = $1', [id])).rows).toEqual(journalBefore.rows);
    await eventually('the refusal in the worker log', async () => service.logs.some((l) => l.includes(`Case ${id}: refused entry`)));
  });

  it('given sealed updates with arbitrary arguments (what the codec lets through), when sent to a live case, then each is answered and no workflow task ever fails', async () => {
    const id = await openBreach();
    const handle = sealed.workflow.getHandle(id);
    const args = fc.sample(
      fc.oneof(
        fc.anything(),
        fc.record({ action: fc.constantFrom('triage', 'close', 'assess-risk', '__proto__', ''), input: fc.anything(), actor: fc.anything() }),
        fc.record({ action: fc.constant('triage'), input: fc.dictionary(fc.string(), fc.anything()), actor: fc.record({ sub: fc.string(), name: fc.string(), roles: fc.array(fc.string()) }) }),
      ),
      { numRuns: 40, seed: 20261201 },
    );
    for (const arg of args) {
      await handle.executeUpdate('takeAction', { args: [arg] }).catch(() => undefined);
    }
    const types = ((await plain.workflow.getHandle(id).fetchHistory()).events ?? []).map((e) => e.eventType);
    expect(types).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // The case still works through the API afterwards.
    expect((await gdpr.act(id, 'triage', { outcome: 'breach', reason: 'Oplysninger videregivet' })).status).toBe(200);
  });
});
