/**
 * The web app's one way to the service: the API under /api/v1 and the sign-in routes under
 * /auth, with the session cookie (HttpOnly: the page never sees it) and the header that tells the
 * API a request comes from these pages. No token is ever kept in the browser.
 */
export const WEB_REQUEST_HEADER = { 'x-requested-with': 'buf-web' } as const;

export interface FieldProblem {
  field: string;
  message: string;
}

/** An answer other than 2xx, as the API's one error shape describes it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The fields a 400 names (details.fields). */
  get fields(): FieldProblem[] {
    const fields = this.details.fields;
    return Array.isArray(fields) ? (fields as FieldProblem[]) : [];
  }
}

async function request<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: { ...WEB_REQUEST_HEADER, accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const error = (body ?? {}) as { message?: string; details?: Record<string, unknown> };
    if (res.status === 401) window.dispatchEvent(new Event('buf:signed-out'));
    throw new ApiError(res.status, error.message ?? res.statusText, error.details ?? {});
  }
  return body as T;
}

export const api = {
  get: <T>(path: string) => request<T>(`/api/v1${path}`),
  post: <T>(path: string, body: unknown) => request<T>(`/api/v1${path}`, { method: 'POST', body }),
};

export const auth = {
  get: <T>(path: string) => request<T>(`/auth${path}`),
  post: <T>(path: string, body?: unknown) => request<T>(`/auth${path}`, { method: 'POST', ...(body !== undefined ? { body } : {}) }),
};
