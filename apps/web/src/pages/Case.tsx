import { useCallback, useEffect, useRef, useState } from 'react';
import { ProblemAlert } from '../filters';
import '../case/case.css';
import { ApiError, api } from '../api';
import { ProcessDiagram } from '../case/ProcessDiagram';
import { SchemaForm } from '../forms/SchemaForm';
import { date, dateTime } from '../format';
import { type ProcessView, actionLabel, fieldLabel, stepLabel, useProcesses } from '../processes';
import { type Refusal, refusalInDanish } from '../refusals';
import { Link } from '../router';
import type { CaseSummary } from './Cases';
import { usePerson, useSession } from '../session';

export interface CaseView extends CaseSummary {
  closedAt?: string;
  deadlines: { name: string; dueAt: string; state: 'pending' | 'met' | 'missed'; settledAt?: string; from?: string; basis?: string; explanation?: string }[];
  allowedActions: string[];
  journal: { seq: number; at: string; actor: { sub: string; name: string }; action: string; note?: string }[];
  data: Record<string, unknown>;
}

const DEADLINE_STATE = { pending: 'Afventer', met: 'Overholdt', missed: 'Overskredet' } as const;

/** Entries the workflows write themselves (not actions of a definition), as staff read them. */
const JOURNAL_ENTRIES: Record<string, string> = {
  opened: 'Sag oprettet',
  reopened: 'Sagen genoptaget',
  reminder: 'Påmindelse',
  'deadline-missed': 'Frist overskredet',
  closed: 'Sagen afsluttet',
};

/**
 * One case as the API shows it to the person: what it is and where it stands, its deadlines,
 * its own data, the journal, the process with the current step marked, and a form for each
 * action the person may take now.
 */
