import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrCreateLocalSecret } from '@buf/config/local-secret';
import { IdentityProviderStandIn, productionEnv } from '../support/identity-provider';
import { testEnv } from '../support/paths';
import { Caller, ServiceUnderTest, runUntilExit } from '../support/service';

const KEY = Buffer.alloc(32, 12).toString('base64');
const AUTH_FAILURES_PER_MINUTE = 8;

/**
 * An attacker's view of identity: tokens the provider signed but that are no bearer tokens, group
 * names that are properties of every object, guessing with bad tokens, two callers whose ids and
 * Idempotency-Keys run together, and the local secrets' files.
 */
describe('identity details (production mode, identity provider over https)', () => {
  let idp: IdentityProviderStandIn;
  let service: ServiceUnderTest;

  beforeAll(async () => {
    idp = await IdentityProviderStandIn.start({ tls: true });
    service = await ServiceUnderTest.start('security-identity', {
      ...productionEnv(idp, { 'BUF-Jura': 'jurist' }, { id: '2026-12', key: KEY }),
      AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES_PER_MINUTE),
    });
  });

  afterAll(async () => {
    await service?.stop();
    await idp?.stop();
  });

  const jurist = async (sub: string) => new Caller(service, await idp.sign({ name: 'Jurist', groups: ['BUF-Jura'] }, { sub }));

  it('given a token signed by the provider but without an expiry, when it calls the API, then 401 naming the exp claim', async () => {
    const res = await service.request('GET', '/api/v1/cases', { token: await idp.sign({ groups: ['BUF-Jura'] }, { exp: null }) });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/exp/);
  });

  it('given a token of another type (a logout token), when it calls the API, then 401 naming the type', async () => {
    const res = await service.request('GET', '/api/v1/cases', { token: await idp.sign({ groups: ['BUF-Jura'] }, { typ: 'logout+jwt' }) });
    expect(res.status).toBe(401);
    expect(res.body.message).toContain('logout+jwt');
  });

  it('given groups named constructor and __proto__, when that person opens a case, then they have no role: 403', async () => {
    const token = await idp.sign({ name: 'Ole', groups: ['constructor', '__proto__', 'toString'] }, { sub: 'u-proto' });
    const res = await service.request('POST', '/api/v1/cases/access-request', { token, body: accessRequest() });
    expect(res.status).toBe(403);
  });

  it("given two jurists 'a' with key 'b:c' and 'a:b' with key 'c', when both take an action on one case, then both are applied and journalled", async () => {
    const a = await jurist('a');
    const ab = await jurist('a:b');
    const opened = await a.start('access-request', accessRequest());
    expect(opened.status).toBe(201);
    const first = await a.act(opened.body.id, 'request-documents', { fromUnit: 'Skole Øst' }, { 'Idempotency-Key': 'b:c' });
    expect(first.status).toBe(200);
    const second = await ab.act(opened.body.id, 'request-documents', { fromUnit: 'Skole Vest' }, { 'Idempotency-Key': 'c' });
    expect(second.status).toBe(200);
    const requests = second.body.journal.filter((e: { action: string }) => e.action === 'request-documents');
    expect(requests.map((e: { actor: { sub: string } }) => e.actor.sub)).toEqual(['a', 'a:b']);
  });

  it('given one address sending refused tokens, when it passes the limit per minute, then 429 with Retry-After there only, while a valid token still passes', async () => {
    // From 127.0.0.2, an address of its own: the other tests call from 127.0.0.1.
    const from = (token?: string) => getFrom('127.0.0.2', `${service.baseUrl}/api/v1/cases`, token);
    const forged = (await idp.badTokens())[0][1];
    const statuses: number[] = [];
    for (let i = 0; i <= AUTH_FAILURES_PER_MINUTE; i += 1) statuses.push((await from(forged)).status);
    expect(statuses).toEqual([...Array<number>(AUTH_FAILURES_PER_MINUTE).fill(401), 429]);
    const blocked = await from();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect((await from(await idp.sign({ groups: ['BUF-Jura'] }, { sub: 'u-valid' }))).status).toBe(200);
    expect((await service.request('GET', '/api/v1/cases', { token: forged })).status).toBe(401);
  });
});

describe('the service refuses weak identity configuration at start', () => {
  it('given NODE_ENV=production with the JWKS over plain http, when the API starts, then it exits naming AUTH_JWKS_URL', async () => {
    const { code, output } = await runUntilExit('dist/apps/api/src/main.js', {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: testEnv('TEST_DATABASE_URL'),
      TEMPORAL_ADDRESS: testEnv('TEST_TEMPORAL_ADDRESS'),
      AUTH_ISSUER: 'https://login.example.dk/realms/kk',
      AUTH_AUDIENCE: 'buf-sagsflow',
      AUTH_JWKS_URL: 'http://login.example.dk/realms/kk/certs',
      PAYLOAD_ENCRYPTION_KEYS: JSON.stringify({ '2026-12': KEY }),
      PAYLOAD_ENCRYPTION_KEY_ID: '2026-12',
    });
    expect(code).not.toBe(0);
    expect(output).toContain('AUTH_JWKS_URL must be an https URL with NODE_ENV=production');
  });

  it('given a local secret file others may read, or one too short, when it is loaded, then it is refused with what to do', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buf-secret-'));
    const open = path.join(dir, 'open');
    fs.writeFileSync(open, Buffer.alloc(32, 1).toString('base64url'), { mode: 0o644 });
    fs.chmodSync(open, 0o644);
    expect(() => loadOrCreateLocalSecret(open)).toThrow(/readable or writable by others \(mode 644\): chmod 600/);
    const short = path.join(dir, 'short');
    fs.writeFileSync(short, Buffer.alloc(8, 1).toString('base64url'), { mode: 0o600 });
    expect(() => loadOrCreateLocalSecret(short)).toThrow(/holds 8 bytes, not 32/);
    const made = loadOrCreateLocalSecret(path.join(dir, 'new', 'secret'));
    expect(made).toHaveLength(32);
    expect(fs.statSync(path.join(dir, 'new', 'secret')).mode & 0o777).toBe(0o600);
  });
});

/** A GET from a chosen loopback address (the API listens on 127.0.0.1; Linux answers all of 127/8). */
function getFrom(localAddress: string, url: string, token?: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
    });
    req.on('error', reject);
  });
}

function accessRequest() {
  return {
    receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
    requester: 'Journalist',
    requesterType: 'journalist',
    request: 'Referater fra skolebestyrelsen',
    area: 'nord',
  };
}
