import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useState } from 'react';

/**
 * Page addresses without a routing library: the path is the page (`/`, `/sager/<id>`, …), the
 * browser's history moves between them, and the API serves the app's index page for each.
 */
export function navigate(to: string): void {
  if (to === `${location.pathname}${location.search}`) return;
  history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path and query, re-rendering on every move. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [href, setHref] = useState(() => `${location.pathname}${location.search}`);
  useEffect(() => {
    const moved = () => setHref(`${location.pathname}${location.search}`);
    window.addEventListener('popstate', moved);
    return () => window.removeEventListener('popstate', moved);
  }, []);
  const url = new URL(href, location.origin);
  return { path: url.pathname, query: url.searchParams };
}

/** Which pattern the path is, with its `:named` parts: match('/sager/:id', '/sager/x') → { id: 'x' }. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const re = new RegExp(`^${pattern.replace(/:[a-zA-Z]+/g, (p) => (names.push(p.slice(1)), '([^/]+)'))}/?$`);
  const found = re.exec(path);
  return found ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1])])) : undefined;
}

/** A link that moves within the app (a plain link with a modifier key or another target). */
export function Link({ to, children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || rest.target) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
