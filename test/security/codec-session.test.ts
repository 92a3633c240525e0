import { ServiceUnderTest } from '../support/service';

const UI_ORIGIN = 'http://127.0.0.1:8233';

/**
 * The codec session cookie as an attacker would use it: copied out of a browser, sent to the rest
 * of the API, replayed after sign-out and after its expiry.
 */
describe('codec sessions are opaque, server-side, codec-only and revocable', () => {
  let service: ServiceUnderTest;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('security-codec-session', { CORS_ORIGINS: UI_ORIGIN });
  });

  afterAll(async () => {
    await service?.stop();
  });

  async function signIn(token: string): Promise<string> {
    const res = await fetch(`${service.baseUrl}/codec/session`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = /buf_codec_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
    expect(cookie).not.toBeNull();
    return (cookie as RegExpExecArray)[1];
  }

  const decode = (session: string) =>
    fetch(`${service.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: UI_ORIGIN, cookie: `buf_codec_session=${session}` },
      body: JSON.stringify({ payloads: [] }),
    });

  const secretariatToken = () => service.token({ sub: 'u-sek', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] });

  it('given a person signed in with their token, when the cookie is read, then it holds an opaque id, not the token or any part of it', async () => {
    const token = await secretariatToken();
    const session = await signIn(token);
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const part of token.split('.')) expect(session).not.toContain(part.slice(0, 16));
    expect((await decode(session)).status).toBe(200);
  });

  it('given the cookie copied out of the browser, when it is sent to the rest of the API as a cookie or a bearer token, then 401', async () => {
    const session = await signIn(await secretariatToken());
    const asCookie = await fetch(`${service.baseUrl}/api/v1/cases`, { headers: { origin: UI_ORIGIN, cookie: `buf_codec_session=${session}` } });
    expect(asCookie.status).toBe(401);
    const asBearer = await fetch(`${service.baseUrl}/api/v1/cases`, { headers: { authorization: `Bearer ${session}` } });
    expect(asBearer.status).toBe(401);
  });

  it('given a person signs out, when the same cookie is replayed, then the codec answers 401', async () => {
    const session = await signIn(await secretariatToken());
    expect((await decode(session)).status).toBe(200);
    const out = await fetch(`${service.baseUrl}/codec/session/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: `buf_codec_session=${session}` } });
    expect(out.status).toBe(303);
    expect((await decode(session)).status).toBe(401);
  });

  it('given a token valid for 12 hours, when a session is opened with it, then the server ends it after 8 hours at most, and refuses it once past', async () => {
    const token = await service.token({ sub: 'u-sek-2', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] }, '12h');
    const session = await signIn(token);
    const { rows } = await service.db.query(`SELECT created_at, expires_at FROM sessions WHERE purpose = 'codec' AND actor->>'sub' = 'u-sek-2'`);
    expect(rows).toHaveLength(1);
    const lasts = new Date(rows[0].expires_at).getTime() - new Date(rows[0].created_at).getTime();
    expect(lasts).toBeLessThanOrEqual(8 * 3_600_000);
    expect(lasts).toBeGreaterThan(8 * 3_600_000 - 60_000);
    // The browser's cookie may say otherwise; the server's clock decides.
    await service.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE actor->>'sub' = 'u-sek-2'`);
    expect((await decode(session)).status).toBe(401);
  });

  it('given a token that expires in 30 minutes, when a session is opened with it, then the session ends with the token', async () => {
    const token = await service.token({ sub: 'u-sek-3', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] }, '30m');
    await signIn(token);
    const { rows } = await service.db.query(`SELECT created_at, expires_at FROM sessions WHERE purpose = 'codec' AND actor->>'sub' = 'u-sek-3'`);
    const lasts = new Date(rows[0].expires_at).getTime() - new Date(rows[0].created_at).getTime();
    expect(lasts).toBeLessThanOrEqual(30 * 60_000);
    expect(lasts).toBeGreaterThan(29 * 60_000);
  });
});
