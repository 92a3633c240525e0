import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { CASE_SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTE_REGISTRATIONS } from '@buf/workflows/search-attributes';

describe('search attribute registrations', () => {
  it('given the keys the workflows upsert, when the registrations are listed, then every key is registered with its type', () => {
    const registered = SEARCH_ATTRIBUTE_REGISTRATIONS.map((r) => r.split('=')[0]).sort();
    expect(registered).toEqual(Object.values(CASE_SEARCH_ATTRIBUTES).map((k) => k.name).sort());
  });

  it('given the cluster registration script, when it runs (with a stand-in CLI that prints its arguments), then it registers the same attributes', () => {
    const script = path.join(__dirname, '..', '..', 'infra', 'temporal', 'register-search-attributes.sh');
    const out = execFileSync('bash', [script], { env: { ...process.env, TEMPORAL_CLI: 'echo', TEMPORAL_ADDRESS: '127.0.0.1:1' }, encoding: 'utf8' });
    const pairs = out.trim().split('\n').map((line) => {
      const args = line.split(' ');
      return `${args[args.indexOf('--name') + 1]}=${args[args.indexOf('--type') + 1]}`;
    });
    expect(pairs.sort()).toEqual([...SEARCH_ATTRIBUTE_REGISTRATIONS].sort());
    expect(pairs).toHaveLength(Object.keys(CASE_SEARCH_ATTRIBUTES).length);
  });
});
