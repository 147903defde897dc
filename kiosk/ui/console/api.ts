/** A refusal or failure of the console API, by code: the page words it from the catalogue (errors.ts), never from `message`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(code);
  }
}

/** Called when the login has ended (401): the page goes back to the login form. */
let onLoggedOut: () => void = () => undefined;
export function whenLoggedOut(callback: () => void): void {
  onLoggedOut = callback;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  // Every change is sent as JSON, even without a body: the daemon refuses anything else (cross-site requests).
  const changes = method !== 'GET';
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      ...(changes ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  const payload = (await response.json().catch(() => ({}))) as { error?: { code?: unknown; details?: unknown } };
  if (!response.ok) {
    if (response.status === 401 && path !== '/auth/login') onLoggedOut();
    throw new ApiError(
      response.status,
      String(payload?.error?.code ?? (response.status >= 500 ? 'internal' : 'generic')),
      payload?.error?.details,
    );
  }
  return payload as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
