import { layoutProcess } from 'bpmn-auto-layout';
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import {
  type ActionDefinition,
  type CasePolicy,
  type DeadlineDefinition,
  type ProcessDefinition,
  type ReminderRule,
  REMINDER_HOUR,
  ROLE_LABELS,
  type Role,
  danishList,
  describeRule,
  policyFigure,
  policyFigures,
} from '@buf/domain';
import {
  START_ELEMENT_ID,
  bpmnName,
  deadlineElementId,
  gatewayElementId,
  missedDeadlineElementId,
  remindedElementId,
  reminderElementId,
  reopenElementId,
  stepElementId,
} from './element-ids';

/**
 * A process definition drawn as BPMN 2.0 (a model built with bpmn-moddle, never by hand), with a
 * diagram that bpmn.io and Camunda Modeler draw:
 *
 * - one user task per step (its Danish label), a start event into the initial step, and an end
 *   event for each terminal step (`step_<step>` either way, see element-ids.ts);
 * - a step whose actions can end in more than one way continues through an exclusive gateway
 *   (`gateway_<step>`), one conditioned flow per step the case can be in afterwards, named with the
 *   labels of the actions that lead there. An action that keeps the case in its step (a note, a
 *   letter, a record) is a flow from the gateway back to the step's task: after it the step is
 *   still to be done, which is what the case does, and it is never drawn as a parallel split;
 * - an action that reopens a closed case starts from an event of its own (`reopen_<action>`), as
 *   an end event has no outgoing flow;
 * - each deadline is a non-interrupting boundary timer (`deadline_<deadline>_<step>`) on the task
 *   of each step it runs in (`runsIn`, else every step that is not terminal), named with its label,
 *   its rule in words and its legal basis, with its reminders in its documentation. A missed
 *   deadline does not end the step: it is escalated, so its timers lead to an escalation end event
 *   naming who is told (`missed_<deadline>`, one per deadline). A deadline with reminders has a
 *   second non-interrupting timer per step (`reminder_<deadline>__<step>`) leading to a message end
 *   event naming who is reminded (`reminded_<deadline>`);
 * - one lane per role that acts (see `stepRole`), in a pool of the process.
 *
 * The layout is bpmn-auto-layout's (its grid decides the columns and the order of the rows); as
 * it lays out no lanes, the rows are then grouped into the lanes here and the flows routed again.
 */
export async function toBpmn(definition: ProcessDefinition, policy: CasePolicy): Promise<string> {
  const model = buildModel(definition, policy);
  const layout = await gridLayout(model);
  drawDiagram(model, layout);
  const { xml } = await model.moddle.toXML(model.definitions, { format: true });
  return xml;
}

// ---------------------------------------------------------------------------------------------
// The model

/** `missed`: the end event of a missed deadline or of its reminders, placed beside the grid layout like the timers. */
type Kind = 'task' | 'gateway' | 'event' | 'boundary' | 'missed';

interface Node {
  element: ModdleElement;
  kind: Kind;
  /** The step whose lane the node is drawn in. */
  step: string;
  host?: ModdleElement;
}

interface Model {
  moddle: BpmnModdle;
  definitions: ModdleElement;
  process: ModdleElement;
  collaboration: ModdleElement;
  participant: ModdleElement;
  nodes: Map<string, Node>;
  flows: ModdleElement[];
  /** The lanes top to bottom, each with its role. */
  lanes: { role: Role; element: ModdleElement }[];
  laneOfStep: Map<string, Role>;
}

