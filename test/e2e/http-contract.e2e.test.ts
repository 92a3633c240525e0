import { BULLYING_COMPLAINANT_REMARKS, BULLYING_REQUIRED_DOCUMENTS, INSTANT_PATTERN, PROCESS_DEFINITIONS, dataBreachDefinition, whistleblowerDefinition } from '@buf/domain';
import { BODY_SCHEMA_NAMES } from '@buf/apps/api/src/cases/input-dtos';
import { eventually } from '../support/polling';
import { breachReport } from '../support/data-breach-fixtures';
import { HOUR, unique } from '../support/platform';
import { type Caller, ServiceUnderTest } from '../support/service';

/** The HTTP contract: health, docs, processes and the case list (real worker, Temporal dev server, PostgreSQL). */
describe('the HTTP contract: health, docs, processes and the case list (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let gdpr: Caller;
  /** Areas of this file's own (configured for its service), so that its lists hold only its own cases. */
  const AREAS = [unique('area'), unique('area')];

  beforeAll(async () => {
    service = await ServiceUnderTest.start('platform-contract', { AREAS: ['nord', ...AREAS].join(',') });
    gdpr = await service.as({ sub: unique('gdpr'), name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('given no token, when GET /api/v1/health is called, then 200 reports the database and Temporal up', async () => {
    const res = await service.request('GET', '/api/v1/health');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, temporal: { status: 'up' } } });
  });

  it('given no token, when a case route is called, then 401 in the one error shape', async () => {
    const res = await service.request('GET', '/api/v1/cases');

    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
  });

  it('given the running API, when GET /docs is called, then 200 HTML', async () => {
    const res = await fetch(`${service.baseUrl}/docs`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<html/i);
  });

  it('given the running API, when GET /docs-json is called, then an OpenAPI document describes each start and each action with its own body, an Idempotency-Key, and links from a start to its actions', async () => {
    const res = await service.request('GET', '/docs-json');

    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const definition of PROCESS_DEFINITIONS) {
      const start = res.body.paths[`/api/v1/cases/${definition.name}`]?.post;
      expect(start?.requestBody.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${BODY_SCHEMA_NAMES.start(definition.name)}` });
      expect(Object.keys(start.responses['201'].links).sort()).toEqual(definition.actions.map((a) => a.name).sort());
      for (const action of definition.actions) {
        const act = res.body.paths[`/api/v1/cases/{caseId}/actions/${action.name}`]?.post;
        expect(act).toBeDefined();
        expect(start.responses['201'].links[action.name]).toEqual({ operationId: act.operationId, parameters: { caseId: '$response.body#/id' } });
        for (const operation of [start, act]) {
          expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Idempotency-Key' })]));
        }
      }
      expect(res.body.components.schemas[BODY_SCHEMA_NAMES.start(definition.name)].additionalProperties).toBe(false);
    }
    // An area is one of the configured areas, and the document lists them: the starts' area and the list filter.
    for (const name of ['complaint', 'taskforce', 'data-breach']) {
      expect(res.body.components.schemas[BODY_SCHEMA_NAMES.start(name)].properties.area.enum).toEqual(['nord', ...AREAS]);
    }
    const listArea = res.body.paths['/api/v1/cases'].get.parameters.find((p: { name: string }) => p.name === 'area');
    expect(listArea.schema.enum).toEqual(['nord', ...AREAS]);
    // Instants are documented by the rule they are checked by.
    const breach = res.body.components.schemas[BODY_SCHEMA_NAMES.start('data-breach')];
    expect(breach.properties.discoveredAt).toMatchObject({ type: 'string', pattern: INSTANT_PATTERN });
    expect(res.body.paths['/api/v1/cases/{process}']).toBeUndefined();
    expect(res.body.paths['/api/v1/cases/{caseId}/actions/{action}']).toBeUndefined();
  });

  /** Found by `npm run fuzz`: classify's body was documented without its rule, so a conduct complaint with guidance was valid by the document and refused. */
  it('given an action with a field another field requires (a realitetsklage names the complaint body), when GET /docs-json is called, then its body is one schema per case', async () => {
    const res = await service.request('GET', '/docs-json');
    const classify = res.body.components.schemas[BODY_SCHEMA_NAMES.action('complaint', 'classify')];
    expect(classify.anyOf).toHaveLength(2);
    const [guided, other] = classify.anyOf;
    expect(guided).toMatchObject({ properties: { category: { enum: ['realitetsklage'] }, guidance: { type: 'string' } }, additionalProperties: false });
    expect(guided.required).toEqual(expect.arrayContaining(['category', 'guidance']));
    expect(other).toMatchObject({ properties: { category: { enum: ['case-handling', 'conduct', 'service-level', 'unclear'] } }, additionalProperties: false });
    expect(other.properties.guidance).toBeUndefined();
    const decide = res.body.components.schemas[BODY_SCHEMA_NAMES.action('access-request', 'decide')];
    const byCase = decide.anyOf.map((v: { properties: Record<string, { enum?: string[] }>; required: string[] }) => [v.properties.outcome.enum, v.required.includes('legalGrounds'), 'legalGrounds' in v.properties]);
    expect(byCase).toEqual([[['partial', 'refused'], true, true], [['full'], false, true]]);
    // A rule on the case no schema states (the documents a forwarding must include) is shown by an example the rule accepts.
    const forward = res.body.components.schemas[BODY_SCHEMA_NAMES.action('bullying-complaint', 'forward')];
    expect(forward.properties.documents.example).toEqual([...BULLYING_REQUIRED_DOCUMENTS, BULLYING_COMPLAINANT_REMARKS]);
  });

  /** Found by `npm run fuzz`: documented as numbers, a page of 1.5 was valid by the document and refused by the API. */
  it('given the list of cases, when GET /docs-json is called, then page and pageSize are documented as the integers in bounds that the API accepts', async () => {
    const res = await service.request('GET', '/docs-json');
    const parameters = res.body.paths['/api/v1/cases'].get.parameters as { name: string; schema: Record<string, unknown> }[];
    const schema = (name: string) => parameters.find((p) => p.name === name)?.schema;
    expect(schema('page')).toMatchObject({ type: 'integer', minimum: 1, maximum: 100_000 });
    expect(schema('pageSize')).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect((await gdpr.get('/cases?page=1.5')).status).toBe(400);
  });

  it('given the process definitions, when GET /api/v1/processes is called, then whistleblower and data-breach are listed with their actions and roles', async () => {
    const res = await gdpr.get('/processes');

    expect(res.status).toBe(200);
    const byName = new Map<string, any>(res.body.map((p: any) => [p.name, p]));
    for (const definition of [whistleblowerDefinition, dataBreachDefinition]) {
      const listed = byName.get(definition.name);
      expect(listed).toBeDefined();
      expect(listed.actions.map((a: any) => ({ name: a.name, roles: a.roles }))).toEqual(definition.actions.map((a) => ({ name: a.name, roles: a.roles })));
    }
    expect(byName.get('data-breach')).toMatchObject({ startRoles: 'any', initialStep: 'reported' });
    expect(byName.get('data-breach').actions.find((a: any) => a.name === 'triage')).toMatchObject({ roles: ['gdpr'], steps: ['reported'] });
    expect(byName.get('whistleblower')).toMatchObject({ startRoles: ['ledelsessekretariat'] });
  });

  it('given an unknown process, when GET /api/v1/processes/nope is called, then 404 in the one error shape', async () => {
    const res = await gdpr.get('/processes/nope');

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringContaining('nope') });
  });

  /**
   * Three breaches in an area of their own (other test files share the database), opened in this
   * order: `open`, `closed` (recategorised), `overdue` (discovered 80 hours ago: the 72 hours have passed).
   */
  let listFixture: Promise<{ area: string; ids: Record<'open' | 'closed' | 'overdue', string> }> | undefined;
  const fixture = () => (listFixture ??= createListFixture());
  async function createListFixture() {
    const area = AREAS[0];
    const reporter = await service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'] });
    const openCase = async (overrides: Record<string, unknown> = {}): Promise<string> => (await reporter.start('data-breach', breachReport({ area, ...overrides }))).body.id;
    const open = await openCase();
    const closed = await openCase();
    expect((await gdpr.act(closed, 'triage', { outcome: 'not-a-breach', reason: 'Ingen personoplysninger' })).body.status).toBe('closed');
    const overdue = await openCase({ discoveredAt: new Date(Date.now() - 80 * HOUR).toISOString() });
    await eventually('the late breach flagged overdue', async () => (await gdpr.get(`/cases/${overdue}`)).body.overdue === true);
    return { area, ids: { open, closed, overdue } };
  }

  it.each([
    ['no further filter', '', ['overdue', 'closed', 'open']],
    ['process=data-breach', '&process=data-breach', ['overdue', 'closed', 'open']],
    ['process=whistleblower', '&process=whistleblower', []],
    ['status=open', '&status=open', ['overdue', 'open']],
    ['status=closed', '&status=closed', ['closed']],
    ['overdue=true', '&overdue=true', ['overdue']],
    ['overdue=false', '&overdue=false', ['closed', 'open']],
    ['status=open&overdue=false', '&status=open&overdue=false', ['open']],
  ] as const)('given three breaches in one area, when the list is filtered by area and %s, then it returns the matching cases newest first with their total', async (_label, filter, expected) => {
    const { area, ids } = await fixture();

    const res = await gdpr.get(`/cases?area=${area}${filter}`);

    expect(res.status).toBe(200);
    expect(res.body.items.map((c: any) => c.id)).toEqual(expected.map((name) => ids[name]));
    expect(res.body.total).toBe(expected.length);
    expect(res.body.items.every((c: any) => c.area === area)).toBe(true);
  });

  it.each([
    [1, ['overdue', 'closed']],
    [2, ['open']],
    [3, []],
  ] as const)('given three breaches in one area, when page %i of size 2 is read, then it holds its slice and the total is 3', async (page, expected) => {
    const { area, ids } = await fixture();

    const res = await gdpr.get(`/cases?area=${area}&page=${page}&pageSize=2`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page, pageSize: 2, total: 3 });
    expect(res.body.items.map((c: any) => c.id)).toEqual(expected.map((name) => ids[name]));
  });

  it.each([
    ['pageSize=1000', 'pageSize'],
    ['pageSize=0', 'pageSize'],
    ['page=0', 'page'],
    ['status=weird', 'status'],
    ['overdue=maybe', 'overdue'],
    ['process=nope', 'process'],
  ])('given a bad filter, when the list is read with %s, then 400 names the field', async (query, field) => {
    const res = await gdpr.get(`/cases?${query}`);

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('given two employees who each reported breaches, when one lists cases, then the list holds only the cases they reported', async () => {
    const area = AREAS[1];
    const [erik, ella] = await Promise.all([
      service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'] }),
      service.as({ sub: unique('emp'), name: 'Ella Ansat', roles: ['employee'] }),
    ]);
    const erikFirst = (await erik.start('data-breach', breachReport({ area }))).body.id;
    const ellas = (await ella.start('data-breach', breachReport({ area }))).body.id;
    const erikSecond = (await erik.start('data-breach', breachReport({ area }))).body.id;

    const erikList = await erik.get('/cases');
    const gdprList = await gdpr.get(`/cases?area=${area}`);

    expect(erikList.status).toBe(200);
    expect(erikList.body.items.map((c: any) => c.id)).toEqual([erikSecond, erikFirst]);
    expect(erikList.body.total).toBe(2);
    expect(gdprList.body.items.map((c: any) => c.id)).toEqual([erikSecond, ellas, erikFirst]);
    expect((await erik.get(`/cases/${ellas}`)).status).toBe(404);
  });
});
