import { breachReport, notification } from '../support/data-breach-fixtures';
import { eventually } from '../support/polling';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';

const HOUR = 3_600_000;

interface InboxItem {
  id: string;
  caseNumber: string;
  process: string;
  step: string;
  area?: string;
  overdue: boolean;
  nextDeadline?: { name: string; label: string; dueAt: string; state: string };
  expected: { action: string; label: string }[];
}
interface Inbox {
  actionable: InboxItem[];
  following: InboxItem[];
  complete: boolean;
  areas: string[];
}

/**
 * GET /api/v1/inbox over HTTP: the open cases where the caller can act now (the allowed actions
 * of GET /cases/{id}), by the nearest deadline still owed, and the open cases they follow. A
 * database of its own, so the cases in it are exactly the ones this file opens.
 */
describe('the inbox over HTTP (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let people: Record<'eva' | 'gitte' | 'lise' | 'anders' | 'julie' | 'jens' | 'sofie' | 'hanne', Caller>;
  /** The breaches of area syd, opened by Eva: two long past their 72 hours, one running, one notified. */
  const breach: Record<'early' | 'acrossSummerTime' | 'running' | 'notified', string> = { early: '', acrossSummerTime: '', running: '', notified: '' };
  let whistle = '';

  const inbox = async (who: Caller, query = ''): Promise<Inbox> => service.expectStatus(await who.get(`/inbox${query}`), 200).body as Inbox;
  const ids = (items: InboxItem[]) => items.map((i) => i.id);

  beforeAll(async () => {
    service = await ServiceUnderTest.start('inbox-e2e', { DATABASE_URL: await createIsolatedDatabase('inbox') });
    people = await service.callers({
      eva: { sub: 'inbox-eva', name: 'Eva Nielsen', roles: ['employee'], unit: 'Skole Syd', area: 'syd' },
      gitte: { sub: 'inbox-gitte', name: 'Gitte Friis', roles: ['gdpr'] },
      lise: { sub: 'inbox-lise', name: 'Lise Lund', roles: ['ledelsessekretariat'] },
      anders: { sub: 'inbox-anders', name: 'Anders Holm', roles: ['arc-lead'] },
      julie: { sub: 'inbox-julie', name: 'Julie Krogh', roles: ['jurist'] },
      jens: { sub: 'inbox-jens', name: 'Jens Juul', roles: ['jurist'] },
      sofie: { sub: 'inbox-sofie', name: 'Sofie Berg', roles: ['caseworker'], unit: 'Jura Syd', area: 'syd' },
      hanne: { sub: 'inbox-hanne', name: 'Hanne Hald', roles: ['hr-chief'] },
    });
    const open = async (report: Record<string, unknown>) => service.expectStatus(await people.eva.start('data-breach', breachReport({ area: 'syd', ...report })), 201).body.id as string;
    // Discovered long ago: the 72 hours (calendar hours, GDPR Art. 33(1)) have passed, so the deadline is missed at once.
    breach.acrossSummerTime = await open({ discoveredAt: '2026-10-24T12:00:00Z' }); // lørdag 24.10.2026 kl. 14.00 (sommertid)
    breach.early = await open({ discoveredAt: '2026-10-05T06:30:00Z' }); // mandag 05.10.2026 kl. 08.30 (sommertid)
    breach.running = await open({ discoveredAt: new Date(Date.now() - HOUR).toISOString() });
    breach.notified = await open({ discoveredAt: new Date(Date.now() - 2 * HOUR).toISOString() });
    service.expectStatus(await people.gitte.act(breach.notified, 'triage', { outcome: 'breach', reason: 'Oplysninger videregivet' }), 200);
    service.expectStatus(await people.gitte.act(breach.notified, 'assess-risk', { risk: 'risk', rationale: 'Navne og klasser' }), 200);
    service.expectStatus(await people.gitte.act(breach.notified, 'notify-datatilsynet', notification('DT-2026-0107')), 200);
    await eventually('the two old breaches escalated', async () => {
      const { actionable } = await inbox(people.gitte, '?area=syd');
      return actionable.filter((i) => i.overdue).length === 2;
    });

    whistle = service.expectStatus(await people.lise.start('whistleblower', {
      brgReference: 'BRG-2026-901',
      subject: 'Indberetning om indkøb',
      summary: 'BRG beder om en udtalelse.',
      handlingUnit: 'Jura Syd',
      area: 'syd',
      receivedAt: new Date(Date.now() - 600_000).toISOString(),
      replyDeadline: new Date(Date.now() + 21 * 86_400_000).toISOString(),
    }), 201).body.id as string;
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
  });

  it('given breaches of area syd with hand-written discovery instants, when the GDPR function opens the inbox, then they come by the nearest deadline still owed, missed ones marked, one with none last', async () => {
    const { actionable, complete } = await inbox(people.gitte, '?area=syd');
    expect(complete).toBe(true);
    expect(ids(actionable)).toEqual([breach.early, breach.acrossSummerTime, breach.running, breach.notified]);
    const [early, acrossSummerTime, running, notified] = actionable;
    expect(early).toMatchObject({
      process: 'data-breach', step: 'reported', area: 'syd', overdue: true,
      nextDeadline: { name: 'datatilsynet-72h', label: 'Anmeldelse til Datatilsynet inden 72 timer', state: 'missed', dueAt: '2026-10-08T06:30:00.000Z' }, // torsdag 08.10.2026 kl. 08.30 (sommertid)
      expected: [{ action: 'triage', label: 'Visiteret' }],
    });
    // 72 calendar hours across the end of summer time (25.10.2026): one hour less on the wall clock.
    expect(acrossSummerTime.nextDeadline).toEqual({ name: 'datatilsynet-72h', label: 'Anmeldelse til Datatilsynet inden 72 timer', state: 'missed', dueAt: '2026-10-27T12:00:00.000Z' }); // tirsdag 27.10.2026 kl. 13.00 (vintertid)
    expect(running).toMatchObject({ overdue: false, nextDeadline: { name: 'datatilsynet-72h', state: 'pending' }, expected: [{ action: 'triage', label: 'Visiteret' }] });
    expect(notified.nextDeadline).toBeUndefined();
    expect(notified.step).toBe('ready-to-close');
    expect(notified.expected).toContainEqual({ action: 'close', label: 'Sagen afsluttet' });
  });

  it('given a case in the inbox, when it is read, then what the inbox expects is exactly what the case lists as allowed actions', async () => {
    const { actionable } = await inbox(people.gitte, '?area=syd');
    for (const item of actionable) {
      const read = service.expectStatus(await people.gitte.get(`/cases/${item.id}`), 200);
      expect({ id: item.id, actions: item.expected.map((e) => e.action) }).toEqual({ id: item.id, actions: read.body.allowedActions });
    }
  });

  it('given the filters, when the inbox is asked for overdue cases, not overdue ones, another process or another area, then only those come', async () => {
    expect(ids((await inbox(people.gitte, '?area=syd&overdue=true')).actionable)).toEqual([breach.early, breach.acrossSummerTime]);
    expect(ids((await inbox(people.gitte, '?area=syd&overdue=false')).actionable)).toEqual([breach.running, breach.notified]);
    expect(ids((await inbox(people.gitte, '?process=data-breach&area=syd')).actionable)).toHaveLength(4);
    expect((await inbox(people.gitte, '?process=whistleblower')).actionable).toEqual([]);
    expect((await inbox(people.gitte, '?area=nord')).actionable).toEqual([]);
    expect(ids((await inbox(people.lise, '?process=whistleblower&area=syd')).actionable)).toEqual([whistle]);
    expect((await inbox(people.lise, '?process=data-breach')).actionable).toEqual([]);
  });

  it('given the OpenAPI document, when it is read, then the inbox is described: its filters (areas listed), its answer and its errors', async () => {
    const doc = service.expectStatus(await service.request('GET', '/docs-json'), 200).body;
    const operation = doc.paths['/api/v1/inbox'].get;
    const parameters = Object.fromEntries(operation.parameters.map((p: { name: string; in: string; schema: unknown }) => [p.name, p]));
    expect(Object.keys(parameters).sort()).toEqual(['area', 'overdue', 'process']);
    expect(parameters.area.schema.enum).toEqual(['nord', 'syd', 'oest', 'vest', 'midtby']);
    expect(parameters.process.schema.enum).toContain('data-breach');
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/InboxDto' });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '401']));
    expect(Object.keys(doc.components.schemas.InboxItemDto.properties)).toEqual(expect.arrayContaining(['caseNumber', 'process', 'step', 'area', 'overdue', 'nextDeadline', 'expected']));
    expect(doc.components.schemas.InboxDeadlineDto.required).toEqual(expect.arrayContaining(['name', 'label', 'dueAt', 'state']));
  });

  it('given bad filters, when the inbox is asked, then 400 names each field', async () => {
    for (const [query, field] of [['?process=no-such-process', 'process'], ['?area=atlantis', 'area'], ['?overdue=maybe', 'overdue'], ['?page=2', 'page']] as const) {
      const res = await people.gitte.get(`/inbox${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
  });

  it('given people with no case to act on, when they open the inbox, then an empty list: the reporter follows her breaches, the HR chief sees nothing', async () => {
    const eva = await inbox(people.eva);
    expect(eva.actionable).toEqual([]);
    // She follows what she reported (overdue first, then by deadline), with nothing expected of her.
    expect(ids(eva.following)).toEqual([breach.early, breach.acrossSummerTime, breach.running, breach.notified]);
    expect(eva.following.every((i) => i.expected.length === 0)).toBe(true);
    const hanne = await inbox(people.hanne);
    expect(hanne).toMatchObject({ actionable: [], following: [], complete: true });
    expect(hanne.areas).toEqual(['nord', 'syd', 'oest', 'vest', 'midtby']);
  });

  it('given a whistleblower case, when it moves from the ARC lead to the assigned jurist, then each sees it where they can act, the jurist follows it once assigned, and another jurist never sees it', async () => {
    const lise = await inbox(people.lise);
    expect(lise.actionable.find((i) => i.id === whistle)?.expected.map((e) => e.action)).toContain('record-direktion-briefing');
    expect(ids(lise.following)).toEqual([whistle]);
    expect((await inbox(people.anders)).actionable.find((i) => i.id === whistle)?.expected).toEqual([{ action: 'assign-jurist', label: 'Tilknyt jurist' }]);
    expect(await inbox(people.julie)).toMatchObject({ actionable: [], following: [] });

    service.expectStatus(await people.anders.act(whistle, 'assign-jurist', { juristId: 'inbox-julie' }), 200);
    const julie = await inbox(people.julie);
    expect(julie.actionable).toEqual([]);
    expect(ids(julie.following)).toEqual([whistle]);
    expect(ids((await inbox(people.sofie)).actionable)).toEqual([whistle]);
    expect((await inbox(people.sofie)).actionable[0].expected.map((e) => e.action)).toContain('submit-draft');

    service.expectStatus(await people.sofie.act(whistle, 'submit-draft', { documentRef: 'DOC-901', summary: 'Udkast til udtalelse' }), 200);
    const reviewing = await inbox(people.julie);
    expect(ids(reviewing.actionable)).toEqual([whistle]);
    expect(reviewing.actionable[0].expected.map((e) => e.action).sort()).toEqual(['approve-draft', 'return-draft']);
    expect(await inbox(people.jens)).toMatchObject({ actionable: [], following: [] });
    expect((await inbox(people.sofie)).actionable).toEqual([]);
  });
});