function buildModel(definition: ProcessDefinition, policy: CasePolicy): Model {
  const moddle = new BpmnModdle();
  const nodes = new Map<string, Node>();
  const flows: ModdleElement[] = [];
  const documentation = (text: string) => [moddle.create('bpmn:Documentation', { text })];
  const process = moddle.create('bpmn:Process', {
    id: `process_${bpmnName(definition.name)}`,
    name: definition.label,
    isExecutable: false,
    documentation: documentation(definition.description),
  });
  const rootElements: ModdleElement[] = [];

  const add = (type: string, id: string, kind: Kind, step: string, properties: Record<string, unknown> = {}, host?: ModdleElement): ModdleElement => {
    if (nodes.has(id)) throw new Error(`Two elements of ${definition.name} would have the id ${id}: names must differ in more than the characters outside [A-Za-z0-9_]`);
    const element = moddle.create(type, { id, ...properties });
    nodes.set(id, { element, kind, step, host });
    return element;
  };
  const connect = (from: ModdleElement, to: ModdleElement, properties: Record<string, unknown> = {}): void => {
    const flow = moddle.create('bpmn:SequenceFlow', { id: `flow_${from.id}_to_${to.id}`, sourceRef: from, targetRef: to, ...properties });
    from.get('outgoing').push(flow);
    to.get('incoming').push(flow);
    flows.push(flow);
  };
  const node = (id: string): ModdleElement => {
    const found = nodes.get(id);
    if (!found) throw new Error(`${definition.name}: no element ${id}`);
    return found.element;
  };

  /** A timer on a step's task that never cancels the step: a reminder or a missed deadline leaves the case where it is. */
  const attachTimer = (id: string, step: string, name: string, text: string, timer: ModdleElement): ModdleElement => {
    const host = node(stepElementId(step));
    return add('bpmn:BoundaryEvent', id, 'boundary', step, { name, attachedToRef: host, cancelActivity: false, documentation: documentation(text), eventDefinitions: [timer] }, host);
  };

  const start = add('bpmn:StartEvent', START_ELEMENT_ID, 'event', definition.initialStep, { name: 'Sag oprettet' });
  for (const step of definition.steps) {
    // What can be done in the step, and by whom: the lane shows one role, the actions may allow more.
    const acting = definition.actions.filter((a) => a.steps.includes(step.name));
    add(step.terminal ? 'bpmn:EndEvent' : 'bpmn:UserTask', stepElementId(step.name), step.terminal ? 'event' : 'task', step.name, {
      name: step.label,
      ...(acting.length > 0 ? { documentation: documentation(acting.map((a) => `${a.label} (${a.name}): ${roleList(a.roles)}`).join('\n')) } : {}),
    });
  }
  connect(start, node(stepElementId(definition.initialStep)));

  const stepLabel = (name: string) => definition.steps.find((s) => s.name === name)?.label ?? name;
  for (const step of definition.steps) {
    const outcomes = outcomesOf(definition, step.name);
    if (outcomes.size === 0) continue;
    if (step.terminal) {
      // A closed case reopened by an action: its own start, as an end event has no outgoing flow.
      for (const [target, actions] of outcomes) {
        for (const action of actions) {
          const reopen = add('bpmn:StartEvent', reopenElementId(action.name), 'event', target, {
            name: `${action.label} (genåbner sagen)`,
            documentation: documentation(action.description),
          });
          connect(reopen, node(stepElementId(target)), { name: action.label });
        }
      }
      continue;
    }
    const task = node(stepElementId(step.name));
    const [only] = outcomes.keys();
    if (outcomes.size === 1 && only !== step.name) {
      connect(task, node(stepElementId(only)), { name: actionLabels(outcomes.get(only) ?? []) });
      continue;
    }
    const gateway = add('bpmn:ExclusiveGateway', gatewayElementId(step.name), 'gateway', step.name, {
      documentation: documentation(`Efter en handling i trinnet "${step.label}": sagen fortsætter i det trin, handlingen førte den til.`),
    });
    connect(task, gateway);
    for (const [target, actions] of outcomes) {
      connect(gateway, node(stepElementId(target)), {
        name: actionLabels(actions),
        // The gateway decides by the step the action left the case in: the conditions exclude one
        // another and together cover every action of the step. A flow back to the step's own task
        // is an action after which the step is still to be done.
        conditionExpression: moddle.create('bpmn:FormalExpression', { body: `\${nextStep == "${target}"}` }),
        documentation: documentation(
          `${target === step.name ? `Sagen bliver i trinnet "${step.label}"` : `Sagen går til trinnet "${stepLabel(target)}"`} efter: ${actions.map((a) => `${a.label} (${a.name})`).join(', ')}.`,
        ),
      });
    }
  }

  for (const deadline of definition.deadlines) {
    const escalation =
      deadline.escalatesTo.length > 0
        ? moddle.create('bpmn:Escalation', { id: `escalation_${bpmnName(deadline.name)}`, name: deadline.label, escalationCode: deadline.name })
        : undefined;
    if (escalation) rootElements.push(escalation);
    const steps = stepsOf(definition, deadline);
    if (steps.length === 0) continue;
    const missed = add('bpmn:EndEvent', missedDeadlineElementId(deadline.name), 'missed', steps[0], {
      name: escalation ? `${deadline.label} overskredet: eskaleres til ${roleList(deadline.escalatesTo)}` : `${deadline.label} overskredet`,
      ...(escalation ? { eventDefinitions: [moddle.create('bpmn:EscalationEventDefinition', { escalationRef: escalation })] } : {}),
    });
    for (const step of steps) {
      const timer = attachTimer(deadlineElementId(deadline.name, step), step, `${deadline.label}: ${describeRule(deadline.rule, policy)}`, deadlineDocumentation(deadline, policy), timerDefinition(moddle, deadline, policy));
      connect(timer, missed);
    }
    const reminders = deadline.reminders ?? [];
    if (reminders.length === 0) continue;
    // The reminders while it runs: one timer per step beside the deadline's own, also non-interrupting.
    const notified = [...new Set(reminders.flatMap((r) => r.notify))];
    const reminded = add('bpmn:EndEvent', remindedElementId(deadline.name), 'missed', steps[0], {
      name: `Påmindelse om ${lowerFirst(deadline.label)} til ${roleList(notified)}`,
      eventDefinitions: [moddle.create('bpmn:MessageEventDefinition')],
    });
    const when = reminders.map((r) => describeReminder(r, policy)).join('; ');
    for (const step of steps) {
      const documented = `Påmindelse om ${deadline.label} (${describeRule(deadline.rule, policy)}): ${when}.`;
      const timer = attachTimer(reminderElementId(deadline.name, step), step, `Påmindelse: ${when}`, documented, reminderTimerDefinition(moddle, reminders, policy));
      connect(timer, reminded);
    }
  }

  const laneOfStep = new Map(definition.steps.map((s) => [s.name, stepRole(definition, s.name)] as const));
  const laneRoles = [...new Set(definition.steps.map((s) => laneOfStep.get(s.name) as Role))];
  const lanes = laneRoles.map((role) => ({
    role,
    element: moddle.create('bpmn:Lane', {
      id: `lane_${bpmnName(role)}`,
      name: capitalise(ROLE_LABELS[role]),
      flowNodeRef: [...nodes.values()].filter((n) => laneOfStep.get(n.step) === role).map((n) => n.element),
    }),
  }));

  process.set('flowElements', [...[...nodes.values()].map((n) => n.element), ...flows]);
  process.set('laneSets', [moddle.create('bpmn:LaneSet', { id: 'lanes', lanes: lanes.map((l) => l.element) })]);
  const participant = moddle.create('bpmn:Participant', { id: 'participant', name: definition.label, processRef: process });
  const collaboration = moddle.create('bpmn:Collaboration', { id: 'collaboration', participants: [participant] });
  const definitions = moddle.create('bpmn:Definitions', {
    id: `definitions_${bpmnName(definition.name)}`,
    targetNamespace: 'urn:buf:case-workflows',
    exporter: 'buf-case-workflows',
    rootElements: [...rootElements, process],
  });
  return { moddle, definitions, process, collaboration, participant, nodes, flows, lanes, laneOfStep };
}

