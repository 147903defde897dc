import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvents } from '../../kiosk/core/event-bus.js';
import { MediaService } from '../../kiosk/media/media-service.js';
import type { SegmentInfo } from '../../kiosk/media/types.js';
import { freeTcpPort, killAndWait, quietLogger, requireBuiltWorker, testBus } from './helpers.js';
import { smallPlan } from './plan-fixture.js';
import { waitFor } from '../support/wait.js';

const PASSPHRASE = 'mật-khẩu-srt-phòng-tiếp';

/** The chairing site's end: a real SRT listener (AES, same passphrase) writing what it receives to a file. */
function srtListener(port: number, out: string): ChildProcess {
  return spawn(
    'gst-launch-1.0',
    [
      '-q',
      'srtsrc',
      `uri=srt://127.0.0.1:${port}?mode=listener`,
      `passphrase=${PASSPHRASE}`,
      'pbkeylen=32',
      '!',
      'filesink',
      `location=${out}`,
      'sync=false',
    ],
    { stdio: 'ignore' },
  );
}

const size = (path: string) =>
  stat(path).then(
    (s) => s.size,
    () => 0,
  );

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
      plan: smallPlan({
        recording: { segmentSeconds: 2, container: 'matroska', minFreeMegabytes: 0 },
        stream: { kind: 'srt', url: `srt://127.0.0.1:${port}?mode=caller`, passphraseFile, latencyMs: 120 },
      }),
      bus,
      logger: quietLogger(),
      workerLogLevel: 'silent',
    });
    await media.start();
    await media.startRecording({ recordingId: 'stream', dir: join(dir, 'rec'), startIndex: 0 });

    await waitFor('the chairing site to receive the stream', async () => (await size(first)) > 50_000, 25_000, 100);
    await waitFor('the stream to report live', () => states.some((s) => s.state === 'live'), 10_000, 100);
    // The chairing site goes away (network loss): the SRT caller keeps retrying, the recording goes on.
    await killAndWait(listeners.pop());
    const segmentsAtDrop = segments.length;
    await waitFor(
      'segments to keep closing during the outage',
      () => segments.length >= segmentsAtDrop + 2,
      20_000,
      100,
    );

    const second = join(dir, 'received-2.ts');
    listeners.push(srtListener(port, second));
    await waitFor('the stream to reconnect', async () => (await size(second)) > 50_000, 30_000, 100);
    // srtsink usually reconnects without a word; when it does post an error the stream pipeline is
    // restarted ('retrying') and must come back to 'live'. Either way the recording is untouched.
    expect(states.map((s) => s.state).slice(0, 2)).toEqual(['connecting', 'live']);
    await waitFor('the stream to report live again', () => states.at(-1)?.state === 'live', 20_000, 100);

    const stopped = await media.stopRecording();
    expect(stopped.clean).toBe(true);
    // Consecutive indexes: no segment was lost while the stream was down.
    expect(segments.map((s) => s.index)).toEqual(segments.map((_, i) => i));
  }, 120_000);
});

/** The chairing site sends its picture and voice: an SRT listener serving MPEG-TS (H.264 + AAC) with the same passphrase. */
function srtSender(port: number): ChildProcess {
  return spawn(
    'gst-launch-1.0',
    [
      '-q',
      'videotestsrc',
      'is-live=true',
      'pattern=smpte',
      '!',
      'video/x-raw,width=320,height=240,framerate=15/1',
      '!',
      'x264enc',
      'tune=zerolatency',
      'speed-preset=ultrafast',
      'key-int-max=15',
      '!',
      'h264parse',
      '!',
      'queue',
      '!',
      'mux.',
      'audiotestsrc',
      'is-live=true',
      'freq=660',
      '!',
      'audioconvert',
      '!',
      'avenc_aac',
      '!',
      'aacparse',
      '!',
      'queue',
      '!',
      'mux.',
      'mpegtsmux',
      'name=mux',
      'alignment=7',
      '!',
      'srtsink',
      `uri=srt://127.0.0.1:${port}?mode=listener`,
      `passphrase=${PASSPHRASE}`,
      'pbkeylen=32',
      'wait-for-connection=false',
      'sync=false',
    ],
    { stdio: 'ignore' },
  );
}

// About 20 s: the remote feed is lost when the chairing site stops, the recording continues, and it returns.
describe('incoming SRT feed from the chairing site', () => {
  it('is received, lost without stopping the recording, and picked up again', async () => {
    dir = await mkdtemp(join(tmpdir(), 'diemcau-remote-'));
    const passphraseFile = join(dir, 'srt-passphrase');
    await writeFile(passphraseFile, PASSPHRASE, { mode: 0o600 });
    const port = await freeTcpPort();
    listeners.push(srtSender(port));
    const bus = testBus();
    const lost: string[] = [];
    const restored: string[] = [];
    bus.on('mediaSourceLost', (event) => lost.push(event.source));
    bus.on('mediaSourceRestored', (event) => restored.push(event.source));
    const segments: SegmentInfo[] = [];
    bus.on('segmentClosed', (segment) => segments.push(segment));
    media = new MediaService({
      plan: smallPlan({
        remote: { kind: 'srt', url: `srt://127.0.0.1:${port}?mode=caller`, passphraseFile, latencyMs: 120 },
      }),
      bus,
      logger: quietLogger(),
      workerLogLevel: 'silent',
    });
    await media.start();
    await media.startRecording({ recordingId: 'remote', dir: join(dir, 'rec'), startIndex: 0 });
    await waitFor('the remote feed', async () => (await media!.status()).sources.remote === 'ok', 20_000, 100);

    await killAndWait(listeners.pop());
    await waitFor('the remote feed to be reported lost', () => lost.includes('remote'), 20_000, 100);
    const segmentsAtLoss = segments.length;
    listeners.push(srtSender(port));
    await waitFor('the remote feed to return', () => restored.includes('remote'), 30_000, 100);
    await waitFor('recording to go on', () => segments.length > segmentsAtLoss, 20_000, 100);
    expect((await media.stopRecording()).clean).toBe(true);
    expect(segments.map((s) => s.index)).toEqual(segments.map((_, i) => i));
  }, 120_000);
});
