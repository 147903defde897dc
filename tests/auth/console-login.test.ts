import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { projectRoot } from '../../config/load.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const cli = join(projectRoot(), 'dist', 'kiosk', 'cli.js');

/** `diemcau user …` with the password on stdin, as a technician would pipe it. */
function userCli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, 'user', ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

const json = { 'content-type': 'application/json' };

describe('console login', () => {
  let dir: string;
  let config: string;
  let daemon: DaemonHandle;

  const login = (username: string, password: string) =>
    fetch(`${daemon.consoleUrl}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username, password }),
    });
  const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;

  beforeAll(async () => {
    dir = await makeTempDir('auth');
    config = writeTestConfig(dir);
    expect(
      await userCli(['add', 'quantri', '--role', 'admin', '--config', config], 'mật khẩu quản trị 1\n'),
    ).toMatchObject({ code: 0 });
    expect(
      await userCli(['add', 'kythuat', '--role', 'technician', '--config', config], 'mật khẩu kỹ thuật 1\n'),
    ).toMatchObject({ code: 0 });
    daemon = await startDaemon(config);
  });
  afterAll(async () => {
    await daemon?.stop();
    await removeTempDir(dir);
  });

  it('refuses a weak password and a duplicate name at the CLI, naming why', async () => {
    expect(await userCli(['add', 'yeu', '--role', 'viewer', '--config', config], 'short\n')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('at least 10 characters'),
    });
    expect(await userCli(['add', 'kythuat', '--role', 'viewer', '--config', config], 'đủ dài rồi đấy\n')).toMatchObject(
      { code: 1, stderr: expect.stringContaining('already exists') },
    );
    const list = await userCli(['list', '--config', config]);
    expect(list.stdout).toMatch(/^kythuat\ttechnician\tenabled/m);
    expect(list.stdout).not.toContain('mật khẩu');
  });

  it('keeps console routes behind a login, but not health, and not the kiosk API', async () => {
    expect((await fetch(`${daemon.consoleUrl}/api/health`)).status).toBe(200);
    const refused = await fetch(`${daemon.consoleUrl}/api/auth/me`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any).error.code).toBe('login_required');
    expect((await fetch(`${daemon.consoleUrl}/api/users`)).status).toBe(401);
    expect((await fetch(`${daemon.kioskUrl}/api/health`)).status).toBe(200);
  });

  it('logs in with a session cookie, tells who is logged in, and logs out', async () => {
    const response = await login('kythuat', 'mật khẩu kỹ thuật 1');
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(
      /^diemcau_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    const cookie = cookieOf(response);
    const me = await fetch(`${daemon.consoleUrl}/api/auth/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({
      user: 'kythuat',
      role: 'technician',
      roleLabel: { vi: 'Cán bộ kỹ thuật' },
    });

    expect(
      (await fetch(`${daemon.consoleUrl}/api/auth/logout`, { method: 'POST', headers: { ...json, cookie } })).status,
    ).toBe(200);
    expect((await fetch(`${daemon.consoleUrl}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await login('quantri', 'không phải mật khẩu');
    const unknown = await login('khongco', 'không phải mật khẩu');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('locks a name after repeated failures, without locking others', async () => {
    expect(await userCli(['add', 'bi-do', '--role', 'viewer', '--config', config], 'mật khẩu bị dò 1\n')).toMatchObject(
      { code: 0 },
    );
    for (let i = 0; i < 5; i++) await login('bi-do', 'sai mật khẩu lần nữa');
    const locked = await login('bi-do', 'sai mật khẩu lần nữa');
    expect(locked.status).toBe(429);
    // Even the right password, until the lock ends.
    expect((await login('bi-do', 'mật khẩu bị dò 1')).status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login('quantri', 'mật khẩu quản trị 1')).status).toBe(200);
  });

  it('enforces roles: a technician cannot manage accounts, an administrator can', async () => {
    const tech = cookieOf(await login('kythuat', 'mật khẩu kỹ thuật 1'));
    const body = JSON.stringify({ username: 'canbo', role: 'officer', password: 'mật khẩu cán bộ 1' });
    const denied = await fetch(`${daemon.consoleUrl}/api/users`, {
      method: 'POST',
      headers: { ...json, cookie: tech },
      body,
    });
    expect(denied.status).toBe(403);

    const admin = cookieOf(await login('quantri', 'mật khẩu quản trị 1'));
    const created = await fetch(`${daemon.consoleUrl}/api/users`, {
      method: 'POST',
      headers: { ...json, cookie: admin },
      body,
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ user: { username: 'canbo', role: 'officer', disabled: false } });
    expect((await login('canbo', 'mật khẩu cán bộ 1')).status).toBe(200);

    // Moving the camera that records the session is for those who manage the devices.
    // (A leader reads identities: added at the device, see separation-of-duties.test.ts.)
    expect(
      await userCli(['add', 'lanhdao', '--role', 'leader', '--config', config], 'mật khẩu lãnh đạo 1\n'),
    ).toMatchObject({ code: 0 });
    const leader = cookieOf(await login('lanhdao', 'mật khẩu lãnh đạo 1'));
    const move = JSON.stringify({ pan: 1, tilt: 0 });
    expect(
      (
        await fetch(`${daemon.consoleUrl}/api/ptz/move`, {
          method: 'POST',
          headers: { ...json, cookie: leader },
          body: move,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await fetch(`${daemon.consoleUrl}/api/ptz/move`, {
          method: 'POST',
          headers: { ...json, cookie: tech },
          body: move,
        })
      ).status,
    ).toBe(200);

    // The program picture shows the citizens: behind the login on the console (nothing recorded yet here).
    expect((await fetch(`${daemon.consoleUrl}/api/media/preview.jpg`)).status).toBe(401);
    const preview = await fetch(`${daemon.consoleUrl}/api/media/preview.jpg`, { headers: { cookie: tech } });
    expect([preview.status, ((await preview.json()) as any).error.code]).toEqual([404, 'no_preview']);
  });

  it('ends every session of a disabled account at once', async () => {
    const admin = cookieOf(await login('quantri', 'mật khẩu quản trị 1'));
    await fetch(`${daemon.consoleUrl}/api/users`, {
      method: 'POST',
      headers: { ...json, cookie: admin },
      body: JSON.stringify({ username: 'tamthoi', role: 'viewer', password: 'mật khẩu tạm thời 1' }),
    });
    const session = cookieOf(await login('tamthoi', 'mật khẩu tạm thời 1'));
    expect((await fetch(`${daemon.consoleUrl}/api/auth/me`, { headers: { cookie: session } })).status).toBe(200);
    const disabled = await fetch(`${daemon.consoleUrl}/api/users/tamthoi/disabled`, {
      method: 'PUT',
      headers: { ...json, cookie: admin },
      body: JSON.stringify({ disabled: true }),
    });
    expect(disabled.status).toBe(200);
    expect((await fetch(`${daemon.consoleUrl}/api/auth/me`, { headers: { cookie: session } })).status).toBe(401);
    expect((await login('tamthoi', 'mật khẩu tạm thời 1')).status).toBe(401);
  });

  it('refuses a form-encoded state change (cross-site forms cannot send JSON)', async () => {
    const admin = cookieOf(await login('quantri', 'mật khẩu quản trị 1'));
    const response = await fetch(`${daemon.consoleUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(response.status).toBe(415);
  });

  it('opens the console websocket only with a session', async () => {
    const url = `${daemon.consoleUrl.replace('http', 'ws')}/ws`;
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url);
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);

    const cookie = cookieOf(await login('kythuat', 'mật khẩu kỹ thuật 1'));
    const socket = new WebSocket(url, { headers: { cookie } });
    const first = await new Promise<any>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString())));
      socket.once('error', reject);
    });
    expect(first.type).toBe('health');
    socket.close();
  });

  it('never writes a password to the logs', () => {
    expect(daemon.output()).not.toContain('mật khẩu');
    expect(daemon.logs.some((l) => l.msg === 'console login failed')).toBe(true);
  });
});

