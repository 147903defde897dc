import { mkdir } from 'node:fs/promises';
import { createSocket } from 'node:dgram';
import { createLogger } from '../../core/logger.js';
import { defaultBackoff } from '../../../hal/core/backoff.js';
import { commandSchema, type StopResult, type WorkerCommand, type WorkerEvent, type WorkerStatus } from '../ipc.js';
import type { RecordingStopCause } from '../events.js';
import type { MediaPlan } from '../plan.js';
import { capturesFor } from '../pipelines/capture.js';
import { chooseEncoder } from '../pipelines/encoder.js';
import { streamLaunch } from '../pipelines/stream.js';
import { sha256File } from '../../core/hashing.js';
import { cutSegmentSpan } from './cut-segment.js';
import { FreeSpaceRate, freeBytes } from './disk-watch.js';
import { recorderVerdict, type RecorderVerdict } from '../storage-policy.js';
import { probeEncoders } from './probe.js';
import { ProgramRunner } from './program-runner.js';
import { SupervisedPipeline } from './supervised-pipeline.js';
import { stat } from 'node:fs/promises';
import { describeError } from '../../../hal/core/describe-error.js';

/**
 * The media worker: a child process owning every GStreamer pipeline, driven by the supervisor
 * over IPC. Captures and the program run only while recording (started on demand).
 */
const logger = createLogger(process.env.DIEMCAU_LOG_LEVEL ?? 'info').child({ component: 'media-worker' });
const CAPTURE_BACKOFF = { ...defaultBackoff, initialMs: 500, maxMs: 10_000 };
const DISK_CHECK_MS = 250;

interface Engine {
  plan: MediaPlan;
  encoder: ReturnType<typeof chooseEncoder>;
  captures: Map<string, SupervisedPipeline>;
  stream?: SupervisedPipeline;
  program: ProgramRunner;
}

let engine: Engine | undefined;
let diskTimer: NodeJS.Timeout | undefined;
let diskState: RecorderVerdict = 'record';

function emit(event: WorkerEvent): void {
  process.send?.({ type: 'event', event });
}

