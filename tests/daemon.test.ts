import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Database } from '../kiosk/store/database.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from './support/daemon.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { waitFor } from './support/wait.js';

interface DgramSocket {
  bind(path: string): void;
  close(): void;
  on(event: 'message', listener: (message: Buffer) => void): void;
}
const unixDgram = createRequire(import.meta.url)('unix-dgram') as {
  createSocket(type: 'unix_dgram', onMessage?: (message: Buffer) => void): DgramSocket;
};

/** Pids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // Fields after the command name (which may hold spaces) start at the last ')'.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function nextMessage(socket: WebSocket): Promise<any> {
  return new Promise((resolve, reject) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString())));
    socket.once('error', reject);
  });
}

describe('daemon in simulation', () => {
  let dir: string;
  let daemon: DaemonHandle | undefined;

  beforeEach(async () => {
    dir = await makeTempDir('daemon');
  });
  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    daemon = undefined;
    await removeTempDir(dir);
  });

  it('comes up with every simulated device ok, answers health on both servers, and stops cleanly on SIGTERM', async () => {
    daemon = await startDaemon(writeTestConfig(dir));
    for (const base of [daemon.kioskUrl, daemon.consoleUrl]) {
      const response = await fetch(`${base}/api/health`);
      expect(response.status).toBe(200);
      const health: any = await response.json();
      expect(health).toMatchObject({
        status: 'ok',
        version: expect.any(String),
        room: { id: 'sim-room', role: 'local' },
      });
      expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
      expect(health.devices.map((d: any) => [d.kind, d.status])).toEqual(
        expect.arrayContaining([
          ['camera', 'ok'],
          ['ptz', 'ok'],
          ['audio', 'ok'],
          ['display', 'ok'],
          ['ups', 'ok'],
          ['gpio', 'ok'],
        ]),
      );
      expect(health.services.every((s: any) => s.state === 'running')).toBe(true);
    }
    expect(await daemon.stop('SIGTERM')).toBe(0);
    expect(daemon.logs.some((l) => l.msg === 'stopped' && l.clean === true)).toBe(true);

    const db = await Database.open(join(dir, 'data', 'diemcau.sqlite'), 'readonly');
    const runs = await db.all<{ clean_stop: number; stopped_at: string | null }>(
      'SELECT clean_stop, stopped_at FROM daemon_runs',
    );
    await db.close();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ clean_stop: 1, stopped_at: expect.any(String) });
  });

  it('leaves no helper process behind when it is killed outright', async () => {
    daemon = await startDaemon(writeTestConfig(dir));
    const helpers = childrenOf(daemon.child.pid!);
    // socat for the emulated VISCA line, upsd and dummy-ups for the emulated UPS.
    expect(helpers.length).toBeGreaterThanOrEqual(3);
    await daemon.stop('SIGKILL');
    await waitFor('helpers to exit', () => !helpers.some(alive));
  });

  it('logs JSON lines only on stdout, with a level, a time and a message', async () => {
    daemon = await startDaemon(writeTestConfig(dir));
    expect(daemon.logs.length).toBeGreaterThan(3);
    for (const line of daemon.logs)
      expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
  });

  it('answers bad requests with JSON errors and keeps running', async () => {
    daemon = await startDaemon(writeTestConfig(dir, (c) => (c.web.bodyLimit = '1kb')));
    const missing = await fetch(`${daemon.kioskUrl}/api/no-such-thing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/no-such-thing' } });

    const malformed = await fetch(`${daemon.consoleUrl}/api/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"half": ',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error.code).toBe('malformed_json');

    const huge = await fetch(`${daemon.consoleUrl}/api/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(4096) }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).error.code).toBe('body_too_large');

    expect((await fetch(`${daemon.kioskUrl}/api/health`)).status).toBe(200);
  });

  it('pushes health over the websocket and answers bad frames with an error, keeping the connection', async () => {
    daemon = await startDaemon(writeTestConfig(dir));
    const socket = new WebSocket(`${daemon.kioskUrl.replace('http', 'ws')}/ws`);
    const first = await nextMessage(socket);
    expect(first.type).toBe('health');
    expect(first.data.devices.length).toBe(6);

    socket.send('not json at all');
    expect(await nextMessage(socket)).toMatchObject({ type: 'error', error: { code: 'malformed_json' } });
    socket.send(JSON.stringify({ type: 'reboot-now' }));
    expect(await nextMessage(socket)).toMatchObject({ type: 'error', error: { code: 'invalid_message' } });
    socket.send(JSON.stringify({ type: 'ping', id: 'p1' }));
    expect(await nextMessage(socket)).toEqual({ type: 'pong', id: 'p1' });
    socket.close();
  });

  it('stays up and reports a device whose hardware is absent as not ok', async () => {
    daemon = await startDaemon(
      writeTestConfig(
        dir,
        (c) =>
          (c.hal.camera = {
            driver: 'v4l2',
            device: `/dev/video-absent-${process.pid}`,
            width: 640,
            height: 360,
            fps: 30,
          }),
      ),
    );
    const health: any = await (await fetch(`${daemon.kioskUrl}/api/health`)).json();
    expect(health.status).toBe('degraded');
    const camera = health.devices.find((d: any) => d.kind === 'camera');
    expect(['failed', 'bad-config', 'connecting']).toContain(camera.status);
    expect(camera.detail).toEqual(expect.any(String));
    expect(health.devices.filter((d: any) => d.kind !== 'camera').every((d: any) => d.status === 'ok')).toBe(true);
  });

  it('refuses a broken config with every problem and exit code 1', async () => {
    const path = writeTestConfig(dir, (c) => {
      c.hal.ptz = { driver: 'visca-serial' };
      c.room.role = 'mayor';
    });
    await expect(startDaemon(path, { readyTimeoutMs: 10_000 })).rejects.toThrow(
      /exited before ready \(1\)[\s\S]*2 problems[\s\S]*room\.role: [\s\S]*hal\.ptz\.port: required when driver is visca-serial/,
    );
  });

  it('tells systemd it is ready and pings the watchdog when run under systemd', async () => {
    const socketPath = join(dir, 'notify.sock');
    const messages: string[] = [];
    const socket = unixDgram.createSocket('unix_dgram', (message) => messages.push(message.toString()));
    socket.bind(socketPath);
    try {
      daemon = await startDaemon(writeTestConfig(dir), {
        env: { NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '1000000' },
      });
      await waitFor('READY=1', () => messages.find((m) => m.startsWith('READY=1')));
      expect(messages.find((m) => m.startsWith('READY=1'))).toContain(`MAINPID=${daemon.child.pid}`);
      // WATCHDOG_PID is absent, so the pings are ours to send (every 0.5 s for a 1 s watchdog).
      await waitFor('two watchdog pings', () => messages.filter((m) => m === 'WATCHDOG=1').length >= 2);
      expect(await daemon.stop('SIGTERM')).toBe(0);
      await waitFor('STOPPING=1', () => messages.find((m) => m === 'STOPPING=1'));
    } finally {
      socket.close();
    }
  });
});
