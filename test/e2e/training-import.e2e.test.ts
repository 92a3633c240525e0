import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { type StartCaseInput, mandatoryTrainingDefinition } from '@buf/domain';
import { openCaseKeyHash } from '@buf/apps/api/src/cases/case-start';
import { configureFieldRules } from '@buf/apps/api/src/cases/input-dtos';
import { IMPORT_START_CONCURRENCY, TRAINING_IMPORT_ACTOR, TrainingImportService, parseTrainingCsv } from '@buf/apps/api/src/imports/training-import.service';
import { loadConfig } from '@buf/config';
import { freePort } from '@buf/infra/local/processes';
import { ClaimsStore } from '@buf/persistence/claims-store';
import { createDataSource } from '@buf/persistence/data-source';
import { PROJECT_ROOT, testEnv } from '../support/paths';
import { eventually } from '../support/polling';
import { type Caller, ServiceUnderTest } from '../support/service';

const UNIT = 'Børnehuset Mælkebøtten';
const HEADER = 'employeeId,course,staffGroup,employedFrom,unit,area';

describe('training import (issue 13): CSV through the endpoint and the CLI, real worker, Temporal dev server, PostgreSQL', () => {
  let service: ServiceUnderTest;
  let secretariat: Caller;
  let areaChief: Caller;
  let employee: Caller;
  let temporal: Client;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('training-import');
    secretariat = await service.as({ sub: 'ls-imp', name: 'Lone Sekretariat', roles: ['ledelsessekretariat'] });
    areaChief = await service.as({ sub: 'oc-imp', name: 'Ole Områdechef', roles: ['area-chief'], area: 'nord' });
    employee = await service.as({ sub: 'emp-imp', name: 'Eva Ansat', roles: ['employee'] });
    temporal = await service.temporalClient({ withPayloadKey: true });
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  /** A new employee id per row: one open case per employee and course is the rule. */
  let employees = 0;
  const nextEmployeeId = () => `imp-${process.pid}-${++employees}`;
  const csv = (rows: string[][]) => `${HEADER}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
  const importCsv = (by: Caller, body: string) =>
    service.request('POST', '/api/v1/imports/training', { token: by.token, body, headers: { 'content-type': 'text/csv' } });
  const bodyOf = ([employeeId, course, staffGroup, employedFrom, unit, area]: string[]) => ({ employeeId, course, staffGroup, employedFrom, unit, area });

  /** The workflow start input Temporal holds for a case (its first history event), decoded with the service's key. */
  async function startInputOf(caseId: string): Promise<StartCaseInput> {
    const history = await temporal.workflow.getHandle(caseId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    return decodeFromPayloadsAtIndex<StartCaseInput>(temporal.options.loadedDataConverter, 0, started?.input?.payloads);
  }

  it('given a file with valid rows, an invalid field, a row of another area, a repeated row, a row whose case the API opened, a conflicting row and a short row, when an area chief imports it twice, then the summary is exact, refusals read as the API answers the same starts, the cases are readable, and the second run opens nothing', async () => {
    const employedFrom = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const [a, b, c, d, e, f] = Array.from({ length: 6 }, nextEmployeeId);
    const viaApi = await secretariat.start('mandatory-training', bodyOf([e, 'it-security', 'administrative', employedFrom, UNIT, 'nord']));
    service.expectStatus(viaApi, 201);
    const rows = [
      [a, 'it-security', 'administrative', employedFrom, UNIT, 'nord'], // line 2: opens
      [b, 'administrative-law', 'leader', employedFrom, UNIT, 'nord'], // line 3: opens
      [c, 'it-security', 'boss', employedFrom, UNIT, 'nord'], // line 4: 400 staffGroup
      [d, 'it-security', 'administrative', employedFrom, UNIT, 'syd'], // line 5: 403, another area
      [a, 'it-security', 'administrative', employedFrom, UNIT, 'nord'], // line 6: repeats line 2
      [e, 'it-security', 'administrative', employedFrom, UNIT, 'nord'], // line 7: already open via the API
      [f, 'administrative-law', 'pedagogical', employedFrom, UNIT, 'nord'], // line 8: 400, not required of pedagogical staff
      [b, 'administrative-law', 'leader', employedFrom, 'Skole Nord', 'nord'], // line 9: 409, line 3 opens this pair with other data
      [f, 'it-security'], // line 10: 400, two cells where the header names six
    ];
    const file = csv(rows);
    // What the API answers the same starts by the same caller (nothing is opened by them).
    const api = async (row: string[], status: number) => service.expectStatus(await areaChief.start('mandatory-training', bodyOf(row)), status).body;
    const [invalidField, otherArea, notRequired] = [await api(rows[2], 400), await api(rows[3], 403), await api(rows[6], 400)];

    const first = service.expectStatus(await importCsv(areaChief, file), 200).body;

    expect(first).toEqual({
      rows: 9,
      opened: 2,
      alreadyOpen: 1,
      duplicates: 1,
      refused: 5,
      openedCases: [
        { line: 2, caseId: expect.stringMatching(/^mandatory-training-\d{4}-\d{7}$/) },
        { line: 3, caseId: expect.stringMatching(/^mandatory-training-\d{4}-\d{7}$/) },
      ],
      alreadyOpenCases: [{ line: 7, caseId: viaApi.body.id }],
      duplicateRows: [{ line: 6, sameAs: 2 }],
      refusedRows: [
        { line: 4, ...invalidField },
        { line: 5, ...otherArea },
        { line: 8, ...notRequired },
        { line: 9, statusCode: 409, error: 'Conflict', message: 'Line 3 of this file already opens the mandatory-training case for this employeeId and course, with other data' },
        { line: 10, statusCode: 400, error: 'Bad Request', message: 'The row has 2 cells; the header names 6', details: { fields: [{ field: '(row)', message: 'The row has 2 cells; the header names 6' }] } },
      ],
    });
    expect(invalidField.details.fields.map((x: { field: string }) => x.field)).toEqual(['staffGroup']);
    expect(otherArea.message).toContain('own area');

    // The cases, as GET /cases shows them, with the row's input and the importer in the journal.
    const [caseA, caseB] = first.openedCases.map((o: { caseId: string }) => o.caseId);
    const listed = await eventually('both imported cases listed', async () => {
      const res = await areaChief.get('/cases?process=mandatory-training&area=nord&pageSize=100');
      const ids = res.body.items.map((i: { id: string }) => i.id);
      return ids.includes(caseA) && ids.includes(caseB) && ids;
    });
    expect(listed).toEqual(expect.arrayContaining([caseA, caseB, viaApi.body.id]));
    const opened = (await areaChief.get(`/cases/${caseA}`)).body;
    expect(opened).toMatchObject({ process: 'mandatory-training', step: 'awaiting-completion', status: 'open', area: 'nord', journal: [{ seq: 1, action: 'opened', actor: { sub: 'oc-imp', name: 'Ole Områdechef' } }] });
    expect(opened.data).toEqual({ ...viaApi.body.data, employeeId: a, dueAt: expect.any(String) });
    expect(opened.data.employedFrom).toBe(viaApi.body.data.employedFrom);
    expect((await areaChief.get(`/cases/${caseB}`)).body.data).toMatchObject({ employeeId: b, course: 'administrative-law', staffGroup: 'leader', unit: UNIT, area: 'nord' });

    // Run again: nothing new; the rows now already open say so, with their cases.
    const second = service.expectStatus(await importCsv(areaChief, file), 200).body;
    expect(second).toEqual({
      ...first,
      opened: 0,
      alreadyOpen: 3,
      openedCases: [],
      alreadyOpenCases: [
        { line: 2, caseId: caseA },
        { line: 3, caseId: caseB },
        { line: 7, caseId: viaApi.body.id },
      ],
    });
    const { rows: files } = await service.db.query(
      `SELECT snapshot->'data'->>'employeeId' AS employee, count(*)::int AS n FROM case_files
        WHERE process = 'mandatory-training' AND snapshot->'data'->>'employeeId' = ANY($1) GROUP BY 1 ORDER BY 1`,
      [[a, b, c, d, e, f]],
    );
    expect(files).toEqual([a, b, e].sort().map((employee) => ({ employee, n: 1 })));
  });

  it('given the same employee data opened through the API and through the import, when Temporal is asked for each workflow start input, then they are the same but for the case, its number, its time and the employee', async () => {
    const employedFrom = '2026-08-03'; // mandag 03.08.2026
    const [p, q] = [nextEmployeeId(), nextEmployeeId()];
    const viaApi = service.expectStatus(await secretariat.start('mandatory-training', bodyOf([p, 'it-security', 'pedagogical', employedFrom, UNIT, 'vest'])), 201).body;
    const imported = service.expectStatus(await importCsv(secretariat, csv([[q, 'it-security', 'pedagogical', employedFrom, UNIT, 'vest']])), 200).body;
    expect(imported).toMatchObject({ opened: 1, refused: 0 });
    const importedId = imported.openedCases[0].caseId;

    const [fromApi, fromImport] = [await startInputOf(viaApi.id), await startInputOf(importedId)];

    expect(fromImport).toEqual({
      ...fromApi,
      caseId: importedId,
      caseNumber: importedId.replace('mandatory-training-', ''),
      openedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      input: { ...fromApi.input, employeeId: q },
    });
    expect(fromApi.input).toEqual({ employeeId: p, course: 'it-security', staffGroup: 'pedagogical', employedFrom: '2026-08-02T22:00:00.000Z', unit: UNIT, area: 'vest' }); // mandag 03.08.2026 kl. 00.00 (sommertid)
  });

  it('given a caller who may open no training case, a file without the columns, or CSV sent to the start of a case, when they import, then 403, 400 and 415 and nothing is opened', async () => {
    const row = [nextEmployeeId(), 'it-security', 'administrative', '2026-08-03', UNIT, 'nord'];
    const refused = await importCsv(employee, csv([row]));
    expect(refused).toMatchObject({ status: 403, body: { statusCode: 403, error: 'Forbidden' } });
    const badHeader = await importCsv(secretariat, `employee,course\n${row[0]},it-security\n`);
    expect(badHeader).toMatchObject({ status: 400, body: { statusCode: 400, message: expect.stringContaining('unknown column employee') } });
    const notThere = await service.request('POST', '/api/v1/cases/mandatory-training', { token: secretariat.token, body: csv([row]), headers: { 'content-type': 'text/csv' } });
    expect(notThere).toMatchObject({ status: 415, body: { statusCode: 415 } }); // CSV is read by the import only
    const { rows } = await service.db.query(`SELECT count(*)::int AS n FROM case_files WHERE snapshot->'data'->>'employeeId' = $1`, [row[0]]);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('given the running API, when GET /docs-json is called, then the import is described: a text/csv body, the summary as its 200, and its refusals', async () => {
    const doc = (await service.request('GET', '/docs-json')).body;
    const op = doc.paths['/api/v1/imports/training']?.post;

    expect(Object.keys(op.requestBody.content)).toEqual(['text/csv']);
    expect(op.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ImportSummaryDto' });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '413']));
    expect(Object.keys(doc.components.schemas.ImportSummaryDto.properties).sort()).toEqual(
      ['alreadyOpen', 'alreadyOpenCases', 'duplicateRows', 'duplicates', 'opened', 'openedCases', 'refused', 'refusedRows', 'rows'],
    );
  });

  it('given Temporal unreachable, when 60 rows are imported in process, then after the first failed starts the rest are not tried, every row is refused with 503 and keeps its claim, and a run with Temporal back opens each row once', async () => {
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: testEnv('TEST_DATABASE_URL'), TEMPORAL_ADDRESS: testEnv('TEST_TEMPORAL_ADDRESS'), TEMPORAL_TASK_QUEUE: service.taskQueue, PAYLOAD_KEY_FILE: path.join(testEnv('TEST_RUN_DIR'), 'payload-key') });
    configureFieldRules({ areas: config.areas });
    const dataSource = createDataSource(config.databaseUrl, 2);
    await dataSource.initialize();
    // A real client of a port nobody listens on, trying each call once.
    const deadConnection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 1 }))] });
    const dead = new Client({ connection: deadConnection });
    try {
      const people = Array.from({ length: 60 }, nextEmployeeId);
      const rows = parseTrainingCsv(csv(people.map((id) => [id, 'it-security', 'administrative', '2026-08-03', UNIT, 'oest'])));
      const tried = jest.spyOn(dead.workflow, 'start');

      const cut = await new TrainingImportService(dead, new ClaimsStore(dataSource), config).import(rows, TRAINING_IMPORT_ACTOR);

      expect(cut).toMatchObject({ rows: 60, opened: 0, alreadyOpen: 0, refused: 60 });
      expect(new Set(cut.refusedRows.map((r) => r.statusCode))).toEqual(new Set([503]));
      expect(tried.mock.calls.length).toBeLessThanOrEqual(IMPORT_START_CONCURRENCY);
      const keys = people.map((employeeId) => openCaseKeyHash(mandatoryTrainingDefinition, { employeeId, course: 'it-security' }));
      const held = async () => (await service.db.query(`SELECT case_id FROM open_case_keys WHERE process = 'mandatory-training' AND key_hash = ANY($1) ORDER BY case_id`, [keys])).rows.map((r: { case_id: string }) => r.case_id);
      const claimed = await held();
      expect(claimed).toHaveLength(60);

      const back = await new TrainingImportService(temporal, new ClaimsStore(dataSource), config).import(rows, TRAINING_IMPORT_ACTOR);

      expect(back).toMatchObject({ rows: 60, opened: 60, alreadyOpen: 0, refused: 0 });
      // The cases are the ones the claims named in the cut-off run: no second number for anyone.
      expect(back.openedCases.map((o) => o.caseId).sort()).toEqual(claimed);
      expect(await held()).toEqual(claimed);
    } finally {
      await deadConnection.close();
      await dataSource.destroy();
    }
  });

  /** The CLI as `npm run import:training` runs it (built), against this file's service. */
  function runCli(file: string, extraEnv: NodeJS.ProcessEnv = {}, args = ['--json']): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: testEnv('TEST_DATABASE_URL'),
      TEMPORAL_ADDRESS: testEnv('TEST_TEMPORAL_ADDRESS'),
      TEMPORAL_TASK_QUEUE: service.taskQueue,
      PAYLOAD_KEY_FILE: path.join(testEnv('TEST_RUN_DIR'), 'payload-key'),
      ...extraEnv,
    };
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/apps/api/src/imports/import-cli.js'), file, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  it('given a file of 30 new employees, when the CLI is killed after 4 workflow starts and run again, then every row ends with exactly one case and one workflow per employee and course, the re-run exits 0, and the import is the journal\'s actor', async () => {
    const since = new Date().toISOString(); // the workflows of the tests before have started by now
    const people = Array.from({ length: 30 }, nextEmployeeId);
    const file = path.join(testEnv('TEST_RUN_DIR'), `training-import-${process.pid}.csv`);
    fs.writeFileSync(file, csv(people.map((id, i) => [id, i % 2 ? 'administrative-law' : 'it-security', 'leader', '2026-08-03', UNIT, i % 3 ? 'nord' : 'syd'])));

    const crashed = await runCli(file, { IMPORT_CRASH_AFTER_STARTS: '4' });
    expect(crashed).toMatchObject({ code: null, signal: 'SIGKILL', stdout: '' });

    const rerun = await runCli(file);
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout);
    expect(summary).toMatchObject({ rows: 30, duplicates: 0, refused: 0, refusedRows: [] });
    // The crashed run started at least 4 (more may have been in flight): those are already open now.
    expect(summary.alreadyOpen).toBeGreaterThanOrEqual(4);
    expect(summary.opened + summary.alreadyOpen).toBe(30);
    expect(rerun.stderr).toContain('import: 30/30 rows');
    const caseIds = [...summary.openedCases, ...summary.alreadyOpenCases].map((o: { caseId: string }) => o.caseId).sort();
    expect(new Set(caseIds).size).toBe(30);

    const files = await eventually('30 case files written', async () => {
      const { rows } = await service.db.query(
        `SELECT id, snapshot->'data'->>'employeeId' AS employee FROM case_files WHERE process = 'mandatory-training' AND snapshot->'data'->>'employeeId' = ANY($1) ORDER BY id`,
        [people],
      );
      return rows.length >= 30 && rows;
    }, 60_000);
    expect(files.map((r: { id: string }) => r.id)).toEqual(caseIds);
    expect(new Set(files.map((r: { employee: string }) => r.employee)).size).toBe(30);
    const query = `TaskQueue="${service.taskQueue}" AND WorkflowType="mandatoryTrainingWorkflow" AND StartTime >= "${since}"`;
    const workflows = await eventually('the 30 workflows visible', async () => {
      const ids: string[] = [];
      for await (const w of temporal.workflow.list({ query })) ids.push(w.workflowId);
      return ids.length >= 30 && ids.sort();
    }, 30_000);
    expect(workflows).toEqual(caseIds);
    // The one-open-case claims: one per employee and course, each naming its case.
    const keys = people.map((employeeId, i) => openCaseKeyHash(mandatoryTrainingDefinition, { employeeId, course: i % 2 ? 'administrative-law' : 'it-security' }));
    const { rows: claims } = await service.db.query(`SELECT case_id FROM open_case_keys WHERE process = 'mandatory-training' AND key_hash = ANY($1) ORDER BY case_id`, [keys]);
    expect(claims.map((r: { case_id: string }) => r.case_id)).toEqual(caseIds);
    const { rows: journal } = await service.db.query(`SELECT DISTINCT actor_sub, actor_name FROM case_journal WHERE case_id = ANY($1) AND seq = 1`, [caseIds]);
    expect(journal).toEqual([{ actor_sub: 'system:training-import', actor_name: 'Kursusimport (HR-system)' }]);

    // A third run opens nothing and says every row is open, by its case.
    const third = await runCli(file);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ opened: 0, alreadyOpen: 30 });
  });

  it('given a file with a refused row, when the CLI imports it, then it exits 1 and its plain summary names the line and the reason', async () => {
    const file = path.join(testEnv('TEST_RUN_DIR'), `training-import-refused-${process.pid}.csv`);
    fs.writeFileSync(file, csv([[nextEmployeeId(), 'it-security', 'administrative', '2026-13-01', UNIT, 'nord']]));
    const result = await runCli(file, {}, []);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^rows: 1\nopened: 0\nalready open: 0\nduplicates: 0\nrefused: 1\n {2}line 2: 400 employedFrom /);
  });
});
