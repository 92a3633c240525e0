/**
 * The sign-in page of the codec session, read by staff: Danish. The Temporal UI's own labels
 * are quoted in English, as the UI shows them.
 */
export interface SessionPageView {
  /** Who is signed in, if anyone. */
  session?: { name: string; roles: string[]; expiresAt: Date; mayReadContent: boolean };
  /** What went wrong with the last sign-in, if anything. */
  problem?: string;
  /** Where the UI's codec setting must point, e.g. http://127.0.0.1:3000/codec. */
  codecEndpoint: string;
  /** The roles that may read case content. */
  contentRoles: string[];
  /** Dev tokens only: how to make one. */
  devTokenHint: boolean;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const copenhagenTime = new Intl.DateTimeFormat('da-DK', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Copenhagen' });

export function renderSessionPage(view: SessionPageView): string {
  const e = escapeHtml;
  const status = view.session
    ? `<p class="ok" data-testid="session-status">Du er logget ind som <strong>${e(view.session.name)}</strong> (${e(view.session.roles.join(', '))}).
         Sessionen udløber ${e(copenhagenTime.format(view.session.expiresAt))}.</p>
       ${view.session.mayReadContent ? '' : `<p class="problem">Din rolle giver ikke adgang til sagsindhold.</p>`}
       <form method="post" action="/codec/session/logout"><button type="submit">Log ud</button></form>`
    : `<p data-testid="session-status">Du er ikke logget ind. Temporal UI viser sagernes tilstand, men ikke deres indhold.</p>`;
  const problem = view.problem ? `<p class="problem" role="alert" data-testid="session-problem">${e(view.problem)}</p>` : '';
  const hint = view.devTokenHint
    ? `<p class="hint">Udviklingsmiljø: lav et token med <code>npm run --silent token -- --sub s1 --name "Navn" --roles ledelsessekretariat</code>.</p>`
    : '';
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>Sagsindhold i Temporal UI</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
  textarea { width: 100%; font-family: monospace; }
  .ok { color: #14532d; } .problem { color: #991b1b; } .hint { color: #555; font-size: 0.9rem; }
  ol li { margin-bottom: 0.3rem; }
</style>
</head>
<body>
<h1>Sagsindhold i Temporal UI</h1>
<p>Sagernes indhold er krypteret i Temporal. Temporal UI kan kun vise det for personer med en af rollerne
${e(view.contentRoles.join(', '))}, der er logget ind her.</p>
${problem}
${status}
<h2>Log ind</h2>
<form method="post" action="/codec/session">
  <label for="token">Adgangstoken</label>
  <textarea id="token" name="token" rows="5" required></textarea>
  <p><button type="submit">Log ind</button></p>
</form>
${hint}
<h2>Indstil Temporal UI (én gang pr. browser)</h2>
<ol>
  <li>Åbn Temporal UI og vælg <em>Codec Server</em> (ikonet øverst på siden).</li>
  <li>Vælg <em>Use my browser setting and ignore Cluster-level setting</em>.</li>
  <li>Skriv <code>${e(view.codecEndpoint)}</code> som endpoint.</li>
  <li>Sæt flueben ved <em>Include cross-origin credentials</em> og vælg <em>Apply</em>.</li>
</ol>
<p class="hint">Brug samme værtsnavn i begge adresser (fx 127.0.0.1), ellers sender browseren ikke sessionen med.</p>
</body>
</html>
`;
}
