import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, ROLE_LABELS } from './roles';

describe('the roles', () => {
  it("given the README's role list, when read, then it names exactly the roles of roles.ts, in order", () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const paragraph = readme.slice(readme.indexOf('\nRoles: '), readme.indexOf(';', readme.indexOf('\nRoles: ')));
    expect([...paragraph.matchAll(/`([a-z-]+)`/g)].map((m) => m[1])).toEqual([...ROLES]);
  });

  it('given every role, when labelled for staff, then it has a Danish label', () => {
    for (const role of ROLES) expect(ROLE_LABELS[role]).toMatch(/\S/);
  });
});
