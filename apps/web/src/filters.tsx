import type { ProcessView } from './processes';

/** The process filter of a case list (Sager, Indbakke): all processes, or one. */
export function ProcessFilter({ id, value, processes, onChange }: { id: string; value: string; processes: ProcessView[] | undefined; onChange: (process: string) => void }) {
  return (
    <div className="form-group">
      <label className="form-label" htmlFor={id}>Proces</label>
      <select className="form-select" id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Alle processer</option>
        {processes?.map((p) => <option key={p.name} value={p.name}>{p.label}</option>)}
      </select>
    </div>
  );
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
