import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../hal/core/driver.js';
import { cameraConfig } from '../../../hal/camera/config.js';
import { RtspCamera } from '../../../hal/camera/rtsp/driver.js';
import { V4l2Camera } from '../../../hal/camera/v4l2/driver.js';
import { FakeExecutables } from '../fake-executables.js';
import { waitFor } from '../../support/wait.js';

const fastRetry = { initialMs: 30, maxMs: 100, factor: 1.5, jitter: 0 };

// No camera exists here: the "device node" is a file in a temp folder laid out like /dev/v4l/by-id
// (real fs, real fs.watch), and a fake v4l2-ctl answers `--all` as for a UVC webcam.
describe('V4l2Camera against a temp /dev and a fake v4l2-ctl', () => {
  let dev: string;
  let node: string;
  let bin: FakeExecutables;
  let camera: V4l2Camera;

  beforeEach(async () => {
    dev = await mkdtemp(join(tmpdir(), 'diemcau-dev-'));
    await mkdir(join(dev, 'v4l', 'by-id'), { recursive: true });
    node = join(dev, 'v4l', 'by-id', 'usb-HD_Pro_Webcam_C920-video-index0');
    bin = await FakeExecutables.create();
    await bin.add(
      'v4l2-ctl',
      `
[ -e "$2" ] || { echo "Cannot open device $2, exiting." >&2; exit 1; }
printf 'Driver Info:\\n\\tDriver name      : uvcvideo\\n\\tCard type        : HD Pro Webcam C920\\n\\tBus info         : usb-0000:00:14.0-1\\n\\tDevice Caps      : 0x04200001\\n\\t\\tVideo Capture\\n\\t\\tStreaming\\nFormat Video Capture:\\n\\tWidth/Height      : 1920/1080\\n\\tPixel Format      : '"'"'MJPG'"'"' (Motion-JPEG)\\n'`,
    );
    const parsed = cameraConfig.parse({ driver: 'v4l2', device: '/dev/video0' });
    if (parsed.driver !== 'v4l2') throw new Error('unreachable');
    // The schema wants a /dev path; the test's node lives in a temp folder.
    const options = { ...parsed, device: node };
    // A long poll: the unplug below must be seen through fs.watch, not the fallback poll.
    camera = new V4l2Camera({ id: 'camera', backoff: fastRetry }, options, bin.runner(), { pollMs: 60_000 });
  });
  afterEach(async () => {
    await camera.stop();
    await bin.remove();
    await rm(dev, { recursive: true, force: true });
  });

  it('is failed while the node is absent and opens once it appears', async () => {
    await camera.start();
    expect(camera.status).toBe('failed');
    expect(camera.snapshot().detail).toMatch(/is not present/);
    await writeFile(node, '');
    await waitFor('camera to open', () => camera.status === 'ok', 10_000);
    expect(camera.info).toMatchObject({
      driver: 'uvcvideo',
      card: 'HD Pro Webcam C920',
      width: 1920,
      pixelFormat: 'MJPG',
    });
    expect(await bin.calls('v4l2-ctl')).toContain(`-d ${node} --all`);
  });

  it('reports an unplug at once and is reopened when the camera comes back', async () => {
    await writeFile(node, '');
    await camera.start();
    expect(camera.status).toBe('ok');
    const seen: DeviceStatus[] = [];
    camera.events.on('status', (s) => seen.push(s.status));
    await rm(node);
    await waitFor('unplug to be noticed', () => camera.status === 'connecting', 10_000);
    expect(camera.snapshot().detail).toMatch(/disappeared/);
    await writeFile(node, '');
    await waitFor('camera to come back', () => camera.status === 'ok', 10_000);
    expect(seen[0]).toBe('connecting');
    expect(seen.at(-1)).toBe('ok');
  });

  it('refuses a node that cannot capture (a UVC metadata node) as bad-config', async () => {
    await bin.add(
      'v4l2-ctl',
      `printf 'Driver Info:\\n\\tDriver name      : uvcvideo\\n\\tDevice Caps      : 0x04a00000\\n\\t\\tMetadata Capture\\n\\t\\tStreaming\\n'`,
    );
    await writeFile(node, '');
    await camera.start();
    expect(camera.status).toBe('bad-config');
    expect(camera.snapshot().detail).toMatch(/cannot capture video/);
  });
});

