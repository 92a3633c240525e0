import type { Client, WorkflowHandle } from '@temporalio/client';
import { notification } from '../support/data-breach-fixtures';
import { type Caller, ServiceUnderTest } from '../support/service';

/** Whoever can open the Temporal UI sees the state of cases, not their content. */
describe('encrypted workflow history', () => {
  let service: ServiceUnderTest;
  let plain: Client;
  let keyed: Client;
  let reporter: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('encryption-e2e', { CORS_ORIGINS: 'http://127.0.0.1:8233' });
    plain = await service.temporalClient({ withPayloadKey: false });
    keyed = await service.temporalClient({ withPayloadKey: true });
    reporter = await service.as({ sub: 'emp-enc', name: 'Sofie Kristensen', roles: ['employee'] });
    gdpr = await service.as({ sub: 'gdpr-enc', name: 'Henrik Mølgaard', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await Promise.all([plain?.connection.close(), keyed?.connection.close()]);
    await service?.stop();
  });

  it('given a breach with personal data, when its history is read without the key, then none of the personal data is in it; with the key it is', async () => {
    const secrets = {
      description: 'Lærer sendte elevplan for Oliver Bæk, CPR 120315-4411, til forkert forælder',
      rationale: 'Helbredsoplysninger om Oliver Bæk',
    };
    const opened = await reporter.start('data-breach', {
      discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
      unit: 'Skole Øst',
      description: secrets.description,
      dataCategories: ['helbredsoplysninger'],
      channel: 'form',
    });
    expect(opened.status).toBe(201);
    await gdpr.act(opened.body.id, 'triage', { outcome: 'breach', reason: secrets.rationale });

    const history = readableText(await plain.workflow.getHandle(opened.body.id).fetchHistory());
    expect(history).toContain('binary/encrypted');
    expect(history).toContain('data-breach'); // what the UI may show: process, step, case number
    for (const needle of ['Oliver', '120315-4411', 'Sofie Kristensen', 'Henrik Mølgaard', 'elevplan', 'Skole Øst']) {
      expect(history).not.toContain(needle);
    }

    const snapshot = await keyed.workflow.getHandle(opened.body.id).query<{ data: { description: string } }>('caseSnapshot');
    expect(snapshot.data.description).toBe(secrets.description);
    await expect(plain.workflow.getHandle(opened.body.id).query('caseSnapshot')).rejects.toThrow();
  });

  it("given whole flows with personal data, when the service's logs (API and worker) are scanned, then none of the personal data is in them", async () => {
    const personal = { name: 'Magnus Thorsen', cpr: '241299-7733', detail: 'Journalnotat om Ida Krogh blev delt' };
    const employee = await service.as({ sub: 'emp-log', name: personal.name, roles: ['employee'] });
    const opened = await employee.start('data-breach', {
      discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
      unit: 'Dagtilbud Vest',
      description: `${personal.detail}, CPR ${personal.cpr}`,
      dataCategories: ['cpr-nummer'],
      channel: 'serviceportal',
    });
    const id = opened.body.id;
    await gdpr.act(id, 'triage', { outcome: 'breach', reason: `Vedrører ${personal.name}` });
    await gdpr.act(id, 'assess-risk', { risk: 'high', rationale: `CPR ${personal.cpr} er delt` });
    await gdpr.act(id, 'notify-datatilsynet', notification('DT-LOG-1'));
    await gdpr.act(id, 'record-subject-notice-exception', { ground: 'risk-removed', reason: `${personal.name} er allerede orienteret` });
    await gdpr.act(id, 'close', { summary: `Sagen om ${personal.name} er afsluttet` });
    await employee.act(id, 'triage', { outcome: 'breach', reason: personal.detail }); // refused: still not logged

    const log = service.logs.join('\n');
    expect(log).toContain(id); // the log does tell what happened to which case
    for (const needle of [personal.name, personal.cpr, 'Ida Krogh', 'Journalnotat', 'Dagtilbud Vest']) {
      expect(log).not.toContain(needle);
    }
  });
});

