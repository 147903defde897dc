import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addConsoleUser, consoleClient, login as consoleLogin } from '../support/console-client.js';
import { daemonsPerTest, writeTestConfig } from '../support/daemon.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/wait.js';

const PASSWORD = 'Room-Cam-Pass-77';

/**
 * The real daemon in simulation with an IP camera: the ONVIF emulator and GStreamer's RTSP server
 * (`onvif-emulated`), the real onvif PTZ driver, the RTSP camera captured with its login from a file.
 */
describe('IP camera in the daemon: health, ONVIF set-up in the console, secrets', () => {
  const daemons = daemonsPerTest();

  // About 30 s: a daemon, an RTSP server, discovery and two logins.
  it('reports the camera and its clock drift; discovers, describes and chooses it; the password never leaves its file', async () => {
    const dir = await daemons.folder('onvif-console');
    const passwordFile = join(dir, 'camera.password');
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    const rtspPort = await freePort();
    // A known SOAP port tells this daemon's camera from other emulators answering the same probe.
    const onvifPort = await freePort();
    const config = writeTestConfig(dir, (c) => {
      c.log = { level: 'debug' };
      c.hal.ptz = { driver: 'onvif-emulated', passwordFile, onvifPort, rtspPort, clockOffsetMs: 7000, checkMs: 500 };
      c.hal.camera = {
        driver: 'rtsp',
        url: `rtsp://127.0.0.1:${rtspPort}/main`,
        username: 'admin',
        passwordFile,
        width: 1280,
        height: 720,
        fps: 25,
        checkMs: 1000,
        probeTimeoutMs: 1000,
      };
    });
    await addConsoleUser(config, 'kythuat', 'technician', 'Kỹ-thuật-viên-1');
    await addConsoleUser(config, 'xem', 'viewer', 'Người-xem-1');
    const daemon = await daemons.start(config);
    const answers: string[] = [];
    const tech = await consoleClient(daemon.consoleUrl, 'kythuat', 'Kỹ-thuật-viên-1');
    const call = async (method: 'get' | 'post', path: string, body?: unknown) => {
      const result = method === 'get' ? await tech.get(path) : await tech.post(path, body);
      answers.push(JSON.stringify(result));
      return result;
    };

    const health = await waitFor(
      'camera and PTZ ok',
      async () => {
        const report = await call('get', '/health');
        const byKind = Object.fromEntries(report.devices.map((d: { kind: string }) => [d.kind, d]));
        return byKind.ptz?.status === 'ok' && byKind.camera?.status === 'ok' ? byKind : undefined;
      },
      30_000,
      250,
    );
    expect(health.ptz).toMatchObject({ driver: 'onvif-emulated', clock: { driftSeconds: 7 } });
    // The drift also reaches Prometheus, for rooms watched that way.
    const metrics = await (
      await fetch(`${daemon.consoleUrl}/metrics`, {
        headers: { cookie: await consoleLogin(daemon.consoleUrl, 'kythuat', 'Kỹ-thuật-viên-1') },
      })
    ).text();
    expect(metrics).toMatch(/^diemcau_device_clock_drift_seconds\{device="ptz"\} 7$/m);

    const { cameras } = await call('post', '/devices/onvif/discover', { timeoutMs: 1500 });
    const emulated = cameras.find(
      (c: { port: number; host: string }) => c.host === '127.0.0.1' && c.port === onvifPort,
    );
    expect(emulated).toMatchObject({
      path: '/onvif/device_service',
      hardware: 'ONVIF-EMU-PTZ',
      name: 'Điểm Cầu',
      endpoint: expect.stringMatching(/^urn:uuid:/),
    });

    const login = { xaddr: emulated.xaddr, username: 'admin', password: PASSWORD };
    const description = await call('post', '/devices/onvif/describe', login);
    expect(description.identity.model).toBe('ONVIF-EMU-PTZ');
    expect(description.profiles.map((p: { token: string; streamUrl: string }) => [p.token, p.streamUrl])).toEqual([
      ['profile-main', `rtsp://127.0.0.1:${rtspPort}/main`],
      ['profile-sub', `rtsp://127.0.0.1:${rtspPort}/sub`],
    ]);
    await expect(tech.post('/devices/onvif/describe', { ...login, password: 'wrong-password' })).rejects.toThrow(
      /422.*onvif_not_authorized/,
    );

    const chosen = await call('post', '/devices/onvif/choose', { ...login, profileToken: 'profile-sub' });
    expect(chosen.camera).toEqual({
      driver: 'rtsp',
      url: `rtsp://127.0.0.1:${rtspPort}/sub`,
      username: 'admin',
      passwordFile: chosen.passwordFile,
      latencyMs: 200,
      width: 640,
      height: 360,
      fps: 15,
    });
    expect(chosen.ptz).toMatchObject({
      driver: 'onvif',
      host: '127.0.0.1',
      port: onvifPort,
      username: 'admin',
      passwordFile: chosen.passwordFile,
      profileToken: 'profile-sub',
    });
    expect(chosen.passwordFile.startsWith(join(dir, 'data', 'secrets'))).toBe(true);
    expect(await readFile(chosen.passwordFile, 'utf8')).toBe(`${PASSWORD}\n`);
    expect((await stat(chosen.passwordFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'data', 'secrets'))).mode & 0o777).toBe(0o700);

    // Only those who manage devices may discover or log in to cameras.
    const viewer = await consoleClient(daemon.consoleUrl, 'xem', 'Người-xem-1');
    await expect(viewer.post('/devices/onvif/discover', { timeoutMs: 300 })).rejects.toThrow(/403/);

    // The password is in its file and nowhere else: not in an answer, not in a log line (debug level, worker included).
    for (const answer of answers) expect(answer).not.toContain(PASSWORD);
    expect(daemon.output()).not.toContain(PASSWORD);
    expect(daemon.output()).toContain('ONVIF camera chosen');
  }, 90_000);
});
