import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, projectRoot } from '../../config/load.js';
import { createDevices } from '../../hal/registry.js';
import { createChecks } from '../../kiosk/readiness/checks/index.js';
import { GstProbe } from '../../kiosk/readiness/gst-probe.js';
import { runChecks } from '../../kiosk/readiness/runner.js';
import type { ReadinessTarget } from '../../kiosk/readiness/types.js';
import { expectedRecordingBytes } from '../../kiosk/session/recording-size.js';
import type { BenchFigure, BenchSuite } from './types.js';
import { createEventBus } from '../../kiosk/core/event-bus.js';
import { createLogger } from '../../kiosk/core/logger.js';
import { planFromConfig } from '../../kiosk/media/plan.js';
import { MediaService } from '../../kiosk/media/media-service.js';
import { recordTestClip } from '../../kiosk/recording/test-recording.js';
import { readDiskSpace } from '../../kiosk/evidence/disk.js';
import { admission, storagePolicyFrom } from '../../kiosk/media/storage-policy.js';
import { median } from './stats.js';

/**
 * Wall time of a full readiness test (kiểm thử) in simulation: sim devices from the embedded
 * config, the real gst-launch/ffprobe probes, the media worker for the test recording, a TCP
 * listener on 127.0.0.1 as the chairing site.
 *
 * Peers, measured in the same run on the same checks:
 * - the same checks run one after another (what a plain loop would cost): the ratio is what running
 *   them at once (camera/microphone users still serialised) saves;
 * - the 5-second test recording check alone: the floor a run cannot go below, since the
 *   regulation's test recording must last 5 s; the ratio is the overhead of everything else.
 * Median of 3 each, interleaved so machine load affects all three alike.
 */
const rounds = 3;

export const readinessBench: BenchSuite = {
  name: 'readiness',
  async run(): Promise<BenchFigure[]> {
    const config = simConfig();
    const dir = await mkdtemp(join(tmpdir(), 'diemcau-bench-readiness-'));
    const devices = await createDevices(config.hal, {});
    const listener = createServer((socket) => socket.destroy());
    const media = new MediaService({
      plan: planFromConfig(config),
      bus: createEventBus(createLogger('silent')),
      logger: createLogger('silent'),
      workerLogLevel: 'silent',
    });
    try {
      await media.start();
      await Promise.all(Object.values(devices).map((device) => device.start()));
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const target: ReadinessTarget = {
        sessionId: null,
        durationSeconds: 20 * 60,
        endpoint: { host: '127.0.0.1', port: (listener.address() as { port: number }).port },
      };
      const checks = () =>
        createChecks({
          devices: () => devices,
          media: new GstProbe(config.hal.camera, config.hal.audio),
          admit: async (bytes) => admission(await readDiskSpace(dir), bytes, storagePolicyFrom(config)),
          recorder: { testRecording: (seconds, signal) => recordTestClip(media, join(dir, 'test'), seconds, signal) },
          expectedBytes: (seconds) =>
            expectedRecordingBytes(
              { videoKbps: config.media.video.bitrateKbps, audioKbps: config.media.audioBitrateKbps },
              seconds,
            ),
          upsMarginSeconds: config.hal.power.marginSeconds,
          videoFps: config.media.video.fps,
        });
      const timed = async (work: () => Promise<{ results: { id: string; status: string }[] }>) => {
        const started = performance.now();
        const { results } = await work();
        const ms = performance.now() - started;
        const broken = results.filter((r) => r.status === 'fail' && r.id !== 'clock');
        if (broken.length > 0) throw new Error(`checks failed in sim: ${broken.map((r) => r.id).join(', ')}`);
        return ms;
      };
      const concurrent: number[] = [];
      const sequential: number[] = [];
      const recordingOnly: number[] = [];
      for (let i = 0; i < rounds; i++) {
        concurrent.push(await timed(() => runChecks(checks(), target)));
        sequential.push(await timed(() => runChecks(checks(), target, { concurrent: false })));
        recordingOnly.push(
          await timed(() =>
            runChecks(
              checks().filter((c) => c.id === 'test-recording'),
              target,
            ),
          ),
        );
      }
      const full = median(concurrent);
      return [
        {
          name: 'full readiness run (10 checks, concurrent), median of 3',
          value: full / 1000,
          unit: 's',
          ratio: { peer: 'same checks run sequentially', value: full / median(sequential) },
        },
        {
          name: 'full readiness run vs the 5-second test recording alone',
          value: full / 1000,
          unit: 's',
          ratio: {
            peer: `test recording check alone (${(median(recordingOnly) / 1000).toFixed(2)} s)`,
            value: full / median(recordingOnly),
          },
        },
        { name: 'same checks run sequentially, median of 3', value: median(sequential) / 1000, unit: 's' },
      ];
    } finally {
      await media.stop();
      await Promise.all(Object.values(devices).map((device) => device.stop()));
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/**
 * The embedded sim config with the in-process sim UPS, whose readings these checks drive directly
 * (default.json may pick an emulated NUT UPS instead).
 */
function simConfig() {
  const raw = JSON.parse(readFileSync(join(projectRoot(), 'config', 'default.json'), 'utf8'));
  raw.hal.ups = { driver: 'sim', runtimeSeconds: 1800 };
  return parseConfig(raw);
}
