import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { launchChromium } from '../support/browser.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { freePort } from '../support/free-port.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { mountTestDrive, type TestDrive } from '../evidence/test-drive.js';

const MINUTE = 60_000;
const artifacts = join(projectRoot(), 'dist', 'test-artifacts');

/**
 * Issue 11's day, with the touchscreen and the console open side by side in real Chromium against
 * the real daemon in simulation: the idle board, readiness, a session started at the kiosk, a preset,
 * mute, the technician call acknowledged in the console, the daemon killed and restarted mid-session
 * (the console says its figures are stale, then recovers), the end summary, a second session; then
 * both recordings played, verified and exported from the console.
 */
describe('a day at the room, seen from the console', () => {
  let dir: string;
  let config: string;
  let daemon: DaemonHandle;
  let browser: Browser;
  let kiosk: Page;
  let console_: Page;
  let drive: TestDrive;
  let officer: Awaited<ReturnType<typeof consoleClient>>;
  const titles = ['Tiếp công dân định kỳ — buổi sáng', 'Tiếp công dân định kỳ — buổi chiều'];
  const text = (page: Page, selector: string) => page.locator(selector).innerText();
  /**
   * A session 2 minutes ahead gets its automatic 2-hour readiness run at once; a Start tapped while
   * that run records is lost (found here, reported in the branch's note), so the day waits for it.
   */
  const automaticRunFor = (sessionId: string) =>
    expect
      .poll(
        async () =>
          ((await (await fetch(`${daemon.kioskUrl}/api/readiness/latest`)).json()) as any).twoHours?.sessionId,
        { timeout: 90_000 },
      )
      .toBe(sessionId);
  const ids: string[] = [];
  const schedule = async (title: string) =>
    (
      await officer.post('/schedule', {
        kind: 'periodic',
        title,
        chairSite: { name: 'UBND tỉnh Đồng Tháp' },
        startsAt: new Date(Date.now() + 2 * MINUTE).toISOString(),
        endsAt: new Date(Date.now() + 40 * MINUTE).toISOString(),
      })
    ).session.id as string;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    dir = await makeTempDir('console-day');
    // Fixed ports: the restarted daemon answers where both pages already are.
    const [kioskPort, consolePort] = [await freePort(), await freePort()];
    config = writeTestConfig(dir, (c) => {
      c.web.kiosk.port = kioskPort;
      c.web.console.port = consolePort;
    });
    await addConsoleUser(config, 'kythuat', 'technician', 'mật khẩu kỹ thuật 1');
    await addConsoleUser(config, 'canbo', 'officer', 'mật khẩu cán bộ 1');
    drive = await mountTestDrive({ label: 'USB-DAY' });
    daemon = await startDaemon(config, { env: { DIEMCAU_LSBLK: drive.lsblkCommand }, readyTimeoutMs: 60_000 });
    officer = await consoleClient(daemon.consoleUrl, 'canbo', 'mật khẩu cán bộ 1');
    ids.push(await schedule(titles[0]!));
    browser = await launchChromium();
    kiosk = await browser.newPage({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    await kiosk.goto(daemon.kioskUrl);
    console_ = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await console_.goto(daemon.consoleUrl);
    await console_.locator('#username').fill('kythuat');
    await console_.locator('#password').fill('mật khẩu kỹ thuật 1');
    await console_.locator('#login-form button[type=submit]').click();
    await console_.locator('#tile-room').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await drive?.remove();
    await removeTempDir(dir);
  });

  it('idle: the kiosk board and the console dashboard show the same next session', async () => {
    await expect.poll(() => kiosk.locator('#schedule [data-session]').count()).toBe(1);
    await expect.poll(() => text(console_, '#tile-next'), { timeout: 40_000 }).toContain(titles[0]);
    expect(await text(console_, '#tile-room')).toContain('CHƯA GHI');
  }, 60_000);

  it('readiness run at the kiosk shows on the console dashboard', async () => {
    await automaticRunFor(ids[0]!);
    await kiosk.locator('#run-readiness').tap();
    await expect.poll(() => kiosk.locator('#readiness-verdict').count(), { timeout: 60_000 }).toBe(1);
    await expect
      .poll(() => text(console_, '#tile-next'), { timeout: 40_000 })
      .toMatch(/(Đạt|Cần lưu ý|Không đạt) \d\d:\d\d \d\d\/\d\d\/\d{4} \(theo yêu cầu\)/);
  }, 180_000);

  it('start, preset, mute at the kiosk; the console shows RECORDING with the live picture', async () => {
    await expect.poll(() => kiosk.locator('#start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await kiosk.locator('#start').tap();
    await kiosk.screenshot({ path: join(artifacts, 'console-day-kiosk-start-1280x800.png') });
    try {
      await expect.poll(() => text(kiosk, '#st-recording'), { timeout: 60_000 }).toMatch(/^ĐANG GHI/);
    } catch (error) {
      console.log(
        daemon.logs
          .slice(-40)
          .map(
            (l) =>
              `${String(l.time)} ${String(l.level)} ${String(l.component)} ${String(l.msg)} ${JSON.stringify(l).slice(0, 200)}`,
          )
          .join('\n'),
      );
      console.log(await (await fetch(`${daemon.kioskUrl}/api/session/current`)).text());
      await kiosk.screenshot({ path: join(artifacts, 'console-day-kiosk-start-failed.png') });
      throw error;
    }
    await kiosk.locator('#presets [data-preset="citizen-seat"]').tap();
    await expect
      .poll(() => kiosk.locator('#presets [data-preset="citizen-seat"]').getAttribute('aria-pressed'))
      .toBe('true');
    await kiosk.locator('#mute').tap();
    await expect.poll(() => text(kiosk, '#st-mic')).toBe('MICRÔ ĐANG TẮT');
    await expect.poll(() => text(console_, '#tile-room'), { timeout: 20_000 }).toContain('ĐANG GHI');
    await expect
      .poll(() => console_.locator('#live img.preview').evaluate((img) => (img as any).naturalWidth), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await console_.screenshot({ path: join(artifacts, 'console-day-live-1440x900.png') });
  }, 90_000);

  it('the technician call from the kiosk is acknowledged in the console, and the kiosk says so', async () => {
    await kiosk.locator('#call').tap();
    await expect.poll(() => text(kiosk, '#call-status')).toBe('Đã báo cán bộ kỹ thuật — đang chờ');
    const waiting = console_.locator('#technician-calls li.waiting');
    await expect.poll(() => waiting.count(), { timeout: 15_000 }).toBe(1);
    await console_.screenshot({ path: join(artifacts, 'console-day-call-1440x900.png') });
    await waiting.locator('button').click();
    await expect.poll(() => text(kiosk, '#call-status'), { timeout: 15_000 }).toBe('Cán bộ kỹ thuật đã nhận');
  }, 60_000);

  it('the daemon killed mid-session: the console says its figures are stale, then recovers to RECORDING', async () => {
    await daemon.stop('SIGKILL');
    await expect.poll(() => console_.locator('.banner.fail').count(), { timeout: 20_000 }).toBe(1);
    expect(await text(console_, '.banner.fail')).toBe(
      'Mất kết nối với máy điều khiển — số liệu dưới đây có thể đã cũ.',
    );
    expect(await console_.locator('.dashboard.stale').count()).toBe(1);
    // Not "recording" while nobody answers: the room tile says what the kiosk says.
    expect(await text(console_, '#tile-room')).toContain('MẤT KẾT NỐI — KHÔNG GHI');
    expect(await text(console_, '#tile-room')).not.toContain('ĐANG GHI');
    await console_.screenshot({ path: join(artifacts, 'console-day-offline-1440x900.png') });
    daemon = await startDaemon(config, { env: { DIEMCAU_LSBLK: drive.lsblkCommand }, readyTimeoutMs: 60_000 });
    await expect.poll(() => console_.locator('.banner.fail').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => text(console_, '#tile-room'), { timeout: 30_000 }).toContain('ĐANG GHI');
    await expect.poll(() => text(kiosk, '#st-recording'), { timeout: 30_000 }).toMatch(/^ĐANG GHI/);
    officer = await consoleClient(daemon.consoleUrl, 'canbo', 'mật khẩu cán bộ 1');
  }, 120_000);

  it('ends at the kiosk with the summary, then a second session', async () => {
    await kiosk.locator('#end').tap();
    await kiosk.locator('#confirm-yes').tap();
    await expect
      .poll(() => kiosk.locator('#summary-verified').getAttribute('data-verified'), { timeout: 60_000 })
      .toBe('true');
    await kiosk.locator('#summary-close').tap();
    ids.push(await schedule(titles[1]!));
    await automaticRunFor(ids[1]!);
    await expect.poll(() => kiosk.locator('#start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await kiosk.locator('#start').tap();
    await expect.poll(() => text(kiosk, '#st-recording'), { timeout: 30_000 }).toMatch(/^ĐANG GHI/);
    await expect.poll(() => text(kiosk, '#st-mic')).toBe('MICRÔ ĐANG BẬT');
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await kiosk.locator('#end').tap();
    await kiosk.locator('#confirm-yes').tap();
    await expect
      .poll(() => kiosk.locator('#summary-verified').getAttribute('data-verified'), { timeout: 60_000 })
      .toBe('true');
  }, 240_000);

  it('both recordings are listed by title, playable, verifiable and exportable in the console', async () => {
    await console_.locator('nav a[data-tab="recordings"]').click();
    for (const title of titles) {
      const row = console_.locator('#recordings tbody tr', { hasText: title });
      await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
      expect(await row.locator('.state').innerText()).toMatch(/Đã hoàn tất, đã niêm phong|Khôi phục sau sự cố/);
      await row.locator('[data-action=play]').click();
      const video = console_.locator('#player video');
      await expect
        .poll(() => video.evaluate((v) => (v as any).readyState), { timeout: 30_000 })
        .toBeGreaterThanOrEqual(2);
      const at = await video.evaluate((v) => (v as any).currentTime);
      await expect
        .poll(() => video.evaluate((v) => (v as any).currentTime), { timeout: 30_000 })
        .toBeGreaterThan(at + 0.5);
      await console_.locator('#player .head button').click();
      await row.locator('[data-action=verify]').click();
      await expect.poll(() => row.locator('.verdict').innerText(), { timeout: 60_000 }).toMatch(/^NGUYÊN VẸN/);
      await row.locator('[data-action=export]').click();
      await expect.poll(() => console_.locator('#export-drive option').count(), { timeout: 30_000 }).toBe(1);
      await console_.locator('#start-export').click();
      await expect
        .poll(() => console_.locator('#export-outcome').innerText(), { timeout: 90_000 })
        .toMatch(/^Đã sao và kiểm tra lại bản sao/);
      await console_.locator('#export-panel .head button').click();
    }
    await console_.screenshot({ path: join(artifacts, 'console-day-recordings-1440x900.png') });
  }, 240_000);
});