describe('the codec endpoint of the Temporal UI', () => {
  let service: ServiceUnderTest;
  let plain: Client;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('codec-e2e', { CORS_ORIGINS: 'http://127.0.0.1:8233' });
    plain = await service.temporalClient({ withPayloadKey: false });
  });

  afterAll(async () => {
    await plain?.connection.close();
    await service?.stop();
  });

  /** The encrypted input of a case's first event, as the UI holds it: base64 JSON payloads. */
  async function encryptedInput(): Promise<{ id: string; payloads: { metadata: Record<string, string>; data: string }[] }> {
    const reporter = await service.as({ sub: 'emp-codec', name: 'Karen Lund', roles: ['employee'] });
    const opened = await reporter.start('data-breach', {
      discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
      unit: 'Skole Nord',
      description: 'Karakterark for Emil Dahl lå åbent',
      dataCategories: ['karakterer'],
      channel: 'form',
    });
    const history = await plain.workflow.getHandle(opened.body.id).fetchHistory();
    return {
      id: opened.body.id,
      payloads: startInputAsUiSeesIt(history),
    };
  }

  const codec = (path: 'decode' | 'encode', body: unknown, token?: string, headers: Record<string, string> = {}) =>
    service.request('POST', `/codec/${path}`, { ...(token ? { token } : {}), body, headers: { 'x-namespace': 'default', ...headers } });

  it('given a secretariat member, when the UI asks to decode a breach payload (a case the API does not show them), then it comes back still encrypted', async () => {
    const { payloads } = await encryptedInput();
    const token = await service.token({ sub: 'ls-codec', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] });
    const res = await codec('decode', { payloads }, token);
    expect(res.status).toBe(200);
    expect(res.body.payloads).toEqual(payloads);
    expect(JSON.stringify(res.body)).not.toContain('Emil Dahl');
  });

  it('given callers without a content role, without a token, or for another namespace, when they ask to decode, then 403, 401 and 400', async () => {
    const { payloads } = await encryptedInput();
    const employee = await service.token({ sub: 'emp-codec-2', name: 'Anders Ansat', roles: ['employee'] });
    expect((await codec('decode', { payloads }, employee)).status).toBe(403);
    expect((await codec('decode', { payloads })).status).toBe(401);
    const token = await service.token({ sub: 'ls-codec-2', name: 'Lars Sekretariat', roles: ['ledelsessekretariat'] });
    const other = await codec('decode', { payloads }, token, { 'x-namespace': 'production' });
    expect(other.status).toBe(400);
    expect((await codec('decode', { payloads: 'nope' }, token)).status).toBe(400);
  });

  it('given a payload under a key this service does not hold, or one altered in the history, when the UI asks to decode, then 400 names the payload and why, and nothing is decrypted', async () => {
    const token = await service.token({ sub: 'ls-codec-3', name: 'Lene Sekretariat', roles: ['ledelsessekretariat'] });
    const { payloads } = await encryptedInput();
    const [readable] = payloads as { metadata: Record<string, string>; data: string }[];
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const retired = { ...readable, metadata: { ...readable.metadata, 'encryption-key-id': b64('2019-01') } };
    const altered = { ...readable, data: flipLastByte(readable.data) };

    const unknownKey = await codec('decode', { payloads: [readable, retired] }, token);
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.message).toContain('2019-01');
    expect(unknownKey.body.details.fields).toEqual([{ field: 'payloads[1]', message: expect.stringContaining('2019-01') }]);
    expect(JSON.stringify(unknownKey.body)).not.toContain('Emil Dahl');

    const tampered = await codec('decode', { payloads: [altered] }, token);
    expect(tampered.status).toBe(400);
    expect(tampered.body.details.fields).toEqual([{ field: 'payloads[0]', message: expect.stringMatching(/altered|key/) }]);
  });

  it('given the UI origin is configured, when the browser sends its CORS preflight, then the UI may call the codec; other origins may not', async () => {
    const preflight = (origin: string) =>
      fetch(`${service.baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
      });
    expect((await preflight('http://127.0.0.1:8233')).headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('given a payload encoded through the endpoint, when it is decoded again, then it round-trips', async () => {
    const token = await service.token({ sub: 'dir-codec', name: 'Dorte Direktør', roles: ['direktion'] });
    const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hej"').toString('base64') };
    const encoded = await codec('encode', { payloads: [payload] }, token);
    expect(encoded.status).toBe(200);
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const decoded = await codec('decode', encoded.body, token);
    expect(decoded.body.payloads[0]).toEqual(payload);
  });
});

describe('the codec session of a Temporal UI without a login (the dev server\'s)', () => {
  const UI = 'http://127.0.0.1:8233';
  let service: ServiceUnderTest;
  let payloads: unknown[];

  beforeAll(async () => {
    service = await ServiceUnderTest.start('codec-session-e2e', { CORS_ORIGINS: UI });
    const secretariat = await service.as({ sub: 'ls-sess', name: 'Lene Sekretariat', roles: ['ledelsessekretariat'] });
    const opened = await secretariat.start('whistleblower', {
      brgReference: 'BRG-2026-777', subject: 'Tilsyn i Børnehuset Kastanjen', summary: 'BRG beder om en udtalelse.',
      handlingUnit: 'Jura Syd', area: 'syd',
      receivedAt: new Date(Date.now() - 600_000).toISOString(), replyDeadline: new Date(Date.now() + 21 * 86_400_000).toISOString(),
    });
    const plain = await service.temporalClient({ withPayloadKey: false });
    const history = await plain.workflow.getHandle(opened.body.id).fetchHistory();
    await plain.connection.close();
    payloads = startInputAsUiSeesIt(history);
  });

  afterAll(async () => {
    await service?.stop();
  });

  const signIn = (token: string, origin?: string) =>
    fetch(`${service.baseUrl}/codec/session`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
      body: new URLSearchParams({ token }).toString(),
    });

  /** The session cookie as the browser would send it back. */
  const cookieOf = (res: Response): string | undefined => res.headers.getSetCookie().find((c) => c.startsWith('buf_codec_session='))?.split(';')[0];

  const decodeWithCookie = (cookie: string, origin?: string) =>
    fetch(`${service.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-namespace': 'default', ...(origin ? { origin } : {}) },
      body: JSON.stringify({ payloads }),
    });

  it('given a secretariat member, when they sign in, then a short, script-proof cookie only for /codec is set and the UI\'s requests with it are decoded', async () => {
    const token = await service.token({ sub: 'ls-sess-1', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] });
    const res = await signIn(token);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/codec/session');
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('buf_codec_session=')) ?? '';
    expect(setCookie).toMatch(/; Path=\/codec/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
    expect(maxAge).toBeGreaterThan(3_600);
    expect(maxAge).toBeLessThanOrEqual(8 * 3_600);

    const decoded = await decodeWithCookie(cookieOf(res) as string, UI);
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI);
    expect(decoded.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await decoded.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(body.payloads[0].data, 'base64').toString('utf8')).toContain('Børnehuset Kastanjen');

    const page = await fetch(`${service.baseUrl}/codec/session`, { headers: { cookie: cookieOf(res) as string } });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Du er logget ind som <strong>Lise Sekretariat</strong>');
  });

  it('given a session cookie, when it is sent without an origin, from another origin, or to the case API, then it is refused', async () => {
    const token = await service.token({ sub: 'ls-sess-2', name: 'Lars Sekretariat', roles: ['ledelsessekretariat'] });
    const cookie = cookieOf(await signIn(token)) as string;
    expect((await decodeWithCookie(cookie)).status).toBe(403);
    const foreign = await decodeWithCookie(cookie, 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const cases = await fetch(`${service.baseUrl}/api/v1/cases`, { headers: { cookie, origin: UI } });
    expect(cases.status).toBe(401);
    const preflight = await fetch(`${service.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('given an employee, an expired token, a forged one or none, when signing in, then no session is set and the page says why', async () => {
    const attempts: [string, number, string][] = [
      [await service.token({ sub: 'emp-sess', name: 'Anders Ansat', roles: ['employee'] }), 403, 'Din rolle giver ikke adgang til sagsindhold'],
      [await service.token({ sub: 'ls-old', name: 'Gammel Session', roles: ['ledelsessekretariat'] }, '-1h'), 401, 'ugyldigt eller udløbet'],
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged', 401, 'ugyldigt eller udløbet'],
      ['', 400, 'Indsæt et adgangstoken'],
    ];
    for (const [token, status, says] of attempts) {
      const res = await signIn(token);
      expect(res.status).toBe(status);
      expect(cookieOf(res)).toBeUndefined();
      expect(await res.text()).toContain(says);
    }
  });

  it('given a form posted from another site, when it would sign a person in, then it is refused; from the page itself it is not', async () => {
    const token = await service.token({ sub: 'ls-csrf', name: 'Lone Sekretariat', roles: ['ledelsessekretariat'] });
    for (const origin of ['https://evil.example', 'null']) {
      const foreign = await signIn(token, origin);
      expect(foreign.status).toBe(403);
      expect(cookieOf(foreign)).toBeUndefined();
    }
    const crossSite = await fetch(`${service.baseUrl}/codec/session`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(crossSite.status).toBe(403);
    const own = await signIn(token, service.baseUrl);
    expect(own.status).toBe(303);
    expect(cookieOf(own)).toBeDefined();
  });

  it('given a signed-in person, when they sign out, then the cookie is cleared', async () => {
    const token = await service.token({ sub: 'dir-sess', name: 'Dorte Direktør', roles: ['direktion'] });
    const cookie = cookieOf(await signIn(token)) as string;
    const out = await fetch(`${service.baseUrl}/codec/session/logout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
    expect(out.status).toBe(303);
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith('buf_codec_session=')) ?? '';
    expect(cleared).toMatch(/^buf_codec_session=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
  });

  it('given CODEC_SESSIONS=off, when signing in or decoding with a cookie, then there is no sign-in page and the cookie counts for nothing', async () => {
    const off = await ServiceUnderTest.start('codec-session-off', { CORS_ORIGINS: UI, CODEC_SESSIONS: 'off' });
    try {
      const token = await off.token({ sub: 'ls-off', name: 'Lis Sekretariat', roles: ['ledelsessekretariat'] });
      expect((await fetch(`${off.baseUrl}/codec/session`)).status).toBe(404);
      const res = await fetch(`${off.baseUrl}/codec/decode`, {
        method: 'POST',
        headers: { cookie: `buf_codec_session=${token}`, origin: UI, 'content-type': 'application/json' },
        body: JSON.stringify({ payloads }),
      });
      expect(res.status).toBe(401);
    } finally {
      await off.stop();
    }
  });
});

/** A case's encrypted start input as the UI holds it and sends it to the codec: base64 JSON payloads. */
function startInputAsUiSeesIt(history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>): { metadata: Record<string, string>; data: string }[] {
  const b64 = (v: Uint8Array | null | undefined) => Buffer.from(v ?? new Uint8Array()).toString('base64');
  return (history.events?.[0].workflowExecutionStartedEventAttributes?.input?.payloads ?? [])
    .map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])), data: b64(p.data) }));
}

/** Everything a person with the UI could read in a history: every string, and every payload's bytes decoded. */
function readableText(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown, key?: string): void => {
    if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('utf8'));
    else if (typeof v === 'string') parts.push(v, ...(key === 'data' || key === 'metadata' || /^[A-Za-z0-9+/]+=*$/.test(v) ? [Buffer.from(v, 'base64').toString('utf8')] : []));
    else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(value);
  return parts.join('\n');
}

/** Base64 data with its last byte changed: for AES-GCM, a different authentication tag. */
function flipLastByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[bytes.length - 1] ^= 0xff;
  return bytes.toString('base64');
}
