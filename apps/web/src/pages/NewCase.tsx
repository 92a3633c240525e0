import '../case/case.css';
import { api } from '../api';
import { SchemaForm } from '../forms/SchemaForm';
import { mayStart, useProcesses } from '../processes';
import { refusalInDanish } from '../refusals';
import { Link, navigate } from '../router';
import { usePerson, useSession } from '../session';

/** `/ny`: the processes the person may start a case of. */
export function NewCaseList() {
  const processes = useProcesses();
  const person = usePerson();
  if (!processes) return <p aria-busy="true">Indlæser …</p>;
  const startable = processes.filter((p) => mayStart(p, person.roles));
  return (
    <>
      <h1>Ny sag</h1>
      {startable.length === 0 ? (
        <p>Du kan ikke oprette sager med dine roller.</p>
      ) : (
        <ul className="nobullet-list new-case-list">
          {startable.map((p) => (
            <li key={p.name}>
              <Link to={`/ny/${encodeURIComponent(p.name)}`}>{p.label}</Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** `/ny/:process`: the start form of one process, generated from its start input; a new case opens its page. */
export function NewCase({ process: name }: { process: string }) {
  const processes = useProcesses();
  const person = usePerson();
  const { session } = useSession();
  if (!processes) return <p aria-busy="true">Indlæser …</p>;
  const process = processes.find((p) => p.name === name);
  if (!process || !mayStart(process, person.roles)) {
    return (
      <>
        <h1>Ny sag</h1>
        <p>Du kan ikke oprette denne slags sag.</p>
        <p><Link to="/ny">Til listen over sager, du kan oprette</Link></p>
      </>
    );
  }
  const areas = session?.areas ?? [];
  const start = async (payload: Record<string, unknown>) => {
    const created = await api.post<{ id: string }>(`/cases/${encodeURIComponent(process.name)}`, payload);
    navigate(`/sager/${encodeURIComponent(created.id)}`);
  };
  return (
    <>
      <p className="breadcrumbs-simple"><Link to="/ny">Ny sag</Link></p>
      <h1 id="start-title">{process.label}</h1>
      <SchemaForm
        id="start"
        schema={process.startInput}
        submitLabel="Opret sag"
        areas={areas}
        {...(person.area ? { personArea: person.area } : {})}
        onSubmit={start}
        refusal={(err, sent) => refusalInDanish(err, { schema: process.startInput, sent, process, areas })}
      />
    </>
  );
}
