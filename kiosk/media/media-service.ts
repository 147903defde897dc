import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../config/load.js';
import { backoffDelay, type BackoffPolicy } from '../../hal/core/backoff.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import {
  stopResultSchema,
  workerMessageSchema,
  workerStatusSchema,
  type StopResult,
  type WorkerEvent,
  type WorkerRequest,
  type WorkerStatus,
} from './ipc.js';
import type { MediaPlan } from './plan.js';
import type { SegmentInfo } from './types.js';
import { describeError } from '../../hal/core/describe-error.js';
import type { EncodeFigures } from './encode-meter.js';

export type WorkerState = 'stopped' | 'starting' | 'running' | 'restarting';

/** The media section of the daemon's health report. */
export interface MediaHealth {
  worker: WorkerState;
  pid?: number;
  restarts: number;
  encoder?: string;
  recording?: { recordingId: string; startedAt: string; segmentsClosed: number; gaps: number };
  sources: Record<string, 'ok' | 'lost' | 'stopped'>;
  stream: WorkerStatus['stream'];
  /** The encoder's output as measured (encode-meter.ts), while the program runs. */
  encode?: EncodeFigures & { at: string };
  lastError?: string;
}

export interface MediaServiceOptions {
  plan: MediaPlan;
  bus: EventBus;
  logger: Logger;
  /** The compiled worker entry; defaults to dist/kiosk/media/worker/main.js of this installation. */
  workerPath?: string;
  workerLogLevel?: string;
  /** Clock of the burned-in date-time (the room's time zone). */
  timeZone?: string;
  restartBackoff?: BackoffPolicy;
  requestTimeoutMs?: number;
  stopDeadlineMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Evidence is catalogued and sealed; a test (the readiness check) is probed and deleted by its caller. */
export type RecordingPurpose = 'evidence' | 'test';

interface ActiveRecording {
  recordingId: string;
  purpose: RecordingPurpose;
  dir: string;
  sessionLabel: string;
  startedAt: string;
  nextIndex: number;
  open?: { index: number; path: string; openedAt: string };
  segments: number;
  /** The files of the segments closed so far, in order. */
  files: string[];
  gaps: number;
  /** A test recording that ended by itself (nothing resumes a test), and whether its worker died. */
  failed?: { detail: string; workerDied: boolean };
}

export const defaultWorkerPath = (): string => join(projectRoot(), 'dist', 'kiosk', 'media', 'worker', 'main.js');

/**
 * The daemon's side of the media engine: forks the worker, restarts it with backoff when it dies,
 * resumes an interrupted recording into the same recording id (new segments continue the index,
 * the gap is reported), and republishes worker events on the app bus.
 *
 * Starting the daemon starts no recording and no capture: the worker idles (no pipeline) until a
 * recording starts, because composing and encoding 1080p30 all day would cost most of a core on the
 * room's 2-core board for a picture nobody watches.
 */
export class MediaService implements Service {
  readonly name = 'media';
  #child: ChildProcess | undefined;
  #state: WorkerState = 'stopped';
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #restarts = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #recording: ActiveRecording | undefined;
  #encoder: string | undefined;
  #sources: Record<string, 'ok' | 'lost' | 'stopped'> = {};
  #stream: WorkerStatus['stream'] = 'off';
  #lastError: string | undefined;
  #preview: { jpeg: Uint8Array; at: string } | undefined;
  #levels: { peakDb: number[]; rmsDb: number[]; at: string } | undefined;
  #encode: (EncodeFigures & { at: string }) | undefined;
  #lastHeardAt = Date.now();
  #stopping = false;
  /** Set while a worker is being retired after a recording; the next recording waits for its successor. */
  #recycling: Promise<void> | undefined;
  #retiring = false;

  constructor(private readonly options: MediaServiceOptions) {}

  async start(): Promise<void> {
    this.#stopping = false;
    await this.#spawn();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    await this.#recycling?.catch(() => undefined);
    if (this.#recording && this.#state === 'running') await this.stopRecording().catch(() => undefined);
    await this.#retire();
    this.#state = 'stopped';
  }

  /** Ends the current worker on purpose (disconnect, then SIGKILL after 3 s); its exit is not a crash. */
  async #retire(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.#retiring = true;
    child.disconnect?.();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    this.#retiring = false;
  }