/** The steps a step's actions lead to, each with the actions that lead there (the step itself for an action that does not move the case). */
function outcomesOf(definition: ProcessDefinition, step: string): Map<string, ActionDefinition[]> {
  const outcomes = new Map<string, ActionDefinition[]>();
  for (const action of definition.actions.filter((a) => a.steps.includes(step))) {
    for (const target of action.leadsTo.length > 0 ? action.leadsTo : [step]) outcomes.set(target, [...(outcomes.get(target) ?? []), action]);
  }
  return outcomes;
}

function stepsOf(definition: ProcessDefinition, deadline: DeadlineDefinition): readonly string[] {
  const open = definition.steps.filter((s) => !s.terminal).map((s) => s.name);
  const runsIn = deadline.runsIn ?? open;
  for (const step of runsIn) {
    if (!open.includes(step)) throw new Error(`${definition.name}: deadline ${deadline.name} runs in ${step}, which is not a step that is not terminal`);
  }
  return runsIn;
}

/**
 * The role whose lane a step is drawn in: the role that may take most of the actions that move
 * the case on from it (who decides where it goes), then most of all its actions, then the role
 * named first in the definition's actions. A terminal step is drawn in the lane of the first step
 * (in the definition's order) that leads to it; a step without actions in that of the initial step.
 */
