import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../hal/core/driver.js';
import { RtspCamera } from '../../hal/camera/rtsp/driver.js';
import { RtspTestServer } from '../../hal/camera/rtsp/test-server.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/wait.js';

/** The rtsp camera driver's presence check (OPTIONS) against GStreamer's RTSP server, gone and back. */
describe('rtsp camera driver ↔ a real RTSP server', () => {
  let server: RtspTestServer | undefined;
  let camera: RtspCamera | undefined;

  afterEach(async () => {
    await camera?.stop();
    await server?.stop();
    camera = undefined;
    server = undefined;
  });

  it('absent at start, there, gone, back: failed → ok → connecting → ok, without a restart', async () => {
    server = new RtspTestServer({
      port: await freePort(),
      mounts: [{ path: '/main', width: 320, height: 240, fps: 15 }],
    });
    camera = new RtspCamera(
      { id: 'camera', backoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: 0 } },
      {
        driver: 'rtsp',
        url: server.url(),
        latencyMs: 200,
        width: 320,
        height: 240,
        fps: 15,
        checkMs: 500,
        probeTimeoutMs: 1000,
      },
    );
    const statuses: DeviceStatus[] = [];
    camera.events.on('status', (s) => statuses.push(s.status));
    await camera.start();
    expect(camera.status).toBe('failed');
    await server.start();
    await waitFor('ok once the server listens', () => camera!.status === 'ok', 15_000);
    await server.stop();
    await waitFor('the loss noticed by the periodic probe', () => camera!.status === 'connecting', 15_000);
    await server.start();
    await waitFor('ok again', () => camera!.status === 'ok', 15_000);
    expect(statuses).toEqual(['failed', 'ok', 'connecting', 'ok']);
  }, 60_000);
});
