import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { launchChromium } from '../support/browser.js';
import { addConsoleUser } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/** The technician's console, in real Chromium, against the real daemon in simulation. */
describe('technician console', () => {
  let dir: string;
  let daemon: DaemonHandle;
  let browser: Browser;
  let page: Page;
  const artifacts = join(projectRoot(), 'dist', 'test-artifacts');

  beforeAll(async () => {
    dir = await makeTempDir('console-ui');
    const config = writeTestConfig(dir);
    await addConsoleUser(config, 'kythuat', 'technician', 'mật khẩu kỹ thuật 1');
    await addConsoleUser(config, 'canbo', 'officer', 'mật khẩu cán bộ 1');
    daemon = await startDaemon(config);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await removeTempDir(dir);
  });

  async function logIn(username: string, password: string): Promise<void> {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(daemon.consoleUrl);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.locator('#login-form button[type=submit]').click();
  }

  it('asks for a login first and refuses a wrong password in Vietnamese', async () => {
    page = await browser.newPage();
    await page.goto(daemon.consoleUrl);
    await expect.poll(() => page.locator('#login-form').isVisible()).toBe(true);
    expect(await page.locator('#app').isVisible()).toBe(false);
    await page.locator('#username').fill('kythuat');
    await page.locator('#password').fill('sai mật khẩu rồi');
    await page.locator('#login-form button[type=submit]').click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('Đăng nhập không thành công');
    await page.close();
  });

  it('shows the room, every device and service once logged in', async () => {
    await logIn('kythuat', 'mật khẩu kỹ thuật 1');
    await expect.poll(() => page.locator('#who').textContent()).toBe('kythuat · Cán bộ kỹ thuật');
    await expect.poll(() => page.locator('#health-table .badge.ok').count()).toBe(6);
    expect(await page.locator('#room').textContent()).toBe('Phòng tiếp công dân (mô phỏng)');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'console-health.png') });
  });

  it('runs a readiness test and lists its checks', async () => {
    await page.locator('[data-tab="readiness"]').click();
    await page.locator('#run-readiness').click();
    await expect.poll(() => page.locator('#readiness-runs details').count(), { timeout: 60_000 }).toBe(1);
    await page.locator('#readiness-runs summary').click();
    expect(await page.locator('#readiness-runs tr').count()).toBe(10);
  }, 90_000);

  it('lets an officer add a session to the schedule, and a technician not', async () => {
    await page.locator('[data-tab="schedule"]').click();
    const form = page.locator('#session-form');
    await form.locator('[name=title]').fill('Buổi tiếp thử từ bảng điều khiển');
    await form.locator('[name=chair]').fill('UBND tỉnh');
    await form.locator('[name=startsAt]').fill('2030-01-02T08:00');
    await form.locator('[name=endsAt]').fill('2030-01-02T10:00');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#toast').textContent()).toContain('may not sessions.manage');
    await page.close();

    await logIn('canbo', 'mật khẩu cán bộ 1');
    await expect.poll(() => page.locator('#app').isVisible()).toBe(true);
    await page.locator('[data-tab="schedule"]').click();
    const officerForm = page.locator('#session-form');
    await officerForm.locator('[name=title]').fill('Buổi tiếp thử từ bảng điều khiển');
    await officerForm.locator('[name=chair]').fill('UBND tỉnh');
    await officerForm.locator('[name=startsAt]').fill('2030-01-02T08:00');
    await officerForm.locator('[name=endsAt]').fill('2030-01-02T10:00');
    await officerForm.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#sessions').textContent()).toContain('Buổi tiếp thử từ bảng điều khiển');
    expect(await page.locator('#sessions').textContent()).toContain('Đã lên lịch');
  });

  it('logs out and is asked to log in again', async () => {
    await page.locator('#logout').click();
    await expect.poll(() => page.locator('#login-form').isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.locator('#login-form').isVisible()).toBe(true);
    expect(await page.locator('#app').isVisible()).toBe(false);
  });
});
