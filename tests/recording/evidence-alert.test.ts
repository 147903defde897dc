import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCentral, type Central } from '../support/central.js';
import { startDaemon, verifyWithCli, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { addConsoleUser, call, login, sessionBody } from '../session/helpers.js';
import { waitFor } from '../support/wait.js';

/**
 * A seal that is refused (the folder already holds a manifest, e.g. one copied in by hand or by a
 * botched restore) must not overwrite it, must not pass silently: central monitoring gets an
 * evidence alert and the health report names the recording. Real daemon, real nats-server (central monitoring), real GStreamer.
 */
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a refused seal', () => {
  let dir: string | undefined;
  let daemon: DaemonHandle | undefined;
  let central: Central | undefined;

  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    daemon = undefined;
    await central?.close();
    central = undefined;
    await removeTempDir(dir);
    dir = undefined;
  });

  it('keeps the manifest already in the folder, alerts central monitoring within 2 s and shows in health; the next session seals normally', async () => {
    dir = await makeTempDir('seal-refused');
    central = await startCentral();
    const fleet = central.fleetConfig();
    const configPath = writeTestConfig(dir, (config) => {
      config.fleet = fleet;
    });
    await addConsoleUser(configPath, 'canbo', 'officer', 'mat-khau-thu-nghiem');
    daemon = await startDaemon(configPath, { readyTimeoutMs: 40_000 });
    const officer = await login(daemon.consoleUrl, 'canbo', 'mat-khau-thu-nghiem');
    const recordings = join(dir, 'data', 'recordings');

    const record = async (seconds: number, duringRecording?: (recordingId: string) => Promise<void>) => {
      const created = await call('POST', `${daemon!.consoleUrl}/api/schedule`, sessionBody(), officer);
      expect(created.status, created.text).toBe(201);
      const id: string = created.json.session.id;
      const started = await call('POST', `${daemon!.kioskUrl}/api/session/${id}/start`);
      expect(started.status, started.text).toBe(200);
      const recordingId: string = started.json.session.recordingId;
      await sleep(seconds * 1000);
      await duringRecording?.(recordingId);
      const ended = await call('POST', `${daemon!.kioskUrl}/api/session/${id}/end`, { reason: 'hết giờ' });
      expect(ended.status, ended.text).toBe(200);
      expect(ended.json.session.state).toBe('closed');
      return { id, recordingId, endedAt: Date.now() };
    };

    const first = await record(2);
    // While the second session records, the first one's manifest lands in its folder.
    let foreignHash = '';
    const second = await record(3, async (recordingId) => {
      const foreign = join(recordings, recordingId, 'manifest.json');
      await copyFile(join(recordings, first.recordingId, 'manifest.json'), foreign);
      foreignHash = await sha256(foreign);
    });

    const alert = await waitFor(
      'the evidence alert at central monitoring',
      async () => (await central!.events('evidence-alert'))[0] as any,
      2000,
      100,
    );
    expect(alert).toMatchObject({
      severity: 'critical',
      alert: { key: `evidence:${second.recordingId}`, state: 'raised' },
    });
    expect(Date.parse(alert.at) - second.endedAt).toBeLessThan(2000);
    expect(alert.data).toMatchObject({ code: 'seal-refused', recordingId: second.recordingId, sessionId: second.id });
    expect(alert.data.message).toContain(first.recordingId);
    // The manifest in the folder was not overwritten; the recording is not signed, and the verifier says so.
    expect(await sha256(join(recordings, second.recordingId, 'manifest.json'))).toBe(foreignHash);
    expect((await verifyWithCli(join(recordings, second.recordingId))).code).not.toBe(0);
    const health = await call('GET', `${daemon.kioskUrl}/api/health`);
    expect(health.json.recording.sealFailure).toMatchObject({ recordingId: second.recordingId });
    const catalogued = await call(
      'GET',
      `${daemon.consoleUrl}/api/evidence/recordings/${second.recordingId}`,
      undefined,
      officer,
    );
    expect(catalogued.json.recording?.sealedAt ?? catalogued.json.sealedAt ?? null).toBeNull();

    // The next session of the day is sealed as usual, and the first is untouched.
    const third = await record(2);
    expect((await verifyWithCli(join(recordings, third.recordingId))).code).toBe(0);
    expect((await verifyWithCli(join(recordings, first.recordingId))).code).toBe(0);
    expect(
      (await readdir(join(recordings, third.recordingId))).filter((n) => n.endsWith('.mkv')).length,
    ).toBeGreaterThan(0);
    expect(await central.events('evidence-alert')).toHaveLength(1);
  }, 180_000);
});
