import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/load.js';
import { createEventBus } from '../core/event-bus.js';
import { createLogger } from '../core/logger.js';
import { planFromConfig } from '../media/plan.js';
import { MediaService } from '../media/media-service.js';
import type { SegmentInfo } from '../media/types.js';
import { UsageError, type Command } from './command.js';

export const recordCommand: Command = {
  name: 'record',
  summary:
    'record the configured program (simulated sources by default) for N seconds; prints each segment with its SHA-256',
  usage: 'record --seconds N --out DIR [--config FILE] [--id RECORDING_ID]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        seconds: { type: 'string' },
        out: { type: 'string' },
        config: { type: 'string', short: 'c' },
        id: { type: 'string' },
      },
      strict: true,
    });
    const seconds = Number(values.seconds);
    if (!values.seconds || !Number.isFinite(seconds) || seconds <= 0 || seconds > 24 * 3600)
      throw new UsageError('--seconds must be a positive number');
    if (!values.out) throw new UsageError('--out DIR is required');
    let config: ReturnType<typeof loadConfig>['config'];
    try {
      config = loadConfig(values.config).config;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    // Logs go to stderr: stdout carries only the segment list, for scripts.
    const logger = createLogger(process.env.DIEMCAU_LOG_LEVEL ?? 'warn', {
      write: (line: string) => process.stderr.write(line),
    });
    const bus = createEventBus(logger);
    const segments: SegmentInfo[] = [];
    bus.on('segmentClosed', (segment) => {
      segments.push(segment);
      process.stdout.write(
        `segment ${segment.index} ${segment.path} ${segment.durationSeconds.toFixed(3)}s ${segment.sizeBytes} bytes sha256 ${segment.sha256}\n`,
      );
    });
    bus.on('mediaSourceLost', ({ source, reason }) => process.stderr.write(`source lost: ${source} (${reason})\n`));
    bus.on('mediaSourceRestored', ({ source, downSeconds }) =>
      process.stderr.write(`source restored: ${source} after ${downSeconds.toFixed(1)} s\n`),
    );
    const media = new MediaService({
      plan: planFromConfig(config),
      bus,
      logger: logger.child({ component: 'media' }),
      workerLogLevel: process.env.DIEMCAU_LOG_LEVEL ?? 'warn',
      timeZone: config.room.timezone,
    });
    const recordingId =
      values.id ??
      `test-${new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}`;
    await media.start();
    try {
      const dir = resolve(values.out);
      // A test recording never writes beside other files: evidence folders hold one recording each.
      if (
        await readdir(dir).then(
          (names) => names.length > 0,
          () => false,
        )
      )
        throw new Error(`${dir} is not empty; give a new folder`);
      const { startedAt } = await media.startRecording({
        recordingId,
        dir,
        sessionLabel: 'ghi thử / test recording',
        startIndex: 0,
      });
      process.stderr.write(`recording ${recordingId} started at ${startedAt}\n`);
      await new Promise((done) => setTimeout(done, seconds * 1000));
      const result = await media.stopRecording({ deadlineMs: 15_000 });
      process.stdout.write(
        `recording ${recordingId}: ${segments.length} segment(s), ${result.clean ? 'finalized' : 'NOT finalized (stop timed out)'}\n`,
      );
      return result.clean ? 0 : 1;
    } finally {
      await media.stop();
    }
  },
};
