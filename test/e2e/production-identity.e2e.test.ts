import { IdentityProviderStandIn, productionEnv } from '../support/identity-provider';
import { testEnv } from '../support/paths';
import { Caller, ServiceUnderTest, runUntilExit } from '../support/service';

const KEY = Buffer.alloc(32, 11).toString('base64');

/** The service as a municipality runs it: NODE_ENV=production, the identity provider's tokens, configured payload keys. */
describe('the service in production mode', () => {
  let idp: IdentityProviderStandIn;
  let service: ServiceUnderTest;

  beforeAll(async () => {
    idp = await IdentityProviderStandIn.start({ tls: true });
    service = await ServiceUnderTest.start('production-e2e', {
      ...productionEnv(idp, { 'BUF-Medarbejdere': 'employee', 'BUF-GDPR': 'gdpr', 'BUF-Ledelsessekretariat': 'ledelsessekretariat' }, { id: '2026-11', key: KEY }),
      CORS_ORIGINS: 'https://temporal.buf.example.dk',
    });
  });

  afterAll(async () => {
    await service?.stop();
    await idp?.stop();
  });

  const person = async (sub: string, name: string, groups: string[]) => new Caller(service, await idp.sign({ name, groups }, { sub }));

  it("given the identity provider's tokens, when an employee reports a breach and the GDPR function triages it, then their groups decide what each may do", async () => {
    const employee = await person('u-2001', 'Eva Ansat', ['BUF-Medarbejdere']);
    const gdpr = await person('u-2002', 'Gitte GDPR', ['BUF-GDPR', 'Alle-ansatte']);
    const opened = await employee.start('data-breach', {
      discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
      unit: 'Skole Vest',
      description: 'Elevliste sendt til forkert modtager',
      dataCategories: ['navn'],
      channel: 'serviceportal',
    });
    expect(opened.status).toBe(201);
    expect(opened.body.journal[0].actor).toEqual({ sub: 'u-2001', name: 'Eva Ansat' });
    expect((await employee.act(opened.body.id, 'triage', { outcome: 'breach', reason: 'x' })).status).toBe(403);
    const triaged = await gdpr.act(opened.body.id, 'triage', { outcome: 'breach', reason: 'Navne på elever er delt' });
    expect(triaged.status).toBe(200);
    expect(triaged.body.step).toBe('risk-assessment');
  });

  it('given a person whose groups map to no role, when they open a whistleblower case or list cases, then 403 and an empty list', async () => {
    const outsider = await person('u-2003', 'Ole Ekstern', ['Alle-ansatte']);
    const res = await outsider.start('whistleblower', {
      brgReference: 'BRG-2026-555', subject: 'x', summary: 'x', handlingUnit: 'Jura Nord', area: 'nord',
      receivedAt: new Date(Date.now() - 600_000).toISOString(), replyDeadline: new Date(Date.now() + 21 * 86_400_000).toISOString(),
    });
    expect(res.status).toBe(403);
    const list = await service.request('GET', '/api/v1/cases', { token: outsider.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  it('given forged, expired, wrong-audience, wrong-issuer and malformed tokens, and a dev token, when calling the API, then each gets 401', async () => {
    const bad = [...(await idp.badTokens()), ['a dev token', await service.token({ sub: 'dev', name: 'Dev', roles: ['gdpr'] })] as [string, string]];
    for (const [what, token] of bad) {
      const res = await service.request('GET', '/api/v1/cases', { token });
      expect({ what, status: res.status }).toEqual({ what, status: 401 });
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });

  it("given a Temporal UI with its own login, when it passes the secretariat's token to the codec, then it decodes; there is no sign-in page", async () => {
    const secretariat = await person('u-2004', 'Lise Sekretariat', ['BUF-Ledelsessekretariat']);
    const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"fortroligt"').toString('base64') };
    const encoded = await service.request('POST', '/codec/encode', { token: secretariat.token, body: { payloads: [payload] }, headers: { 'x-namespace': 'default' } });
    expect(encoded.status).toBe(200);
    const decoded = await service.request('POST', '/codec/decode', { token: secretariat.token, body: encoded.body, headers: { 'x-namespace': 'default' } });
    expect(decoded.body.payloads[0]).toEqual(payload);
    expect((await service.request('GET', '/codec/session')).status).toBe(404);
  });
});

describe('starting in production mode without an identity provider or payload keys', () => {
  it.each([['api', 'dist/apps/api/src/main.js'], ['worker', 'dist/apps/worker/src/main.js']])(
    'given NODE_ENV=production and neither, when the %s starts, then it exits at once naming both',
    async (_label, entry) => {
      const { code, output } = await runUntilExit(entry, {
        PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: testEnv('TEST_DATABASE_URL'), TEMPORAL_ADDRESS: testEnv('TEST_TEMPORAL_ADDRESS'),
      });
      expect(code).not.toBe(0);
      expect(output).toContain('AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL are required with NODE_ENV=production');
      expect(output).toContain('PAYLOAD_ENCRYPTION_KEYS and PAYLOAD_ENCRYPTION_KEY_ID are required');
    },
  );
});
