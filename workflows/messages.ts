import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseSnapshot, TakeActionArgs } from '@buf/domain';

/** Take an action on a case. The validator checks step, role, person and payload. */
export const takeActionUpdate = defineUpdate<void, [TakeActionArgs]>('takeAction');

/** Completes once the opening of the case is written to the case file (used with update-with-start). */
export const caseOpenedUpdate = defineUpdate<void, []>('caseOpened');

export const caseSnapshotQuery = defineQuery<CaseSnapshot>('caseSnapshot');
