import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('given no variables, when loaded, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres:postgres@127.0.0.1:54329/buf');
    expect(config.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'buf-cases' });
    expect(config.port).toBe(3000);
    expect(config.notificationAddresses.gdpr).toBe('gdpr@buf.example.dk');
    expect(config.policy.whistleblower.juristAssignmentWorkingDays).toBe(1);
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
});
