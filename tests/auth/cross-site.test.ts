import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addConsoleUser, login } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/**
 * What a page on another site (or a DNS name pointed at the device) can do with the console's
 * cookie or with the kiosk API on 127.0.0.1: nothing that changes state, no websocket, no reads
 * through a foreign Host. Real daemon; requests as a browser would send them (Origin, Sec-Fetch-Site).
 */
const EVIL = 'http://evil.example';

describe('cross-site requests on both servers', () => {
  let dir: string;
  let daemon: DaemonHandle;
  let cookie: string;

  beforeAll(async () => {
    dir = await makeTempDir('cross-site');
    const config = writeTestConfig(dir);
    await addConsoleUser(config, 'kythuat', 'technician', 'mật khẩu kỹ thuật 1');
    daemon = await startDaemon(config);
    cookie = await login(daemon.consoleUrl, 'kythuat', 'mật khẩu kỹ thuật 1');
  });
  afterAll(async () => {
    await daemon?.stop();
    await removeTempDir(dir);
  });

  /** An open console websocket; `closed` resolves with the close code once the daemon closes it. */
  async function openConsoleSocket(session: string): Promise<{ closed: Promise<number> }> {
    const socket = new WebSocket(`${daemon.consoleUrl.replace('http', 'ws')}/ws`, { headers: { cookie: session } });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return { closed: new Promise<number>((resolve) => socket.once('close', (code) => resolve(code))) };
  }
  const post = (url: string, headers: Record<string, string>, body?: string) =>
    fetch(url, { method: 'POST', headers, ...(body === undefined ? {} : { body }) });
  const codeOf = async (response: Response) => ((await response.json()) as { error?: { code: string } }).error?.code;

  it('console: refuses a foreign Origin, a cross-site fetch, text/plain and an empty body without JSON; accepts its own origin', async () => {
    const url = `${daemon.consoleUrl}/api/ptz/move`;
    const move = JSON.stringify({ pan: 1, tilt: 0 });
    const foreign = await post(url, { cookie, 'content-type': 'application/json', origin: EVIL }, move);
    expect([foreign.status, await codeOf(foreign)]).toEqual([403, 'cross_origin']);
    const crossSite = await post(
      url,
      { cookie, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      move,
    );
    expect(crossSite.status).toBe(403);
    const plain = await post(url, { cookie, 'content-type': 'text/plain' }, move);
    expect([plain.status, await codeOf(plain)]).toEqual([415, 'json_required']);
    // An empty-body POST used to skip the JSON check: logging out by a foreign page.
    const emptyLogout = await post(`${daemon.consoleUrl}/api/auth/logout`, { cookie });
    expect([emptyLogout.status, await codeOf(emptyLogout)]).toEqual([415, 'json_required']);
    expect((await fetch(`${daemon.consoleUrl}/api/auth/me`, { headers: { cookie } })).status).toBe(200);

    const own = await post(url, { cookie, 'content-type': 'application/json', origin: daemon.consoleUrl }, move);
    expect(own.status).toBe(200);
  });

  it('kiosk: a page in the device browser from another origin cannot start or end a session', async () => {
    const current = (await (await fetch(`${daemon.kioskUrl}/api/session/current`)).json()) as {
      session: { id: string } | null;
    };
    const id = current.session?.id ?? 'any-session';
    const textPlain = await post(
      `${daemon.kioskUrl}/api/session/${id}/start`,
      { 'content-type': 'text/plain', origin: EVIL },
      '{}',
    );
    expect(textPlain.status).toBe(403);
    const sameOriginTextPlain = await post(
      `${daemon.kioskUrl}/api/session/${id}/end`,
      { 'content-type': 'text/plain' },
      '{"reason":"x"}',
    );
    expect(sameOriginTextPlain.status).toBe(415);
    const noBody = await post(`${daemon.kioskUrl}/api/audio/mute`, { origin: EVIL });
    expect(noBody.status).toBe(403);
  });

  it('refuses a foreign Host (DNS rebinding) even for reads, on both servers', async () => {
    // fetch() will not set Host: a raw request does.
    const status = (port: number, host: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
        );
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
        socket.on('error', reject);
      });
    const kioskPort = Number(new URL(daemon.kioskUrl).port);
    const consolePort = Number(new URL(daemon.consoleUrl).port);
    expect(await status(kioskPort, 'evil.example')).toBe(421);
    expect(await status(kioskPort, `127.0.0.1:${kioskPort}`)).toBe(200);
    expect(await status(kioskPort, `localhost:${kioskPort}`)).toBe(200);
    expect(await status(kioskPort, `192.168.1.20:${kioskPort}`)).toBe(421);
    expect(await status(consolePort, 'evil.example')).toBe(421);
    expect(await status(consolePort, `192.168.1.20:${consolePort}`)).toBe(200);
  });

  it('refuses websocket upgrades from a foreign Origin on both servers, and accepts their own', async () => {
    const upgrade = (url: string, headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url, { headers });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('error', () => resolve(-1));
      });
    const kioskWs = `${daemon.kioskUrl.replace('http', 'ws')}/ws`;
    const consoleWs = `${daemon.consoleUrl.replace('http', 'ws')}/ws`;
    expect(await upgrade(kioskWs, { origin: EVIL })).toBe(403);
    expect(await upgrade(kioskWs, { origin: daemon.kioskUrl })).toBe(101);
    expect(await upgrade(consoleWs, { origin: EVIL, cookie })).toBe(403);
    expect(await upgrade(consoleWs, { origin: daemon.consoleUrl, cookie })).toBe(101);
  });

  it('closes an open console websocket at logout', async () => {
    const session = await login(daemon.consoleUrl, 'kythuat', 'mật khẩu kỹ thuật 1');
    const { closed } = await openConsoleSocket(session);
    const loggedOut = await post(
      `${daemon.consoleUrl}/api/auth/logout`,
      { cookie: session, 'content-type': 'application/json' },
      '{}',
    );
    expect(loggedOut.status).toBe(200);
    expect(
      await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still open after 2 s'), 2000))]),
    ).toBe(4401);
  });

  it('cuts a client that sends its headers too slowly (slow-loris)', async () => {
    const port = Number(new URL(daemon.consoleUrl).port);
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    const drip = setInterval(() => socket.writable && socket.write(`X-Slow-${Date.now()}: 1\r\n`), 1000);
    const closedAfter = await new Promise<number>((resolve) => {
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => undefined);
    });
    clearInterval(drip);
    console.log(`slow-loris connection closed by the console after ${closedAfter} ms`);
    // The header timeout is 10 s, checked every second.
    expect(closedAfter).toBeLessThan(15_000);
  }, 30_000);

  it('closes an open console websocket when its account changes its password', async () => {
    const session = await login(daemon.consoleUrl, 'kythuat', 'mật khẩu kỹ thuật 1');
    const { closed } = await openConsoleSocket(session);
    const changed = await fetch(`${daemon.consoleUrl}/api/users/kythuat/password`, {
      method: 'PUT',
      headers: { cookie: session, 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'mật khẩu kỹ thuật 2', currentPassword: 'mật khẩu kỹ thuật 1' }),
    });
    expect(changed.status).toBe(200);
    expect(
      await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still open after 2 s'), 2000))]),
    ).toBe(4401);
  });
});
