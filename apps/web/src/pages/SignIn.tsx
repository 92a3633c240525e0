import { type FormEvent, useState } from 'react';
import { ApiError, auth } from '../api';
import { type SessionView, useSession } from '../session';

/** People to sign in as in the embedded default (one per kind of work the processes know). */
const PEOPLE: { sub: string; name: string; roles: string[]; unit?: string; area?: string; what: string }[] = [
  { sub: 'lise', name: 'Lise Lund', roles: ['ledelsessekretariat'], what: 'Ledelsessekretariatet: modtager whistleblower-sager fra BRG' },
  { sub: 'anders', name: 'Anders Holm', roles: ['arc-lead'], what: 'Leder af ARC: tilknytter jurister' },
  { sub: 'julie', name: 'Julie Krogh', roles: ['jurist'], what: 'Jurist i ARC' },
  { sub: 'sofie', name: 'Sofie Berg', roles: ['caseworker'], unit: 'Skole Nord', area: 'nord', what: 'Sagsbehandler i en enhed' },
  { sub: 'gitte', name: 'Gitte Friis', roles: ['gdpr'], what: 'GDPR-funktionen: behandler brud på persondatasikkerheden' },
  { sub: 'eva', name: 'Eva Nielsen', roles: ['employee'], unit: 'Skole Nord', area: 'nord', what: 'Medarbejder: anmelder brud og klager' },
  { sub: 'karl', name: 'Karl Madsen', roles: ['klageenhed'], what: 'Den Centrale Klageenhed' },
  { sub: 'dorte', name: 'Dorte Vang', roles: ['direktion'], what: 'Direktionen' },
];

const FIELD_LABELS: Record<string, string> = { sub: 'bruger-id', name: 'navn', roles: 'roller', unit: 'enhed', area: 'område' };

/**
 * Sign in. With an identity provider (production): to its sign-in page and back (OIDC
 * authorization code with PKCE). In the embedded default: pick a person and their roles.
 */
export function SignIn() {
  const { session, refresh } = useSession();
  const [chosen, setChosen] = useState(0);
  const [custom, setCustom] = useState<{ sub: string; name: string; roles: string[]; unit: string; area: string }>({ sub: '', name: '', roles: [], unit: '', area: '' });
  const [problem, setProblem] = useState<string>();
  const useCustom = chosen === PEOPLE.length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const person = useCustom
      ? { sub: custom.sub, name: custom.name, roles: custom.roles, ...(custom.unit ? { unit: custom.unit } : {}), ...(custom.area ? { area: custom.area } : {}) }
      : (({ what: _what, ...p }) => p)(PEOPLE[chosen]);
    try {
      await auth.post<SessionView>('/dev', person);
      await refresh();
    } catch (err) {
      setProblem(
        err instanceof ApiError && err.fields.length > 0
          ? `Tjek ${err.fields.map((f) => FIELD_LABELS[f.field] ?? f.field).join(', ')}: bruger-id (bogstaver, tal, . _ @ -), navn og mindst én rolle skal udfyldes.`
          : 'Log ind mislykkedes. Prøv igen.',
      );
    }
  };

  if (session?.signIn.oidc) {
    return (
      <main id="main" className="container page-container">
        <h1>Log ind</h1>
        <p>Log ind med din kommunale bruger.</p>
        <a className="button button-primary" href="/auth/login">
          Log ind
        </a>
      </main>
    );
  }
  if (!session?.signIn.dev) {
    return (
      <main id="main" className="container page-container">
        <h1>Log ind</h1>
        <p>Der er ikke sat et login op for denne installation.</p>
      </main>
    );
  }
  const toggleRole = (role: string) =>
    setCustom((c) => ({ ...c, roles: c.roles.includes(role) ? c.roles.filter((r) => r !== role) : [...c.roles, role] }));
  return (
    <main id="main" className="container page-container">
      <h1>Log ind (udviklingsmiljø)</h1>
      <p>Vælg, hvem du vil være. Denne indgang findes kun i udviklingsmiljøet; i drift logger man ind med sin kommunale bruger.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend className="h3">Person</legend>
          {[...PEOPLE, undefined].map((p, i) => (
            <div className="form-group-radio" key={p?.sub ?? 'custom'}>
              <input className="form-radio" type="radio" name="person" id={`person-${i}`} checked={chosen === i} onChange={() => setChosen(i)} />
              <label className="form-label" htmlFor={`person-${i}`}>
                {p ? `${p.name} – ${p.what}` : 'En anden person og andre roller'}
              </label>
            </div>
          ))}
        </fieldset>
        {useCustom && (
          <fieldset>
            <legend className="h3">Anden person</legend>
            <div className="form-group">
              <label className="form-label" htmlFor="sub">Bruger-id</label>
              <input className="form-input" id="sub" value={custom.sub} onChange={(e) => setCustom({ ...custom, sub: e.target.value })} />
            </div>
            <div className="form-group">
              <label className="form-label" htmlFor="name">Navn</label>
              <input className="form-input" id="name" value={custom.name} onChange={(e) => setCustom({ ...custom, name: e.target.value })} />
            </div>
            <fieldset>
              <legend className="form-label">Roller</legend>
              {(session.dev?.roles ?? []).map(({ role, label }) => (
                <div className="form-group-checkbox" key={role}>
                  <input className="form-checkbox" type="checkbox" id={`role-${role}`} checked={custom.roles.includes(role)} onChange={() => toggleRole(role)} />
                  <label className="form-label" htmlFor={`role-${role}`}>{label}</label>
                </div>
              ))}
            </fieldset>
            <div className="form-group">
              <label className="form-label" htmlFor="unit">Enhed (valgfri)</label>
              <input className="form-input" id="unit" value={custom.unit} onChange={(e) => setCustom({ ...custom, unit: e.target.value })} />
            </div>
            <div className="form-group">
              <label className="form-label" htmlFor="area">Område (valgfrit)</label>
              <select className="form-select" id="area" value={custom.area} onChange={(e) => setCustom({ ...custom, area: e.target.value })}>
                <option value="">Intet område</option>
                {(session.dev?.areas ?? []).map((a) => (
                  <option key={a} value={a}>{a}</option>
                ))}
              </select>
            </div>
          </fieldset>
        )}
        {problem && (
          <div className="alert alert-error" role="alert">
            <div className="alert-body"><p className="alert-text">{problem}</p></div>
          </div>
        )}
        <button className="button button-primary" type="submit">Log ind</button>
      </form>
    </main>
  );
}
