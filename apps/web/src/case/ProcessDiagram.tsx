import { useEffect, useRef, useState } from 'react';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import type { ProcessView } from '../processes';
import { deadlineElementId, stepElementId } from '../../../../libs/bpmn/src/element-ids';
import { stepsPassed } from './steps-passed';

interface Props {
  process: ProcessView;
  step: string;
  status: 'open' | 'closed';
  journal: readonly { action: string }[];
  missedDeadlines: readonly { name: string; label: string }[];
}

interface Registry {
  getAll(): { id: string }[];
}
interface Canvas {
  addMarker(element: string, marker: string): void;
  zoom(level: string): void;
}
interface Overlays {
  add(element: string, overlay: { position: { top?: number; bottom?: number; left?: number; right?: number }; html: string }): void;
}

/**
 * The process of the case: drawn with bpmn-js from `GET /processes/{p}/bpmn` when the BPMN has
 * diagram interchange (a layout), with the current step, the steps passed and the timers of
 * missed deadlines marked; otherwise (a BPMN without a layout cannot be drawn) the steps as an
 * ordered list with the same marks.
 */
export function ProcessDiagram({ process, step, status, journal, missedDeadlines }: Props) {
  const [xml, setXml] = useState<string | null>();
  const passed = stepsPassed(process, journal, step);
  useEffect(() => {
    let live = true;
    fetch(`/api/v1/processes/${encodeURIComponent(process.name)}/bpmn`, { headers: { 'x-requested-with': 'buf-web', accept: 'application/xml' }, credentials: 'same-origin' })
      .then((r) => (r.ok ? r.text() : null))
      .then((text) => live && setXml(text), () => live && setXml(null));
    return () => {
      live = false;
    };
  }, [process.name]);
  const drawable = typeof xml === 'string' && /BPMNDiagram/.test(xml);
  const stateOf = (name: string) => (name === step ? 'current' : passed.has(name) ? 'done' : 'ahead');
  const stateLabel = { current: status === 'closed' ? 'Sagen sluttede her' : 'Sagen er her nu', done: 'Gennemført', ahead: '' } as const;

  return (
    <section aria-labelledby="process-heading">
      <h2 id="process-heading">Forløb</h2>
      {drawable && <Diagram xml={xml} process={process} stateOf={stateOf} missed={missedDeadlines} currentLabel={stateLabel.current} />}
      {!drawable && xml !== undefined && (
        <ol className="process-steps" aria-label="Processens trin">
          {process.steps.map((s) => {
            const state = stateOf(s.name);
            return (
              <li key={s.name} className={`process-step process-step--${state}`} aria-current={state === 'current' ? 'step' : undefined} data-step={s.name} data-state={state}>
                <span className="process-step-label">{s.label}</span>
                {stateLabel[state] && <span className={`badge ${state === 'current' ? 'badge-current' : 'badge-done'}`}>{stateLabel[state]}</span>}
              </li>
            );
          })}
        </ol>
      )}
      {missedDeadlines.length > 0 && (
        <p className="overdue">Overskredne frister: {missedDeadlines.map((d) => d.label).join(', ')}</p>
      )}
    </section>
  );
}

function Diagram({ xml, process, stateOf, missed, currentLabel }: { xml: string; process: ProcessView; stateOf: (step: string) => string; missed: Props['missedDeadlines']; currentLabel: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const marks = process.steps.map((s) => `${s.name}:${stateOf(s.name)}`).join(',') + missed.map((d) => d.name).join(',');
  useEffect(() => {
    let viewer: { importXML(xml: string): Promise<unknown>; get<T>(name: string): T; destroy(): void } | undefined;
    let live = true;
    void (async () => {
      const { default: NavigatedViewer } = await import('bpmn-js/lib/NavigatedViewer');
      if (!live || !container.current) return;
      viewer = new NavigatedViewer({ container: container.current }) as unknown as typeof viewer;
      try {
        await viewer!.importXML(xml);
      } catch {
        if (live) setFailed(true);
        return;
      }
      const canvas = viewer!.get<Canvas>('canvas');
      const overlays = viewer!.get<Overlays>('overlays');
      const ids = new Set(viewer!.get<Registry>('elementRegistry').getAll().map((e) => e.id));
      for (const s of process.steps) {
        const id = stepElementId(s.name);
        const state = stateOf(s.name);
        if (!ids.has(id) || state === 'ahead') continue;
        canvas.addMarker(id, `step-${state}`);
        if (state === 'current') overlays.add(id, { position: { top: -24, left: 0 }, html: `<span class="diagram-note">${currentLabel}</span>` });
      }
      for (const d of missed) {
        // The deadline's timer on each step it runs in (the BPMN export's ids, libs/bpmn).
        for (const id of process.steps.map((s) => deadlineElementId(d.name, s.name)).filter((i) => ids.has(i))) {
          canvas.addMarker(id, 'deadline-missed');
          overlays.add(id, { position: { bottom: -4, left: 0 }, html: '<span class="diagram-note diagram-note--missed">Overskredet</span>' });
        }
      }
      canvas.zoom('fit-viewport');
    })();
    return () => {
      live = false;
      viewer?.destroy();
    };
    // `marks` holds the current step, the steps passed and the missed deadlines in one string.
  }, [xml, marks]);
  if (failed) return <p>Diagrammet kunne ikke tegnes.</p>;
  const done = process.steps.filter((s) => stateOf(s.name) === 'done').map((s) => s.label);
  // A figure (not an image): the drawing can be moved and zoomed by keyboard; the caption says in words what it marks.
  return (
    <figure className="process-figure">
      <div className="process-diagram" ref={container} />
      <figcaption>
        Procesdiagram for {process.label}. {currentLabel}: {process.steps.find((s) => stateOf(s.name) === 'current')?.label ?? ''}.
        {done.length > 0 && ` Gennemført: ${done.join(', ')}.`}
      </figcaption>
    </figure>
  );
}
