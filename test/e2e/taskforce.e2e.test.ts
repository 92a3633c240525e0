import type { TokenClaims } from '@buf/auth';
import { endOfCopenhagenDay, plusDays } from '../support/copenhagen-clock';
import { type ApiResponse, type Caller, ServiceUnderTest } from '../support/service';


const PEOPLE = {
  areaChief: { sub: 'oc-tf-1', name: 'Sofie Områdechef', roles: ['area-chief'], area: 'syd' },
  deputyAreaChief: { sub: 'oc-tf-2', name: 'Svend Områdechef', roles: ['area-chief'], area: 'syd' },
  otherAreasChief: { sub: 'oc-tf-3', name: 'Niels Områdechef', roles: ['area-chief'], area: 'nord' },
  hrChief: { sub: 'hr-tf-1', name: 'Helle HR-chef', roles: ['hr-chief'] },
  // Reads taskforce cases, takes none of their actions.
  direktion: { sub: 'dir-tf-1', name: 'Dan Direktør', roles: ['direktion'] },
} satisfies Record<string, TokenClaims>;

type Person = keyof typeof PEOPLE;

describe('taskforce over HTTP (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let as: Record<Person, Caller>;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('taskforce-e2e');
    as = await service.callers(PEOPLE);
  });

  afterAll(async () => {
    await service?.stop();
  });

  const requestBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    unit: 'Skolen ved Søerne',
    area: 'syd',
    unitType: 'school',
    challenges: 'Vedvarende samarbejdsproblemer mellem ledelse og lærergruppe',
    ...overrides,
  });

  const expectStatus = (res: ApiResponse, status: number): ApiResponse => service.expectStatus(res, status);

  function fieldsOf(res: ApiResponse): string[] {
    expectStatus(res, 400);
    return res.body.details.fields.map((f: { field: string }) => f.field);
  }

  async function open(by: Person = 'areaChief', overrides: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as[by].start('taskforce', requestBody(overrides)), 201).body;
  }

  async function act(person: Person, caseId: string, action: string, body: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as[person].act(caseId, action, body), 200).body;
  }

  const reviews = (c: any): any[] => c.deadlines.filter((d: any) => d.name === 'review');

  describe('from request to closed', () => {
    it('given a taskforce requested by the area chief, when the area chief and the HR chief approve, then support runs with reviews until stability is restored and the case closes', async () => {
      const opened = await open();
      expect(opened).toMatchObject({ process: 'taskforce', step: 'awaiting-decision', status: 'open', area: 'syd', deadlines: [], allowedActions: ['approve', 'decline'] });

      const first = await act('areaChief', opened.id, 'approve', { note: 'Skolen har forsøgt lokalt' });
      expect(first).toMatchObject({ step: 'awaiting-decision', allowedActions: ['decline'] });
      expect(expectStatus(await as.hrChief.get(`/cases/${opened.id}`), 200).body.allowedActions).toEqual(['approve', 'decline']);

      const approvedAt = Date.now();
      const active = await act('hrChief', opened.id, 'approve');
      expect(active.step).toBe('support-active');
      expect(active.data.approvals.map((a: any) => a.role)).toEqual(['area-chief', 'hr-chief']);
      const [review] = reviews(active);
      expect(review.state).toBe('pending');
      // 28 calendar days from the start of support, to the end of the 28th day in Copenhagen.
      expect(Math.abs(Date.parse(review.from) - approvedAt)).toBeLessThan(60_000);
      expect(Date.parse(review.dueAt)).toBe(endOfCopenhagenDay(plusDays(Date.parse(review.from), 28)));
      expect(active.allowedActions).toEqual(['log-action', 'record-review', 'restore-stability']);

      await act('areaChief', opened.id, 'log-action', { note: 'Mediation mellem ledelse og lærere' });
      const reviewed = await act('hrChief', opened.id, 'record-review', { assessment: 'Bedre dialog, fortsat skrøbeligt' });
      expect(reviews(reviewed).map((d: any) => d.state)).toEqual(['met', 'pending']);
      const restored = await act('areaChief', opened.id, 'restore-stability', { summary: 'Samarbejdet fungerer igen' });
      expect(restored).toMatchObject({ step: 'stability-restored', allowedActions: ['close'] });
      expect(reviews(restored).map((d: any) => d.state)).toEqual(['met', 'met']);
      const closed = await act('areaChief', opened.id, 'close');
      expect(closed).toMatchObject({ status: 'closed', step: 'closed', allowedActions: [] });

      const journal = await service.journal(opened.id);
      expect(journal.map((j) => j.action)).toEqual(['opened', 'approve', 'approve', 'log-action', 'record-review', 'restore-stability', 'close']);
      expect(journal.map((j) => j.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('given the area chief has approved, when the HR chief declines, then the case closes as declined', async () => {
      const opened = await open('areaChief', { unitType: 'daycare' });
      await act('areaChief', opened.id, 'approve');
      const declined = await act('hrChief', opened.id, 'decline', { reason: 'Lokale tiltag er ikke udtømt' });
      expect(declined).toMatchObject({ status: 'closed', step: 'closed', deadlines: [] });
      expect(declined.data.decision).toMatchObject({ outcome: 'declined', role: 'hr-chief' });
      expect((await service.journal(opened.id)).map((j) => j.action)).toEqual(['opened', 'approve', 'decline']);
    });
  });

  describe('guards', () => {
    it('given no token, when a taskforce is requested or acted on, then 401', async () => {
      expect((await service.request('POST', '/api/v1/cases/taskforce', { body: requestBody() })).status).toBe(401);
      const c = await open();
      expect((await service.request('POST', `/api/v1/cases/${c.id}/actions/approve`, { body: {} })).status).toBe(401);
    });

    it('given people without the deciding roles, when they request or approve, then 403 names the roles', async () => {
      const start = expectStatus(await as.hrChief.start('taskforce', requestBody()), 403);
      expect(start.body.message).toContain('area-chief');
      const otherArea = expectStatus(await as.otherAreasChief.start('taskforce', requestBody()), 403);
      expect(otherArea.body.message).toContain('their own area (nord)');
      const c = await open();
      const approve = expectStatus(await as.direktion.act(c.id, 'approve', {}), 403);
      expect(approve.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(approve.body.message).toContain('area-chief, hr-chief');
    });

    it("given an area chief of another area, when they request a taskforce there or try to approve that area's, then 403 at the request and 404 for the case they may not read", async () => {
      const refused = expectStatus(await as.otherAreasChief.start('taskforce', requestBody()), 403);
      expect(refused.body.message).toContain('An area chief requests taskforce support for their own area (nord) only');
      const c = await open();
      expectStatus(await as.otherAreasChief.act(c.id, 'approve', {}), 404);
      expect((await act('areaChief', c.id, 'approve')).step).toBe('awaiting-decision');
    });

    it('given the area chief has approved, when the area chief role approves again, or a review is recorded before support starts, then 409 names the step and the actions allowed now', async () => {
      const c = await open();
      await act('areaChief', c.id, 'approve');
      for (const person of ['areaChief', 'deputyAreaChief'] as const) {
        const res = expectStatus(await as[person].act(c.id, 'approve', {}), 409);
        expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { step: 'awaiting-decision', allowedActions: ['decline'] } });
        expect(res.body.message).toContain('already approved');
      }
      const early = expectStatus(await as.hrChief.act(c.id, 'record-review', { assessment: 'For tidligt' }), 409);
      expect(early.body.details).toEqual({ step: 'awaiting-decision', allowedActions: ['approve', 'decline'] });
    });

    it('given invalid payloads, when a taskforce is requested or reviewed, then 400 names the field', async () => {
      expect(fieldsOf(await as.areaChief.start('taskforce', requestBody({ unitType: 'hospital' })))).toEqual(['unitType']);
      expect(fieldsOf(await as.areaChief.start('taskforce', requestBody({ challenges: undefined })))).toEqual(['challenges']);
      const c = await open();
      await act('areaChief', c.id, 'approve');
      expect(fieldsOf(await as.hrChief.act(c.id, 'decline', {}))).toEqual(['reason']);
      await act('hrChief', c.id, 'approve');
      expect(fieldsOf(await as.areaChief.act(c.id, 'record-review', { note: 'Uden vurdering' }))).toEqual(['assessment']);
    });

    it('given an area chief of another area, when they look for or act on the case, then 404 as for a case that does not exist', async () => {
      const c = await open();
      expectStatus(await as.otherAreasChief.get(`/cases/${c.id}`), 404);
      expectStatus(await as.otherAreasChief.act(c.id, 'decline', { reason: 'x' }), 404);
      const listed = expectStatus(await as.otherAreasChief.get('/cases?process=taskforce&pageSize=100'), 200).body.items.map((i: any) => i.id);
      expect(listed).not.toContain(c.id);
      expect(expectStatus(await as.deputyAreaChief.get('/cases?process=taskforce&pageSize=100'), 200).body.items.map((i: any) => i.id)).toContain(c.id);
      expectStatus(await as.areaChief.act(c.id, 'escalate', {}), 404);
      expectStatus(await as.areaChief.get('/cases/taskforce-1999-0000001'), 404);
    });
  });
});
