import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../config/load.js';

/** Small HTTP helpers for the session tests (real servers on 127.0.0.1). */
export async function call(method: string, url: string, body?: unknown, cookie?: string): Promise<{ status: number; json: any; text: string }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** Creates a console account with the real CLI (`diemcau user add`, password on stdin), before the daemon starts. */
export function addConsoleUser(configPath: string, username: string, role: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'kiosk', 'cli.js'), 'user', 'add', username, '--role', role, '--config', configPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`user add ${username} failed (${code}): ${output}`));
    });
    child.stdin.end(`${password}\n`);
  });
}

/** Logs in on the console and returns the session cookie to send back. */
export async function login(consoleUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${consoleUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), signal: AbortSignal.timeout(30_000) });
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie');
  if (!cookie) throw new Error('login set no cookie');
  return cookie.split(';')[0]!;
}

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

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