  /**
   * Every recording gets a fresh worker: pipelines are never freed by the binding, and nothing of
   * one recording (pipeline, counters, captures) can leak into the next.
   */
  #recycle(): void {
    if (this.#stopping || this.#recycling) return;
    const work = (async () => {
      await this.#retire();
      if (!this.#stopping) await this.#spawn();
    })();
    this.#recycling = work
      .catch((error: Error) => {
        this.options.logger.error({ err: error.message }, 'media worker could not be replaced after a recording');
        this.#scheduleRestart();
      })
      .finally(() => {
        this.#recycling = undefined;
      });
  }

  /** The worker's pid, for fault-injection tests and benches. */
  get workerPid(): number | undefined {
    return this.#child?.pid;
  }

  /** The latest program picture while recording (the kiosk and console show it), or undefined. */
  preview(): { jpeg: Uint8Array; at: string } | undefined {
    return this.#recording ? this.#preview : undefined;
  }

  /** The encoder's last figures of the current or last recording; `frames` is final once it stopped. */
  encodeFigures(): (EncodeFigures & { at: string }) | undefined {
    return this.#encode;
  }

  /** The latest sound levels while recording, for the meters. */
  levels(): { peakDb: number[]; rmsDb: number[]; at: string } | undefined {
    return this.#recording ? this.#levels : undefined;
  }

  health(): MediaHealth {
    const r = this.#recording?.purpose === 'evidence' ? this.#recording : undefined;
    return {
      worker: this.#state,
      ...(this.#child?.pid && this.#state === 'running' ? { pid: this.#child.pid } : {}),
      restarts: this.#restarts,
      ...(this.#encoder ? { encoder: this.#encoder } : {}),
      ...(r
        ? {
            recording: { recordingId: r.recordingId, startedAt: r.startedAt, segmentsClosed: r.segments, gaps: r.gaps },
          }
        : {}),
      sources: { ...this.#sources },
      stream: this.#stream,
      ...(this.#recording && this.#encode ? { encode: this.#encode } : {}),
      ...(this.#lastError ? { lastError: this.#lastError } : {}),
    };
  }

  async status(): Promise<WorkerStatus> {
    return workerStatusSchema.parse(await this.#request({ type: 'status' }));
  }

  /**
   * Starts recording the program into `dir`; resolves once the first segment is open. A test
   * recording runs the same program pipeline without the stream, and nothing of it reaches the bus:
   * no segment to catalogue, no "recording" state for the kiosk, the tally or central monitoring.
   */
  async startRecording(request: {
    recordingId: string;
    dir: string;
    sessionLabel?: string;
    startIndex: number;
    purpose?: RecordingPurpose;
  }): Promise<{ startedAt: string }> {
    if (this.#recording) throw new Error(`already recording ${this.#recording.recordingId}`);
    await this.#recycling;
    const { startIndex } = request;
    const purpose = request.purpose ?? 'evidence';
    this.#preview = undefined;
    this.#levels = undefined;
    this.#encode = undefined;
    const recording: ActiveRecording = {
      recordingId: request.recordingId,
      purpose,
      dir: request.dir,
      sessionLabel: request.sessionLabel ?? request.recordingId,
      startedAt: new Date().toISOString(),
      nextIndex: startIndex,
      segments: 0,
      files: [],
      gaps: 0,
    };
    this.#recording = recording;
    try {
      const result = (await this.#request({
        type: 'startRecording',
        recordingId: recording.recordingId,
        dir: recording.dir,
        sessionLabel: recording.sessionLabel,
        startIndex,
        orphans: [],
        stream: purpose === 'evidence',
      })) as { startedAt: string };
      recording.startedAt = result.startedAt;
      this.options.logger.info(
        { recordingId: recording.recordingId, purpose, dir: recording.dir, startIndex },
        'recording started',
      );
      if (purpose === 'evidence')
        this.options.bus.emit('recordingStateChanged', {
          recordingId: recording.recordingId,
          state: 'recording',
          at: result.startedAt,
        });
      return result;
    } catch (error) {
      this.#recording = undefined;
      // A worker that failed to start a recording may hold half a pipeline: the next one gets a fresh worker.
      this.#recycle();
      throw error;
    }
  }

  /** EOS and wait for finalization within the deadline; a timed-out stop is reported, what was written stays. */
  async stopRecording(
    options: { deadlineMs?: number } = {},
  ): Promise<StopResult & { files: string[]; failure?: string }> {
    const recording = this.#recording;
    if (!recording) return { clean: true, timedOut: false, segments: 0, files: [] };
    const deadlineMs = options.deadlineMs ?? this.options.stopDeadlineMs ?? 10_000;
    try {
      if (recording.failed)
        return {
          clean: false,
          timedOut: false,
          segments: recording.segments,
          files: recording.files,
          failure: recording.failed.detail,
        };
      const result = stopResultSchema.parse(
        await this.#request({ type: 'stopRecording', deadlineMs }, deadlineMs + 5000),
      );
      if (result.timedOut)
        this.options.logger.error(
          { recordingId: recording.recordingId, deadlineMs },
          'recording stop timed out; written segments kept',
        );
      if (recording.purpose === 'evidence')
        this.options.bus.emit('recordingStateChanged', {
          recordingId: recording.recordingId,
          state: 'stopped',
          at: new Date().toISOString(),
          clean: result.clean,
          cause: 'requested',
        });
      return { ...result, segments: recording.segments, files: recording.files };
    } finally {
      this.#recording = undefined;
      // A dead worker is already being replaced by the restart.
      if (!recording.failed?.workerDied) this.#recycle();
    }
  }

  async #spawn(): Promise<void> {
    this.#state = this.#restarts === 0 ? 'starting' : 'restarting';
    const child = fork(this.options.workerPath ?? defaultWorkerPath(), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        // Every bus poll and appsink pull holds a libuv pool thread; 4 would deadlock the worker.
        UV_THREADPOOL_SIZE: '16',
        DIEMCAU_LOG_LEVEL: this.options.workerLogLevel ?? 'info',
        ...(this.options.timeZone ? { TZ: this.options.timeZone } : {}),
      },
    });
    this.#child = child;
    const ready = new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`media worker exited before it was ready (${signal ?? code})`));
      child.once('exit', onExit);
      child.on('message', (raw) => {
        const parsed = workerMessageSchema.safeParse(raw);
        if (!parsed.success) return this.options.logger.error('malformed message from the media worker dropped');
        this.#lastHeardAt = Date.now();
        const message = parsed.data;
        if (message.type === 'reply') return this.#settle(message.id, message.ok, message.result, message.error);
        if (message.event.type === 'ready') {
          child.off('exit', onExit);
          resolve();
        }
        this.#onEvent(message.event);
      });
    });
    child.once('exit', (code, signal) => this.#onExit(child, code, signal));
    await ready;
    const { encoder } = (await this.#request({ type: 'configure', plan: this.options.plan })) as { encoder: string };
    this.#encoder = encoder;
    this.#state = 'running';
    this.options.logger.info({ pid: child.pid, encoder, restarts: this.#restarts }, 'media worker running');
  }

  #onExit(child: ChildProcess, code: number | null, signal: string | null): void {
    if (child !== this.#child) return;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`media worker exited (${signal ?? code})`));
      this.#pending.delete(id);
    }
    this.#sources = {};
    this.#stream = 'off';
    if (this.#stopping || this.#retiring) {
      this.#state = 'stopped';
      return;
    }
    const diedAt = new Date().toISOString();
    const lastSeenAt = new Date(this.#lastHeardAt).toISOString();
    this.#lastError = `media worker died (${signal ?? `exit ${code}`})`;
    this.options.logger.error(
      { code, signal, recording: this.#recording?.recordingId },
      'media worker died; restarting',
    );
    this.options.bus.emit('mediaError', { code: 'worker-died', message: this.#lastError });
    if (this.#recording?.purpose === 'test') {
      // A test is not resumed: it fails, and says why.
      this.#recording.failed = { detail: this.#lastError, workerDied: true };
      this.#scheduleRestart();
      return;
    }
    if (this.#recording)
      this.options.bus.emit('recordingStateChanged', {
        recordingId: this.#recording.recordingId,
        state: 'interrupted',
        at: diedAt,
      });
    this.#scheduleRestart(() => this.#resume(lastSeenAt, diedAt));
  }

  #scheduleRestart(then: () => Promise<void> = async () => undefined): void {
    this.#state = 'restarting';
    const delay = backoffDelay(
      this.#restarts++,
      this.options.restartBackoff ?? { initialMs: 200, maxMs: 30_000, factor: 2, jitter: 0.2 },
    );
    this.#restartTimer = setTimeout(() => {
      this.#spawn().then(then, (error: Error) => {
        this.options.logger.error({ err: error.message }, 'media worker restart failed');
        // The exit handler of the new child schedules the next attempt; a configure failure needs one here.
        if (this.#child?.exitCode === null) this.#child.kill('SIGKILL');
      });
    }, delay);
  }

  /** After a restart during a recording: report the orphan segment, continue the index, report the gap. */
  async #resume(lastSeenAt: string, diedAt: string): Promise<void> {
    const recording = this.#recording;
    if (!recording) return;
    const orphans = recording.open ? [{ ...recording.open, lastSeenAt }] : [];
    const startIndex = recording.open ? recording.open.index + 1 : recording.nextIndex;
    recording.open = undefined;
    try {
      const { startedAt } = (await this.#request({
        type: 'startRecording',
        recordingId: recording.recordingId,
        dir: recording.dir,
        sessionLabel: recording.sessionLabel,
        startIndex,
        orphans,
        stream: true,
      })) as { startedAt: string };
      recording.gaps++;
      const seconds = Math.max(0, (Date.parse(startedAt) - Date.parse(lastSeenAt)) / 1000);
      this.options.logger.warn(
        { recordingId: recording.recordingId, seconds, startIndex },
        'recording resumed after a media worker restart',
      );
      this.options.bus.emit('recordingGap', {
        recordingId: recording.recordingId,
        from: lastSeenAt,
        to: startedAt,
        seconds,
        cause: `media worker died at ${diedAt}`,
      });
      this.options.bus.emit('recordingStateChanged', {
        recordingId: recording.recordingId,
        state: 'resumed',
        at: startedAt,
      });
    } catch (error) {
      this.#lastError = `recording could not resume: ${describeError(error)}`;
      this.options.logger.error(
        { recordingId: recording.recordingId, err: describeError(error) },
        'recording could not resume',
      );
      this.options.bus.emit('mediaError', { code: 'resume-failed', message: this.#lastError });
    }
  }

  #onEvent(event: WorkerEvent): void {
    const { bus } = this.options;
    switch (event.type) {
      case 'segmentOpened':
        if (this.#recording?.recordingId === event.recordingId) {
          this.#recording.open = { index: event.index, path: event.path, openedAt: event.openedAt };
          this.#recording.nextIndex = event.index + 1;
        }
        return;
      case 'segmentClosed': {
        const segment: SegmentInfo = event.segment;
        const recording = this.#recording?.recordingId === segment.recordingId ? this.#recording : undefined;
        if (recording) {
          recording.segments++;
          recording.files.push(segment.path);
          if (recording.open?.path === segment.path) recording.open = undefined;
        }
        this.options.logger.info(
          {
            recordingId: segment.recordingId,
            index: segment.index,
            bytes: segment.sizeBytes,
            recovered: event.recovered,
          },
          'segment closed',
        );
        if (recording?.purpose !== 'test') bus.emit('segmentClosed', segment);
        return;
      }
      case 'sourceLost':
        this.#sources[event.source] = 'lost';
        bus.emit('mediaSourceLost', { source: event.source, reason: event.reason });
        return;
      case 'sourceRestored':
        this.#sources[event.source] = 'ok';
        bus.emit('mediaSourceRestored', { source: event.source, downSeconds: event.downSeconds });
        return;
      case 'streamState':
        this.#stream = event.state;
        bus.emit('mediaStreamState', { state: event.state, ...(event.detail ? { detail: event.detail } : {}) });
        return;
      case 'levels':
        this.#levels = { peakDb: event.peakDb, rmsDb: event.rmsDb, at: new Date().toISOString() };
        bus.emit('audioLevels', { peakDb: event.peakDb, rmsDb: event.rmsDb });
        return;
      case 'encodeStats': {
        const { type: _type, ...figures } = event;
        this.#encode = { ...figures, at: new Date().toISOString() };
        return;
      }
      case 'preview':
        this.#preview = { jpeg: event.jpeg, at: new Date().toISOString() };
        bus.emit('mediaPreview', event.jpeg);
        return;
      case 'diskSpace':
      case 'error': {
        const error =
          event.type === 'error'
            ? event
            : {
                code: `disk-${event.level}`,
                message: `${Math.round(event.freeBytes / 1048576)} MiB free for recordings`,
              };
        this.#lastError = error.message;
        bus.emit('mediaError', { code: error.code, message: error.message });
        return;
      }
      case 'recordingStopped':
        // The worker stopped on its own (disk full, pipeline failure): the recording's owner must know at once.
        if (event.cause !== 'requested' && this.#recording?.recordingId === event.recordingId) {
          if (this.#recording.purpose === 'test') {
            this.#recording.failed = { detail: event.detail ?? event.cause, workerDied: false };
            return;
          }
          this.#recording = undefined;
          this.#lastError = event.detail ?? event.cause;
          this.options.logger.error(
            { recordingId: event.recordingId, cause: event.cause, detail: event.detail },
            'recording stopped by itself',
          );
          bus.emit('recordingStateChanged', {
            recordingId: event.recordingId,
            state: 'stopped',
            at: new Date().toISOString(),
            clean: event.result.clean,
            cause: event.cause,
            ...(event.detail ? { detail: event.detail } : {}),
          });
          this.#recycle();
        }
        return;
      case 'ready':
      case 'recordingStarted':
        return;
    }
  }

  #request(request: WorkerRequest, timeoutMs = this.options.requestTimeoutMs ?? 20_000): Promise<unknown> {
    const child = this.#child;
    if (!child?.connected) return Promise.reject(new Error('media worker is not running'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`media worker did not answer ${request.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      child.send({ ...request, id });
    });
  }

  #settle(id: number, ok: boolean, result: unknown, error: string | undefined): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (ok) pending.resolve(result);
    else pending.reject(new Error(error ?? 'media worker command failed'));
  }
}