type Mode = 'ok' | 'unauthorized' | 'not-found' | 'silent' | 'garbage' | 'http';

/** A tiny RTSP server on 127.0.0.1 answering OPTIONS in the chosen mode. */
class RtspResponder {
  mode: Mode = 'ok';
  requests: string[] = [];
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  async listen(port = 0): Promise<void> {
    this.#server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      let buffer = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        if (!buffer.includes('\r\n\r\n')) return;
        this.requests.push(buffer);
        const cseq = /CSeq: (\d+)/.exec(buffer)?.[1] ?? '0';
        buffer = '';
        switch (this.mode) {
          case 'ok':
            socket.write(
              `RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n`,
            );
            break;
          case 'unauthorized':
            socket.write(`RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq}\r\nWWW-Authenticate: Basic realm="cam"\r\n\r\n`);
            break;
          case 'not-found':
            socket.write(`RTSP/1.0 404 Not Found\r\nCSeq: ${cseq}\r\n\r\n`);
            break;
          case 'garbage':
            socket.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42, 0x0d, 0x0a, 0x0d, 0x0a]));
            break;
          case 'http':
            socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
            break;
          case 'silent':
            break;
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.#server!.once('error', reject);
      this.#server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server = undefined;
  }
}

describe('RtspCamera against an RTSP responder on 127.0.0.1', () => {
  let responder: RtspResponder;
  let camera: RtspCamera | undefined;

  const make = (overrides: { probeTimeoutMs?: number; checkMs?: number; credentials?: string } = {}) => {
    const options = cameraConfig.parse({
      driver: 'rtsp',
      url: `rtsp://${overrides.credentials ?? ''}127.0.0.1:${responder.port}/stream1`,
      probeTimeoutMs: overrides.probeTimeoutMs ?? 2000,
      checkMs: overrides.checkMs ?? 60_000,
    });
    if (options.driver !== 'rtsp') throw new Error('unreachable');
    camera = new RtspCamera({ id: 'camera', backoff: fastRetry }, options);
    return camera;
  };

  beforeEach(async () => {
    responder = new RtspResponder();
    await responder.listen();
  });
  afterEach(async () => {
    await camera?.stop();
    camera = undefined;
    await responder.close();
  });

  it('is ok once OPTIONS is answered, and never sends the URL credentials', async () => {
    const cam = make({ credentials: 'admin:s3cret@' });
    await cam.start();
    expect(cam.status).toBe('ok');
    expect(responder.requests[0]).toBe(
      `OPTIONS rtsp://127.0.0.1:${responder.port}/stream1 RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: diemcau\r\n\r\n`,
    );
    expect(responder.requests.join('')).not.toContain('s3cret');
  });

  it('counts 401 as present (the pipeline authenticates)', async () => {
    responder.mode = 'unauthorized';
    const cam = make();
    await cam.start();
    expect(cam.status).toBe('ok');
  });

  it.each<[Mode, RegExp]>([
    ['silent', /no RTSP answer .* within 300 ms/],
    ['garbage', /not an RTSP answer/],
    ['http', /not an RTSP answer: "HTTP\/1.1/],
    ['not-found', /RTSP 404 Not Found/],
  ])('fails when the server is %s', async (mode, detail) => {
    responder.mode = mode;
    const cam = make({ probeTimeoutMs: 300 });
    await cam.start();
    expect(cam.status).toBe('failed');
    expect(cam.snapshot().detail).toMatch(detail);
  });

  it('fails on a refused connection', async () => {
    const port = responder.port;
    await responder.close();
    responder.port = port;
    const cam = make();
    await cam.start();
    expect(cam.status).toBe('failed');
    expect(cam.snapshot().detail).toMatch(/ECONNREFUSED/);
  });

  it('notices the camera going away between checks and reconnects when it returns', async () => {
    const cam = make({ checkMs: 500, probeTimeoutMs: 500 });
    await cam.start();
    expect(cam.status).toBe('ok');
    const port = responder.port;
    await responder.close();
    await waitFor('loss to be noticed', () => cam.status === 'connecting', 10_000);
    responder = new RtspResponder();
    await responder.listen(port);
    await waitFor('camera to come back', () => cam.status === 'ok', 10_000);
  });
});
