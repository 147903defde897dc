import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvents } from '../../kiosk/core/event-bus.js';
import { MediaService } from '../../kiosk/media/supervisor.js';
import type { SegmentInfo } from '../../kiosk/media/types.js';
import { freeTcpPort, killAndWait, quietLogger, requireBuiltWorker, testBus, until } from './helpers.js';
import { smallPlan } from './plan-fixture.js';

const PASSPHRASE = 'mật-khẩu-srt-phòng-tiếp';

/** The chairing site's end: a real SRT listener (AES, same passphrase) writing what it receives to a file. */
function srtListener(port: number, out: string): ChildProcess {
  return spawn('gst-launch-1.0', ['-q', 'srtsrc', `uri=srt://127.0.0.1:${port}?mode=listener`, `passphrase=${PASSPHRASE}`, 'pbkeylen=32', '!', 'filesink', `location=${out}`, 'sync=false'], { stdio: 'ignore' });
}

const size = (path: string) => stat(path).then((s) => s.size, () => 0);

let dir: string | undefined;
let media: MediaService | undefined;
const listeners: ChildProcess[] = [];

beforeAll(() => {
  requireBuiltWorker();
});

afterEach(async () => {
  await media?.stop();
  media = undefined;
  for (const listener of listeners.splice(0)) await killAndWait(listener);
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

// Real GStreamer on both ends over loopback SRT; about 30 s.
describe('outgoing SRT stream', () => {
  it('streams encrypted to the chairing site, reconnects after it drops, and the recording never notices', async () => {
    dir = await mkdtemp(join(tmpdir(), 'diemcau-stream-'));
    const passphraseFile = join(dir, 'srt-passphrase');
    await writeFile(passphraseFile, `${PASSPHRASE}\n`, { mode: 0o600 });
    const port = await freeTcpPort();
    const first = join(dir, 'received-1.ts');
    listeners.push(srtListener(port, first));

    const bus = testBus();
    const states: AppEvents['mediaStreamState'][0][] = [];
    bus.on('mediaStreamState', (state) => states.push(state));
    const segments: SegmentInfo[] = [];
    bus.on('segmentClosed', (segment) => segments.push(segment));
    media = new MediaService({
      plan: smallPlan({ recording: { segmentSeconds: 2, container: 'matroska', minFreeMegabytes: 0 }, stream: { kind: 'srt', url: `srt://127.0.0.1:${port}?mode=caller`, passphraseFile, latencyMs: 120 } }),
      bus,
      logger: quietLogger(),
      workerLogLevel: 'silent',
    });
    await media.start();
    await media.startRecording({ recordingId: 'stream', dir: join(dir, 'rec') });

    await until(async () => (await size(first)) > 50_000, 25_000, 'the chairing site to receive the stream');
    await until(() => states.some((s) => s.state === 'live'), 10_000, 'the stream to report live');
    // The chairing site goes away (network loss): the SRT caller keeps retrying, the recording goes on.
    await killAndWait(listeners.pop());
    const segmentsAtDrop = segments.length;
    await until(() => segments.length >= segmentsAtDrop + 2, 20_000, 'segments to keep closing during the outage');

    const second = join(dir, 'received-2.ts');
    listeners.push(srtListener(port, second));
    await until(async () => (await size(second)) > 50_000, 30_000, 'the stream to reconnect');
    expect(states.map((s) => s.state)).toEqual(['connecting', 'live']);

    const stopped = await media.stopRecording();
    expect(stopped.clean).toBe(true);
    // Consecutive indexes: no segment was lost while the stream was down.
    expect(segments.map((s) => s.index)).toEqual(segments.map((_, i) => i));
  }, 120_000);
});
