import { auth } from './api';
import { Link, match, navigate, useLocation } from './router';
import { useSession } from './session';
import { Case } from './pages/Case';
import { Cases } from './pages/Cases';
import { Inbox } from './pages/Inbox';
import { NewCase, NewCaseList } from './pages/NewCase';
import { SignIn } from './pages/SignIn';
import { Statistics } from './pages/Statistics';

/** The pages, by address. Each page reads only what the API shows the signed-in person. */
const PAGES: { pattern: string; title: string; render: (params: Record<string, string>) => React.ReactNode }[] = [
  { pattern: '/', title: 'Indbakke', render: () => <Inbox /> },
  { pattern: '/sager', title: 'Sager', render: () => <Cases /> },
  { pattern: '/sager/:id', title: 'Sag', render: (p) => <Case key={p.id} id={p.id} /> },
  { pattern: '/ny', title: 'Ny sag', render: () => <NewCaseList /> },
  { pattern: '/ny/:process', title: 'Ny sag', render: (p) => <NewCase key={p.process} process={p.process} /> },
  { pattern: '/statistik', title: 'Statistik', render: () => <Statistics /> },
];

const NAVIGATION = [
  { to: '/', label: 'Indbakke' },
  { to: '/sager', label: 'Sager' },
  { to: '/ny', label: 'Ny sag' },
  { to: '/statistik', label: 'Statistik' },
];

export function App() {
  const { session, refresh } = useSession();
  const { path } = useLocation();
  if (!session) return <p className="container page-container" aria-busy="true">Indlæser …</p>;
  if (!session.person) return <SignIn />;
  const person = session.person;
  const page = PAGES.map((p) => ({ ...p, params: match(p.pattern, path) })).find((p) => p.params);
  const signOut = async () => {
    await auth.post('/sign-out');
    await refresh();
    navigate('/');
  };
  return (
    <>
      <a className="skipnav" href="#main">Gå til sidens indhold</a>
      <header className="header">
        <div className="portal-header">
          <div className="container app-header">
            <Link to="/" className="app-logo">BUF Sagsflow</Link>
            <div className="app-person">
              <p className="user">
                <strong>{person.name}</strong>
              </p>
              <button type="button" className="button button-secondary" onClick={() => void signOut()}>Log ud</button>
            </div>
          </div>
        </div>
        <nav className="navigation-menu" aria-label="Hovedmenu">
          <div className="container">
            <ul className="mainmenu">
              {NAVIGATION.map((n) => (
                <li key={n.to} className={path === n.to ? 'current' : undefined}>
                  <Link to={n.to} className="nav-link" aria-current={path === n.to ? 'page' : undefined}>
                    <span>{n.label}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        </nav>
      </header>
      <main id="main" className="container page-container">
        {page ? page.render(page.params ?? {}) : (
          <>
            <h1>Siden findes ikke</h1>
            <p>
              <Link to="/">Til forsiden</Link>
            </p>
          </>
        )}
      </main>
    </>
  );
}
