import { stat } from 'node:fs/promises';
import type { Logger } from '../../core/logger.js';
import { sha256File } from '../../core/hashing.js';
import { cutSegmentSpan } from './cut-segment.js';
import type { StopResult, WorkerEvent } from '../ipc.js';
import type { EncoderName, MediaPlan } from '../plan.js';
import { elements, type SourceRole } from '../pipelines/channels.js';
import { programLaunch } from '../pipelines/program.js';
import { segmentIndexFromName, segmentLocation } from '../segment-files.js';
import { nsToSeconds, parseDbArray } from './bus-messages.js';
import { createPipeline, type GstPipeline } from './gst.js';
import { describeError } from '../../../hal/core/describe-error.js';
import { EncodeMeter, parseIdentityStats } from '../encode-meter.js';

/** How often the encoder's counters are read and reported: cheap (one property read, one IPC message). */
const ENCODE_STATS_INTERVAL_MS = 2000;

export interface RecordingRequest {
  recordingId: string;
  dir: string;
  sessionLabel: string;
  startIndex: number;
}

interface OpenSegment {
  index: number;
  path: string;
  openedAtMs: number;
  runningTime: number;
}

interface ActiveRecording extends RecordingRequest {
  startedAtMs: number;
  /** The segment being written; the next one opens just before the previous one's close arrives. */
  open?: OpenSegment;
  opened: Map<string, OpenSegment>;
  closed: number;
  pendingHashes: Set<Promise<void>>;
  /** The last segment report: segments are hashed side by side but reported in the order they closed. */
  reported: Promise<void>;
  ended?: () => void;
  /** The pipeline posted an error: it will write nothing more and no EOS can pass. */
  failed?: boolean;
}

/**
 * The program pipeline of one recording. A new pipeline is built for every recording: splitmuxsink
 * keeps its first location and fragment counter across a NULL → PLAYING cycle, so a reused
 * pipeline wrote a second session into the first one's files. Pipelines are never freed by the
 * binding, so the supervisor retires the worker process after each recording instead.
 */
export class ProgramRunner {
  #pipeline: GstPipeline | undefined;
  #recording: ActiveRecording | undefined;
  #generation = 0;
  #meter: { timer: NodeJS.Timeout; sample: () => void } | undefined;

  constructor(
    private readonly plan: MediaPlan,
    private readonly encoder: EncoderName,
    private readonly streamHopPort: number | undefined,
    private readonly emit: (event: WorkerEvent) => void,
    private readonly logger: Logger,
    /** Called once when the recording's pipeline fails; the worker stops the recording. */
    private readonly onFailure: (detail: string) => void,
  ) {}

  get recording():
    | { recordingId: string; startedAt: string; segmentsClosed: number; openSegment?: number }
    | undefined {
    const r = this.#recording;
    if (!r) return undefined;
    return {
      recordingId: r.recordingId,
      startedAt: new Date(r.startedAtMs).toISOString(),
      segmentsClosed: r.closed,
      ...(r.open ? { openSegment: r.open.index } : {}),
    };
  }

  locationFor(request: Pick<RecordingRequest, 'recordingId' | 'dir'>): string {
    return segmentLocation(request.dir, request.recordingId, this.plan.recording.container);
  }

