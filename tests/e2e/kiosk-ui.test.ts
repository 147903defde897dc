import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { launchChromium } from '../support/browser.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/** The officer's touchscreen, in real Chromium, against the real daemon in simulation. */
describe('kiosk touchscreen', () => {
  let dir: string;
  let daemon: DaemonHandle;
  let browser: Browser;
  let page: Page;
  const artifacts = join(projectRoot(), 'dist', 'test-artifacts');

  beforeAll(async () => {
    dir = await makeTempDir('kiosk-ui');
    const config = writeTestConfig(dir, (c) => (c.room.name = 'Phòng tiếp công dân huyện "Tháp Mười"'));
    await addConsoleUser(config, 'quantri', 'admin', 'mật khẩu quản trị 1');
    await addConsoleUser(config, 'canbo', 'officer', 'mật khẩu cán bộ 1');
    daemon = await startDaemon(config);
    const admin = await consoleClient(daemon.consoleUrl, 'quantri', 'mật khẩu quản trị 1');
    await admin.put('/ptz/presets/citizen-seat', { label: { vi: 'Ghế công dân', en: 'Citizen seat' } });
    const officer = await consoleClient(daemon.consoleUrl, 'canbo', 'mật khẩu cán bộ 1');
    const now = Date.now();
    await officer.post('/schedule', {
      kind: 'periodic',
      title: 'Tiếp công dân định kỳ tháng 11',
      chairSite: { name: 'UBND tỉnh Đồng Tháp' },
      startsAt: new Date(now + 10 * 60_000).toISOString(),
      endsAt: new Date(now + 70 * 60_000).toISOString(),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    await page.goto(daemon.kioskUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await removeTempDir(dir);
  });

  it('speaks Vietnamese by default and shows the room, the session and every device ready', async () => {
    await expect.poll(() => page.locator('#room-name').textContent()).toBe('Phòng tiếp công dân huyện "Tháp Mười"');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.locator('#devices-title').textContent()).toBe('Thiết bị');
    await expect.poll(() => page.locator('#devices .badge.ok').count()).toBe(6);
    expect(await page.locator('#devices .badge').allTextContents()).toEqual(Array(6).fill('Sẵn sàng'));
    await expect.poll(() => page.locator('.session-title').textContent()).toBe('Tiếp công dân định kỳ tháng 11');
    expect(await page.locator('.session-meta').textContent()).toContain('UBND tỉnh Đồng Tháp');
    expect(await page.locator('#start').isVisible()).toBe(true);
    expect(await page.locator('#end').isVisible()).toBe(false);
    expect(await page.locator('#recording').isVisible()).toBe(false);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'kiosk-vi.png') });
  });

  it('has touch targets at least 72 px high', async () => {
    const heights = await page.locator('main .button:visible').evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThanOrEqual(4);
    for (const height of heights) expect(height).toBeGreaterThanOrEqual(72);
  });

  it('switches to English and remembers the choice across a reload', async () => {
    await page.locator('#language').tap();
    expect(await page.locator('#devices-title').textContent()).toBe('Devices');
    expect(await page.locator('#presets [data-preset="citizen-seat"]').textContent()).toBe('Citizen seat');
    await page.reload();
    await expect.poll(() => page.locator('#devices-title').textContent()).toBe('Devices');
    await page.locator('#language').tap();
    expect(await page.locator('#devices-title').textContent()).toBe('Thiết bị');
  });

  it('mutes the room microphone for real and shows it', async () => {
    await page.locator('#mute').tap();
    await expect.poll(async () => ((await (await fetch(`${daemon.kioskUrl}/api/audio`)).json()) as any).muted).toBe(true);
    await expect.poll(() => page.locator('#mute').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#mute').textContent()).toBe('Bật micrô');
    expect(await page.locator('#toast').isHidden()).toBe(true);
    await page.locator('#mute').tap();
    await expect.poll(async () => ((await (await fetch(`${daemon.kioskUrl}/api/audio`)).json()) as any).muted).toBe(false);
  });

  it('recalls a camera preset with one touch', async () => {
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/ptz/presets/citizen-seat/recall'));
    await page.locator('#presets [data-preset="citizen-seat"]').tap();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ recalled: expect.anything() });
    expect(await page.locator('#toast').isHidden()).toBe(true);
  });

  it('runs the equipment test on demand and explains each check in Vietnamese', async () => {
    await page.locator('#run-readiness').tap();
    await expect.poll(() => page.locator('#readiness-results li').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
    expect(await page.locator('#readiness-results [data-check="disk"] .badge').textContent()).toBe('Đạt');
    expect(await page.locator('#readiness-results [data-check="test-recording"] span').first().textContent()).toBe('Ghi thử 5 giây');
    const explanation = await page.locator('#readiness-results [data-check="ups"] .explanation').textContent();
    expect(explanation?.length).toBeGreaterThan(10);
    await page.screenshot({ path: join(artifacts, 'kiosk-readiness.png'), fullPage: true });
  }, 90_000);

  it('starts the session, shows what the camera records, and ends it after a confirmation', async () => {
    await page.locator('#start').tap();
    await expect.poll(() => page.locator('#recording').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.locator('.session-meta .state').textContent()).toBe('Đang diễn ra');
    await expect.poll(() => page.locator("#preview").evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'kiosk-live.png') });
    await page.locator('#end').tap();
    await expect.poll(() => page.locator('#confirm').isVisible()).toBe(true);
    await page.locator('#confirm-yes').tap();
    await expect.poll(() => page.locator('#recording').isVisible(), { timeout: 30_000 }).toBe(false);
    expect(await page.locator('#preview').isVisible()).toBe(false);
  }, 90_000);

  it('shows a banner when the daemon goes away', async () => {
    await daemon.stop();
    await expect.poll(() => page.locator('#offline').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#offline').textContent()).toContain('Mất kết nối');
  });
});
