import { copenhagenInstant, endOfCopenhagenDay, plusDays, plusYears } from '../support/copenhagen-clock';
import { type Caller, ServiceUnderTest } from '../support/service';
import { eventually } from '../support/polling';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNIT = 'Børnehuset Mælkebøtten';


describe('mandatory-training over HTTP (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let secretariat: Caller;
  let areaChief: Caller;
  let leader: Caller;
  let leaderElsewhere: Caller;
  let clusterLeader: Caller;
  let hrChief: Caller;
  let employee: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('training-e2e');
    secretariat = await service.as({ sub: 'ls-8', name: 'Lone Sekretariat', roles: ['ledelsessekretariat'] });
    areaChief = await service.as({ sub: 'oc-8', name: 'Ole Områdechef', roles: ['area-chief'], area: 'nord' });
    leader = await service.as({ sub: 'il-8', name: 'Inga Institutionsleder', roles: ['institution-leader'], unit: UNIT });
    leaderElsewhere = await service.as({ sub: 'il-9', name: 'Ib Institutionsleder', roles: ['institution-leader'], unit: 'Skole Vest' });
    clusterLeader = await service.as({ sub: 'kl-8', name: 'Kim Klyngeleder', roles: ['cluster-leader'] });
    hrChief = await service.as({ sub: 'hr-8', name: 'Helle HR', roles: ['hr-chief'] });
    employee = await service.as({ sub: 'emp-4712', name: 'Eva Ansat', roles: ['employee'], unit: UNIT });
  });

  afterAll(async () => {
    await service?.stop();
  });

  /** A new employee per case: one open case per employee and course is the rule. */
  let employees = 0;
  const nextEmployeeId = () => `emp-${process.pid}-${++employees}`;

  const newEmployee = (overrides: Record<string, unknown> = {}) => ({
    employeeId: nextEmployeeId(),
    course: 'it-security',
    staffGroup: 'administrative',
    employedFrom: new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10),
    unit: UNIT,
    area: 'nord',
    ...overrides,
  });

  async function open(overrides: Record<string, unknown> = {}, by: Caller = secretariat): Promise<string> {
    const res = await by.start('mandatory-training', newEmployee(overrides));
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  const fieldsOf = (body: { details?: { fields?: { field: string }[] } }) => (body.details?.fields ?? []).map((f) => f.field);

  it('given a new administrative employee, when the case is opened, the leader records the course and HR the end of the employment, then it goes from awaiting completion via awaiting refresh to closed with one journal entry per step', async () => {
    const body = newEmployee();
    const opened = await secretariat.start('mandatory-training', body);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ process: 'mandatory-training', step: 'awaiting-completion', status: 'open', overdue: false, area: 'nord', allowedActions: ['complete', 'end-employment'] });
    expect(opened.body.id).toBe(`mandatory-training-${opened.body.caseNumber}`);
    const [completion] = opened.body.deadlines;
    expect(completion).toMatchObject({ name: 'completion', state: 'pending' });
    // A date is that day in Copenhagen: it is kept as the instant the day begins; 14 calendar days
    // later, to the end of the 14th day.
    const [y, m, d] = String(body.employedFrom).split('-').map(Number);
    expect(Date.parse(completion.dueAt)).toBe(endOfCopenhagenDay(plusDays(copenhagenInstant(y, m, d, 0), 14)));
    expect(opened.body.data).toEqual({ ...body, employedFrom: new Date(copenhagenInstant(y, m, d, 0)).toISOString(), completions: [], dueAt: completion.dueAt });
    const id: string = opened.body.id;

    expect((await leader.get(`/cases/${id}`)).body.allowedActions).toEqual(['complete', 'end-employment']);
    const completedAt = new Date(Date.now() - HOUR).toISOString();
    const completed = await leader.act(id, 'complete', { completedAt });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ step: 'awaiting-refresh', status: 'open', overdue: false, data: { completions: [{ completedAt }] } });
    const refresh = completed.body.deadlines.find((d: { name: string }) => d.name === 'refresh');
    expect(completed.body.deadlines[0]).toMatchObject({ name: 'completion', state: 'met' });
    expect(refresh).toMatchObject({ state: 'pending', dueAt: completed.body.data.dueAt });
    // Two years after the completion, to the end of that day in Copenhagen.
    expect(Date.parse(refresh.dueAt)).toBe(endOfCopenhagenDay(plusYears(Date.parse(completedAt), 2)));

    const ended = await hrChief.act(id, 'end-employment', { endedAt: new Date().toISOString() });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'closed', step: 'closed', overdue: false, allowedActions: [], data: { endedAt: expect.any(String) } });
    expect(ended.body.data.dueAt).toBeUndefined();
    expect(ended.body.deadlines.map((d: { state: string }) => d.state)).toEqual(['met', 'met']);

    const journal = await service.journal(id);
    expect(journal.map((j) => j.action)).toEqual(['opened', 'complete', 'end-employment']);
    expect(journal.map((j) => j.seq)).toEqual([1, 2, 3]);
  });

  it('given a new leader, when the area chief opens an administrative-law case and records the completion, then the case closes', async () => {
    const id = await open({ course: 'administrative-law', staffGroup: 'leader' }, areaChief);
    const done = await areaChief.act(id, 'complete', { completedAt: new Date().toISOString() });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'closed', step: 'closed', deadlines: [{ name: 'completion', state: 'met' }] });
    expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened', 'complete']);
  });

  it('given an employee employed on Friday 20.03.2026 without the course, when the case opens, then the deadline of Friday 03.04.2026 is past: it is overdue at once, escalated to the institution and cluster leaders, on the overdue list, and the completion clears it', async () => {
    const employedFrom = '2026-03-20'; // fredag 20.03.2026: that day in Copenhagen, from 00.00
    const employeeId = nextEmployeeId();
    const id = await open({ employedFrom, employeeId });
    const overdue = await eventually('the case flagged overdue', async () => {
      const res = await clusterLeader.get(`/cases/${id}`);
      return res.body.overdue === true && res.body;
    });
    // By hand: 14 calendar days from Friday 20.03.2026, to the end of Friday 03.04.2026 (langfredag
    // counts; summer time from Sunday 29.03).
    expect(overdue.deadlines[0]).toMatchObject({ name: 'completion', state: 'missed', dueAt: '2026-04-03T21:59:59.999Z' }); // fredag 03.04.2026 kl. 23.59 (sommertid)
    expect(overdue.data).toMatchObject({ employedFrom: '2026-03-19T23:00:00.000Z', dueAt: '2026-04-03T21:59:59.999Z' }); // fredag 20.03.2026 kl. 00.00 (vintertid)
    const escalations = (await service.outbox(id)).filter((m) => m.kind === 'escalation').map((m) => m.recipient_role).sort();
    expect(escalations).toEqual(['cluster-leader', 'institution-leader']);

    const listed = await secretariat.get('/cases?process=mandatory-training&overdue=true&pageSize=100');
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(id);
    const report = await secretariat.get('/statistics/training');
    expect(report.status).toBe(200);
    expect(report.body.overdue).toContainEqual({ caseId: id, employeeId, course: 'it-security', area: 'nord', unit: UNIT, dueAt: overdue.data.dueAt });

    const done = await leader.act(id, 'complete', { completedAt: new Date().toISOString() });
    expect(done.body).toMatchObject({ overdue: false, step: 'awaiting-refresh' });
    expect(done.body.deadlines[0]).toMatchObject({ name: 'completion', state: 'missed', settledAt: expect.any(String) });
  });

  it('given an open case for an employee and course, when another is started for the same pair, then 409 names the open case; another course opens its own case, and after the case closes a new one opens', async () => {
    const employeeId = nextEmployeeId();
    const first = await open({ employeeId });

    const again = await areaChief.start('mandatory-training', newEmployee({ employeeId, staffGroup: 'pedagogical' }));
    expect(again).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict', details: { openCaseId: first } } });
    expect(again.body.message).toBe(`A mandatory-training case is already open for this employeeId and course: ${first}`);
    const keyed = await secretariat.start('mandatory-training', newEmployee({ employeeId }), { 'Idempotency-Key': `dup-${employeeId}` });
    expect(keyed.status).toBe(409);

    const otherCourse = await open({ employeeId, course: 'administrative-law', staffGroup: 'leader' });
    expect(otherCourse).not.toBe(first);

    expect((await hrChief.act(first, 'end-employment', { endedAt: new Date().toISOString() })).status).toBe(200);
    const rehired = await open({ employeeId });
    expect(rehired).not.toBe(first);
    const { rows } = await service.db.query(
      `SELECT id, status FROM case_files WHERE process = 'mandatory-training' AND snapshot->'data'->>'employeeId' = $1 AND snapshot->'data'->>'course' = 'it-security' ORDER BY id`,
      [employeeId],
    );
    expect(rows).toEqual([{ id: first, status: 'closed' }, { id: rehired, status: 'open' }]);
  });

  it('given six concurrent starts for one new employee and course, when they race, then they meet in one case: each answer is that case or 409 naming it', async () => {
    const employeeId = nextEmployeeId();
    const body = newEmployee({ employeeId });
    const answers = await Promise.all([secretariat, areaChief, secretariat, areaChief, secretariat, areaChief].map((c) => c.start('mandatory-training', body)));
    const { rows } = await service.db.query(
      `SELECT id FROM case_files WHERE process = 'mandatory-training' AND snapshot->'data'->>'employeeId' = $1`,
      [employeeId],
    );
    expect(rows).toHaveLength(1);
    const [{ id }] = rows;
    for (const a of answers) {
      expect(a.status === 201 ? { status: 201, id: a.body.id } : { status: a.status, id: a.body.details?.openCaseId }).toEqual({ status: a.status === 201 ? 201 : 409, id });
    }
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(1);
    expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened']);
  });

  it('given callers without the right or bad bodies, when a case is started, then 401, 403, 400 naming the field, and 404 for an unknown process', async () => {
    expect((await service.request('POST', '/api/v1/cases/mandatory-training', { body: newEmployee() })).status).toBe(401);

    for (const caller of [employee, leader]) {
      const refused = await caller.start('mandatory-training', newEmployee());
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('ledelsessekretariat, area-chief');
    }
    const otherArea = await areaChief.start('mandatory-training', newEmployee({ area: 'syd' }));
    expect(otherArea.status).toBe(403);
    expect(otherArea.body.message).toContain('their own area (nord)');

    const bad = async (body: Record<string, unknown>) => {
      const res = await secretariat.start('mandatory-training', body);
      expect(res.status).toBe(400);
      return fieldsOf(res.body);
    };
    expect(await bad(newEmployee({ staffGroup: 'teacher' }))).toEqual(['staffGroup']);
    expect(await bad(newEmployee({ course: 'administrative-law', staffGroup: 'pedagogical' }))).toEqual(['staffGroup']);
    expect(await bad(newEmployee({ course: 'first-aid' }))).toEqual(['course']);
    expect(await bad(newEmployee({ employedFrom: 'last monday' }))).toEqual(['employedFrom']);
    expect(await bad({ ...newEmployee(), employeeId: undefined })).toEqual(['employeeId']);
    // The history limit is an operations knob of the workflow, not part of the HTTP contract.
    expect(await bad(newEmployee({ historyLimit: 1 }))).toEqual(['historyLimit']);

    expect((await secretariat.start('mandatory-trainings', newEmployee())).status).toBe(404);
  });

  it("given a case of another area, when an area chief reads it, records the completion or the end of employment, then 404 as for a case that does not exist; the area's own chief may", async () => {
    const id = await open({ area: 'syd' });
    const chiefOfSyd = await service.as({ sub: 'oc-9', name: 'Sofie Områdechef', roles: ['area-chief'], area: 'syd' });

    for (const [action, body] of [['complete', { completedAt: new Date().toISOString() }], ['end-employment', { endedAt: new Date().toISOString() }]] as const) {
      expect((await areaChief.act(id, action, body)).status).toBe(404);
    }
    expect((await areaChief.get(`/cases/${id}`)).status).toBe(404);
    expect((await chiefOfSyd.get(`/cases/${id}`)).body.allowedActions).toEqual(['complete', 'end-employment']);
    const completed = await chiefOfSyd.act(id, 'complete', { completedAt: new Date().toISOString() });
    expect(completed.status).toBe(200);
    expect(completed.body.step).toBe('awaiting-refresh');
  });

  it('given an open case, when actions are taken without the role, by a leader of another unit or with bad dates, then 403 and 400 say why; unknown actions and cases are 404; on the closed case 409 names the step', async () => {
    const id = await open();

    const role = await clusterLeader.act(id, 'complete', { completedAt: new Date().toISOString() });
    expect(role).toMatchObject({ status: 403, body: { statusCode: 403, error: 'Forbidden' } });
    expect(role.body.message).toContain('ledelsessekretariat, area-chief, institution-leader');

    // A leader of another unit reads nothing of the case (404, as for a case that does not exist).
    expect((await leaderElsewhere.get(`/cases/${id}`)).status).toBe(404);
    expect((await leaderElsewhere.act(id, 'complete', { completedAt: new Date().toISOString() })).status).toBe(404);

    const employedFrom = Date.parse(newEmployee().employedFrom as string);
    const badDate = async (action: string, body: Record<string, unknown>) => {
      const res = await leader.act(id, action, body);
      expect(res.status).toBe(400);
      return fieldsOf(res.body);
    };
    expect(await badDate('complete', { completedAt: new Date(employedFrom - DAY).toISOString() })).toEqual(['completedAt']);
    expect(await badDate('complete', { completedAt: new Date(Date.now() + DAY).toISOString() })).toEqual(['completedAt']);
    expect(await badDate('complete', {})).toEqual(['completedAt']);
    expect(await badDate('end-employment', { endedAt: 'soon' })).toEqual(['endedAt']);

    expect((await leader.act(id, 'promote', {})).status).toBe(404);
    expect((await leader.act('mandatory-training-1999-0000001', 'complete', { completedAt: new Date().toISOString() })).status).toBe(404);
    expect((await employee.get(`/cases/${id}`)).status).toBe(404);
    expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened']);

    expect((await leader.act(id, 'end-employment', { endedAt: new Date().toISOString() })).body.status).toBe('closed');
    const late = await leader.act(id, 'complete', { completedAt: new Date().toISOString() });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { step: 'closed', allowedActions: [] } });
  });
});