export function stepRole(definition: ProcessDefinition, step: string): Role {
  const terminal = definition.steps.find((s) => s.name === step)?.terminal ?? false;
  if (terminal) {
    const before = definition.steps.find((s) => !s.terminal && outcomesOf(definition, s.name).has(step));
    return stepRole(definition, before?.name ?? definition.initialStep);
  }
  const acting = definition.actions.filter((a) => a.steps.includes(step));
  const order = [...new Set(definition.actions.flatMap((a) => a.roles))];
  const score = (role: Role) => {
    const moving = acting.filter((a) => a.roles.includes(role) && a.leadsTo.some((t) => t !== step)).length;
    return moving * 1_000 + acting.filter((a) => a.roles.includes(role)).length;
  };
  const candidates = [...new Set(acting.flatMap((a) => a.roles))].sort((a, b) => score(b) - score(a) || order.indexOf(a) - order.indexOf(b));
  if (candidates.length > 0) return candidates[0];
  if (step !== definition.initialStep) return stepRole(definition, definition.initialStep);
  return order[0] ?? 'employee';
}

// ---------------------------------------------------------------------------------------------
// Deadlines in words and as timers

/**
 * The timer's ISO 8601 duration where the rule is one: hours exactly (PT72H); calendar days and
 * years as P30D / P1Y, which the rule ends at the end of the last day in Copenhagen (the label says
 * so). Working days (the Danish calendar) and a date set in the case have no ISO 8601 form: the
 * timer has no duration, and its label and documentation say how it is counted.
 */
function timerDefinition(moddle: BpmnModdle, deadline: DeadlineDefinition, policy: CasePolicy): ModdleElement {
  const m = deadline.rule.measure;
  if (m.unit === 'given' || m.unit === 'working-days') return moddle.create('bpmn:TimerEventDefinition');
  const count = typeof m.count === 'number' ? m.count : policyFigure(policy, m.count);
  const duration = { hours: `PT${count}H`, 'calendar-days': `P${count}D`, years: `P${count}Y` }[m.unit];
  return moddle.create('bpmn:TimerEventDefinition', { timeDuration: moddle.create('bpmn:FormalExpression', { body: duration }) });
}

/**
 * A reminder's timer: hours after the deadline started as a duration (PT6H); the others count back
 * from the due instant, which ISO 8601 cannot say, so they are in words only (the label).
 */
