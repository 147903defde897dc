import type { MessageKey } from '../../messages/pages.js';

/** A refusal or failure of the kiosk API, by code: the screen words it from the catalogue, never from `message`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
  }
}

export async function api<T>(path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(
      `/api${path}`,
      body === undefined
        ? { cache: 'no-store' }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
  } catch {
    throw new ApiError(0, 'network');
  }
  const payload = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiError(response.status, String(payload?.error?.code ?? response.status), payload?.error?.details);
  return payload as T;
}

/** Which sentence of the catalogue explains an error to the officer (and what to do). */
export function errorKey(error: unknown): MessageKey {
  if (!(error instanceof ApiError)) return 'errorGeneric';
  if (error.code === 'network' || error.status >= 502)
    return error.code.startsWith('ptz') ? 'errorCamera' : 'errorNetwork';
  if (error.code.startsWith('ptz')) return 'errorCamera';
  if (error.code === 'preset_not_stored') return 'errorPresetNotStored';
  if (error.details?.code === 'storage_refused') return 'errorDisk';
  if (error.status === 409) return 'errorBusy';
  return 'errorGeneric';
}
