import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../support/wait.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addConsoleUser, consoleClient, login } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const TOKEN = 'prometheus-token-1f8e2c7a9b';

/** GET /metrics on the console port (Prometheus text format), read from the real daemon in simulation. */
describe('the room’s Prometheus /metrics', () => {
  let dir: string;
  let daemon: DaemonHandle;

  beforeAll(async () => {
    dir = await makeTempDir('metrics');
    writeFileSync(join(dir, 'metrics.token'), `${TOKEN}\n`, { mode: 0o600 });
    const config = writeTestConfig(dir, (c) => (c.web.console.metricsTokenFile = join(dir, 'metrics.token')));
    await addConsoleUser(config, 'xem', 'viewer', 'mật khẩu chỉ xem 1');
    await addConsoleUser(config, 'canbo', 'officer', 'mật khẩu cán bộ 1');
    daemon = await startDaemon(config);
  });
  afterAll(async () => {
    await daemon?.stop();
    await removeTempDir(dir);
  });

  const scrape = (headers: Record<string, string> = {}) => fetch(`${daemon.consoleUrl}/metrics`, { headers });

  it('refuses a scrape without a login or the token, and a wrong token', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
    ] as Record<string, string>[]) {
      const response = await scrape(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(await response.text()).not.toContain('diemcau_');
    }
  });

  it('answers Prometheus with the bearer token: process, health, devices, recording, disk and fleet link', async () => {
    const response = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const health = (await (await fetch(`${daemon.kioskUrl}/api/health`)).json()) as any;
    expect(text).toMatch(new RegExp(`^diemcau_info\\{version="${health.version}",room="${health.room.id}"\\} 1$`, 'm'));
    expect(text).toMatch(new RegExp(`^diemcau_health_ok ${health.status === 'ok' ? 1 : 0}$`, 'm'));
    // Every device of /api/health, with a 1 for its current status.
    for (const device of health.devices)
      expect(text).toMatch(
        new RegExp(
          `^diemcau_device_status\\{device="${device.id}",kind="${device.kind}",status="${device.status}"\\} 1$`,
          'm',
        ),
      );
    expect(text).toMatch(/^diemcau_recording_active 0$/m);
    expect(text).toMatch(/^diemcau_disk_free_bytes\{path="[^"]+"\} \d+$/m);
    expect(text).toMatch(/^diemcau_fleet_link_state\{state="disabled"\} 1$/m);
    expect(text).toMatch(/^diemcau_process_resident_memory_bytes \d+$/m);
  });

  it('answers a logged-in console user too', async () => {
    const cookie = await login(daemon.consoleUrl, 'xem', 'mật khẩu chỉ xem 1');
    const response = await scrape({ cookie });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('diemcau_health_ok');
  });

  it('shows a recording while a session is live', async () => {
    const officer = await consoleClient(daemon.consoleUrl, 'canbo', 'mật khẩu cán bộ 1');
    const now = Date.now();
    const created = await officer.post('/schedule', {
      kind: 'ad-hoc',
      title: 'Tiếp công dân đột xuất',
      chairSite: { name: 'UBND tỉnh' },
      startsAt: new Date(now + 60_000).toISOString(),
      endsAt: new Date(now + 1_800_000).toISOString(),
    });
    const session = created.session ?? created;
    const post = (path: string) =>
      fetch(`${daemon.kioskUrl}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await post(`/session/${session.id}/start`)).status).toBe(200);
    expect(await (await scrape({ authorization: `Bearer ${TOKEN}` })).text()).toMatch(/^diemcau_recording_active 1$/m);
    // The encoder's figures appear once the worker has counted a window (every 2 s).
    const gaugeOf = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    const text = await waitFor(
      'the encoder figures',
      async () => {
        const scraped = await (await scrape({ authorization: `Bearer ${TOKEN}` })).text();
        return gaugeOf(scraped, 'diemcau_media_encode_fps') > 0 ? scraped : undefined;
      },
      10_000,
      250,
    );
    expect(gaugeOf(text, 'diemcau_media_encode_fps')).toBeGreaterThan(0);
    expect(gaugeOf(text, 'diemcau_media_encode_bitrate_kbps')).toBeGreaterThan(0);
    expect(gaugeOf(text, 'diemcau_media_dropped_frames')).toBeGreaterThanOrEqual(0);
    expect((await post(`/session/${session.id}/end`)).status).toBe(200);
    expect(await (await scrape({ authorization: `Bearer ${TOKEN}` })).text()).toMatch(/^diemcau_recording_active 0$/m);
  }, 60_000);
});
