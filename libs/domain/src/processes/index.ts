import type { ProcessDefinition } from '../process-definition';
import { dataBreachDefinition } from './data-breach';
import { whistleblowerDefinition } from './whistleblower';

export * from './data-breach';
export * from './whistleblower';

export const PROCESS_DEFINITIONS: readonly ProcessDefinition[] = [whistleblowerDefinition, dataBreachDefinition];

export function findProcess(name: string): ProcessDefinition | undefined {
  return PROCESS_DEFINITIONS.find((p) => p.name === name);
}
