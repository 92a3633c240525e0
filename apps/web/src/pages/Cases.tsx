import { useEffect, useState } from 'react';
import { ApiError, api } from '../api';
import { OverdueFilter, ProblemAlert, ProcessFilter } from '../filters';
import { dateTime } from '../format';
import { stepLabel, useProcesses } from '../processes';
import { Link } from '../router';

export interface CaseSummary {
  id: string;
  caseNumber: string;
  process: string;
  step: string;
  status: 'open' | 'closed';
  overdue: boolean;
  area?: string;
  openedAt: string;
  deadlines: { name: string; dueAt: string; state: string }[];
}

/** The cases the signed-in person may read, newest first, with filters. */
export function Cases() {
  const processes = useProcesses();
  const [filter, setFilter] = useState({ process: '', status: 'open', overdue: false });
  const [list, setList] = useState<{ items: CaseSummary[]; total: number }>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const query = new URLSearchParams({ pageSize: '100', ...(filter.process ? { process: filter.process } : {}), ...(filter.status ? { status: filter.status } : {}), ...(filter.overdue ? { overdue: 'true' } : {}) });
    let live = true;
    api.get<{ items: CaseSummary[]; total: number }>(`/cases?${query}`).then(
      (l) => live && (setList(l), setProblem(undefined)),
      (err: unknown) => live && setProblem(err instanceof ApiError ? `Sagerne kunne ikke hentes (${err.status}).` : 'Sagerne kunne ikke hentes.'),
    );
    return () => {
      live = false;
    };
  }, [filter]);
  const processOf = (name: string) => processes?.find((p) => p.name === name);
  return (
    <>
      <h1>Sager</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filtrér sager">
        <ProcessFilter id="filter-process" value={filter.process} processes={processes} onChange={(process) => setFilter({ ...filter, process })} />
        <div className="form-group">
          <label className="form-label" htmlFor="filter-status">Status</label>
          <select className="form-select" id="filter-status" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
            <option value="open">Åbne</option>
            <option value="closed">Afsluttede</option>
            <option value="">Alle</option>
          </select>
        </div>
        <OverdueFilter id="filter-overdue" checked={filter.overdue} onChange={(overdue) => setFilter({ ...filter, overdue })} />
      </form>
      <ProblemAlert problem={problem} />
      {list && list.items.length === 0 && <p>Ingen sager.</p>}
      {list && list.items.length > 0 && (
        <table className="table table--zebra">
          <caption>{list.total} sager</caption>
          <thead>
            <tr>
              <th scope="col">Sagsnummer</th>
              <th scope="col">Proces</th>
              <th scope="col">Trin</th>
              <th scope="col">Område</th>
              <th scope="col">Næste frist</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((c) => {
              const next = c.deadlines.filter((d) => d.state === 'pending').sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
              return (
                <tr key={c.id}>
                  <td><Link to={`/sager/${encodeURIComponent(c.id)}`}>{c.caseNumber}</Link></td>
                  <td>{processOf(c.process)?.label ?? c.process}</td>
                  <td>{stepLabel(processOf(c.process), c.step)}</td>
                  <td>{c.area ?? ''}</td>
                  <td>
                    {next ? dateTime(next.dueAt) : ''}
                    {c.overdue && <span className="overdue"> Overskredet</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
