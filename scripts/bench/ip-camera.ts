import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { RtspTestServer } from '../../hal/camera/rtsp/test-server.js';
import { OnvifPtz } from '../../hal/ptz/onvif/driver.js';
import { OnvifCameraEmulator } from '../../hal/ptz/onvif/emulator.js';
import { createEventBus } from '../../kiosk/core/event-bus.js';
import { MediaService } from '../../kiosk/media/media-service.js';
import { meanLuma } from '../../tests/media/luma.js';
import { smallPlan } from '../../tests/media/plan-fixture.js';
import { freePort } from '../../tests/support/free-port.js';
import { waitFor } from '../../tests/support/wait.js';
import { measure } from './ptz.js';
import { percentile } from './stats.js';
import type { BenchFigure, BenchSuite } from './types.js';

const COMMANDS = 300;
const READS = 200;
const FLIPS = 8;
const PASSWORD = 'Bench-Cam-Pass';

/**
 * IP camera figures (issue 12). ONVIF PTZ round trip: the real `onvif` driver (npm onvif client, WS-Security
 * digest) to the ONVIF emulator over loopback HTTP, call → SOAP → answer → promise resolved; the peer is a
 * bare HTTP POST of a SOAP body to the same emulator, so the ratio is what the client library and the
 * driver add. RTSP camera → program latency: GStreamer's RTSP server turns its picture white (or black) at a
 * known instant; the time until the program's preview — taken from the same tee as the recorder — shows it.
 */
export const ipCameraBench: BenchSuite = {
  name: `ip-camera: ONVIF PTZ round trip (${COMMANDS} commands, ${READS} status reads) and RTSP camera → program latency (${FLIPS} flips)`,
  async run(): Promise<BenchFigure[]> {
    return [...(await onvifRoundTrip()), ...(await rtspLatency())];
  },
};

async function onvifRoundTrip(): Promise<BenchFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-onvif-'));
  const passwordFile = join(dir, 'password');
  await writeFile(passwordFile, PASSWORD);
  const camera = new OnvifCameraEmulator({
    username: 'admin',
    password: PASSWORD,
    rtsp: { host: '127.0.0.1', port: 554 },
    discovery: false,
  });
  await camera.plugIn();
  const driver = new OnvifPtz(
    { id: 'ptz' },
    {
      host: '127.0.0.1',
      port: camera.port,
      path: '/onvif/device_service',
      username: 'admin',
      passwordFile,
      timeoutMs: 3000,
      checkMs: 60_000,
    },
  );
  try {
    await driver.start();
    if (driver.status !== 'ok') throw new Error(`driver did not connect: ${driver.snapshot().detail}`);
    const commands = await measure(COMMANDS, (i) =>
      i % 2 === 0 ? driver.move({ pan: 1, tilt: 0, speed: 0.5 }) : driver.stopMove(),
    );
    const reads = await measure(READS, async () => {
      await driver.position();
    });
    const bare = await measure(COMMANDS, () => soapPost(camera.port));
    const peer = 'bare HTTP POST of a SOAP body';
    return [
      {
        name: 'ONVIF command round trip, median (ContinuousMove / Stop)',
        value: commands.median,
        unit: 'ms',
        ratio: { peer, value: commands.median / bare.median },
      },
      {
        name: 'ONVIF command round trip, p95',
        value: commands.p95,
        unit: 'ms',
        ratio: { peer, value: commands.p95 / bare.p95 },
      },
      { name: 'ONVIF position read, median (GetStatus)', value: reads.median, unit: 'ms' },
      { name: 'ONVIF position read, p95', value: reads.p95, unit: 'ms' },
      { name: 'bare SOAP POST to the emulator, median', value: bare.median, unit: 'ms' },
    ];
  } finally {
    await driver.stop();
    await camera.unplug();
    await rm(dir, { recursive: true, force: true });
  }
}

function soapPost(port: number): Promise<void> {
  const body =
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/onvif/device_service',
        method: 'POST',
        headers: { 'content-type': 'application/soap+xml', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve());
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

async function rtspLatency(): Promise<BenchFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-rtsp-'));
  const passwordFile = join(dir, 'password');
  await writeFile(passwordFile, PASSWORD);
  const server = new RtspTestServer({
    port: await freePort(),
    mounts: [{ path: '/main', width: 640, height: 360, fps: 25 }],
    username: 'admin',
    passwordFile,
    bitrateKbps: 800,
  });
  const bus = createEventBus(pino({ level: 'silent' }));
  const latencyMs = 200;
  const media = new MediaService({
    plan: smallPlan({
      camera: { kind: 'rtsp', url: server.url(), latencyMs, username: 'admin', passwordFile },
      remote: { kind: 'none' },
      video: { width: 640, height: 360, fps: 25, bitrateKbps: 800, keyframeSeconds: 0.5 },
      preview: { fps: 15, width: 160 },
    }),
    bus,
    logger: pino({ level: 'silent' }),
    workerLogLevel: 'silent',
  });
  const lumas: { at: number; luma: number }[] = [];
  let decoding = false;
  bus.on('mediaPreview', (jpeg) => {
    const at = Date.now();
    if (decoding) return;
    decoding = true;
    void meanLuma(jpeg)
      .then(
        (luma) => lumas.push({ at, luma }),
        () => undefined,
      )
      .finally(() => (decoding = false));
  });
  try {
    await server.start();
    await media.start();
    await media.startRecording({ recordingId: 'bench-rtsp', dir: join(dir, 'rec'), startIndex: 0 });
    const samples: number[] = [];
    for (let i = 0; i < FLIPS + 1; i++) {
      const white = i % 2 === 0;
      const changedAt = await server.luma(white ? 'white' : 'black');
      const seen = await waitFor(
        'the flipped picture in the program',
        () => lumas.find((l) => l.at > changedAt && (white ? l.luma > 170 : l.luma < 60)),
        20_000,
        10,
      );
      // The first flip also waits for the camera to come up: not a latency.
      if (i > 0) samples.push(seen.at - changedAt);
    }
    await media.stopRecording();
    return [
      {
        name: `RTSP camera → program latency, median (rtspsrc latency=${latencyMs} ms, preview at 15 fps)`,
        value: percentile(samples, 0.5),
        unit: 'ms',
      },
      { name: 'RTSP camera → program latency, p95', value: percentile(samples, 0.95), unit: 'ms' },
    ];
  } finally {
    await media.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