function reminderTimerDefinition(moddle: BpmnModdle, reminders: readonly ReminderRule[], policy: CasePolicy): ModdleElement {
  const [only] = reminders;
  const offsets = reminders.length === 1 && only.when === 'hours-after-start' ? (typeof only.offsets === 'string' ? policyFigures(policy, only.offsets) : only.offsets) : [];
  if (offsets.length !== 1) return moddle.create('bpmn:TimerEventDefinition');
  return moddle.create('bpmn:TimerEventDefinition', { timeDuration: moddle.create('bpmn:FormalExpression', { body: `PT${offsets[0]}H` }) });
}

function deadlineDocumentation(deadline: DeadlineDefinition, policy: CasePolicy): string {
  const lines = [`${deadline.label}: ${describeRule(deadline.rule, policy)}.`];
  for (const reminder of deadline.reminders ?? []) lines.push(`Påmindelse ${describeReminder(reminder, policy)}.`);
  lines.push(deadline.escalatesTo.length > 0 ? `Overskredet: eskaleres til ${roleList(deadline.escalatesTo)}.` : 'Overskredet: ingen eskalering.');
  lines.push(deadline.description);
  return lines.join('\n');
}

function describeReminder(reminder: ReminderRule, policy: CasePolicy): string {
  const offsets = typeof reminder.offsets === 'string' ? policyFigures(policy, reminder.offsets) : [...reminder.offsets];
  const figures = danishList(offsets.map(String));
  const to = `til ${roleList(reminder.notify)}`;
  switch (reminder.when) {
    case 'hours-after-start':
      return `${figures} timer efter fristens start ${to}`;
    case 'hours-before-due':
      return `${figures} timer før fristen ${to}`;
    case 'days-before-due': {
      const hour = reminder.atHour === undefined ? REMINDER_HOUR : typeof reminder.atHour === 'number' ? reminder.atHour : policyFigure(policy, reminder.atHour);
      return `${figures} dage før fristens sidste dag kl. ${String(hour).padStart(2, '0')}.00 ${to}`;
    }
  }
}

const roleList = (roles: readonly Role[]) => danishList(roles.map((r) => ROLE_LABELS[r]));
const actionLabels = (actions: readonly ActionDefinition[]) => actions.map((a) => a.label).join(' / ');
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

// ---------------------------------------------------------------------------------------------
// The diagram

interface Point {
  x: number;
  y: number;
}

interface Rect extends Point {
  width: number;
  height: number;
}

const SIZES: Record<Kind, { width: number; height: number }> = {
  task: { width: 100, height: 80 },
  gateway: { width: 50, height: 50 },
  event: { width: 36, height: 36 },
  boundary: { width: 36, height: 36 },
  missed: { width: 36, height: 36 },
};
const ROW_HEIGHT = 150;
/** The height of a timer's label, stacked below its task (a label of some 130 characters in four lines). */
const TIMER_LABEL = { width: 260, height: 62 };
/** The row at the bottom of a lane for the end events of missed deadlines. */
const MISSED_ROW = 120;
const MISSED_SPACING = 200;
const MISSED_LABEL = { width: 180, height: 42 };
const POOL_HEADER = 30;
const LANE_HEADER = 30;
const MARGIN = 40;

const isPlacedByGrid = (n: Node) => n.kind !== 'boundary' && n.kind !== 'missed';

/**
 * bpmn-auto-layout's diagram of the steps, gateways, starts and ends (without the deadlines, which
 * would widen its grid): the centre of each.
 */
async function gridLayout(model: Model): Promise<Map<string, Point>> {
  const { moddle, process, nodes, flows } = model;
  const [flowElements, laneSets] = [process.get('flowElements') as ModdleElement[], process.get('laneSets') as ModdleElement[]];
  const placed = new Set([...nodes.values()].filter(isPlacedByGrid).map((n) => n.element));
  process.set('flowElements', [...placed, ...flows.filter((f) => placed.has(f.sourceRef) && placed.has(f.targetRef))]);
  process.set('laneSets', []);
  const { xml } = await moddle.toXML(model.definitions);
  process.set('flowElements', flowElements);
  process.set('laneSets', laneSets);
  const laidOut = await moddle.fromXML(await layoutProcess(xml));
  const centres = new Map<string, Point>();
  for (const diagram of laidOut.rootElement.get('diagrams') as ModdleElement[]) {
    for (const di of diagram.plane.get('planeElement') as ModdleElement[]) {
      if (di.$type !== 'bpmndi:BPMNShape') continue;
      const b = di.bounds as Rect;
      centres.set(di.bpmnElement.id as string, { x: b.x + b.width / 2, y: b.y + b.height / 2 });
    }
  }
  return centres;
}

