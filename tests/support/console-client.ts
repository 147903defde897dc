import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../config/load.js';

/** Creates a console account with the real CLI (`diemcau user add`, password on stdin), before the daemon starts. */
export function addConsoleUser(configPath: string, username: string, role: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(projectRoot(), 'dist', 'kiosk', 'cli.js'), 'user', 'add', username, '--role', role, '--config', configPath],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
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
  const response = await fetch(`${consoleUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
    signal: AbortSignal.timeout(30_000),
  });
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie');
  if (!cookie) throw new Error('login set no cookie');
  return cookie.split(';')[0]!;
}

/** A logged-in console API client (cookie session), for tests that prepare data through the console. */
export async function consoleClient(baseUrl: string, username: string, password: string) {
  const cookie = await login(baseUrl, username, password);
  const call = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const payload = await response.json().catch(() => undefined);
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(payload)}`);
    return payload;
  };
  return {
    cookie,
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    put: (path: string, body: unknown = {}) => call('PUT', path, body),
  };
}
