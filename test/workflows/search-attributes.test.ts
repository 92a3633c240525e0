import * as fs from 'node:fs';
import * as path from 'node:path';
import { CASE_SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../workflows/search-attributes';

describe('search attribute registrations', () => {
  it('given the keys the workflows upsert, when the registrations are listed, then every key is registered with its type', () => {
    const registered = SEARCH_ATTRIBUTE_REGISTRATIONS.map((r) => r.split('=')[0]).sort();
    expect(registered).toEqual(Object.values(CASE_SEARCH_ATTRIBUTES).map((k) => k.name).sort());
  });

  it('given the cluster registration script, when it is read, then it registers the same attributes', () => {
    const script = fs.readFileSync(path.join(__dirname, '..', '..', 'infra', 'temporal', 'register-search-attributes.sh'), 'utf8');
    const pairs = /for pair in ([^;]+);/.exec(script)?.[1].trim().split(/\s+/) ?? [];
    expect(pairs.sort()).toEqual([...SEARCH_ATTRIBUTE_REGISTRATIONS].sort());
  });
});
