import { type Actor, PROCESS_DEFINITIONS, hasAnyRole } from '@buf/domain';
import type { CaseVisibility } from '@buf/persistence/case-store';

/**
 * The definitions' read rules for this caller, as the case store applies them in SQL: the
 * processes they read in full, the scoped reads whose claim they hold (the assigned jurist, the
 * handling unit), and the processes whose openers keep a view. `GET /cases` and the inbox use it.
 */
export function caseVisibility(actor: Actor): CaseVisibility {
  const readable = PROCESS_DEFINITIONS.filter((p) => hasAnyRole(actor, p.readRoles)).map((p) => p.name);
  const scopes = PROCESS_DEFINITIONS.filter((p) => !readable.includes(p.name)).flatMap((p) =>
    (p.readScopes ?? []).flatMap((scope) => {
      const value = 'claim' in scope ? actor[scope.claim] : scope.equals;
      return actor.roles.includes(scope.role) && value !== undefined ? [{ process: p.name, field: scope.field, value }] : [];
    }),
  );
  return {
    readableProcesses: readable,
    scopes,
    openerProcesses: PROCESS_DEFINITIONS.filter((p) => (p.openerView ?? 'none') !== 'none').map((p) => p.name),
    callerSub: actor.sub,
  };
}
