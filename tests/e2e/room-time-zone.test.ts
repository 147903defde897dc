import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const ZONE = 'America/New_York';
const PASSWORD = 'mật khẩu cán bộ 1';

/** 08:00–08:15 as a wall clock in `timeZone`. */
const wall = (instant: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    new Date(instant),
  );

/**
 * A room configured in another zone (config `room.timezone`): the touchscreen and the console show its
 * times in that zone, not Hà Nội's and not the browser's (Chromium runs here in Hà Nội's zone).
 */
describe('the room’s time zone on the pages', () => {
  let dir: string;
  let daemon: DaemonHandle;
  let browser: Browser;
  let session: { id: string; startsAt: string; endsAt: string };

  beforeAll(async () => {
    dir = await makeTempDir('room-zone');
    const config = writeTestConfig(dir, (c) => (c.room.timezone = ZONE));
    await addConsoleUser(config, 'canbo', 'officer', PASSWORD);
    daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
    const officer = await consoleClient(daemon.consoleUrl, 'canbo', PASSWORD);
    // On a whole quarter hour 3 hours ahead: today or tomorrow on the board, whatever the hour now.
    const startsAt = new Date(Math.ceil((Date.now() + 3 * 3_600_000) / 900_000) * 900_000);
    ({ session } = await officer.post('/schedule', {
      kind: 'periodic',
      title: 'Buổi tiếp ở múi giờ khác',
      chairSite: { name: 'UBND tỉnh' },
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 15 * 60_000).toISOString(),
    }));
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await removeTempDir(dir);
  });

  it('shows the schedule in the room’s zone on the touchscreen and in the console', async () => {
    const expected = `${wall(session.startsAt, ZONE)}–${wall(session.endsAt, ZONE)}`;
    // Hà Nội is 12 hours ahead of New York in winter: the two can never read the same.
    expect(expected).not.toBe(
      `${wall(session.startsAt, 'Asia/Ho_Chi_Minh')}–${wall(session.endsAt, 'Asia/Ho_Chi_Minh')}`,
    );

    const kiosk = await browser.newPage({ viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Ho_Chi_Minh' });
    await kiosk.goto(daemon.kioskUrl);
    const entry = kiosk.locator(`#schedule [data-session="${session.id}"] .when`);
    await expect.poll(() => entry.innerText(), { timeout: 15_000 }).toBe(expected);

    const console_ = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Ho_Chi_Minh' });
    await console_.goto(daemon.consoleUrl);
    await console_.locator('#username').fill('canbo');
    await console_.locator('#password').fill(PASSWORD);
    await console_.locator('#login-form button[type=submit]').click();
    await console_.locator('nav a[data-tab="schedule"]').click();
    const row = console_.locator('#sessions tr', { hasText: 'Buổi tiếp ở múi giờ khác' });
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain(wall(session.startsAt, ZONE));
    expect(await row.innerText()).not.toContain(wall(session.startsAt, 'Asia/Ho_Chi_Minh'));
  }, 60_000);
});
