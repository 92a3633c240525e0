import { randomUUID } from 'node:crypto';
import { type Caller, ServiceUnderTest } from '../support/service';

/**
 * Reads wider than PROCESSES.md gives: the opener of a case keeping access after losing the role it
 * was opened under, an area chief acting on another area's training cases, the complaints unit
 * reading every training case. A case one may not read answers 404, as one that does not exist.
 */
describe('reads follow the role, not who opened the case', () => {
  let service: ServiceUnderTest;
  let hrChief: Caller;
  let secretariat: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('security-wider-reads');
    hrChief = await service.as({ sub: 'hr-wr', name: 'Helle HR-chef', roles: ['hr-chief'] });
    secretariat = await service.as({ sub: 'ls-wr', name: 'Lone Sekretariat', roles: ['ledelsessekretariat'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  const listedTo = async (caller: Caller, process: string, id: string) =>
    (service.expectStatus(await caller.get(`/cases?process=${process}&pageSize=100`), 200).body.items as { id: string }[]).some((c) => c.id === id);

  it('given a taskforce case requested by the area chief of syd, when the same person is area chief of nord, then the case is 404 to read and to act on and missing from their list', async () => {
    const claims = { sub: 'oc-wr-1', name: 'Sofie Områdechef', roles: ['area-chief' as const] };
    const chiefOfSyd = await service.as({ ...claims, area: 'syd' });
    const opened = service.expectStatus(
      await chiefOfSyd.start('taskforce', { unit: 'Skole Syd', area: 'syd', unitType: 'school', challenges: 'Vedvarende samarbejdsproblemer' }),
      201,
    ).body;
    expect(await listedTo(chiefOfSyd, 'taskforce', opened.id)).toBe(true);

    // Moved to another area: the token now says nord.
    const movedToNord = await service.as({ ...claims, area: 'nord' });
    expect(service.expectStatus(await movedToNord.get(`/cases/${opened.id}`), 404).body.error).toBe('Not Found');
    for (const action of ['approve', 'decline']) {
      expect((await movedToNord.act(opened.id, action, { reason: 'Jeg har skiftet område' })).status).toBe(404);
    }
    expect(await listedTo(movedToNord, 'taskforce', opened.id)).toBe(false);
    // Nothing was taken on the case.
    expect((await service.journal(opened.id)).map((j) => j.action)).toEqual(['opened']);
    // The HR chief still reads it: the case itself is there.
    expect((await hrChief.get(`/cases/${opened.id}`)).status).toBe(200);
  });

  it('given a complaint a caseworker registered for their unit, when they have moved to another unit, then they see only what they reported and its steps, as a reporter does, not the handling', async () => {
    const claims = { sub: 'cw-wr-1', name: 'Carla Sagsbehandler', roles: ['caseworker' as const] };
    const caseworkerOfNord = await service.as({ ...claims, unit: 'Skole Nord' });
    const klageenhed = await service.as({ sub: 'ke-wr-1', name: 'Karin Klageenhed', roles: ['klageenhed'] });
    const opened = service.expectStatus(
      await caseworkerOfNord.start('complaint', { channel: 'email', area: 'nord', unit: 'Skole Nord', unitType: 'school', subject: 'Forløbet med skolen' }),
      201,
    ).body;
    service.expectStatus(await klageenhed.act(opened.id, 'classify', { category: 'conduct', note: 'Forælderen oplevede en krænkende tone' }), 200);
    expect(service.expectStatus(await caseworkerOfNord.get(`/cases/${opened.id}`), 200).body.data.category).toBe('conduct');

    const movedToSyd = await service.as({ ...claims, unit: 'Skole Syd' });
    const seen = service.expectStatus(await movedToSyd.get(`/cases/${opened.id}`), 200).body;
    expect(seen.data).not.toHaveProperty('category');
    expect(seen.data.subject).toBe('Forløbet med skolen');
    expect(JSON.stringify(seen.journal)).not.toContain('krænkende');
    expect(seen.allowedActions).toEqual([]);
  });

  describe('mandatory training', () => {
    const employee = (overrides: Record<string, unknown>) => ({
      employeeId: `emp-${randomUUID()}`,
      course: 'it-security',
      staffGroup: 'administrative',
      employedFrom: new Date().toISOString(),
      unit: 'Skole Nord',
      area: 'nord',
      ...overrides,
    });

    it('given an IT-security training case, when the complaints unit reads, acts on or lists it, then 404 and not listed; an administrative-law case it reads', async () => {
      const klageenhed = await service.as({ sub: 'ke-wr', name: 'Karin Klageenhed', roles: ['klageenhed'] });
      const opened = service.expectStatus(await secretariat.start('mandatory-training', employee({})), 201).body;
      expect((await klageenhed.get(`/cases/${opened.id}`)).status).toBe(404);
      expect((await klageenhed.act(opened.id, 'end-employment', { endedAt: new Date().toISOString() })).status).toBe(404);
      expect(await listedTo(klageenhed, 'mandatory-training', opened.id)).toBe(false);
      // What PROCESSES.md gives it: the administrative-law cases it follows up with the area chiefs.
      const administrativeLaw = service.expectStatus(await secretariat.start('mandatory-training', employee({ course: 'administrative-law' })), 201).body;
      expect((await klageenhed.get(`/cases/${administrativeLaw.id}`)).status).toBe(200);
    });

    it('given a training case of area nord, when the area chief of syd reads, lists or acts on it, then 404 and nothing is recorded; the chief of nord acts', async () => {
      const chiefOfSyd = await service.as({ sub: 'oc-wr-2', name: 'Svend Områdechef', roles: ['area-chief'], area: 'syd' });
      const chiefOfNord = await service.as({ sub: 'oc-wr-3', name: 'Niels Områdechef', roles: ['area-chief'], area: 'nord' });
      const opened = service.expectStatus(await secretariat.start('mandatory-training', employee({})), 201).body;

      expect((await chiefOfSyd.get(`/cases/${opened.id}`)).status).toBe(404);
      expect(await listedTo(chiefOfSyd, 'mandatory-training', opened.id)).toBe(false);
      for (const [action, body] of [['complete', { completedAt: new Date().toISOString() }], ['end-employment', { endedAt: new Date().toISOString() }]] as const) {
        expect([403, 404]).toContain((await chiefOfSyd.act(opened.id, action, body)).status);
      }
      expect((await service.journal(opened.id)).map((j) => j.action)).toEqual(['opened']);

      expect(await listedTo(chiefOfNord, 'mandatory-training', opened.id)).toBe(true);
      expect(service.expectStatus(await chiefOfNord.act(opened.id, 'complete', { completedAt: new Date().toISOString() }), 200).body.step).toBe('awaiting-refresh');
    });

    it('given a training case opened by the area chief of nord, when they have moved to syd, then it is 404 to them and missing from their list', async () => {
      const claims = { sub: 'oc-wr-4', name: 'Olga Områdechef', roles: ['area-chief' as const] };
      const chiefOfNord = await service.as({ ...claims, area: 'nord' });
      const opened = service.expectStatus(await chiefOfNord.start('mandatory-training', employee({})), 201).body;
      const movedToSyd = await service.as({ ...claims, area: 'syd' });
      expect((await movedToSyd.get(`/cases/${opened.id}`)).status).toBe(404);
      expect((await movedToSyd.act(opened.id, 'end-employment', { endedAt: new Date().toISOString() })).status).toBe(404);
      expect(await listedTo(movedToSyd, 'mandatory-training', opened.id)).toBe(false);
    });
  });
});
