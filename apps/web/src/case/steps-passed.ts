/** What the derivation reads of a process (ProcessView has it): plain data, so the rule is tested without the browser. */
export interface ProcessSteps {
  initialStep: string;
  actions: readonly { name: string; steps: readonly string[]; leadsTo: readonly string[]; reopens?: boolean }[];
}

/**
 * The steps a case has passed, derived from its journal and the definition: the journal names
 * the action of each entry, not the step it left the case in. Each action is taken only in one of
 * its `steps` and leaves the case in one of its `leadsTo` or where it was (an action may stay, as
 * re-assigning a jurist does). Running the journal's actions forward from the initial step gives
 * the steps the case may have been in after each entry; running them backward from the step the
 * case is in now keeps only those consistent with it. A step counts as passed when, after some
 * entry, it is the only step the case can have been in. Entries that are not actions of the
 * definition (opened, reminders, missed deadlines) do not move the case.
 */
export function stepsPassed(process: ProcessSteps, journal: readonly { action: string }[], current: string): Set<string> {
  const actions = new Map(process.actions.map((a) => [a.name, a]));
  const moves = journal.map((e) => actions.get(e.action)).filter((a) => a !== undefined);
  const after = (from: Set<string>, action: (typeof moves)[number]): Set<string> => {
    const next = new Set<string>();
    for (const s of from) {
      if (!action.steps.includes(s) && !action.reopens) continue;
      next.add(s);
      for (const t of action.leadsTo) next.add(t);
    }
    return next;
  };
  // forward: where the case may have been after each move (index 0: before any)
  const forward: Set<string>[] = [new Set([process.initialStep])];
  for (const action of moves) {
    const next = after(forward[forward.length - 1], action);
    // A journal the definition cannot explain (an older definition): keep what is known.
    forward.push(next.size > 0 ? next : forward[forward.length - 1]);
  }
  // backward: only what leads to the step the case is in now
  const known: Set<string>[] = forward.map((f) => new Set(f));
  known[known.length - 1] = forward[forward.length - 1].has(current) ? new Set([current]) : new Set(forward[forward.length - 1]);
  for (let i = moves.length - 1; i >= 0; i -= 1) {
    const kept = new Set([...forward[i]].filter((s) => [...after(new Set([s]), moves[i])].some((t) => known[i + 1].has(t))));
    known[i] = kept.size > 0 ? kept : forward[i];
  }
  const passed = new Set<string>();
  for (const k of known) if (k.size === 1) passed.add([...k][0]);
  return passed;
}

