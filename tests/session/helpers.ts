/** Small HTTP helpers for the session tests (real servers on 127.0.0.1). */
export async function call(
  method: string,
  url: string,
  body?: unknown,
  cookie?: string,
): Promise<{ status: number; json: any; text: string }> {
  const headers: Record<string, string> = {};
  // As the pages do: every change is JSON, even without a body (the daemon refuses anything else).
  const changes = method !== 'GET' && method !== 'HEAD';
  if (changes) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  const response = await fetch(url, {
    method,
    headers,
    body: changes ? JSON.stringify(body ?? {}) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

export { addConsoleUser, login } from '../support/console-client.js';

/** A 20-minute session starting a minute ago: short enough for the sim UPS (30 min) with its margin. */
export function sessionBody(overrides: Record<string, unknown> = {}, now = Date.now()) {
  return {
    kind: 'ad-hoc',
    title: 'Tiếp công dân định kỳ tháng 6',
    chairSite: { name: 'Ban Tiếp công dân tỉnh' },
    bridgePoints: [{ name: 'UBND xã An Bình', role: 'local' }],
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 19 * 60_000).toISOString(),
    ...overrides,
  };
}