  /** Plays the program into a new (or resumed) recording; resolves once the first segment is open. */
  async start(request: RecordingRequest, timeoutMs = 10_000): Promise<string> {
    if (this.#recording) throw new Error(`already recording ${this.#recording.recordingId}`);
    const location = this.locationFor(request);
    this.#pipeline?.stop();
    const launch = programLaunch(this.plan, {
      encoder: this.encoder,
      location,
      sessionLabel: request.sessionLabel,
      ...(this.streamHopPort ? { streamHopPort: this.streamHopPort } : {}),
    });
    this.logger.debug({ launch }, 'program pipeline');
    const pipeline = createPipeline(launch);
    this.#pipeline = pipeline;
    pipeline.findChild(elements.recorder)!['start-index'] = request.startIndex;

    const recording: ActiveRecording = {
      ...request,
      startedAtMs: Date.now(),
      opened: new Map(),
      closed: 0,
      pendingHashes: new Set(),
      reported: Promise.resolve(),
    };
    this.#recording = recording;
    const generation = ++this.#generation;
    const firstSegment = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('program did not open a segment in time')), timeoutMs);
      pipeline.pollBus((message) => {
        if (generation !== this.#generation) return;
        if (message.name === 'splitmuxsink-fragment-opened') {
          clearTimeout(timer);
          resolve();
        }
        this.#onMessage(recording, message);
      });
    });
    pipeline.play();
    recording.startedAtMs = Date.now();
    this.#pullPreview(generation);
    this.#startMeter(pipeline);
    try {
      await firstSegment;
    } catch (error) {
      this.#generation++;
      this.#stopMeter();
      pipeline.stop();
      this.#recording = undefined;
      throw error;
    }
    const startedAt = new Date(recording.startedAtMs).toISOString();
    this.emit({
      type: 'recordingStarted',
      recordingId: request.recordingId,
      startedAt,
      startIndex: request.startIndex,
    });
    return startedAt;
  }

  /** Shows or hides the "no signal" slate over a source's picture. */
  setSlate(role: SourceRole, visible: boolean): void {
    const name = role === 'camera' ? elements.cameraSlate : role === 'remote' ? elements.remoteSlate : undefined;
    const slate = name ? this.#pipeline?.findChild(name) : undefined;
    if (slate) slate.silent = !visible;
  }

  /**
   * EOS, then wait for the recorder to finalize its last segment. Past the deadline, or when the
   * pipeline has already failed (no EOS can pass then), it is stopped at once: segments are
   * self-contained, so what was written stays playable and is reported.
   */
  async stop(deadlineMs: number): Promise<StopResult> {
    const recording = this.#recording;
    if (!recording || !this.#pipeline) return { clean: true, timedOut: false, segments: 0 };
    let clean = false;
    if (!recording.failed) {
      const ended = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), deadlineMs);
        recording.ended = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      this.#pipeline.sendEOS();
      clean = await ended;
    }
    this.#generation++;
    this.#stopMeter();
    this.#pipeline.stop();
    if (!clean && recording.open) {
      this.logger.warn(
        { recordingId: recording.recordingId, failed: Boolean(recording.failed) },
        'recorder not finalized; reporting the open segment as written',
      );
      this.#hashSegment(recording, recording.open, Date.now(), undefined, true);
    }
    await Promise.all([...recording.pendingHashes]);
    this.#recording = undefined;
    return { clean, timedOut: !clean && !recording.failed, segments: recording.closed };
  }

  #onMessage(recording: ActiveRecording, message: Record<string, unknown> & { type: string; name?: string }): void {
    switch (message.name) {
      case 'splitmuxsink-fragment-opened': {
        const path = String(message.location);
        const runningTime = nsToSeconds(message['running-time']) ?? 0;
        const open = {
          index: segmentIndexFromName(path) ?? recording.startIndex,
          path,
          openedAtMs: recording.startedAtMs + runningTime * 1000,
          runningTime,
        };
        recording.open = open;
        recording.opened.set(path, open);
        this.emit({
          type: 'segmentOpened',
          recordingId: recording.recordingId,
          index: open.index,
          path,
          openedAt: new Date(open.openedAtMs).toISOString(),
        });
        return;
      }
      case 'splitmuxsink-fragment-closed': {
        const path = String(message.location);
        const open = recording.opened.get(path) ?? {
          index: segmentIndexFromName(path) ?? 0,
          path,
          openedAtMs: recording.startedAtMs,
          runningTime: 0,
        };
        recording.opened.delete(path);
        if (recording.open?.path === path) recording.open = undefined;
        const endRunningTime = nsToSeconds(message['running-time']) ?? open.runningTime;
        this.#hashSegment(
          recording,
          open,
          recording.startedAtMs + endRunningTime * 1000,
          endRunningTime - open.runningTime,
          false,
        );
        return;
      }
      case 'level':
        this.emit({ type: 'levels', peakDb: parseDbArray(message.peak), rmsDb: parseDbArray(message.rms) });
        return;
    }
    if (message.type === 'eos') recording.ended?.();
    else if (message.type === 'error') {
      const detail = `${String(message._src_element_name)}: ${String(message.message)}`;
      this.logger.error({ element: message._src_element_name, err: message.message }, 'program error');
      this.emit({ type: 'error', code: 'program-error', message: detail });
      // A failed program records nothing more (a full disk fails the file sink): stop and say so.
      if (!recording.failed) {
        recording.failed = true;
        this.onFailure(detail);
      }
    }
  }

  #hashSegment(
    recording: ActiveRecording,
    open: OpenSegment,
    endedAtMs: number,
    durationSeconds: number | undefined,
    recovered: boolean,
  ): void {
    const report = (async (): Promise<WorkerEvent> => {
      try {
        // A segment cut short (failure, missed deadline) has no container duration: measure its packets.
        const [{ sha256 }, info, span] = await Promise.all([
          sha256File(open.path),
          stat(open.path),
          recovered ? cutSegmentSpan(open.path, open.openedAtMs, endedAtMs) : undefined,
        ]);
        if (span) ({ durationSeconds, endedAtMs } = span);
        return {
          type: 'segmentClosed',
          recovered,
          segment: {
            recordingId: recording.recordingId,
            index: open.index,
            path: open.path,
            sizeBytes: info.size,
            durationSeconds: Math.max(
              0,
              Math.round((durationSeconds ?? (endedAtMs - open.openedAtMs) / 1000) * 1000) / 1000,
            ),
            sha256,
            startedAt: new Date(open.openedAtMs).toISOString(),
            endedAt: new Date(endedAtMs).toISOString(),
          },
        };
      } catch (error) {
        return { type: 'error', code: 'segment-hash-failed', message: `${open.path}: ${describeError(error)}` };
      }
    })();
    // A small last segment hashes faster than a big earlier one: its report still waits its turn.
    const work = recording.reported.then(async () => {
      const event = await report;
      if (event.type === 'segmentClosed') recording.closed++;
      this.emit(event);
    });
    recording.reported = work;
    recording.pendingHashes.add(work);
    void work.finally(() => recording.pendingHashes.delete(work));
  }

  /** Samples the encoder's counters while the program runs; a last sample when it stops, so `frames` is final. */
  #startMeter(pipeline: GstPipeline): void {
    const meter = new EncodeMeter(this.plan.video.fps);
    // Looked up once: the binding leaks an element reference per findChild, and this runs all session.
    const identity = pipeline.findChild(elements.encodeMeter);
    const sample = () => {
      const counters = parseIdentityStats(identity?.stats);
      if (counters) this.emit({ type: 'encodeStats', ...meter.sample(Date.now(), counters) });
    };
    this.#meter = { timer: setInterval(sample, ENCODE_STATS_INTERVAL_MS), sample };
  }

  #stopMeter(): void {
    if (!this.#meter) return;
    clearInterval(this.#meter.timer);
    this.#meter.sample();
    this.#meter = undefined;
  }

  #pullPreview(generation: number): void {
    const sink = this.#pipeline?.findChild(elements.preview);
    if (!sink?.pull) return;
    const onFrame = (buffer: Buffer | null | undefined) => {
      if (generation !== this.#generation || !buffer) return;
      this.emit({ type: 'preview', jpeg: new Uint8Array(buffer) });
      sink.pull!(onFrame);
    };
    sink.pull(onFrame);
  }
}
