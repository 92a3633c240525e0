import { useEffect, useState } from 'react';
import { ApiError, api } from '../api';
import { AreaFilter, OverdueFilter, ProblemAlert, ProcessFilter } from '../filters';
import { dateTime } from '../format';
import { type ProcessView, stepLabel, useProcesses } from '../processes';
import { Link } from '../router';

interface InboxItem {
  id: string;
  caseNumber: string;
  process: string;
  step: string;
  area?: string;
  overdue: boolean;
  nextDeadline?: { name: string; label: string; dueAt: string; state: 'pending' | 'missed' };
  expected: { action: string; label: string }[];
}

interface InboxView {
  actionable: InboxItem[];
  following: InboxItem[];
  complete: boolean;
  areas: string[];
}

/**
 * Indbakke: the open cases where the signed-in person can act now, by the nearest deadline, and
 * the open cases they follow (opened by them, or assigned to them), as GET /api/v1/inbox says.
 */
export function Inbox() {
  const processes = useProcesses();
  const [filter, setFilter] = useState({ process: '', area: '', overdue: false });
  const [inbox, setInbox] = useState<InboxView>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const query = new URLSearchParams({ ...(filter.process ? { process: filter.process } : {}), ...(filter.area ? { area: filter.area } : {}), ...(filter.overdue ? { overdue: 'true' } : {}) });
    let live = true;
    api.get<InboxView>(`/inbox?${query}`).then(
      (view) => {
        if (!live) return;
        setInbox(view);
        setProblem(undefined);
      },
      (err: unknown) => live && setProblem(err instanceof ApiError ? `Indbakken kunne ikke hentes (${err.status}).` : 'Indbakken kunne ikke hentes.'),
    );
    return () => {
      live = false;
    };
  }, [filter]);
  const filtered = filter.process !== '' || filter.area !== '' || filter.overdue;
  return (
    <>
      <h1>Indbakke</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filtrér indbakken">
        <ProcessFilter id="inbox-process" value={filter.process} processes={processes} onChange={(process) => setFilter({ ...filter, process })} />
        <AreaFilter id="inbox-area" value={filter.area} onChange={(area) => setFilter({ ...filter, area })} />
        <OverdueFilter id="inbox-overdue" checked={filter.overdue} onChange={(overdue) => setFilter({ ...filter, overdue })} />
      </form>
      <ProblemAlert problem={problem} />
      {inbox && !inbox.complete && (
        <div className="alert alert-warning"><div className="alert-body"><p className="alert-text">Der er flere sager, end indbakken viser. Brug filtrene for at se dem.</p></div></div>
      )}
      {inbox && (
        <>
          <InboxSection
            id="kraever-handling"
            title="Kræver handling"
            items={inbox.actionable}
            processes={processes}
            empty={filtered ? 'Ingen sager, der kræver handling fra dig, passer til filtrene.' : 'Ingen sager kræver handling fra dig lige nu.'}
          />
          <InboxSection
            id="sager-du-foelger"
            title="Sager du følger"
            items={inbox.following}
            processes={processes}
            empty={filtered ? 'Ingen sager, du følger, passer til filtrene.' : 'Du følger ingen åbne sager. Her vises de sager, du har oprettet eller er tildelt.'}
          />
        </>
      )}
    </>
  );
}

function InboxSection({ id, title, items, processes, empty }: { id: string; title: string; items: InboxItem[]; processes: ProcessView[] | undefined; empty: string }) {
  const processOf = (name: string) => processes?.find((p) => p.name === name);
  return (
    <section aria-labelledby={id} className="inbox-section">
      <h2 id={id}>{title}</h2>
      {items.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <div className="table--responsive-scroll">
          <table className="table table--zebra">
            <caption>{items.length === 1 ? '1 sag' : `${items.length} sager`}</caption>
            <thead>
              <tr>
                <th scope="col">Sagsnummer</th>
                <th scope="col">Proces</th>
                <th scope="col">Trin</th>
                <th scope="col">Område</th>
                <th scope="col">Næste frist</th>
                <th scope="col">Hvad der forventes af dig</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td><Link to={`/sager/${encodeURIComponent(c.id)}`}>{c.caseNumber}</Link></td>
                  <td>{processOf(c.process)?.label ?? c.process}</td>
                  <td>{stepLabel(processOf(c.process), c.step)}</td>
                  <td>{c.area ?? '–'}</td>
                  <td><Deadline item={c} /></td>
                  <td>{c.expected.length > 0 ? c.expected.map((a) => a.label).join(', ') : 'Intet lige nu'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The nearest deadline, in Copenhagen time; an overdue one is said in words and marked, not only coloured. */
function Deadline({ item }: { item: InboxItem }) {
  const d = item.nextDeadline;
  const overdue = item.overdue || d?.state === 'missed';
  return (
    <>
      {d ? (
        <>
          <span className="inbox-deadline-label">{d.label}</span>
          <br />
          {d.state === 'missed' ? 'Var senest ' : 'Senest '}
          <time dateTime={d.dueAt}>{dateTime(d.dueAt)}</time>
        </>
      ) : (
        'Ingen frist'
      )}
      {overdue && (
        <>
          {' '}
          <strong className="badge overdue-badge">Overskredet</strong>
        </>
      )}
    </>
  );
}