/**
 * The diagram of the pool: the columns of the grid layout; its rows grouped by lane (each lane
 * keeps the order its rows had, a row as high as the labels of its timers need); the timers along
 * the lower edge of their task, their labels stacked below it; the ends of missed deadlines in a
 * row at the bottom of the lane of the first step the deadline runs in; every flow routed again
 * at right angles.
 */
function drawDiagram(model: Model, centres: Map<string, Point>): void {
  const { moddle, nodes } = model;
  const all = [...nodes.values()];
  const gridded = all.filter(isPlacedByGrid);
  for (const n of gridded) if (!centres.has(n.element.id as string)) throw new Error(`The layout has no place for ${n.element.id}`);
  const centre = (n: Node) => centres.get(n.element.id as string) as Point;
  const laneOf = (n: Node) => model.laneOfStep.get(n.step) as Role;
  const timersOf = (host: Node) => all.filter((b) => b.host === host.element);
  const left = Math.min(...gridded.map((n) => centre(n).x - SIZES[n.kind].width / 2));
  const x0 = POOL_HEADER + LANE_HEADER + MARGIN;

  const rects = new Map<string, Rect>();
  const labels = new Map<string, Rect>();
  const place = (n: Node, c: Point) => {
    const { width, height } = SIZES[n.kind];
    rects.set(n.element.id as string, { x: c.x - width / 2, y: c.y - height / 2, width, height });
  };
  const laneBounds = new Map<Role, Rect>();
  let top = 0;
  for (const { role } of model.lanes) {
    const laneTop = top;
    const inLane = gridded.filter((n) => laneOf(n) === role);
    for (const y of [...new Set(inLane.map((n) => centre(n).y))].sort((a, b) => a - b)) {
      const row = inLane.filter((n) => centre(n).y === y);
      for (const n of row) place(n, { x: centre(n).x - left + x0, y: top + ROW_HEIGHT / 2 });
      top += ROW_HEIGHT + Math.max(0, ...row.map((n) => timersOf(n).length * TIMER_LABEL.height - (ROW_HEIGHT - SIZES.task.height) / 2 + 10));
    }
    const missed = all.filter((n) => n.kind === 'missed' && laneOf(n) === role);
    missed.forEach((n, i) => {
      const c = { x: x0 + MISSED_SPACING / 2 + i * MISSED_SPACING, y: top + MISSED_ROW / 2 - 20 };
      place(n, c);
      labels.set(n.element.id as string, { x: c.x - MISSED_LABEL.width / 2, y: c.y + SIZES.missed.height / 2 + 6, ...MISSED_LABEL });
    });
    if (missed.length > 0) top += MISSED_ROW;
    if (top === laneTop) top += ROW_HEIGHT;
    laneBounds.set(role, { x: POOL_HEADER, y: laneTop, width: 0, height: top - laneTop });
  }
  for (const host of gridded) {
    const attached = timersOf(host);
    const h = rects.get(host.element.id as string) as Rect;
    attached.forEach((n, i) => {
      place(n, { x: h.x + ((i + 1) * h.width) / (attached.length + 1), y: h.y + h.height });
      labels.set(n.element.id as string, { x: h.x + h.width / 2 - TIMER_LABEL.width / 2, y: h.y + h.height + 22 + i * TIMER_LABEL.height, ...TIMER_LABEL });
    });
  }
  const right = Math.max(...[...rects.values(), ...labels.values()].map((r) => r.x + r.width)) + MARGIN;

  const bounds = (r: Rect) => moddle.create('dc:Bounds', { x: r.x, y: r.y, width: r.width, height: r.height });
  const shapes: ModdleElement[] = [
    moddle.create('bpmndi:BPMNShape', { id: 'participant_di', bpmnElement: model.participant, isHorizontal: true, bounds: bounds({ x: 0, y: 0, width: right, height: top }) }),
    ...model.lanes.map(({ role, element }) => {
      const lane = laneBounds.get(role) as Rect;
      return moddle.create('bpmndi:BPMNShape', { id: `${element.id}_di`, bpmnElement: element, isHorizontal: true, bounds: bounds({ ...lane, width: right - POOL_HEADER }) });
    }),
    ...all.map((n) => {
      const label = labels.get(n.element.id as string);
      return moddle.create('bpmndi:BPMNShape', {
        id: `${n.element.id}_di`,
        bpmnElement: n.element,
        bounds: bounds(rects.get(n.element.id as string) as Rect),
        ...(n.kind === 'gateway' ? { isMarkerVisible: true } : {}),
        ...(label ? { label: moddle.create('bpmndi:BPMNLabel', { bounds: bounds(label) }) } : {}),
      });
    }),
  ];
  let loops = 0;
  const edges = model.flows.map((flow) => {
    const source = nodes.get(flow.sourceRef.id) as Node;
    const s = rects.get(flow.sourceRef.id) as Rect;
    const t = rects.get(flow.targetRef.id) as Rect;
    const backwards = source.kind !== 'boundary' && t.x < s.x + s.width;
    const points = route(s, t, source.kind, backwards ? loops++ : 0);
    return moddle.create('bpmndi:BPMNEdge', { id: `${flow.id}_di`, bpmnElement: flow, waypoint: points.map((p) => moddle.create('dc:Point', { x: p.x, y: p.y })) });
  });

  const plane = moddle.create('bpmndi:BPMNPlane', { id: 'plane', bpmnElement: model.collaboration, planeElement: [...shapes, ...edges] });
  model.definitions.get('rootElements').unshift(model.collaboration);
  model.definitions.set('diagrams', [moddle.create('bpmndi:BPMNDiagram', { id: 'diagram', name: model.process.name, plane })]);
}

