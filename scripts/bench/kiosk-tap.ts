import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ViscaPtyEmulator, type Heard } from '../../hal/ptz/visca/emulator.js';
import { launchChromium } from '../../tests/support/browser.js';
import { addConsoleUser, consoleClient } from '../../tests/support/console-client.js';
import { startDaemon, writeTestConfig } from '../../tests/support/daemon.js';
import { makeTempDir, removeTempDir } from '../../tests/support/temp-dir.js';
import { waitFor } from '../../tests/support/wait.js';
import { summary } from './stats.js';
import type { BenchFigure, BenchSuite } from './types.js';

const TAPS = 30;
const PRESETS = ['citizen-seat', 'officials-table'] as const;

/**
 * Tap-to-VISCA: a tap on a preset in the touchscreen page (headless Chromium, touch events) until
 * the camera's bytes arrive on the emulator's end of the pty, through the real daemon (kiosk API,
 * PtzService, visca-serial driver). The peer is the same recall asked with a plain HTTP POST from
 * here, so the ratio is what the page itself adds (event, render, fetch from the browser).
 */
export const kioskTapBench: BenchSuite = {
  name: `kiosk: tap on a preset → VISCA bytes on the camera's pty (headless Chromium, ${TAPS} taps)`,
  async run(): Promise<BenchFigure[]> {
    const dir = await makeTempDir('bench-tap');
    const camera = new ViscaPtyEmulator({ driverSide: join(dir, 'ttyPTZ'), cameraSide: join(dir, 'camera') });
    // When each packet reached the camera's side, on the same clock as the page's Date.now().
    const arrivals: number[] = [];
    const keep = camera.heard.push.bind(camera.heard);
    camera.heard.push = (...heard: Heard[]) => {
      arrivals.push(Date.now());
      return keep(...heard);
    };
    await camera.plugIn();
    const config = writeTestConfig(dir, (c) => {
      c.hal.ptz = { driver: 'visca-serial', port: camera.devicePath };
    });
    await addConsoleUser(config, 'canbo', 'officer', 'mật khẩu cán bộ 1');
    const daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
    const browser = await launchChromium();
    try {
      const officer = await consoleClient(daemon.consoleUrl, 'canbo', 'mật khẩu cán bộ 1');
      const now = Date.now();
      const { session } = await officer.post('/schedule', {
        kind: 'ad-hoc',
        title: 'Đo độ trễ điều khiển camera',
        chairSite: { name: 'UBND tỉnh' },
        startsAt: new Date(now + 60_000).toISOString(),
        endsAt: new Date(now + 1_800_000).toISOString(),
      });
      const kiosk = (path: string) =>
        fetch(`${daemon.kioskUrl}/api${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      if ((await kiosk(`/session/${session.id}/start`)).status !== 200) throw new Error('the session did not start');

      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, hasTouch: true });
      await page.goto(daemon.kioskUrl);
      await page.locator(`#presets [data-preset="${PRESETS[0]}"]:enabled`).waitFor({ timeout: 30_000 });
      await page.evaluate(() =>
        (
          globalThis as unknown as { addEventListener(type: string, listener: () => void, options: object): void }
        ).addEventListener('touchstart', () => ((globalThis as { tapAt?: number }).tapAt = Date.now()), {
          capture: true,
        }),
      );

      /** When the first packet after this call reaches the camera's side. */
      const nextArrival = () => {
        const seen = arrivals.length;
        return waitFor('the camera to hear the recall', () => arrivals[seen], 5000, 1);
      };
      const taps: number[] = [];
      const posts: number[] = [];
      for (let i = 0; i < TAPS; i++) {
        const tapped = nextArrival();
        await page.locator(`#presets [data-preset="${PRESETS[i % 2]!}"]`).tap();
        const tapAt = await page.evaluate(() => (globalThis as { tapAt?: number }).tapAt ?? 0);
        taps.push((await tapped) - tapAt);
        await sleep(300);
        const postedAt = Date.now();
        const posted = nextArrival();
        await kiosk(`/ptz/presets/${PRESETS[(i + 1) % 2]}/recall`);
        posts.push((await posted) - postedAt);
        await sleep(300);
      }
      const tap = summary(taps.slice(2));
      const post = summary(posts.slice(2));
      return [
        {
          name: 'tap → VISCA bytes, median',
          value: tap.median,
          unit: 'ms',
          ratio: { peer: 'HTTP POST of the same recall', value: tap.median / post.median },
          target: '< 100 ms',
        },
        {
          name: 'tap → VISCA bytes, p95',
          value: tap.p95,
          unit: 'ms',
          ratio: { peer: 'HTTP POST of the same recall', value: tap.p95 / post.p95 },
        },
        { name: 'HTTP POST → VISCA bytes, median (the peer)', value: post.median, unit: 'ms' },
      ];
    } finally {
      await browser.close();
      await daemon.stop();
      await camera.unplug();
      await removeTempDir(dir);
    }
  },
};
