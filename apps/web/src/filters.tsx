import type { ProcessView } from './processes';
import { useSession } from './session';

/** The process filter of a list (Sager, Indbakke, Statistik): all processes, or one. `invalid`: the API refused it. */
export function ProcessFilter({ id, value, processes, onChange, invalid = false }: { id: string; value: string; processes: ProcessView[] | undefined; onChange: (process: string) => void; invalid?: boolean }) {
  return (
    <div className={`form-group${invalid ? ' form-error' : ''}`}>
      <label className="form-label" htmlFor={id}>Proces</label>
      <select className="form-select" id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Alle processer</option>
        {processes?.map((p) => <option key={p.name} value={p.name}>{p.label}</option>)}
      </select>
    </div>
  );
}

/** The area filter of a list: all areas, or one of the configured areas (as the session lists them). */
export function AreaFilter({ id, value, onChange }: { id: string; value: string; onChange: (area: string) => void }) {
  const areas = useSession().session?.areas ?? [];
  return (
    <div className="form-group">
      <label className="form-label" htmlFor={id}>Område</label>
      <select className="form-select" id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Alle områder</option>
        {areas.map((a) => <option key={a} value={a}>{a}</option>)}
      </select>
    </div>
  );
}

/** A refusal or failure said at the top of a page. */
export function ProblemAlert({ problem }: { problem: string | undefined }) {
  return problem ? <div className="alert alert-error" role="alert"><div className="alert-body"><p className="alert-text">{problem}</p></div></div> : null;
}

/** Only the cases with a missed deadline whose obligation is still outstanding. */
export function OverdueFilter({ id, checked, onChange }: { id: string; checked: boolean; onChange: (overdue: boolean) => void }) {
  return (
    <div className="form-group-checkbox">
      <input className="form-checkbox" type="checkbox" id={id} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label className="form-label" htmlFor={id}>Kun overskredne</label>
    </div>
  );
}
