import { createHash } from 'node:crypto';
import type { WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { AppConfig } from '@buf/config';
import type { Type } from '@nestjs/common';
import { type Actor, CaseErrorCode, type FieldError, type ProcessDefinition, type StartCaseInput, caseIdOf, mayStart, normalizeInput } from '@buf/domain';
import { CASE_SEARCH_ATTRIBUTES as SA } from '@buf/workflows/search-attributes';
import { CaseException } from '../errors/api-error';
import { START_DTOS, validateBody } from './input-dtos';

/**
 * How a new case is handed to Temporal, written once for every way a case is opened (the API's
 * start, the training import): the workflow's start input and its start options.
 */
export function newCaseStartInput(
  processName: string,
  caseNumber: string,
  openedAt: Date,
  actor: Actor,
  input: Record<string, unknown>,
  config: Pick<AppConfig, 'policy' | 'areas'>,
): StartCaseInput {
  return {
    caseId: caseIdOf(processName, caseNumber),
    caseNumber,
    openedAt: openedAt.toISOString(),
    actor,
    input,
    policy: config.policy,
    areas: config.areas,
  };
}

/**
 * A case's workflow start options: its id is the case id; a second start of a new case under it
 * is refused (REJECT_DUPLICATE) and a running one joined (USE_EXISTING). A reopening starts a new
 * run of a closed case's id in the step the case is in (`run`).
 */
export function newCaseStartOptions(
  definition: ProcessDefinition,
  startInput: StartCaseInput,
  taskQueue: string,
  run: { step: string; reusePolicy: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE' } = { step: definition.initialStep, reusePolicy: 'REJECT_DUPLICATE' },
): WorkflowStartOptions<Workflow> & { workflowIdConflictPolicy: 'USE_EXISTING' } {
  return {
    workflowId: startInput.caseId,
    taskQueue,
    args: [startInput],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: run.reusePolicy,
    typedSearchAttributes: [
      { key: SA.process, value: definition.name },
      { key: SA.caseNumber, value: startInput.caseNumber },
      { key: SA.step, value: run.step },
      { key: SA.overdue, value: false },
    ],
  };
}

/** The hash a process's "one open case per …" key is held under (open_case_keys): no personal data in the table. */
export function openCaseKeyHash(definition: ProcessDefinition, input: object): string {
  const values = (definition.oneOpenCasePer ?? []).map((f) => (input as Record<string, unknown>)[f]);
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/**
 * The start rules of a process for one body, in the API's order: the role (403), the fields by
 * the definition's input schema (400, through the start DTO), the cross-field check (400), the
 * person check (403). Returns the normalized input; a refusal is thrown as the API answers it.
 */
export async function checkedStartInput(definition: ProcessDefinition, body: unknown, actor: Actor, now = Date.now()): Promise<Record<string, unknown>> {
  if (!mayStart(definition, actor)) {
    throw new CaseException(CaseErrorCode.Forbidden, `Starting a ${definition.name} case requires one of the roles: ${(definition.startRoles as string[]).join(', ')}`);
  }
  const errors = await validateBody(START_DTOS.get(definition.name) as Type<object>, body);
  if (errors.length > 0) throw invalidInput(errors);
  const input = normalizeInput(definition.startInput, body as Record<string, unknown>);
  const crossField = definition.startCheck?.(input, now) ?? [];
  if (crossField.length > 0) throw invalidInput(crossField);
  const notThisPerson = definition.startPersonCheck?.(input, actor);
  if (notThisPerson) throw new CaseException(CaseErrorCode.Forbidden, notThisPerson);
  return input;
}

export function invalidInput(fields: FieldError[]): CaseException {
  return new CaseException(CaseErrorCode.InvalidInput, fields.map((f) => f.message).join('; '), { fields });
}
