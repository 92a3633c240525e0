import * as fs from 'node:fs';
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { DEFAULT_POLICY, PROCESS_DEFINITIONS, type ProcessDefinition, ROLE_LABELS, describeBasis, describeRule, findProcess } from '@buf/domain';
import { WORKFLOW_BUNDLE_FILE } from '../../../test/support/paths';
import { deadlineElementId, gatewayElementId, missedDeadlineElementId, remindedElementId, reminderElementId, stepElementId, toBpmn } from '.';

/** The export of a process, read back with bpmn-moddle as a tool reads it. */
async function exported(definition: ProcessDefinition) {
  const xml = await toBpmn(definition, DEFAULT_POLICY);
  const parsed = await new BpmnModdle().fromXML(xml);
  const byId = (id: string): ModdleElement => {
    const element = parsed.elementsById[id];
    if (!element) throw new Error(`${definition.name}: no element ${id}`);
    return element;
  };
  const process = (parsed.rootElement.rootElements as ModdleElement[]).find((e) => e.$type === 'bpmn:Process') as ModdleElement;
  const elements = process.flowElements as ModdleElement[];
  const flows = elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
  const flowNodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow');
  const outgoing = (id: string) => flows.filter((f) => f.sourceRef.id === id);
  return { xml, parsed, byId, process, flows, flowNodes, outgoing };
}

const steps = (d: ProcessDefinition) => d.steps.filter((s) => !s.terminal);
/** The steps a step's actions lead to, the step itself for an action that does not move the case: read from the definition. */
const targetsOf = (d: ProcessDefinition, step: string) =>
  new Set(d.actions.filter((a) => a.steps.includes(step)).flatMap((a) => (a.leadsTo.length > 0 ? [...a.leadsTo] : [step])));
const cases = PROCESS_DEFINITIONS.map((p) => [p.name, p] as const);

