import { ServiceUnderTest } from '../support/service';

describe('HTTP hardening', () => {
  let service: ServiceUnderTest;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('hardening', { RATE_LIMIT_PER_MINUTE: '5' });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('given any response, when its headers are read, then security headers are set and the framework is not advertised', async () => {
    const res = await fetch(`${service.baseUrl}/api/v1/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('given no configured origins, when a browser on another origin asks (CORS preflight), then it is not allowed', async () => {
    const res = await fetch(`${service.baseUrl}/api/v1/cases`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('given one identity over its rate limit, when it asks again, then 429 in the error shape, while another identity is still served', async () => {
    const busy = await service.token({ sub: 'busy-1', name: 'Travl', roles: ['gdpr'] });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await service.request('GET', '/api/v1/processes', { token: busy })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await service.request('GET', '/api/v1/processes', { token: busy });
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const other = await service.token({ sub: 'calm-1', name: 'Rolig', roles: ['gdpr'] });
    expect((await service.request('GET', '/api/v1/processes', { token: other })).status).toBe(200);
  });

  it('given a body that is too large or not JSON, when posted, then 413 or 400 in the error shape without a stack trace', async () => {
    const token = await service.token({ sub: 'big-1', name: 'Stor', roles: ['employee'] });
    const huge = await service.request('POST', '/api/v1/cases/data-breach', { token, body: { description: 'x'.repeat(300_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ statusCode: 413 });
    const token2 = await service.token({ sub: 'bad-json-1', name: 'Skæv', roles: ['employee'] });
    const broken = await service.request('POST', '/api/v1/cases/data-breach', { token: token2, body: '{"unit": ', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.body)).not.toMatch(/stack|at .*\.js:\d+/);
  });

  /** Found by `npm run fuzz` (its Content-Type probes): a JSON body sent as text/plain was not read, and the 400 said its fields were missing ("answer is required"). */
  it('given a JSON body sent with another Content-Type, when posted, then 415 in the error shape, not a 400 that calls its fields missing', async () => {
    const token = await service.token({ sub: 'plain-1', name: 'Tekst', roles: ['employee'] });
    const body = JSON.stringify({ discoveredAt: '2026-06-01T10:00:00Z', unit: 'Skole Nord', description: 'x', dataCategories: ['navn'], channel: 'form' });
    for (const type of ['text/plain', 'multipart/form-data']) {
      const res = await service.request('POST', '/api/v1/cases/data-breach', { token, body, headers: { 'content-type': type } });
      expect([type, res.status]).toEqual([type, 415]);
      expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    }
  });

  it('given health is polled often, when it is asked more than the limit, then it is never throttled and needs no token', async () => {
    for (let i = 0; i < 8; i += 1) expect((await fetch(`${service.baseUrl}/api/v1/health`)).status).toBe(200);
  });
});
