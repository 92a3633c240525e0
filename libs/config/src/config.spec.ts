import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('given no variables, when loaded, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres:postgres@127.0.0.1:54329/buf');
    expect(config.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'buf-cases' });
    expect(config.port).toBe(3000);
    expect(config.notificationAddresses.gdpr).toBe('gdpr@buf.example.dk');
    expect(config.policy.whistleblower.juristAssignmentWorkingDays).toBe(1);
    expect(config.maxCachedWorkflows).toBe(50);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '1000' }).maxCachedWorkflows).toBe(1000);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(config.workflowHeapMb).toBe(128);
    expect(loadConfig({ WORKER_WORKFLOW_HEAP_MB: '512' }).workflowHeapMb).toBe(512);
    expect(() => loadConfig({ WORKER_WORKFLOW_HEAP_MB: '64' })).toThrow(/WORKER_WORKFLOW_HEAP_MB/);
  });

  it('given TEMPORAL_UI_URL, when loaded, then the web app links cases there; without it the embedded dev server\'s UI; an address that is not http(s) is refused', () => {
    expect(loadConfig({}).temporalUiUrl).toBe('http://127.0.0.1:8233');
    expect(loadConfig({ TEMPORAL_UI_URL: 'https://temporal.buf.kk.dk/' }).temporalUiUrl).toBe('https://temporal.buf.kk.dk');
    expect(() => loadConfig({ TEMPORAL_UI_URL: 'javascript:alert(1)' })).toThrow(/TEMPORAL_UI_URL/);
  });

  it('given AREAS, when loaded, then they are the areas; without it the five demo areas; a name that is not an area name, a repeat, or a directory or baseline area outside them is refused', () => {
    expect(loadConfig({}).areas).toEqual(['nord', 'syd', 'oest', 'vest', 'midtby']);
    const config = loadConfig({ AREAS: 'amager, valby' });
    expect(config.areas).toEqual(['amager', 'valby']);
    expect(Object.keys(config.notificationDirectory.areas)).toEqual(['amager', 'valby']);
    expect(() => loadConfig({ AREAS: 'nord,Skole med CPR 010203-1234' })).toThrow(/AREAS: "Skole med CPR 010203-1234" is not an area name/);
    expect(() => loadConfig({ AREAS: 'nord,nord' })).toThrow(/AREAS names nord twice/);
    expect(() => loadConfig({ AREAS: ' ' })).toThrow(/AREAS must name at least one area/);
    expect(() => loadConfig({ AREAS: 'nord', COMPLAINT_BASELINE: JSON.stringify({ counts: { syd: 3 } }) })).toThrow(/COMPLAINT_BASELINE.counts.syd is not one of the AREAS/);
    expect(() => loadConfig({ AREAS: 'nord', NOTIFICATION_DIRECTORY: JSON.stringify({ areas: { syd: { representative: 'a@b.dk' } } }) })).toThrow(/NOTIFICATION_DIRECTORY.areas.syd is not one of the AREAS/);
  });

  it('given the OpenTelemetry variables, WORKER_METRICS_PORT and LOG_FORMAT, when loaded, then tracing goes to the traces endpoint, the worker serves metrics there, and logs take that format; without them tracing is off', () => {
    expect(loadConfig({ LOG_FORMAT: 'json' }).telemetry).toEqual({ logFormat: 'json' });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_SERVICE_NAME: 'buf-api', WORKER_METRICS_PORT: '9464', LOG_FORMAT: 'pretty' }).telemetry).toEqual({
      tracesEndpoint: 'http://collector:4318/v1/traces',
      serviceName: 'buf-api',
      workerMetricsPort: 9464,
      logFormat: 'pretty',
    });
    // The signal's own endpoint is used as it is.
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/v1/traces' }).telemetry.tracesEndpoint).toBe('https://traces.example/v1/traces');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', WORKER_METRICS_PORT: 'x', LOG_FORMAT: 'colour' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL[\s\S]*WORKER_METRICS_PORT[\s\S]*LOG_FORMAT must be json or pretty/);
  });

  it('given several bad variables, when loaded, then one error names every problem', () => {
    const load = () => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'abc', NOTIFICATION_ADDRESSES: '{"boss":"a@b"}', CASE_POLICY: '{nope' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(load).toThrow(/PORT/);
    expect(load).toThrow(/unknown role: boss/);
    expect(load).toThrow(/CASE_POLICY must be valid JSON/);
  });

  it('given a policy override, when loaded, then it replaces only the figures it names', () => {
    const config = loadConfig({ CASE_POLICY: JSON.stringify({ whistleblower: { autoCloseDaysAfterReply: 45 } }) });
    expect(config.policy.whistleblower.autoCloseDaysAfterReply).toBe(45);
    expect(config.policy.whistleblower.juristAssignmentWorkingDays).toBe(1);
    expect(config.policy.dataBreach.reminderHoursAfterDiscovery).toEqual([24, 48]);
    expect(() => loadConfig({ CASE_POLICY: JSON.stringify({ holidays: {} }) })).toThrow(/unknown section: holidays/);
  });

  it('given a complaint baseline and a directory, when loaded, then they are kept; without them, no counts and the demo areas\' representatives', () => {
    const config = loadConfig({
      COMPLAINT_BASELINE: JSON.stringify({ counts: { nord: 12, syd: 0 } }),
      NOTIFICATION_DIRECTORY: JSON.stringify({ units: { 'Skole Nord': { 'institution-leader': 'il@x.dk', 'cluster-leader': 'kl@x.dk' } } }),
    });
    expect(config.complaintBaseline).toEqual({ date: '2021-09-01', counts: { nord: 12, syd: 0 } });
    expect(config.notificationDirectory.units['Skole Nord']).toEqual({ 'institution-leader': 'il@x.dk', 'cluster-leader': 'kl@x.dk' });
    const defaults = loadConfig({});
    expect(defaults.complaintBaseline).toEqual({ date: '2021-09-01', counts: {} });
    expect(defaults.notificationDirectory.areas.vest).toEqual({ representative: 'juridisk-netvaerk-vest@buf.example.dk' });
  });

  it('given a bad complaint baseline or directory, when loaded, then it refuses to start and names each problem', () => {
    const load = () =>
      loadConfig({
        COMPLAINT_BASELINE: JSON.stringify({ date: '1. september', counts: { nord: -1, syd: 2.5 } }),
        NOTIFICATION_DIRECTORY: JSON.stringify({ people: {}, areas: { nord: { chief: 'a@b' } }, units: { 'Skole Nord': { 'institution-leader': 'nobody' } } }),
      });
    expect(load).toThrow(/COMPLAINT_BASELINE.date must be a date/);
    expect(load).toThrow(/COMPLAINT_BASELINE.counts.nord must be a whole number/);
    expect(load).toThrow(/COMPLAINT_BASELINE.counts.syd must be a whole number/);
    expect(load).toThrow(/NOTIFICATION_DIRECTORY has an unknown section: people/);
    expect(load).toThrow(/NOTIFICATION_DIRECTORY.areas.nord has an unknown field: chief/);
    expect(load).toThrow(/NOTIFICATION_DIRECTORY.units.Skole Nord.institution-leader must be an e-mail address/);
  });

  describe('production', () => {
    const oidc = { AUTH_ISSUER: 'https://login.example.dk/', AUTH_AUDIENCE: 'buf-sagsflow', AUTH_JWKS_URL: 'https://login.example.dk/jwks' };
    const keys = { PAYLOAD_ENCRYPTION_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 7).toString('base64') }), PAYLOAD_ENCRYPTION_KEY_ID: 'k1' };

    it('given NODE_ENV=production without OIDC or payload keys, when loaded, then it refuses to start and names both', () => {
      const load = () => loadConfig({ NODE_ENV: 'production' });
      expect(load).toThrow(/AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL are required with NODE_ENV=production/);
      expect(load).toThrow(/PAYLOAD_ENCRYPTION_KEYS and PAYLOAD_ENCRYPTION_KEY_ID are required/);
      expect(() => loadConfig({ NODE_ENV: 'production', ...oidc })).toThrow(/PAYLOAD_ENCRYPTION_KEYS/);
      expect(() => loadConfig({ NODE_ENV: 'production', ...keys })).toThrow(/AUTH_ISSUER/);
    });

    it('given the web app as the provider\'s client, when loaded, then its redirect comes from AUTH_REDIRECT_URL or PUBLIC_URL, over https in production', () => {
      const web = loadConfig({ NODE_ENV: 'production', ...oidc, ...keys, AUTH_CLIENT_ID: 'buf-web', AUTH_CLIENT_SECRET: 's3cret', PUBLIC_URL: 'https://sagsflow.buf.kk.dk/' });
      expect(web.oidc?.webClient).toEqual({ clientId: 'buf-web', clientSecret: 's3cret', redirectUrl: 'https://sagsflow.buf.kk.dk/auth/callback' });
      const explicit = loadConfig({ ...oidc, AUTH_CLIENT_ID: 'buf-web', AUTH_REDIRECT_URL: 'http://127.0.0.1:3000/auth/callback', PUBLIC_URL: 'https://x.dk' });
      expect(explicit.oidc?.webClient).toEqual({ clientId: 'buf-web', redirectUrl: 'http://127.0.0.1:3000/auth/callback' });
      expect(loadConfig({ NODE_ENV: 'production', ...oidc, ...keys }).oidc?.webClient).toBeUndefined();
      expect(() => loadConfig({ NODE_ENV: 'production', ...oidc, ...keys, AUTH_CLIENT_ID: 'buf-web', PUBLIC_URL: 'http://sagsflow.buf.kk.dk' })).toThrow(/must be an https URL with NODE_ENV=production/);
      expect(() => loadConfig({ ...oidc, AUTH_CLIENT_ID: 'buf-web' })).toThrow(/AUTH_CLIENT_ID needs AUTH_REDIRECT_URL or PUBLIC_URL/);
      expect(() => loadConfig({ AUTH_CLIENT_ID: 'buf-web', PUBLIC_URL: 'https://x.dk' })).toThrow(/need an identity provider/);
      expect(() => loadConfig({ ...oidc, AUTH_CLIENT_SECRET: 's3cret', PUBLIC_URL: 'https://x.dk' })).toThrow(/AUTH_CLIENT_SECRET and AUTH_REDIRECT_URL need AUTH_CLIENT_ID/);
      expect(() => loadConfig({ ...oidc, AUTH_CLIENT_ID: 'buf web', PUBLIC_URL: 'https://x.dk/sagsflow' })).toThrow(/AUTH_CLIENT_ID must be printable ASCII[\s\S]*PUBLIC_URL must be an http\(s\) URL with no path/);
    });

    it('given NODE_ENV=production with OIDC and keys, when loaded, then codec sessions are off unless switched on', () => {
      expect(loadConfig({ NODE_ENV: 'production', ...oidc, ...keys }).codecSessions).toBe(false);
      expect(loadConfig({ NODE_ENV: 'production', ...oidc, ...keys, CODEC_SESSIONS: 'on' }).codecSessions).toBe(true);
      expect(loadConfig({}).codecSessions).toBe(true);
      expect(loadConfig({ CODEC_SESSIONS: 'off' }).codecSessions).toBe(false);
      expect(() => loadConfig({ CODEC_SESSIONS: 'yes' })).toThrow(/CODEC_SESSIONS must be on or off/);
    });
  });
});
