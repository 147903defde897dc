import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../config/load.js';

const cli = join(projectRoot(), 'dist', 'kiosk', 'cli.js');

/** Creates a console account through the CLI, password on stdin, as on a real device. */
export function addConsoleUser(configPath: string, username: string, role: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [cli, 'user', 'add', username, '--role', role, '--config', configPath], (error, _stdout, stderr) =>
      error ? reject(new Error(`user add failed: ${stderr}`)) : resolve(),
    );
    child.stdin!.end(`${password}\n`);
  });
}

/** A logged-in console API client (cookie session), for tests that prepare data through the console. */
export async function consoleClient(baseUrl: string, username: string, password: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
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
  return { cookie, get: (path: string) => call('GET', path), post: (path: string, body: unknown = {}) => call('POST', path, body), put: (path: string, body: unknown = {}) => call('PUT', path, body) };
}
