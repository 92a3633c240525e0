import {
  type FieldSpec,
  type InputSchema,
  PROCESS_DEFINITIONS,
  type ProcessDefinition,
  ROLES,
  type Role,
  STATISTICS_REPORTS,
  waitingStatisticsRoles,
} from '@buf/domain';
import { ServiceUnderTest } from '../support/service';

/**
 * Every endpoint × every role, expecting exactly the authorization table of each process
 * definition: who may start, read and list its cases, and take each action. A token here
 * carries one role and no unit, area or assignment, so only role-wide grants apply.
 */
/** A configured area (the demo areas are the default AREAS). */
const MATRIX_AREA = 'nord';

describe('authorization matrix: every process, endpoint and role', () => {
  let service: ServiceUnderTest;
  const caseIds = new Map<string, string>();

  /** A start payload valid for the process, made from its input schema (a few fields need real values). */
  function validStart(p: ProcessDefinition): Record<string, unknown> {
    const overrides: Record<string, Record<string, unknown>> = {
      'bullying-complaint': { grounds: ['no-action-plan'] },
      'mandatory-training': { course: 'it-security', staffGroup: 'administrative' },
    };
    const body: Record<string, unknown> = {};
    for (const [field, spec] of Object.entries(p.startInput as InputSchema)) {
      if (field === 'historyLimit') continue;
      if (spec.required || field === 'area') body[field] = sample(field, spec);
    }
    return { ...body, ...overrides[p.name] };
  }

  function sample(field: string, spec: FieldSpec): unknown {
    switch (spec.type) {
      case 'string':
        return `matrix-${field}`;
      case 'datetime':
        return new Date(Date.now() + (spec.notInFuture ? -3_600_000 : 30 * 86_400_000)).toISOString();
      case 'enum':
        return spec.values[0];
      case 'area':
        return MATRIX_AREA;
      case 'integer':
        return spec.min ?? 1;
      case 'string-array':
        return ['matrix'];
    }
  }

  const starterOf = (p: ProcessDefinition): Role => (p.startRoles === 'any' ? 'employee' : p.startRoles[0]);
  const tokenFor = (role: Role, process: string) => service.token({ sub: `matrix-${role}-${process}`, name: `Matrix ${role}`, roles: [role] });

  beforeAll(async () => {
    service = await ServiceUnderTest.start('matrix', { RATE_LIMIT_PER_MINUTE: '100000' });
    for (const p of PROCESS_DEFINITIONS) {
      // The opener belongs to the unit and area of the sample case (start person checks).
      const token = await service.token({ sub: `matrix-opener-${p.name}`, name: 'Matrix opener', roles: [starterOf(p)], unit: 'matrix-unit', area: MATRIX_AREA });
      const res = await service.request('POST', `/api/v1/cases/${p.name}`, { token, body: validStart(p) });
      if (res.status !== 201) throw new Error(`Could not open a ${p.name} case: ${res.status} ${JSON.stringify(res.body)}`);
      caseIds.set(p.name, res.body.id);
    }
  });

  afterAll(async () => {
    await service?.stop();
  });

  describe.each(PROCESS_DEFINITIONS.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    it.each(ROLES.map((r) => [r]))('given a caller with only the role %s, when every endpoint is called, then each answer follows the table', async (role) => {
      const token = await tokenFor(role, p.name);
      const id = caseIds.get(p.name) as string;
      const reads = (p.readRoles as readonly string[]).includes(role);
      const table: Record<string, string> = {};
      const seen: Record<string, string> = {};

      const start = await service.request('POST', `/api/v1/cases/${p.name}`, { token, body: {} });
      table.start = p.startRoles === 'any' || p.startRoles.includes(role) ? 'allowed' : 'forbidden';
      seen.start = start.status === 403 ? 'forbidden' : start.status === 400 ? 'allowed' : `unexpected ${start.status}`;

      const read = await service.request('GET', `/api/v1/cases/${id}`, { token });
      table.read = reads ? 'allowed' : 'hidden';
      seen.read = read.status === 200 ? 'allowed' : read.status === 404 ? 'hidden' : `unexpected ${read.status}`;

      const list = await service.request('GET', `/api/v1/cases?process=${p.name}&pageSize=100`, { token });
      table.list = reads ? 'listed' : 'not listed';
      seen.list = list.status !== 200 ? `unexpected ${list.status}` : list.body.items.some((c: { id: string }) => c.id === id) ? 'listed' : 'not listed';

      for (const action of p.actions) {
        const res = await service.request('POST', `/api/v1/cases/${id}/actions/${action.name}`, { token, body: {} });
        table[action.name] = !reads ? 'hidden' : action.roles.includes(role) ? 'allowed' : 'forbidden';
        seen[action.name] = res.status === 404 ? 'hidden' : res.status === 403 ? 'forbidden' : [200, 400, 409].includes(res.status) ? 'allowed' : `unexpected ${res.status}`;
      }
      expect(seen).toEqual(table);
    });
  });

  /** The endpoints outside the processes: the reports, the process descriptions, the UI's codec (CODEC_ROLES default). */
  it.each(ROLES.map((r) => [r]))('given a caller with only the role %s, when the reports, process descriptions and codec are called, then each answer follows its table', async (role) => {
    const token = await tokenFor(role, 'shared');
    const table: Record<string, string> = {};
    const seen: Record<string, string> = {};
    const allowedOr = (status: number, allowed: number) => (status === allowed ? 'allowed' : status === 403 ? 'forbidden' : `unexpected ${status}`);

    for (const [report, { roles }] of Object.entries(STATISTICS_REPORTS)) {
      table[`statistics/${report}`] = (roles as readonly string[]).includes(role) ? 'allowed' : 'forbidden';
      seen[`statistics/${report}`] = allowedOr((await service.request('GET', `/api/v1/statistics/${report}`, { token })).status, 200);
    }
    // Where cases wait: allowed when the role may read the figures of at least one process.
    table['statistics/waiting'] = PROCESS_DEFINITIONS.some((p) => waitingStatisticsRoles(p).includes(role)) ? 'allowed' : 'forbidden';
    seen['statistics/waiting'] = allowedOr((await service.request('GET', '/api/v1/statistics/waiting', { token })).status, 200);
    table.processes = 'allowed';
    seen.processes = allowedOr((await service.request('GET', '/api/v1/processes', { token })).status, 200);
    const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"x"').toString('base64') };
    for (const path of ['decode', 'encode']) {
      table[`codec/${path}`] = ['ledelsessekretariat', 'direktion'].includes(role) ? 'allowed' : 'forbidden';
      seen[`codec/${path}`] = allowedOr((await service.request('POST', `/codec/${path}`, { token, body: { payloads: [payload] } })).status, 200);
    }
    expect(seen).toEqual(table);
  });
});
