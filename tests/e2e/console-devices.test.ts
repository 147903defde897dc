import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { launchChromium } from '../support/browser.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { freePort } from '../support/free-port.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const artifacts = join(projectRoot(), 'dist', 'test-artifacts');
const CAMERA_PASSWORD = 'Mat-Khau-Camera-9';
const ADMIN = { user: 'quantri', password: 'mật khẩu quản trị 1' };

/** axe-core in the page: serious and critical violations. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  const result = await page.evaluate(async () =>
    (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }),
  );
  return (result.violations as any[]).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

/**
 * The console's Devices tab in real Chromium against the daemon in simulation with an emulated ONVIF
 * camera (SOAP on 127.0.0.1, GStreamer's RTSP server): find it, log in, choose its main stream and
 * apply it to the configuration; then the software update form, refused in Vietnamese words.
 */
describe('console: devices', () => {
  let dir: string;
  let daemon: DaemonHandle;
  let browser: Browser;
  let onvifPort: number;
  let rtspPort: number;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    dir = await makeTempDir('console-devices');
    const passwordFile = join(dir, 'camera.password');
    await writeFile(passwordFile, `${CAMERA_PASSWORD}\n`, { mode: 0o600 });
    [onvifPort, rtspPort] = [await freePort(), await freePort()];
    const config = writeTestConfig(dir, (c) => {
      c.hal.ptz = { driver: 'onvif-emulated', passwordFile, onvifPort, rtspPort, checkMs: 1000 };
    });
    await addConsoleUser(config, ADMIN.user, 'admin', ADMIN.password);
    daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await removeTempDir(dir);
  });

  it('finds the network camera, reads it with its login, and puts its main stream into the configuration', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(daemon.consoleUrl);
    await page.locator('#username').fill(ADMIN.user);
    await page.locator('#password').fill(ADMIN.password);
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('nav a[data-tab=devices]').click();
    await page.locator('#onvif-discover').click();
    // Other tests' emulators may answer the same probe: this daemon's camera is the one on its SOAP port.
    const row = page.locator('#onvif-cameras tbody tr', { hasText: `127.0.0.1:${onvifPort}` });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('ONVIF-EMU-PTZ');
    await row.locator('button.pick').click();

    await page.locator('#onvif-login input[name=password]').fill('sai-mat-khau');
    await page.locator('#onvif-login button[type=submit]').click();
    const toast = page.locator('#toast');
    await expect.poll(() => toast.textContent(), { timeout: 10_000 }).toMatch(/mật khẩu|đăng nhập/i);

    await page.locator('#onvif-login input[name=password]').fill(CAMERA_PASSWORD);
    await page.locator('#onvif-login button[type=submit]').click();
    await page.locator('#onvif-profiles tr[data-token=profile-main] button.use').click({ timeout: 10_000 });
    await page.locator('#onvif-chosen').waitFor();
    const shown = await page.locator('#onvif-chosen').textContent();
    expect(shown).toContain(`rtsp://127.0.0.1:${rtspPort}/main`);
    // The password went to the device's secrets: never back into the page.
    expect(await page.content()).not.toContain(CAMERA_PASSWORD);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'console-1440x900-devices.png'), fullPage: true });

    await page.locator('#onvif-apply').click();
    await expect.poll(() => toast.textContent()).toContain('khởi động lại');
    const admin = await consoleClient(daemon.consoleUrl, ADMIN.user, ADMIN.password);
    const { config, pendingRestart } = await admin.get('/config');
    expect(config.hal.camera).toMatchObject({ driver: 'rtsp', url: `rtsp://127.0.0.1:${rtspPort}/main` });
    expect(JSON.stringify(config)).not.toContain(CAMERA_PASSWORD);
    expect(pendingRestart.length).toBeGreaterThan(0);
    await page.close();
  }, 90_000);

  it('shows the running version and refuses an unsigned release in Vietnamese', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(daemon.consoleUrl);
    await page.locator('#username').fill(ADMIN.user);
    await page.locator('#password').fill(ADMIN.password);
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('nav a[data-tab=devices]').click();
    const version = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string })
      .version;
    await expect.poll(() => page.locator('#update-version').textContent()).toContain(version);
    await page.locator('#update-form input[name=url]').fill('http://127.0.0.1:9/khong-co.tar.gz');
    await page.locator('#update-form button[type=submit]').click();
    await expect
      .poll(() => page.locator('#update-status').textContent(), { timeout: 20_000 })
      .toMatch(/[àáảãạăâđêôơư]/);
    expect(await page.locator('#update-status').textContent()).not.toMatch(/failed|refused|download/i);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);
});