describe('console gate against crafted requests', () => {
  let dir: string;
  let daemon: DaemonHandle;
  beforeAll(async () => {
    dir = await makeTempDir('auth-crafted');
    daemon = await startDaemon(writeTestConfig(dir));
  });
  afterAll(async () => {
    await daemon?.stop();
    await removeTempDir(dir);
  });

  it('guards /API/… as it guards /api/… (routes match without regard to case)', async () => {
    for (const path of ['/API/ptz/move', '/Api/schedule', '/api/PTZ/move']) {
      const response = await fetch(`${daemon.consoleUrl}${path}`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ pan: 1, tilt: 0 }),
      });
      expect(response.status, path).toBe(401);
    }
  });

  it('survives a malformed session cookie on the websocket upgrade and on HTTP', async () => {
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${daemon.consoleUrl.replace('http', 'ws')}/ws`, {
        headers: { cookie: 'diemcau_session=%E0%A4%A' },
      });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => undefined);
    });
    expect(refused).toBe(401);
    expect(
      (await fetch(`${daemon.consoleUrl}/api/auth/me`, { headers: { cookie: 'diemcau_session=%E0' } })).status,
    ).toBe(401);
    expect((await fetch(`${daemon.consoleUrl}/api/health`)).status).toBe(200);
  });
});
