import { toBpmn } from './bpmn';
import { PROCESS_DEFINITIONS } from './processes';

describe('BPMN export', () => {
  it.each(PROCESS_DEFINITIONS.map((p) => [p.name, p] as const))('given %s, when it is exported, then every step is a node and every action a flow between existing nodes', (_name, definition) => {
    const xml = toBpmn(definition);
    const nodeIds = new Set([...xml.matchAll(/<bpmn:(?:userTask|endEvent|startEvent) id="([^"]+)"/g)].map((m) => m[1]));
    expect(nodeIds.size).toBe(definition.steps.length + 1);
    const flows = [...xml.matchAll(/sourceRef="([^"]+)" targetRef="([^"]+)"(?: name="([^"]+)")?/g)];
    for (const [, from, to] of flows) {
      expect(nodeIds).toContain(from);
      expect(nodeIds).toContain(to);
    }
    const flowNames = new Set(flows.map((f) => f[3]).filter(Boolean));
    expect([...flowNames].sort()).toEqual(definition.actions.map((a) => a.name).sort());
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<bpmn:definitions /);
    expect(xml.trim().endsWith('</bpmn:definitions>')).toBe(true);
  });
});
