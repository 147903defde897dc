import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { probeSegmentTiming } from '../../kiosk/media/segment-timing.js';
import { launchChromium } from '../support/browser.js';
import type { Browser } from 'playwright-core';
import { startCentral, type Central } from '../support/central.js';
import { startDaemon, verifyWithCli, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { addConsoleUser, call, login, sessionBody } from '../session/helpers.js';
import { waitFor } from '../support/wait.js';

/**
 * The room's data disk fills up during a session: a real tmpfs holds the database and the
 * recordings (as on a device's data partition), and another writer fills it to the last byte.
 */

function tryMount(dir: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160m', 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  }
}

/** Writes until the filesystem refuses: the disk is then full to the last block. */
async function fillDisk(path: string): Promise<number> {
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(1 << 20, 7);
  let written = 0;
  try {
    for (;;) {
      try {
        written += (await handle.write(chunk)).bytesWritten;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw error;
      }
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
  return written;
}

const decodes = (path: string) =>
  new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'], (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    ),
  );

describe('a disk that fills during a session', () => {
  let dir: string | undefined;
  let mounted: string | undefined;
  let daemon: DaemonHandle | undefined;
  let central: Central | undefined;
  let browser: Browser | undefined;

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    await daemon?.stop('SIGKILL');
    daemon = undefined;
    await central?.close();
    central = undefined;
    if (mounted) execFileSync('umount', ['-l', mounted]);
    mounted = undefined;
    await removeTempDir(dir);
    dir = undefined;
  });

  it('finalizes the open segment, keeps the session honest, lets End work and seals every segment', async (context) => {
    // What the daemon said, for a failure that only shows on a loaded machine.
    let logs: Record<string, unknown>[] = [];
    onTestFailed(() =>
      console.log(
        'daemon warnings and errors:',
        JSON.stringify(
          logs
            .filter((l) => ['warn', 'error', 'fatal'].includes(String(l.level)))
            .map((l) => ({ time: l.time, component: l.component, msg: l.msg, err: l.err })),
        ),
      ),
    );
    dir = await makeTempDir('disk-full');
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const refused = tryMount(dataDir);
    // Mounting needs root (CAP_SYS_ADMIN); CI and the developers' machines run as root, a laptop may not.
    if (refused) return context.skip(`cannot mount a tmpfs here: ${refused}`);
    mounted = dataDir;
    // Central monitoring (a real nats-server) must learn of the stop too; the outbox is in the full disk's database.
    central = await startCentral();
    const fleet = central.fleetConfig();
    const configPath = writeTestConfig(dir, (config) => {
      config.fleet = fleet;
      config.media.recording = { ...config.media.recording, segmentSeconds: 10, minFreeMegabytes: 50 };
      // A small disk: admit a short session on it without the production reserve of 2 GiB.
      config.evidence = {
        ...config.evidence,
        disk: { warnFreePercent: 2, criticalFreePercent: 1, reserveBytes: 0, checkIntervalSeconds: 3600 },
      };
    });
    await addConsoleUser(configPath, 'canbo', 'officer', 'mat-khau-thu-nghiem');
    daemon = await startDaemon(configPath, { readyTimeoutMs: 40_000 });
    logs = daemon.logs;
    const officer = await login(daemon.consoleUrl, 'canbo', 'mat-khau-thu-nghiem');

    const now = Date.now();
    const created = await call(
      'POST',
      `${daemon.consoleUrl}/api/schedule`,
      sessionBody({ startsAt: new Date(now - 30_000).toISOString(), endsAt: new Date(now + 60_000).toISOString() }),
      officer,
    );
    expect(created.status, created.text).toBe(201);
    const id: string = created.json.session.id;
    const started = await call('POST', `${daemon.kioskUrl}/api/session/${id}/start`);
    expect(started.status, started.text).toBe(200);
    const recordingId: string = started.json.session.recordingId;
    const folder = join(dataDir, 'recordings', recordingId);
    await waitFor(
      'the first segment',
      async () => ((await readdir(folder)).some((n) => n.endsWith('.mkv')) ? true : undefined),
      10_000,
      100,
    );
    // The officer's touchscreen, in real Chromium, showing the live session.
    browser = await launchChromium();
    const kiosk = await browser.newPage({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    await kiosk.goto(daemon.kioskUrl);
    await kiosk.locator('#recorder-stopped').waitFor({ state: 'hidden' });
    await new Promise((resolve) => setTimeout(resolve, 3000));

    // Another writer takes every free byte at once.
    const filledAt = Date.now();
    // fillDisk returns only once a write was refused with ENOSPC: the disk was full to the last block then.
    // (Free space read afterwards is not that moment: the daemon may already have released its 16 MiB reserve.)
    expect(await fillDisk(join(dataDir, 'filler.bin'))).toBeGreaterThan(0);

    // Within 2 s of the recorder stopping, the session, the health report, the kiosk's data and central monitoring say so.
    const stopLogged = await waitFor(
      'the recorder to stop',
      async () => daemon!.logs.find((entry) => entry.msg === 'recording stopped by itself'),
      15_000,
      100,
    );
    console.log(
      `disk full → recording finalized and reported by the worker: ${Date.parse(String(stopLogged.time)) - filledAt} ms`,
    );
    const stoppedHealth = await waitFor(
      'the health report to show the stopped recording',
      async () => {
        const health = await call('GET', `${daemon!.kioskUrl}/api/health`);
        return health.json.recording?.state === 'stopped' ? health.json : undefined;
      },
      2000,
      100,
    );
    expect(stoppedHealth.status).toBe('degraded');
    const current = await waitFor(
      'the kiosk session view to show the stopped recording',
      async () => {
        const view = (await call('GET', `${daemon!.kioskUrl}/api/session/current`)).json.session;
        return view?.recorderStopped ? view : undefined;
      },
      2000,
      100,
    );
    expect(current).toMatchObject({
      id,
      state: 'live',
      recorderStopped: { cause: expect.stringMatching(/disk-full|failure/) },
    });
    await kiosk.locator('#recorder-stopped').waitFor({ state: 'visible', timeout: 2000 });
    expect(await kiosk.locator('#recorder-stopped strong').textContent()).toBe('KHÔNG GHI HÌNH');
    const fleetView = await waitFor(
      'central monitoring to receive the session view with the stopped recorder',
      async () => {
        const event = (await central!.events('session')).find((e) => (e.data as any).session?.recorderStopped);
        return (event?.data as any)?.session;
      },
      2000,
      100,
    );
    expect(fleetView).toMatchObject({
      id,
      state: 'live',
      recorderStopped: { cause: expect.stringMatching(/disk-full|failure/) },
    });

    // End works on the full disk (the database's reserve was released) and closes the session.
    const ended = await call('POST', `${daemon.kioskUrl}/api/session/${id}/end`, { reason: 'đĩa đầy' });
    expect(ended.status, ended.text).toBe(200);
    expect(['closed', 'failed']).toContain(ended.json.session.state);

    // Every segment on disk is in the signed manifest, with its duration from its packets, and decodes to its end.
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
    const files = (await readdir(folder)).filter((n) => n.endsWith('.mkv')).sort();
    expect(manifest.segments.map((s: { name: string }) => s.name).sort()).toEqual(files);
    for (const segment of manifest.segments as { name: string; durationSeconds: number | null }[]) {
      const timing = await probeSegmentTiming(join(folder, segment.name));
      expect(timing, segment.name).not.toBeNull();
      expect(segment.durationSeconds).toBeGreaterThan(0);
      expect(Math.abs(segment.durationSeconds! - timing!.durationSeconds), segment.name).toBeLessThan(0.6);
      const decoded = await decodes(join(folder, segment.name));
      expect(decoded.code, decoded.stderr).toBe(0);
    }
    const verified = await verifyWithCli(folder);
    expect(verified.code, verified.stdout).toBe(0);
    const report = await call('GET', `${daemon.consoleUrl}/api/sessions/${id}/report`, undefined, officer);
    const stop = report.json.events.find((e: { type: string }) => e.type === 'recording-stopped');
    expect(stop?.data.recordingId).toBe(recordingId);
    expect(manifest.events.map((e: { type: string }) => e.type)).toContain('recording-stopped');
  }, 120_000);
});