/**
 * A flow at right angles: forwards from the right side (a gateway from its top or bottom),
 * backwards over the top of both; from a timer down beside the labels and into the top of the end
 * of its missed deadline.
 */
function route(s: Rect, t: Rect, sourceKind: Kind, loop: number): Point[] {
  const sm = { x: s.x + s.width / 2, y: s.y + s.height / 2 };
  const tm = { x: t.x + t.width / 2, y: t.y + t.height / 2 };
  if (sourceKind === 'boundary') {
    const above = t.y - 20;
    return [{ x: sm.x, y: s.y + s.height }, { x: sm.x, y: above }, { x: tm.x, y: above }, { x: tm.x, y: t.y }];
  }
  if (t.x >= s.x + s.width) {
    if (Math.abs(sm.y - tm.y) < 1) return [{ x: s.x + s.width, y: sm.y }, { x: t.x, y: tm.y }];
    if (sourceKind === 'gateway') return [{ x: sm.x, y: tm.y < sm.y ? s.y : s.y + s.height }, { x: sm.x, y: tm.y }, { x: t.x, y: tm.y }];
    const bend = t.x - 25;
    return [{ x: s.x + s.width, y: sm.y }, { x: bend, y: sm.y }, { x: bend, y: tm.y }, { x: t.x, y: tm.y }];
  }
  const over = Math.min(s.y, t.y) - 20 - 6 * (loop % 4);
  return [{ x: sm.x, y: s.y }, { x: sm.x, y: over }, { x: tm.x, y: over }, { x: tm.x, y: t.y }];
}
