import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { launchChromium } from '../support/browser.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { freePort } from '../support/free-port.js';

const MINUTE = 60_000;
const artifacts = join(projectRoot(), 'dist', 'test-artifacts');
const shots = '/tmp/kiosk-shots';

async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path });
  copyFileSync(path, join(shots, `${name}.png`));
}

/** The page fits the screen: nothing below the fold, nothing to scroll. */
const scrolls = (page: Page) =>
  page.evaluate(() => {
    const { document, innerHeight, innerWidth } = globalThis as any;
    return document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth;
  });

/** axe-core in the page (evaluated, so the page's CSP stays as served): serious and critical violations. */
async function seriousViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  const source = readFileSync(join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(async () =>
    (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }),
  );
  return (result.violations as any[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => n.target.join(' ')) }));
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

/**
 * A day at the officer's touchscreen, in real Chromium against the real daemon in simulation:
 * the public board while idle, the equipment test, Start refused outside its window (with the
 * reason), a session with a preset, the pad, mute and a technician call acknowledged in the console,
 * the daemon killed and restarted mid-session (honest state, then recovery), the end summary, and
 * a second session that starts with the microphone on again.
 */
describe('kiosk touchscreen: a day', () => {
  let dir: string;
  let config: string;
  let daemon: DaemonHandle;
  let browser: Browser;
  let page: Page;
  let officer: Awaited<ReturnType<typeof consoleClient>>;
  let technician: Awaited<ReturnType<typeof consoleClient>>;
  const ids: Record<string, string> = {};
  const now = Date.now();
  const metrics: Record<string, number> = {};

  const schedule = async (title: string, startsIn: number, minutes = 15) =>
    (
      await officer.post('/schedule', {
        kind: 'periodic',
        title,
        chairSite: { name: 'UBND tỉnh Đồng Tháp' },
        startsAt: new Date(Date.now() + startsIn).toISOString(),
        endsAt: new Date(Date.now() + startsIn + minutes * MINUTE).toISOString(),
      })
    ).session.id as string;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    mkdirSync(shots, { recursive: true });
    dir = await makeTempDir('kiosk-day');
    // Fixed ports, so a restarted daemon answers where the page already is (reconnect without reload).
    const [kioskPort, consolePort] = [await freePort(), await freePort()];
    config = writeTestConfig(dir, (c) => {
      c.room.name = 'Phòng tiếp công dân huyện "Tháp Mười"';
      c.web.kiosk.port = kioskPort;
      c.web.console.port = consolePort;
    });
    await addConsoleUser(config, 'quantri', 'admin', 'mật khẩu quản trị 1');
    await addConsoleUser(config, 'canbo', 'officer', 'mật khẩu cán bộ 1');
    await addConsoleUser(config, 'kythuat', 'technician', 'mật khẩu kỹ thuật 1');
    daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
    officer = await consoleClient(daemon.consoleUrl, 'canbo', 'mật khẩu cán bộ 1');
    technician = await consoleClient(daemon.consoleUrl, 'kythuat', 'mật khẩu kỹ thuật 1');
    // The first session is 40 minutes ahead: outside the 30-minute start window until it is moved.
    ids.first = await schedule('Tiếp công dân định kỳ tháng 12', 40 * MINUTE);
    ids.later = await schedule('Tiếp công dân đột xuất — đất đai', 3 * 60 * MINUTE);
    ids.cancelled = await schedule('Tiếp công dân chuyên đề', 26 * 60 * MINUTE);
    const cancelled = await fetch(`${daemon.consoleUrl}/api/schedule/${ids.cancelled}`, {
      method: 'DELETE',
      headers: { cookie: officer.cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(cancelled.status).toBe(200);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    await page.goto(daemon.kioskUrl);
  }, 120_000);
  afterAll(async () => {
    writeFileSync(join(artifacts, 'kiosk-metrics.json'), JSON.stringify(metrics, null, 2));
    await browser?.close();
    await daemon?.stop();
    await removeTempDir(dir);
  });

  it('shows the room, the status strip and the public schedule board while idle, in Vietnamese, without scrolling', async () => {
    await expect.poll(() => page.locator('#room-name').textContent()).toBe('Phòng tiếp công dân huyện "Tháp Mười"');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await expect.poll(() => text(page, '#st-room')).toBe('PHÒNG SẴN SÀNG');
    expect(await text(page, '#st-recording')).toBe('CHƯA GHI');
    await expect.poll(() => text(page, '#st-mic')).toBe('MICRÔ ĐANG BẬT');
    await expect.poll(() => text(page, '#st-power')).toContain('ĐIỆN LƯỚI');
    await expect.poll(() => page.locator('#schedule [data-session]').count()).toBe(3);
    const first = page.locator(`#schedule [data-session="${ids.first}"]`);
    expect(await first.innerText()).toContain('Tiếp công dân định kỳ tháng 12');
    expect(await first.locator('.when').innerText()).toMatch(/^\d\d:\d\d–\d\d:\d\d$/);
    expect(await page.locator(`#schedule [data-session="${ids.cancelled}"] .change`).innerText()).toContain('ĐÃ HUỶ');
    // The board names the day as the room lives it (Asia/Ho_Chi_Minh): "Hôm nay" or "Ngày mai", then dd/mm/yyyy.
    const day = (instant: number) =>
      new Intl.DateTimeFormat('en-GB', {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        timeZone: 'Asia/Ho_Chi_Minh',
      }).format(instant);
    const startsAt = now + 40 * MINUTE;
    expect(await page.locator('#schedule h3').first().innerText()).toBe(
      `${day(startsAt) === day(now) ? 'Hôm nay' : 'Ngày mai'}, ${day(startsAt)}`,
    );
    expect(await scrolls(page)).toBe(false);
    Object.assign(
      metrics,
      await page.evaluate(() => ({
        firstContentfulPaintMs: Math.round(performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1),
        dataOnScreenMs: Math.round(performance.getEntriesByName('kiosk-data')[0]?.startTime ?? -1),
      })),
    );
    const gzip = (file: string) =>
      gzipSync(readFileSync(join(projectRoot(), 'dist', 'kiosk', 'ui', 'kiosk', file))).length;
    Object.assign(metrics, { jsGzipBytes: gzip('app.js'), cssGzipBytes: gzip('styles.css') });
    expect(metrics.jsGzipBytes).toBeLessThanOrEqual(100 * 1024);
    await screenshot(page, 'kiosk-idle-1280x800');
  });

  it('has no serious or critical accessibility violation, and touch targets of at least 72 px', async () => {
    expect(await seriousViolations(page)).toEqual([]);
    const heights = await page
      .locator('.button:visible')
      .evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().height)));
    expect(heights.length).toBeGreaterThanOrEqual(10);
    for (const height of heights) expect(height).toBeGreaterThanOrEqual(72);
  });

  it('shows the automatic 2-hour test and runs the equipment test on demand, in plain words', async () => {
    await expect
      .poll(() => text(page, '#readiness-two-hours'), { timeout: 90_000 })
      .toMatch(/^Kiểm thử tự động 2 giờ trước: (Đạt|Cần lưu ý|Không đạt) lúc \d\d:\d\d \d\d\/\d\d\/\d{4}$/);
    await page.locator('#run-readiness').tap();
    await expect
      .poll(() => text(page, '#readiness-verdict'), { timeout: 90_000 })
      .toMatch(/^(Thiết bị đạt — sẵn sàng|Đạt, có điểm cần lưu ý|Không đạt — hãy gọi cán bộ kỹ thuật)$/);
    await expect.poll(() => text(page, '#readiness-at')).toContain('theo yêu cầu');
    const body = await page.locator('body').innerText();
    for (const jargon of ['hal.audio', 'timedatectl', 'dBFS', 'NTP']) expect(body).not.toContain(jargon);
  }, 200_000);

  it('refuses Start outside the window, with the reason, on the screen and on the server', async () => {
    await expect
      .poll(() => text(page, '#start-reason'))
      .toMatch(/^Buổi tiếp bắt đầu lúc \d\d:\d\d — có thể bắt đầu từ \d\d:\d\d\.$/);
    expect(await page.locator('#start').isDisabled()).toBe(true);
    const refused = await fetch(`${daemon.kioskUrl}/api/session/${ids.first}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(409);
    const { error } = (await refused.json()) as any;
    expect(error.details.code).toBe('start_too_early');
    expect(error.message).toMatch(
      /^Buổi tiếp bắt đầu lúc \d\d:\d\d \d\d\/\d\d\/\d{4} — chỉ có thể bắt đầu từ \d\d:\d\d/,
    );
    await screenshot(page, 'kiosk-refused-1280x800');
  });

  it('marks a rescheduled session on the board and offers Start once inside the window', async () => {
    await officer.put(`/schedule/${ids.first}`, {
      kind: 'periodic',
      title: 'Tiếp công dân định kỳ tháng 12',
      chairSite: { name: 'UBND tỉnh Đồng Tháp' },
      startsAt: new Date(Date.now() + 5 * MINUTE).toISOString(),
      endsAt: new Date(Date.now() + 20 * MINUTE).toISOString(),
    });
    await expect
      .poll(() => page.locator(`#schedule [data-session="${ids.first}"] .change`).innerText(), { timeout: 10_000 })
      .toMatch(/^ĐÃ ĐỔI LỊCH\s+thay đổi lúc \d\d:\d\d \d\d\/\d\d\/\d{4}$/);
    await expect.poll(() => page.locator('#start').isEnabled()).toBe(true);
    expect(await text(page, '#start-reason')).toMatch(/^Có thể bắt đầu đến \d\d:\d\d\.$/);
  });

  it('starts the session: RECORDING with the elapsed time, the picture and the meters', async () => {
    await page.locator('#start').tap();
    await expect.poll(() => text(page, '#st-recording'), { timeout: 30_000 }).toMatch(/^ĐANG GHI \d\d:\d\d:\d\d$/);
    await expect
      .poll(
        () => page.locator('#preview').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await expect.poll(() => page.locator('.meter').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => text(page, '#st-recording'), { timeout: 10_000 }).not.toBe('ĐANG GHI 00:00:00');
    expect(await scrolls(page)).toBe(false);
    await screenshot(page, 'kiosk-live-1280x800');
    await page.setViewportSize({ width: 1920, height: 1080 });
    expect(await scrolls(page)).toBe(false);
    await screenshot(page, 'kiosk-live-1920x1080');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 90_000);

  it('recalls a preset and highlights it; the pad moves the camera while held and stops on release', async () => {
    await page.locator('#presets [data-preset="citizen-seat"]').tap();
    await expect
      .poll(() => page.locator('#presets [data-preset="citizen-seat"]').getAttribute('aria-pressed'))
      .toBe('true');
    expect(await page.locator('#presets [aria-pressed="true"]').count()).toBe(1);
    const moves: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/ptz/move')) moves.push(request.postDataJSON());
    });
    const up = page.locator('#ptz-pad [data-move="tilt_up"]');
    await up.dispatchEvent('pointerdown', { pointerId: 1, isPrimary: true });
    await expect.poll(() => moves.length).toBe(1);
    await up.dispatchEvent('pointerup', { pointerId: 1, isPrimary: true });
    await expect
      .poll(() => moves)
      .toEqual([
        { pan: 0, tilt: 1 },
        { pan: 0, tilt: 0, zoom: 0 },
      ]);
    // Moving by hand leaves the preset: none is highlighted any more.
    await expect.poll(() => page.locator('#presets [aria-pressed="true"]').count()).toBe(0);
    // A technician sends the camera to a preset from the console: the touchscreen shows it too.
    await technician.post('/ptz/presets/wide/recall');
    await expect
      .poll(() => page.locator('#presets [data-preset="wide"]').getAttribute('aria-pressed'), { timeout: 15_000 })
      .toBe('true');
    expect(await page.locator('#presets [aria-pressed="true"]').count()).toBe(1);
  });

  it('mutes the microphone and says so in words', async () => {
    await expect.poll(() => page.locator('#mute').isEnabled()).toBe(true);
    await page.locator('#mute').tap();
    await expect.poll(() => text(page, '#st-mic')).toBe('MICRÔ ĐANG TẮT');
    expect(((await (await fetch(`${daemon.kioskUrl}/api/audio`)).json()) as any).muted).toBe(true);
    expect(await text(page, '#mute')).toBe('Bật lại micrô');
  });

  it('calls the technician; the console acknowledges it and the screen says so', async () => {
    await expect.poll(() => page.locator('#call').isEnabled()).toBe(true);
    await page.locator('#call').tap();
    await expect.poll(() => text(page, '#call-status')).toBe('Đã báo cán bộ kỹ thuật — đang chờ');
    // Listing and acknowledging calls is the technician's (devices.manage), not any login's.
    await expect(officer.get('/technician-calls')).rejects.toThrow(/403/);
    const { calls } = await technician.get('/technician-calls');
    expect(calls).toMatchObject([{ state: 'waiting', source: 'kiosk', sessionId: ids.first }]);
    await technician.post(`/technician-calls/${calls[0].id}/acknowledge`);
    await expect.poll(() => text(page, '#call-status'), { timeout: 10_000 }).toBe('Cán bộ kỹ thuật đã nhận');
    const admin = await consoleClient(daemon.consoleUrl, 'quantri', 'mật khẩu quản trị 1');
    expect(JSON.stringify(await admin.get('/evidence/audit'))).toContain('technician-call-acknowledged');
    await screenshot(page, 'kiosk-call-1280x800');
  });

  it('shows MẤT KẾT NỐI — KHÔNG GHI when the daemon dies mid-session, and recovers honestly without a reload', async () => {
    await daemon.stop('SIGKILL');
    await expect.poll(() => page.locator('#offline').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await text(page, '#offline strong')).toBe('MẤT KẾT NỐI — KHÔNG GHI');
    expect(await text(page, '#st-recording')).not.toContain('ĐANG GHI');
    expect(await page.locator('.tile.ok, .tile.rec').count()).toBe(0);
    await screenshot(page, 'kiosk-offline-1280x800');
    daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
    await expect.poll(() => page.locator('#offline').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => text(page, '#st-recording'), { timeout: 30_000 }).toMatch(/^ĐANG GHI \d\d:\d\d:\d\d$/);
    // The elapsed time counts from the session's start, not from the restart.
    expect(await text(page, '#st-recording')).not.toMatch(/^ĐANG GHI 00:00:0\d$/);
    officer = await consoleClient(daemon.consoleUrl, 'canbo', 'mật khẩu cán bộ 1');
  }, 120_000);

  it('ends the session after a confirmation and shows the summary: duration, segments sealed, verified', async () => {
    await page.locator('#end').tap();
    await expect.poll(() => page.locator('#confirm').isVisible()).toBe(true);
    await page.locator('#confirm-yes').tap();
    await expect
      .poll(() => page.locator('#summary-verified').getAttribute('data-verified'), { timeout: 60_000 })
      .toBe('true');
    expect(await text(page, '#summary-verified')).toBe('NGUYÊN VẸN — khớp chữ ký số');
    expect(Number(await text(page, '#summary-segments'))).toBeGreaterThanOrEqual(1);
    expect(await text(page, '#summary-duration')).toMatch(/^\d+ phút \d+ giây$/);
    expect(await text(page, '#summary-gaps')).toMatch(/giây/);
    await screenshot(page, 'kiosk-summary-1280x800');
    await page.locator('#summary-close').tap();
    await expect.poll(() => text(page, '#st-recording')).toBe('CHƯA GHI');
  }, 90_000);

  it('starts a second session with the microphone on again, whatever the last one left', async () => {
    await expect.poll(() => page.locator('#mute').isEnabled()).toBe(true);
    await page.locator('#mute').tap();
    await expect.poll(() => text(page, '#st-mic')).toBe('MICRÔ ĐANG TẮT');
    ids.second = await schedule('Tiếp công dân định kỳ — buổi chiều', 2 * MINUTE);
    await expect
      .poll(() => page.locator('.session .session-title').innerText(), { timeout: 10_000 })
      .toBe('Tiếp công dân định kỳ — buổi chiều');
    await expect.poll(() => page.locator('#start').isEnabled()).toBe(true);
    await page.locator('#start').tap();
    await expect.poll(() => text(page, '#st-recording'), { timeout: 30_000 }).toMatch(/^ĐANG GHI \d\d:\d\d:\d\d$/);
    await expect.poll(() => text(page, '#st-mic')).toBe('MICRÔ ĐANG BẬT');
    await page.locator('#end').tap();
    await page.locator('#confirm-yes').tap();
    await expect
      .poll(() => page.locator('#summary-verified').getAttribute('data-verified'), { timeout: 60_000 })
      .toBe('true');
    await page.locator('#summary-close').tap();
  }, 120_000);

  it('switches to English and back, remembered across a reload, and fits 1920×1080', async () => {
    await page.locator('#language').tap();
    await expect.poll(() => text(page, '#st-room')).toMatch(/^(ROOM READY|NEEDS ATTENTION)$/);
    expect(await text(page, '#board-title')).toBe('Reception schedule');
    await page.reload();
    await expect.poll(() => text(page, '#board-title')).toBe('Reception schedule');
    // The same figures on a page reloaded while the daemon runs (the first ones included its start-up).
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('kiosk-data').length)).toBe(1);
    Object.assign(
      metrics,
      await page.evaluate(() => ({
        reloadFirstContentfulPaintMs: Math.round(
          performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
        ),
        reloadDataOnScreenMs: Math.round(performance.getEntriesByName('kiosk-data')[0]?.startTime ?? -1),
      })),
    );
    await page.locator('#language').tap();
    expect(await text(page, '#board-title')).toBe('Lịch tiếp công dân');
    await page.setViewportSize({ width: 1920, height: 1080 });
    expect(await scrolls(page)).toBe(false);
    await screenshot(page, 'kiosk-idle-1920x1080');
  });
});
