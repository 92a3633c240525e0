import type { ProcessDefinition } from './process-definition';

/**
 * A process definition drawn as BPMN 2.0 XML: one user task per step, one sequence flow per
 * action and target step, a start event into the initial step and an end event after each
 * terminal step. Deadlines appear as documentation of the process. Layout is left to the tool
 * that opens it (no diagram interchange section).
 */
export function toBpmn(definition: ProcessDefinition): string {
  const id = (s: string) => `_${s.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const lines: string[] = [];
  const flows: string[] = [];
  let n = 0;
  const flow = (from: string, to: string, name?: string) => {
    n += 1;
    flows.push(`    <bpmn:sequenceFlow id="flow_${n}" sourceRef="${from}" targetRef="${to}"${name ? ` name="${xml(name)}"` : ''} />`);
  };

  lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  lines.push('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs' + id(definition.name) + '" targetNamespace="urn:buf:case-workflows">');
  lines.push(`  <bpmn:process id="process${id(definition.name)}" name="${xml(definition.label)}" isExecutable="false">`);
  lines.push(`    <bpmn:documentation>${xml(definition.description)}</bpmn:documentation>`);
  for (const d of definition.deadlines) {
    lines.push(`    <bpmn:documentation>Frist ${xml(d.name)} (${xml(d.label)}): ${xml(d.description)}</bpmn:documentation>`);
  }
  lines.push('    <bpmn:startEvent id="start" name="Sag oprettet" />');
  flow('start', `step${id(definition.initialStep)}`);
  for (const step of definition.steps) {
    const stepId = `step${id(step.name)}`;
    if (step.terminal) {
      lines.push(`    <bpmn:endEvent id="${stepId}" name="${xml(step.label)}" />`);
      continue;
    }
    lines.push(`    <bpmn:userTask id="${stepId}" name="${xml(step.label)}" />`);
  }
  for (const action of definition.actions) {
    for (const from of action.steps) {
      const targets = action.leadsTo.length > 0 ? action.leadsTo : [from];
      for (const to of targets) flow(`step${id(from)}`, `step${id(to)}`, action.name);
    }
  }
  lines.push(...flows);
  lines.push('  </bpmn:process>');
  lines.push('</bpmn:definitions>');
  return `${lines.join('\n')}\n`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