function reply(id: number, ok: boolean, payload: { result?: unknown; error?: string }): void {
  process.send?.({ type: 'reply', id, ok, ...payload });
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function configure(plan: MediaPlan): Promise<{ encoder: string }> {
  if (engine) throw new Error('already configured');
  const encoder = chooseEncoder(plan.encoder, await probeEncoders());
  const hopPort = plan.stream.kind === 'srt' || plan.stream.kind === 'rtmp' ? await freeUdpPort() : undefined;
  const program = new ProgramRunner(
    plan,
    encoder,
    hopPort,
    emit,
    logger,
    (detail) => void stopRecording(2000, 'failure', detail),
  );
  const captures = new Map<string, SupervisedPipeline>();
  for (const spec of capturesFor(plan)) {
    captures.set(
      spec.role,
      new SupervisedPipeline({
        name: spec.role,
        launch: spec.launch,
        ...(spec.secret ? { secret: spec.secret } : {}),
        heartbeat: true,
        backoff: CAPTURE_BACKOFF,
        logger,
        onDown: (reason) => {
          program.setSlate(spec.role, true);
          emit({ type: 'sourceLost', source: spec.role, reason });
        },
        onUp: (downSeconds) => {
          program.setSlate(spec.role, false);
          emit({ type: 'sourceRestored', source: spec.role, downSeconds });
        },
      }),
    );
  }
  const streamSpec = hopPort ? streamLaunch(plan.stream, hopPort) : undefined;
  const stream = streamSpec
    ? new SupervisedPipeline({
        name: 'stream',
        launch: streamSpec.launch,
        ...(streamSpec.secret ? { secret: streamSpec.secret } : {}),
        heartbeat: false,
        backoff: CAPTURE_BACKOFF,
        logger,
        onDown: (reason) => emit({ type: 'streamState', state: 'retrying', detail: reason }),
        // srtsink (caller) reconnects by itself when the far end drops, without an error on the bus:
        // "live" means playing without an error, not that the chairing site is receiving right now.
        onUp: () => undefined,
        onHealthy: () => emit({ type: 'streamState', state: 'live' }),
      })
    : undefined;
  engine = { plan, encoder, captures, program, ...(stream ? { stream } : {}) };
  logger.info({ encoder, sources: [...captures.keys()], stream: plan.stream.kind }, 'media worker configured');
  return { encoder };
}

function requireEngine(): Engine {
  if (!engine) throw new Error('not configured');
  return engine;
}

async function startRecording(
  command: Extract<WorkerCommand, { type: 'startRecording' }>,
): Promise<{ startedAt: string }> {
  const { captures, program, stream, plan } = requireEngine();
  await mkdir(command.dir, { recursive: true });
  for (const orphan of command.orphans) await reportOrphan(command.recordingId, orphan);
  for (const capture of captures.values()) await capture.start();
  if (stream && command.stream) {
    await stream.start();
    emit({ type: 'streamState', state: 'connecting' });
  }
  const startedAt = await program.start({
    recordingId: command.recordingId,
    dir: command.dir,
    sessionLabel: command.sessionLabel,
    startIndex: command.startIndex,
  });
  watchDisk(command.dir, plan.recording.minFreeMegabytes * 1024 * 1024);
  return { startedAt };
}

/**
 * A segment a crashed worker left open: Matroska/MPEG-TS written so far is playable, so hash and
 * report it, with its duration from its packets (a cut file has no container duration).
 */
async function reportOrphan(
  recordingId: string,
  orphan: { index: number; path: string; openedAt: string; lastSeenAt: string },
): Promise<void> {
  try {
    const [{ sha256 }, info, span] = await Promise.all([
      sha256File(orphan.path),
      stat(orphan.path),
      cutSegmentSpan(orphan.path, Date.parse(orphan.openedAt), Date.parse(orphan.lastSeenAt)),
    ]);
    const endedAt = new Date(span.endedAtMs).toISOString();
    emit({
      type: 'segmentClosed',
      recovered: true,
      segment: {
        recordingId,
        index: orphan.index,
        path: orphan.path,
        sizeBytes: info.size,
        durationSeconds: span.durationSeconds,
        sha256,
        startedAt: orphan.openedAt,
        endedAt,
      },
    });
  } catch (error) {
    emit({ type: 'error', code: 'orphan-segment-unreadable', message: `${orphan.path}: ${describeError(error)}` });
  }
}

/** Stops the recording once, whoever asks first (the supervisor, the disk watch, a pipeline failure). */
let stopping: Promise<StopResult> | undefined;

async function stopRecording(
  deadlineMs: number,
  cause: RecordingStopCause = 'requested',
  detail?: string,
): Promise<StopResult> {
  const { captures, program, stream } = requireEngine();
  const recordingId = program.recording?.recordingId;
  if (!recordingId) return stopping ?? { clean: true, timedOut: false, segments: 0 };
  if (stopping) return stopping;
  clearInterval(diskTimer);
  diskTimer = undefined;
  stopping = (async () => {
    const result = await program.stop(deadlineMs);
    for (const capture of captures.values()) capture.stop();
    if (stream) {
      stream.stop();
      emit({ type: 'streamState', state: 'off' });
    }
    emit({ type: 'recordingStopped', recordingId, result, cause, ...(detail ? { detail } : {}) });
    return result;
  })();
  try {
    return await stopping;
  } finally {
    stopping = undefined;
  }
}

/**
 * Samples free space often and finalizes the recording while the writes expected before the next
 * decision still fit above the policy's floor (kiosk/recording/storage-policy.ts).
 */
function watchDisk(dir: string, floorBytes: number): void {
  clearInterval(diskTimer);
  diskState = 'record';
  const rate = new FreeSpaceRate();
  diskTimer = setInterval(() => {
    freeBytes(dir).then(
      (free) => {
        const verdict = recorderVerdict(free, rate.sample(free, Date.now()), { recorderFloorBytes: floorBytes });
        if (verdict === diskState || !diskTimer) return;
        diskState = verdict;
        if (verdict === 'record') return;
        emit({ type: 'diskSpace', level: verdict === 'stop' ? 'critical' : 'low', freeBytes: free });
        if (verdict === 'stop')
          void stopRecording(
            10_000,
            'disk-full',
            `only ${Math.round(free / 1048576)} MiB free in ${dir}: recording finalized before the disk fills`,
          );
      },
      (error: Error) => logger.warn({ err: error.message }, 'cannot read free disk space'),
    );
  }, DISK_CHECK_MS);
}

function status(): WorkerStatus {
  const sources: WorkerStatus['sources'] = {};
  for (const [role, capture] of engine?.captures ?? [])
    sources[role] = capture.health === 'lost' ? 'lost' : capture.health === 'stopped' ? 'stopped' : 'ok';
  const streamHealth = engine?.stream?.health;
  const recording = engine?.program.recording;
  return {
    ...(engine ? { encoder: engine.encoder } : {}),
    ...(recording ? { recording } : {}),
    sources,
    stream:
      !streamHealth || streamHealth === 'stopped'
        ? 'off'
        : streamHealth === 'ok'
          ? 'live'
          : streamHealth === 'lost'
            ? 'retrying'
            : 'connecting',
  };
}

async function handle(command: WorkerCommand): Promise<unknown> {
  switch (command.type) {
    case 'configure':
      return configure(command.plan);
    case 'startRecording':
      return startRecording(command);
    case 'stopRecording':
      return stopRecording(command.deadlineMs);
    case 'status':
      return status();
  }
}

process.on('message', (raw: unknown) => {
  const parsed = commandSchema.safeParse(raw);
  if (!parsed.success) {
    logger.error({ issues: parsed.error.issues.length }, 'malformed command dropped');
    const id = (raw as { id?: unknown })?.id;
    if (typeof id === 'number') reply(id, false, { error: 'malformed command' });
    return;
  }
  const command = parsed.data;
  handle(command).then(
    (result) => reply(command.id, true, { result }),
    (error: Error) => {
      logger.error({ command: command.type, err: error.message }, 'command failed');
      reply(command.id, false, { error: error.message });
    },
  );
});

// The daemon going away must not leave an orphan worker holding the camera.
process.on('disconnect', () => process.exit(0));
emit({ type: 'ready', pid: process.pid });