describe('BPMN export', () => {
  it.each(cases)('given %s, when it is exported, then bpmn-moddle reads it without a warning and it has a shape for every flow node and an edge for every flow', async (_name, definition) => {
    const { parsed, flows, flowNodes, process } = await exported(definition);
    expect(parsed.warnings.map((w) => w.message)).toEqual([]);
    const diagrams = parsed.rootElement.diagrams as ModdleElement[];
    expect(diagrams).toHaveLength(1);
    const planeElements = diagrams[0].plane.planeElement as ModdleElement[];
    const drawn = (type: string) => new Set(planeElements.filter((e) => e.$type === type).map((e) => e.bpmnElement.id as string));
    const shapes = drawn('bpmndi:BPMNShape');
    const edges = drawn('bpmndi:BPMNEdge');
    expect(flowNodes.length).toBeGreaterThan(definition.steps.length);
    for (const node of flowNodes) expect(shapes).toContain(node.id);
    for (const flow of flows) expect(edges).toContain(flow.id);
    for (const lane of process.laneSets[0].lanes as ModdleElement[]) expect(shapes).toContain(lane.id);
    // Every shape has a size and every edge at least two points.
    for (const e of planeElements) {
      if (e.$type === 'bpmndi:BPMNShape') expect(e.bounds.width * e.bounds.height).toBeGreaterThan(0);
      else expect(e.waypoint.length).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(cases)('given %s, when it is exported, then each step is one element named with its Danish label, the case starts in the initial step and terminal steps end it', async (_name, definition) => {
    const { byId, outgoing, flowNodes } = await exported(definition);
    for (const step of definition.steps) {
      const element = byId(stepElementId(step.name));
      expect(element.$type).toBe(step.terminal ? 'bpmn:EndEvent' : 'bpmn:UserTask');
      expect(element.name).toBe(step.label);
      // Who may do what in the step, beyond the one role of its lane.
      for (const action of definition.actions.filter((a) => a.steps.includes(step.name))) {
        expect(element.documentation?.[0]?.text).toContain(`${action.label} (${action.name}): ${action.roles.map((r) => ROLE_LABELS[r]).join(', ').replace(/, ([^,]*)$/, ' og $1')}`);
      }
    }
    expect(outgoing('start').map((f) => f.targetRef.id)).toEqual([stepElementId(definition.initialStep)]);
    expect(flowNodes.filter((n) => n.$type === 'bpmn:UserTask')).toHaveLength(steps(definition).length);
  });

  it.each(cases)('given %s, when it is exported, then a step with several outcomes branches through an exclusive gateway and nothing splits in parallel', async (_name, definition) => {
    const { byId, outgoing, flowNodes } = await exported(definition);
    for (const step of steps(definition)) {
      const targets = targetsOf(definition, step.name);
      const task = stepElementId(step.name);
      if (targets.size > 1 || targets.has(step.name)) {
        const gateway = byId(gatewayElementId(step.name));
        expect(gateway.$type).toBe('bpmn:ExclusiveGateway');
        expect(outgoing(task).map((f) => f.targetRef.id)).toEqual([gateway.id]);
        const branches = outgoing(gateway.id as string);
        expect(new Set(branches.map((f) => f.targetRef.id))).toEqual(new Set([...targets].map(stepElementId)));
        for (const branch of branches) {
          expect(branch.conditionExpression?.body).toBe(`\${nextStep == "${branch.targetRef.id === task ? step.name : definition.steps.find((s) => stepElementId(s.name) === branch.targetRef.id)?.name}"}`);
          expect(branch.name).toBeTruthy();
        }
      } else if (targets.size === 1) {
        expect(outgoing(task).map((f) => f.targetRef.id)).toEqual([stepElementId([...targets][0])]);
      }
    }
    // No element but a gateway has two unconditioned outgoing flows (which BPMN reads as a parallel split).
    for (const node of flowNodes.filter((n) => n.$type !== 'bpmn:ExclusiveGateway')) {
      expect({ node: node.id, unconditioned: outgoing(node.id as string).filter((f) => !f.conditionExpression).length }).toEqual({
        node: node.id,
        unconditioned: Math.min(1, outgoing(node.id as string).length),
      });
    }
  });

  it.each(cases)('given %s, when it is exported, then each deadline is one non-interrupting boundary timer per step it runs in, labelled with its rule and legal basis, leading to who is told', async (_name, definition) => {
    const { byId, flowNodes, outgoing } = await exported(definition);
    const expected = definition.deadlines.flatMap((d) => (d.runsIn ?? steps(definition).map((s) => s.name)).map((step) => [d, step] as const));
    const timers = flowNodes.filter((n) => n.$type === 'bpmn:BoundaryEvent');
    expect(timers.filter((t) => String(t.id).startsWith('deadline_'))).toHaveLength(expected.length);
    // Beside each, a timer for its reminders where it has any: nothing else is attached to a step.
    expect(timers).toHaveLength(expected.length + expected.filter(([d]) => (d.reminders ?? []).length > 0).length);
    for (const [deadline, step] of expected) {
      const timer = byId(deadlineElementId(deadline.name, step));
      expect(timer.$type).toBe('bpmn:BoundaryEvent');
      expect(timer.attachedToRef.id).toBe(stepElementId(step));
      expect(timer.cancelActivity).toBe(false);
      expect(timer.eventDefinitions.map((e: ModdleElement) => e.$type)).toEqual(['bpmn:TimerEventDefinition']);
      expect(timer.name).toContain(deadline.label);
      expect(timer.name).toContain(describeRule(deadline.rule, DEFAULT_POLICY));
      expect(timer.name).toContain(describeBasis(deadline.rule.basis));
      const [missed] = outgoing(timer.id as string).map((f) => f.targetRef);
      expect(missed.id).toBe(missedDeadlineElementId(deadline.name));
      expect(missed.$type).toBe('bpmn:EndEvent');
      for (const role of deadline.escalatesTo) expect(missed.name).toContain(ROLE_LABELS[role]);
      expect((missed.eventDefinitions ?? []).map((e: ModdleElement) => e.$type)).toEqual(deadline.escalatesTo.length > 0 ? ['bpmn:EscalationEventDefinition'] : []);
      if ((deadline.reminders ?? []).length === 0) continue;
      const reminder = byId(reminderElementId(deadline.name, step));
      expect(reminder.attachedToRef.id).toBe(stepElementId(step));
      expect(reminder.cancelActivity).toBe(false);
      expect(reminder.eventDefinitions.map((e: ModdleElement) => e.$type)).toEqual(['bpmn:TimerEventDefinition']);
      const [reminded] = outgoing(reminder.id as string).map((f) => f.targetRef);
      expect(reminded.id).toBe(remindedElementId(deadline.name));
      expect(reminded.eventDefinitions.map((e: ModdleElement) => e.$type)).toEqual(['bpmn:MessageEventDefinition']);
      for (const role of deadline.reminders?.flatMap((r) => r.notify) ?? []) expect(reminded.name).toContain(ROLE_LABELS[role]);
    }
  });

  it.each(cases)('given %s, when it is exported, then every flow node is in exactly one lane, a lane per role, and each step in the lane of a role that acts in it', async (_name, definition) => {
    const { process, flowNodes } = await exported(definition);
    const lanes = process.laneSets[0].lanes as ModdleElement[];
    const laneOf = new Map<string, ModdleElement[]>();
    for (const lane of lanes) for (const node of lane.flowNodeRef as ModdleElement[]) laneOf.set(node.id as string, [...(laneOf.get(node.id as string) ?? []), lane]);
    for (const node of flowNodes) expect({ node: node.id, lanes: laneOf.get(node.id as string)?.length }).toEqual({ node: node.id, lanes: 1 });
    const labels = Object.entries(ROLE_LABELS);
    for (const step of steps(definition)) {
      const [lane] = laneOf.get(stepElementId(step.name)) ?? [];
      const role = labels.find(([, label]) => label.toLowerCase() === String(lane.name).toLowerCase())?.[0];
      const acting = definition.actions.filter((a) => a.steps.includes(step.name)).flatMap((a) => a.roles as readonly string[]);
      expect({ step: step.name, role: acting.includes(role as string) }).toEqual({ step: step.name, role: true });
    }
  });

  it('given the complaint process, when it is exported, then classification branches to handling, the citizen or closing, an acknowledgement loops back, and the deadlines read as the policy sets them', async () => {
    const { byId, outgoing } = await exported(findProcess('complaint') as ProcessDefinition);
    const branches = Object.fromEntries(outgoing('gateway_registered').map((f) => [f.targetRef.id, f.name]));
    expect(branches).toEqual({
      step_handling: 'Klagen kategoriseret',
      step_awaiting_citizen: 'Klagen kategoriseret',
      step_closed: 'Klagen kategoriseret',
      step_registered: 'Kvittering sendt',
    });
    expect(byId('deadline_answer__handling').name).toBe('Svar på klagen: 30 kalenderdage fra modtagelsen, til udgangen af sidste dag – Politik (complaint.answerDays)');
    expect(byId('deadline_answer__handling').eventDefinitions[0].timeDuration.body).toBe('P30D');
    // Working days follow the Danish calendar: no ISO 8601 duration says that.
    expect(byId('deadline_acknowledgement__registered').eventDefinitions[0].timeDuration).toBeUndefined();
    expect(byId('missed_answer').name).toBe('Svar på klagen overskredet: eskaleres til områdechef');
    // The citizen's answer is awaited in one step only; the answer deadline runs from registration to the answer.
    expect(byId('deadline_citizen_clarification__awaiting_citizen').attachedToRef.id).toBe('step_awaiting_citizen');
    expect(() => byId('deadline_citizen_clarification__registered')).toThrow();
    for (const step of ['registered', 'awaiting_citizen', 'handling']) expect(byId(`deadline_answer__${step}`).attachedToRef.id).toBe(`step_${step}`);
  });

  it('given the data-breach process, when it is exported, then the 72-hour deadline is a PT72H timer citing GDPR article 33, with its reminder hours after discovery', async () => {
    const { byId } = await exported(findProcess('data-breach') as ProcessDefinition);
    const timer = byId('deadline_datatilsynet_72h__reported');
    expect(timer.eventDefinitions[0].timeDuration.body).toBe('PT72H');
    expect(timer.name).toMatch(/^Anmeldelse til Datatilsynet.*72 timer fra .*art\. 33/i);
    const reminder = byId('reminder_datatilsynet_72h__reported');
    // The default policy reminds 24 and 48 hours after discovery: two instants, so no single duration.
    expect(reminder.name).toBe('Påmindelse: 24 og 48 timer efter fristens start til GDPR-funktionen');
    expect(reminder.eventDefinitions[0].timeDuration).toBeUndefined();
    expect(byId('reminded_datatilsynet_72h').name).toMatch(/^Påmindelse om .* til GDPR-funktionen$/);
  });

  it('given names that differ only where ids have underscores, when their ids are made, then the deadline and step stay apart', () => {
    expect(stepElementId('awaiting-jurist')).toBe('step_awaiting_jurist');
    expect(gatewayElementId('complaint-received')).toBe('gateway_complaint_received');
    expect(deadlineElementId('processing-time', 'complaint-received')).toBe('deadline_processing_time__complaint_received');
    expect(deadlineElementId('processing-time-complaint', 'received')).toBe('deadline_processing_time_complaint__received');
  });

  it('given the workflow bundle the tests run, when it is read, then the BPMN export and its libraries are not in it', () => {
    const bundle = fs.readFileSync(WORKFLOW_BUNDLE_FILE, 'utf8');
    expect(bundle).toContain('complaintWorkflow');
    for (const absent of ['toBpmn', 'bpmn-moddle', 'bpmn-auto-layout', 'layoutProcess']) expect(bundle).not.toContain(absent);
  });
});
