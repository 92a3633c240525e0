import type { CaseSnapshot } from './case';
import { CaseErrorCode, type CaseRefusal } from './errors';
import { normalizeInput, validateInput } from './fields';
import type { ActionDefinition, ProcessDefinition, ReadScope } from './process-definition';
import { type Actor, hasAnyRole } from './roles';

/**
 * The one place that decides whether a person may take an action on a case now. The workflow's
 * update validator and the API's list of allowed actions both call it.
 */
export function checkAction(
  definition: ProcessDefinition,
  snapshot: CaseSnapshot,
  actionName: string,
  actor: Actor,
  input: unknown,
  now: number,
): CaseRefusal | undefined {
  const action = definition.actions.find((a) => a.name === actionName);
  if (!action) {
    return { code: CaseErrorCode.NotFound, message: `Process ${definition.name} has no action ${actionName}` };
  }
  if (!hasAnyRole(actor, action.roles)) {
    return {
      code: CaseErrorCode.Forbidden,
      message: `Action ${actionName} requires one of the roles: ${action.roles.join(', ')}`,
    };
  }
  const fieldErrors = validateInput(action.input, input ?? {}, now);
  if (fieldErrors.length > 0) {
    return { code: CaseErrorCode.InvalidInput, message: fieldErrors.map((e) => e.message).join('; '), details: { fields: fieldErrors } };
  }
  // The case's rules read the instants as the field rule gives them, whatever form they came in.
  input = normalizeInput(action.input, (input ?? {}) as Record<string, unknown>);
  const stepRefusal = whyNotNow(action, snapshot, input as Record<string, unknown>, actor);
  if (stepRefusal) {
    const count = repeatCount(action, snapshot);
    return {
      code: CaseErrorCode.NotAllowedInStep,
      message: `${stepRefusal} Allowed now: ${describe(allowedActions(definition, snapshot, actor))}.`,
      details: {
        step: snapshot.step,
        allowedActions: allowedActions(definition, snapshot, actor),
        ...(action.limit && count !== undefined && count >= action.limit.max ? { limit: { action: action.name, max: action.limit.max, count } } : {}),
      },
    };
  }
  const personRefusal = action.personCheck?.(snapshot, actor);
  if (personRefusal) return { code: CaseErrorCode.Forbidden, message: personRefusal };
  const contextErrors = action.inputCheck?.(snapshot, input as Record<string, unknown>, now) ?? [];
  if (contextErrors.length > 0) {
    return { code: CaseErrorCode.InvalidInput, message: contextErrors.map((e) => e.message).join('; '), details: { fields: contextErrors } };
  }
  return undefined;
}

function whyNotNow(action: ActionDefinition, snapshot: CaseSnapshot, input: Record<string, unknown> | undefined, actor: Actor): string | undefined {
  if (snapshot.status === 'closed' && !action.reopens) return `The case is closed.`;
  // Anonymised after its retention period: what the action would build on is gone.
  if (snapshot.status === 'closed' && (snapshot.data as { anonymised?: unknown } | undefined)?.anonymised) return `The case is closed and anonymised; it cannot be reopened.`;
  if (!action.steps.includes(snapshot.step)) {
    return `Action ${action.name} is not allowed in step ${snapshot.step}.`;
  }
  return action.precondition?.(snapshot, input, actor) ?? repeatRefusal(action, snapshot);
}

/** How many times a limited action has been taken on the case (the entries of its list). */
function repeatCount(action: ActionDefinition, snapshot: CaseSnapshot): number | undefined {
  if (!action.limit) return undefined;
  const list = (snapshot.data as Record<string, unknown> | undefined)?.[action.limit.list];
  return Array.isArray(list) ? list.length : 0;
}

/** A repeatable action at its limit per case: refused (409), naming the limit and the count. */
function repeatRefusal(action: ActionDefinition, snapshot: CaseSnapshot): string | undefined {
  const count = repeatCount(action, snapshot);
  if (!action.limit || count === undefined || count < action.limit.max) return undefined;
  return `Action ${action.name} is limited to ${action.limit.max} per case; this case has ${count}.`;
}

function describe(actions: string[]): string {
  return actions.length > 0 ? actions.join(', ') : 'none for you';
}

/** The actions this person may take on the case in its current step. */
export function allowedActions(definition: ProcessDefinition, snapshot: CaseSnapshot, actor: Actor): string[] {
  return definition.actions
    .filter(
      (a) =>
        hasAnyRole(actor, a.roles) &&
        !whyNotNow(a, snapshot, undefined, actor) &&
        !a.personCheck?.(snapshot, actor),
    )
    .map((a) => a.name);
}

/** Why an action may not move a case to `step` (undefined when it may): only a step of its `leadsTo`. */
export function moveRefusal(action: Pick<ActionDefinition, 'name' | 'leadsTo'>, step: string): string | undefined {
  return action.leadsTo.includes(step) ? undefined : `Action ${action.name} may lead to ${action.leadsTo.join(', ') || 'no other step'}, not ${step}`;
}

export function mayStart(definition: ProcessDefinition, actor: Actor): boolean {
  return definition.startRoles === 'any' || hasAnyRole(actor, definition.startRoles);
}

export type ReadAccess = 'full' | 'status' | 'none';

/**
 * What a person may see of a case: all of it (a reading role, or a scoped role whose claim
 * matches the case, e.g. the assigned jurist), its status only (a reporter, where the process
 * says so), or nothing. The API's reads and lists both follow this.
 */
export function readAccess(definition: ProcessDefinition, snapshot: Pick<CaseSnapshot, 'openedBy' | 'data'>, actor: Actor): ReadAccess {
  if (hasAnyRole(actor, definition.readRoles)) return 'full';
  for (const scope of definition.readScopes ?? []) {
    if (readScopeMatches(scope, snapshot, actor)) return 'full';
  }
  // The opener keeps only what the process gives a reporter: access that came with a role ends with it.
  const openerView = definition.openerView ?? 'none';
  if (snapshot.openedBy.sub === actor.sub && openerView !== 'none') return openerView;
  return 'none';
}

/** A read scope: the caller's claim equals a field of the case, or the case's field holds the scope's value. */
export function readScopeMatches(scope: ReadScope, snapshot: Pick<CaseSnapshot, 'data'>, actor: Actor): boolean {
  if ('claim' in scope) return scopeMatches(scope, snapshot, actor);
  return (actor.roles as string[]).includes(scope.role) && ((snapshot.data ?? {}) as Record<string, unknown>)[scope.field] === scope.equals;
}

export function mayRead(definition: ProcessDefinition, snapshot: Pick<CaseSnapshot, 'openedBy' | 'data'>, actor: Actor): boolean {
  return readAccess(definition, snapshot, actor) !== 'none';
}

/** A role whose claim equals a field of the case: the assigned jurist (`jurist`, `juristId` = `sub`), the handling unit. */
export function scopeMatches(scope: { role: string; field: string; claim: 'sub' | 'unit' | 'area' }, snapshot: Pick<CaseSnapshot, 'data'>, actor: Actor): boolean {
  const claim = actor[scope.claim];
  const data = (snapshot.data ?? {}) as Record<string, unknown>;
  return (actor.roles as string[]).includes(scope.role) && claim !== undefined && data[scope.field] === claim;
}
