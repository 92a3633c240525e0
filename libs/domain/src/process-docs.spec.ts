import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processesMarkdown } from './process-docs';

describe('docs/processes.md', () => {
  it('given the process definitions, when the document is written from them, then the committed file is the same (run `npm run docs:processes` when this fails)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'processes.md'), 'utf8');
    expect(committed).toBe(processesMarkdown());
  });

  it('given the document, when read, then every deadline states its rule and legal basis', () => {
    const doc = processesMarkdown();
    expect(doc).toContain(
      '| `decision` – Afgørelse eller fristbrev inden 7 arbejdsdage | 7 arbejdsdage fra modtagelsen, til udgangen af sidste dag – Offentlighedsloven § 36, stk. 2 | Offentlighedsloven § 36, stk. 2 | days-before-due 0 kl. 8 (accessRequest.decisionReminderHour) → `jurist` |',
    );
    expect(doc).toContain('72 timer fra konstateringen – Databeskyttelsesforordningen art. 33, stk. 1');
  });
});
