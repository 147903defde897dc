import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCentral } from '../../scripts/central/central-dir.js';
import type { RunningMonitoring } from '../../scripts/central/monitoring/service.js';
import { launchChromium } from '../support/browser.js';
import { startCentral, type Central } from '../support/central.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';
import { event, operatorSession, OPERATOR, roomLink, startService, state, withOperator } from './monitoring-support.js';

const SHOTS = '/tmp/monitoring-shots';
// The page polls the API and renders: under a loaded machine that takes more than vitest's default second.
const POLL = { timeout: 10_000 };

/**
 * The monitoring dashboard in real Chromium: the built daemon in simulation reports as sim-room
 * (its fleet section filled from the central folder, as `npm start -- --central DIR` does), and
 * two more rooms publish with their own credentials.
 */
describe('monitoring dashboard', () => {
  let dir: string;
  let central: Central;
  let monitoring: RunningMonitoring;
  let daemon: DaemonHandle;
  let browser: Browser;
  let hue: NatsConnection;

  beforeAll(async () => {
    dir = await makeTempDir('monitoring-ui');
    central = await startCentral({ rooms: ['sim-room', 'phong-hue', 'phong-da-nang'] });
    // The registry's places (what `init --room id:province:district` writes); the keys and the server config stay as they are.
    await initCentral({
      dir: central.layout.dir,
      rooms: [],
      placement: {
        'sim-room': { province: 'Hà Nội', district: 'Ba Đình' },
        'phong-hue': { province: 'Thừa Thiên Huế', district: 'Phú Xuân' },
        'phong-da-nang': { province: 'Đà Nẵng', district: 'Hải Châu' },
      },
    });
    await withOperator(join(dir, 'monitoring'));
    monitoring = await startService(central, join(dir, 'monitoring'));

    daemon = await startDaemon(writeTestConfig(dir), { env: { DIEMCAU_CENTRAL: central.layout.dir } });
    const api = await operatorSession(monitoring.url);
    await waitFor('sim-room reporting', async () =>
      (await api.get('/api/rooms')).body.rooms.find((r: any) => r.id === 'sim-room' && r.health !== 'unknown'),
    );

    // phong-hue: a day of telemetry, a session tomorrow morning and an open power alert.
    const link = await roomLink(central, 'phong-hue');
    hue = link.nc;
    const now = Date.now();
    for (let i = 0; i < 288; i++) {
      const at = new Date(now - (288 - i) * 5 * 60_000).toISOString();
      const wave = Math.sin(i / 20);
      link.publisher.telemetry({
        v: 1,
        at,
        seq: i + 1,
        full: true,
        system: {
          uptimeS: 3600 + i * 300,
          load1: 0.4,
          cpuPct: 25 + 15 * wave,
          cpuTempC: 52 + 6 * wave,
          memUsedPct: 41,
          memTotalMB: 8192,
        },
        disks: [{ mount: '/var/lib/diemcau', sizeBytes: 1e12, usedBytes: 4.2e11 + i * 2e8 }],
      });
    }
    await link.publisher.state(
      state({
        health: 'degraded',
        nextSession: {
          sessionId: 'phien-2026-12-02',
          startsAt: new Date(now + 20 * 3_600_000).toISOString(),
          readiness: { dayBefore: 'pass', twoHours: null },
        },
        openAlerts: 1,
      }),
    );
    await link.publisher.event(
      event(1, {
        topic: 'power',
        severity: 'critical',
        alert: { key: 'power', state: 'raised' },
        data: { kind: 'on-battery', chargePct: 81 },
      }),
    );
    await waitFor(
      'phong-hue telemetry stored',
      async () => (await api.get('/api/rooms/phong-hue')).body.telemetry.length >= 280,
    );
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hue?.close();
    await daemon?.stop();
    await monitoring?.close();
    await central?.close();
    await removeTempDir(dir);
  });

  async function logIn(viewport: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await page.goto(monitoring.url);
    await expect.poll(() => page.locator('#login-form').isVisible(), POLL).toBe(true);
    expect(await page.locator('#list-view').isVisible()).toBe(false);
    await page.locator('#username').fill(OPERATOR.username);
    await page.locator('#password').fill(OPERATOR.password);
    await page.locator('#login-form button[type=submit]').click();
    await expect.poll(() => page.locator('#rooms tbody tr').count(), POLL).toBe(3);
    return page;
  }

  it('refuses a wrong password in Vietnamese', async () => {
    const page = await browser.newPage();
    await page.goto(monitoring.url);
    await page.locator('#username').fill(OPERATOR.username);
    await page.locator('#password').fill('sai mật khẩu rồi');
    await page.locator('#login-form button[type=submit]').click();
    await expect.poll(() => page.locator('#login-error').textContent(), POLL).toContain('Đăng nhập không thành công');
    await page.close();
  });

  it('lists the rooms in Vietnamese with the real room reporting, and filters them', async () => {
    const page = await logIn({ width: 1440, height: 900 });
    expect(await page.locator('h1').textContent()).toBe('Giám sát điểm cầu tiếp công dân');
    const sim = page.locator('tr[data-room="sim-room"]');
    expect(await sim.textContent()).toContain('Hà Nội · Ba Đình');
    expect(await sim.textContent()).toMatch(/giây trước/);
    expect(await sim.textContent()).toMatch(/Bình thường|Suy giảm/);
    const never = page.locator('tr[data-room="phong-da-nang"]');
    expect(await never.textContent()).toContain('Chưa từng liên lạc');
    expect(await page.locator('tr[data-room="phong-hue"]').textContent()).toContain('Chưa đến hạn');
    await page.screenshot({ path: join(SHOTS, 'rooms-1440x900.png') });

    await page.locator('#filter-province').selectOption('Thừa Thiên Huế');
    await expect.poll(() => page.locator('#rooms tbody tr').count(), POLL).toBe(1);
    expect(await page.locator('#filter-district option').allTextContents()).toEqual(['Tất cả', 'Phú Xuân']);
    await page.locator('#filter-province').selectOption('');
    await page.locator('#filter-attention').check();
    const attention = await page
      .locator('#rooms tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-room')));
    expect(attention).toContain('phong-hue');
    expect(attention).toContain('phong-da-nang');
    await page.locator('#filter-attention').uncheck();

    await page.locator('#language').click();
    expect(await page.locator('h1').textContent()).toBe('Citizen reception rooms — monitoring');
    await page.locator('#language').click();
    await page.close();
  });

  it('opens a room, sends ping and shows the reply; the reboot asks for a confirmation and a reason', async () => {
    const page = await logIn({ width: 1920, height: 1080 });
    await page.screenshot({ path: join(SHOTS, 'rooms-1920x1080.png') });
    await page.locator('tr[data-room="sim-room"]').click();
    await expect.poll(() => page.locator('#room-title').textContent(), POLL).toContain('Phòng sim-room');
    await page.locator('[data-command="ping"]').click();
    await expect
      .poll(() => page.locator('#command-result .line').getAttribute('data-outcome'), { timeout: 15_000 })
      .toBe('ok');
    expect(await page.locator('#command-result').textContent()).toContain('Phòng đã trả lời');
    await expect.poll(() => page.locator('#audit tbody tr').count(), POLL).toBe(1);

    await page.locator('[data-command="reboot"]').click();
    expect(await page.locator('#reboot-dialog').isVisible()).toBe(true);
    await page.locator('#reboot-cancel').click();
    expect(await page.locator('#reboot-dialog').isVisible()).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'room-sim-1920x1080.png'), fullPage: true });

    await page.goto(`${monitoring.url}/#room/phong-hue`);
    await expect.poll(() => page.locator('#charts svg').count(), POLL).toBe(3);
    expect(await page.locator('#alerts').textContent()).toContain('power');
    await page.screenshot({ path: join(SHOTS, 'room-hue-1920x1080.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: join(SHOTS, 'room-hue-1440x900.png') });
    await page.close();
  }, 60_000);
});
