/**
 * The ids of the BPMN export's elements, stable for as long as the definition keeps its names, so
 * that a page can find them on the drawn diagram (e.g. bpmn-js overlays and markers on the current
 * step, the steps done and the deadlines missed). No imports: a web page may take this file alone,
 * without the libraries that build the diagram.
 *
 * Every character of a name outside [A-Za-z0-9_] becomes `_` (`awaiting-jurist` → `awaiting_jurist`).
 * Two names that differ only there would share an id; the export refuses such a definition.
 */
export function bpmnName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The user task of a step (or the end event of a terminal step): `step_<step>`. */
export function stepElementId(step: string): string {
  return `step_${bpmnName(step)}`;
}

/** The exclusive gateway after a step with several outcomes: `gateway_<step>`. */
export function gatewayElementId(step: string): string {
  return `gateway_${bpmnName(step)}`;
}

/**
 * The boundary timer of a deadline on the task of a step it runs in: `deadline_<deadline>__<step>`.
 * Two underscores between the names: with one, deadline `processing-time` in step
 * `complaint-received` and deadline `processing-time-complaint` in step `received` (access request)
 * would both be `deadline_processing_time_complaint_received`.
 */
export function deadlineElementId(deadline: string, step: string): string {
  return `deadline_${bpmnName(deadline)}__${bpmnName(step)}`;
}

/** The end event every timer of a deadline leads to when it is missed (who is told): `missed_<deadline>`. */
export function missedDeadlineElementId(deadline: string): string {
  return `missed_${bpmnName(deadline)}`;
}

/** The boundary timer of a deadline's reminders on the task of a step it runs in: `reminder_<deadline>__<step>`. */
export function reminderElementId(deadline: string, step: string): string {
  return `reminder_${bpmnName(deadline)}__${bpmnName(step)}`;
}

/** The end event every reminder timer of a deadline leads to (who is reminded): `reminded_<deadline>`. */
export function remindedElementId(deadline: string): string {
  return `reminded_${bpmnName(deadline)}`;
}

/** The start event of a case: `start`. */
export const START_ELEMENT_ID = 'start';

/** The start event of an action that reopens a closed case: `reopen_<action>`. */
export function reopenElementId(action: string): string {
  return `reopen_${bpmnName(action)}`;
}