export function Case({ id }: { id: string }) {
  const processes = useProcesses();
  const person = usePerson();
  const { session } = useSession();
  const [found, setFound] = useState<CaseView>();
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const doneRef = useRef<HTMLDivElement>(null);
  const [refused, setRefused] = useState<Refusal>();
  const refusedRef = useRef<HTMLDivElement>(null);
  const load = useCallback(async () => {
    try {
      setFound(await api.get<CaseView>(`/cases/${encodeURIComponent(id)}`));
      setProblem(undefined);
    } catch (err) {
      setProblem(err instanceof ApiError && err.status === 404 ? 'Sagen findes ikke, eller du har ikke adgang til den.' : 'Sagen kunne ikke hentes.');
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  useEffect(() => {
    if (refused) refusedRef.current?.focus();
  }, [refused]);

  if (problem) {
    return (
      <>
        <h1>Sag</h1>
        <ProblemAlert problem={problem} />
        <p><Link to="/sager">Til sagerne</Link></p>
      </>
    );
  }
  const process = processes?.find((p) => p.name === found?.process);
  if (!found || !process) return <p aria-busy="true">Indlæser sagen …</p>;
  const c = found;
  const deadlineLabel = (name: string) => process.deadlines.find((d) => d.name === name)?.label ?? name;
  const areas = session?.areas ?? [];
  const temporalUi = session?.temporalUi;

  const act = async (action: string, payload: Record<string, unknown>) => {
    const updated = await api.post<CaseView>(`/cases/${encodeURIComponent(c.id)}/actions/${encodeURIComponent(action)}`, payload);
    setFound(updated);
    setRefused(undefined);
    setDone(`«${actionLabel(process, action)}» er registreret. Sagen er nu i trinnet «${stepLabel(process, updated.step)}».`);
  };

  /** Refused because of where the case stands or who asks (409, 403, 404): said at the top, and the page shows the case as it is now. */
  const refusedByCase = (err: unknown): boolean => {
    if (!(err instanceof ApiError) || ![403, 404, 409].includes(err.status)) return false;
    setDone(undefined);
    setRefused(refusalInDanish(err, { process, areas }));
    void load();
    return true;
  };

  return (
    <>
      <p className="breadcrumbs-simple"><Link to="/sager">Sager</Link></p>
      <h1>{process.label} {c.caseNumber}</h1>
      {refused && (
        <div className="alert alert-error" role="alert" tabIndex={-1} ref={refusedRef} id="case-problem">
          <div className="alert-body">
            <p className="alert-heading">{refused.title}</p>
            {refused.detail && <p className="alert-text">Besked fra systemet: {refused.detail}</p>}
          </div>
        </div>
      )}
      {done && (
        <div className="alert alert-success" role="status" tabIndex={-1} ref={doneRef}>
          <div className="alert-body"><p className="alert-text">{done}</p></div>
        </div>
      )}
      <dl className="case-facts">
        <dt>Proces</dt><dd>{process.label}</dd>
        <dt>Trin</dt><dd data-testid="case-step">{stepLabel(process, c.step)}</dd>
        <dt>Status</dt><dd>{c.status === 'open' ? 'Åben' : 'Afsluttet'}{c.overdue && <span className="overdue"> – frist overskredet</span>}</dd>
        {c.area && (<><dt>Område</dt><dd>{c.area}</dd></>)}
        <dt>Oprettet</dt><dd>{dateTime(c.openedAt)}</dd>
        {c.closedAt && (<><dt>Afsluttet</dt><dd>{dateTime(c.closedAt)}</dd></>)}
      </dl>
      {temporalUi && (
        <p>
          <a href={`${temporalUi.url}/namespaces/${encodeURIComponent(temporalUi.namespace)}/workflows/${encodeURIComponent(c.id)}`} target="_blank" rel="noreferrer">
            Se sagens forløb i Temporal UI<span className="sr-only"> (åbner i et nyt vindue)</span>
          </a>
        </p>
      )}

      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">Det kan du gøre nu</h2>
        {c.allowedActions.length === 0 && <p>Du kan ikke foretage dig noget på sagen i dette trin.</p>}
        {c.allowedActions.map((name) => {
          const action = process.actions.find((a) => a.name === name);
          if (!action) return null;
          return (
            <section key={`${name}-${c.journal.length}`} className="case-action" aria-labelledby={`action-${name}-title`}>
              <h3 id={`action-${name}-title`}>{action.label}</h3>
              <SchemaForm
                id={`action-${name}`}
                schema={action.input}
                submitLabel={action.label}
                areas={areas}
                {...(person.area ? { personArea: person.area } : {})}
                onSubmit={(payload) => act(name, payload)}
                refusal={(err, sent) => refusalInDanish(err, { schema: action.input, sent, process, areas })}
                onRefused={refusedByCase}
              />
            </section>
          );
        })}
      </section>

      <ProcessDiagram
        process={process}
        step={c.step}
        status={c.status}
        journal={c.journal}
        missedDeadlines={c.deadlines.filter((d) => d.state === 'missed').map((d) => ({ name: d.name, label: deadlineLabel(d.name) }))}
      />

      <section aria-labelledby="deadlines-heading">
        <h2 id="deadlines-heading">Frister</h2>
        {c.deadlines.length === 0 ? <p>Sagen har ingen frister nu.</p> : (
          <table className="table table--zebra">
            <thead>
              <tr>
                <th scope="col">Frist</th>
                <th scope="col">Status</th>
                <th scope="col">Senest</th>
                <th scope="col">Retsgrundlag</th>
                <th scope="col">Sådan er fristen beregnet</th>
              </tr>
            </thead>
            <tbody>
              {c.deadlines.map((d) => (
                <tr key={d.name} data-deadline={d.name}>
                  <td>{deadlineLabel(d.name)}</td>
                  <td className={d.state === 'missed' ? 'overdue' : undefined}>{DEADLINE_STATE[d.state]}{d.settledAt && d.state !== 'pending' ? ` ${dateTime(d.settledAt)}` : ''}</td>
                  <td>{dateTime(d.dueAt)}</td>
                  <td>{d.basis ?? process.deadlines.find((x) => x.name === d.name)?.legalBasis ?? ''}</td>
                  <td>{d.explanation ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="data-heading">
        <h2 id="data-heading">Oplysninger</h2>
        <DataList data={c.data} process={process} />
      </section>

      <section aria-labelledby="journal-heading">
        <h2 id="journal-heading">Journal</h2>
        <table className="table table--zebra">
          <thead>
            <tr>
              <th scope="col">Tidspunkt</th>
              <th scope="col">Hvem</th>
              <th scope="col">Hvad</th>
              <th scope="col">Bemærkning</th>
            </tr>
          </thead>
          <tbody>
            {c.journal.map((e) => (
              <tr key={e.seq}>
                <td>{dateTime(e.at)}</td>
                <td>{e.actor.name}</td>
                <td>{JOURNAL_ENTRIES[e.action] ?? actionLabel(process, e.action)}</td>
                <td>{e.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

/**
 * The words of the case data that no input field names (what the workflows keep: rounds, lists of
 * entries, their times). A field an input names takes its label from the definitions.
 */
const DATA_WORDS: Record<string, string> = {
  at: 'Tidspunkt',
  round: 'Runde',
  note: 'Bemærkning',
  comment: 'Bemærkning',
  by: 'Af',
  submittedBy: 'Indsendt af',
  draft: 'Udkast',
  draftApproved: 'Udkast godkendt',
  replies: 'Svar',
  sentAt: 'Sendt',
  briefings: 'Forelæggelser for direktionen',
  brgResponses: 'Svar fra BRG',
  returnComments: 'Returneret med bemærkninger',
  closeReason: 'Begrundelse for afslutning',
  closeNote: 'Bemærkning ved afslutning',
  closedAutomatically: 'Afsluttet automatisk',
  identityProvided: 'Whistleblowerens identitet videregivet',
  triage: 'Visitering',
  risk: 'Risiko',
  reassessments: 'Risiko revurderet',
  authorityNotification: 'Anmeldelse til Datatilsynet',
  subjectNotice: 'Underretning af de registrerede',
  supplements: 'Suppleringer',
  decision: 'Afgørelse',
  decisions: 'Afgørelser',
  decidedAt: 'Afgjort',
  dueAt: 'Frist',
  completions: 'Gennemførelser',
  approvals: 'Godkendelser',
  reviews: 'Statusvurderinger',
  loggedActions: 'Registrerede indsatser',
  kind: 'Art',
  summary: 'Resumé',
  documentRef: 'Dokumentreference',
  reference: 'Reference',
};

/**
 * The label of a field of the case data: at the top, from the definitions where an input names
 * it, else the word above; within an entry (a draft, a reply), the plain word first, as the same
 * name (summary, documentRef) means a different input there.
 */
const dataLabel = (process: ProcessView, field: string, nested: boolean): string => {
  const named = fieldLabel(process, field);
  if (nested) return DATA_WORDS[field] ?? named;
  return named !== field ? named : (DATA_WORDS[field] ?? field);
};

/** The case data in the order the definition asks for it: the start form's fields first, then the actions', then the rest. */
function inDefinitionOrder(process: ProcessView, data: Record<string, unknown>): [string, unknown][] {
  const order = [...new Set([...Object.keys(process.startInput), ...process.actions.flatMap((a) => Object.keys(a.input))])];
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(data).sort(([a], [b]) => rank(a) - rank(b));
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A value of the case's data as a person reads it: instants in Danish notation, yes/no, lists and records nested. */
function Value({ value, process, field }: { value: unknown; process: ProcessView; field: string }) {
  if (value === null || value === undefined || value === '') return <>–</>;
  if (typeof value === 'boolean') return <>{value ? 'Ja' : 'Nej'}</>;
  if (typeof value === 'string') {
    if (INSTANT.test(value)) return <>{dateTime(value)}</>;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return <>{date(value)}</>;
    return <>{valueLabel(process, field, value)}</>;
  }
  if (typeof value === 'number') return <>{value}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>–</>;
    return (
      <ul className="data-list">
        {value.map((v, i) => <li key={i}><Value value={v} process={process} field={field} /></li>)}
      </ul>
    );
  }
  return <DataList data={value as Record<string, unknown>} process={process} nested />;
}

/** A named value's Danish label where the definition gives one for this field. */
function valueLabel(process: ProcessView, field: string, value: string): string {
  for (const schema of [process.startInput, ...process.actions.map((a) => a.input)]) {
    const label = schema[field]?.valueLabels?.[value];
    if (label) return label;
  }
  return value;
}

function DataList({ data, process, nested = false }: { data: Record<string, unknown>; process: ProcessView; nested?: boolean }) {
  const entries = inDefinitionOrder(process, data);
  if (entries.length === 0) return <p>–</p>;
  return (
    <dl className="case-data">
      {entries.map(([field, value]) => (
        <div key={field} className="case-data-row">
          <dt>{dataLabel(process, field, nested)}</dt>
          <dd><Value value={value} process={process} field={field} /></dd>
        </div>
      ))}
    </dl>
  );
}
