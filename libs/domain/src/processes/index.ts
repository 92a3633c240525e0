import type { ProcessDefinition } from '../process-definition';
import { accessRequestDefinition } from './access-request';
import { taskforceDefinition } from './taskforce';
import { bullyingComplaintDefinition } from './bullying-complaint';
import { complaintDefinition } from './complaint';
import { dataBreachDefinition } from './data-breach';
import { mandatoryTrainingDefinition } from './mandatory-training';
import { whistleblowerDefinition } from './whistleblower';

export * from './access-request';
export * from './taskforce';
export * from './bullying-complaint';
export * from './complaint';
export * from './data-breach';
export * from './mandatory-training';
export * from './whistleblower';

export const PROCESS_DEFINITIONS: readonly ProcessDefinition[] = [whistleblowerDefinition, dataBreachDefinition, mandatoryTrainingDefinition, complaintDefinition, bullyingComplaintDefinition, accessRequestDefinition, taskforceDefinition];

export function findProcess(name: string): ProcessDefinition | undefined {
  return PROCESS_DEFINITIONS.find((p) => p.name === name);
}
