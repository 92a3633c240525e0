import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROCESS_DEFINITIONS } from '@buf/domain';
import { deadlineElementId, stepElementId } from '@buf/bpmn';
import { chromiumAvailable, launchChromium } from '../support/browser';
import { PROJECT_ROOT } from '../support/paths';
import { type Caller, ServiceUnderTest } from '../support/service';

/** What the last run drew, to look at: .data/test-screenshots/bpmn-<process>.png. */
const SCREENSHOTS = path.join(PROJECT_ROOT, '.data', 'test-screenshots');
const VIEWER = path.join(PROJECT_ROOT, 'node_modules', 'bpmn-js', 'dist', 'bpmn-viewer.production.min.js');

/** What bpmn-js made of one diagram: its import warnings and, per element id asked for, the drawn shape. */
interface Drawn {
  warnings: string[];
  shapes: Record<string, { type: string; width: number; height: number } | null>;
  lanes: number;
}

/**
 * Every process's BPMN, as the running service exports it, drawn by bpmn-js (the viewer of
 * bpmn.io and Camunda Modeler) in Debian's Chromium, off the network: each step, gateway and
 * deadline timer of the XML is a drawn shape.
 */
const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

describeInBrowser('the processes drawn by bpmn-js', () => {
  let service: ServiceUnderTest;
  let browser: Browser;
  let page: Page;
  let reader: Caller;
  const requests: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    service = await ServiceUnderTest.start('bpmn-render');
    reader = await service.as({ sub: 'ls-bpmn', name: 'Lis Læser', roles: ['ledelsessekretariat'] });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 2400, height: 1500 } });
    // No network: the viewer comes from node_modules, the diagram from the test.
    await context.route('**/*', async (route) => {
      requests.push(route.request().url());
      await route.abort();
    });
    page = await context.newPage();
    await page.setContent('<!doctype html><html><body style="margin:0"><div id="canvas" style="width:2400px;height:1500px"></div></body></html>');
    await page.addScriptTag({ content: fs.readFileSync(VIEWER, 'utf8') });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it.each(PROCESS_DEFINITIONS.map((p) => [p.name, p] as const))('given %s, when its BPMN is drawn, then it imports without a warning and every step, gateway and timer has a shape', async (name, definition) => {
    const res = service.expectStatus(await reader.get(`/processes/${name}/bpmn`), 200);
    const xml = String(res.body);
    const idsOf = (tag: string) => [...xml.matchAll(new RegExp(`<bpmn:${tag} id="([^"]+)"`, 'g'))].map((m) => m[1]);
    const ids = [...idsOf('userTask'), ...idsOf('exclusiveGateway'), ...idsOf('boundaryEvent'), ...idsOf('startEvent'), ...idsOf('endEvent')];
    // The XML has what the definition says: every step, and a timer for each deadline.
    for (const step of definition.steps) expect(ids).toContain(stepElementId(step.name));
    for (const deadline of definition.deadlines) expect(ids).toContain(deadlineElementId(deadline.name, (deadline.runsIn ?? definition.steps.filter((s) => !s.terminal).map((s) => s.name))[0]));
    expect(idsOf('exclusiveGateway').length).toBeGreaterThan(0);

    const drawn: Drawn = await page.evaluate(
      async ({ xml, ids }) => {
        const w = globalThis as unknown as { BpmnJS: new (o: object) => any; viewer?: any };
        w.viewer?.destroy();
        w.viewer = new w.BpmnJS({ container: '#canvas' });
        const { warnings } = await w.viewer.importXML(xml);
        w.viewer.get('canvas').zoom('fit-viewport');
        const registry = w.viewer.get('elementRegistry');
        const shapes: Drawn['shapes'] = {};
        for (const id of ids) {
          const element = registry.get(id);
          const gfx = element && registry.getGraphics(element);
          const box = gfx?.getBBox();
          shapes[id] = element && gfx?.isConnected ? { type: element.type, width: box.width, height: box.height } : null;
        }
        return { warnings: warnings.map((x: { message: string }) => x.message), shapes, lanes: registry.filter((e: { type: string }) => e.type === 'bpmn:Lane').length };
      },
      { xml, ids },
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, `bpmn-${name}.png`) });

    expect(drawn.warnings).toEqual([]);
    const missing = ids.filter((id) => !drawn.shapes[id] || drawn.shapes[id].width <= 0 || drawn.shapes[id].height <= 0);
    expect(missing).toEqual([]);
    for (const id of idsOf('boundaryEvent')) expect(drawn.shapes[id]?.type).toBe('bpmn:BoundaryEvent');
    for (const id of idsOf('exclusiveGateway')) expect(drawn.shapes[id]?.type).toBe('bpmn:ExclusiveGateway');
    expect(drawn.lanes).toBe(idsOf('lane').length);
    expect(drawn.lanes).toBeGreaterThan(0);
    expect(requests).toEqual([]);
  });
});
