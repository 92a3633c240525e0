import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processesMarkdown } from '@buf/domain/process-docs';

/** `npm run docs:processes`: writes docs/processes.md from the process definitions. */
const target = join(__dirname, '..', '..', '..', 'docs', 'processes.md');
writeFileSync(target, processesMarkdown());
console.log(`wrote ${target}`);
