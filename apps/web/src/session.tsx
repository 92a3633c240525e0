import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { auth } from './api';

export interface Person {
  sub: string;
  name: string;
  roles: string[];
  unit?: string;
  area?: string;
}

export interface SessionView {
  person: Person | null;
  expiresAt?: string;
  signIn: { dev: boolean; oidc: boolean };
  dev?: { roles: { role: string; label: string }[]; areas: string[] };
  /** The configured areas (every area field's choices), for a signed-in person. */
  areas?: string[];
  /** The Temporal UI, for a person who may read cases there (a codec role) only. */
  temporalUi?: { url: string; namespace: string };
}

interface SessionState {
  session: SessionView | undefined;
  /** Asks the server again (after signing in or out). */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionState>({ session: undefined, refresh: async () => {} });

/** Who is signed in, as the server's session says (the browser holds only the HttpOnly cookie). */
export function SessionProvider({ children }: { children: React.ReactNode }) {
  const [session, setSession] = useState<SessionView>();
  const refresh = useCallback(async () => setSession(await auth.get<SessionView>('/session')), []);
  useEffect(() => {
    void refresh();
    // An answer 401 means the session ended on the server: show the sign-in page.
    const ended = () => void refresh();
    window.addEventListener('buf:signed-out', ended);
    return () => window.removeEventListener('buf:signed-out', ended);
  }, [refresh]);
  return <SessionContext.Provider value={{ session, refresh }}>{children}</SessionContext.Provider>;
}

export const useSession = (): SessionState => useContext(SessionContext);

/** The signed-in person (pages below the sign-in have one). */
export function usePerson(): Person {
  const person = useSession().session?.person;
  if (!person) throw new Error('No one is signed in');
  return person;
}
