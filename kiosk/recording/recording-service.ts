import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import { SerialQueue } from '../core/serial-queue.js';
import { SealRefusedError, type EvidenceStore } from '../evidence/evidence-store.js';
import { readDiskSpace } from '../evidence/disk.js';
import { AUDIT_GENESIS } from '../evidence/audit-chain.js';
import { sha256Hex } from '../core/hashing.js';
import { manifestBytes, type Manifest } from '../evidence/manifest.js';
import { recoverFolder } from '../evidence/recovery.js';
import type { RecordingStopCause } from '../media/events.js';
import { nextSegmentIndexIn } from '../media/segment-files.js';
import { createFolderExclusive, makeReadOnly, recordingIdCandidate, removeIfEmpty } from './folders.js';
import type { EvidenceAlert, GapCause, MediaRecorder, RecordingOwner, TestRecording, TimelineEntry } from './ports.js';
import type { RecordingPort } from '../session/ports.js';
import { recordTestClip } from './test-recording.js';
import { admission, admissionMessage, type Admission, type StoragePolicy } from '../media/storage-policy.js';
import { describeError } from '../../hal/core/describe-error.js';

export class RecordingError extends Error {
  override name = 'RecordingError';
  constructor(
    readonly kind: 'storage' | 'recorder' | 'conflict' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Space the database keeps for the end of a session when the disk fills (kiosk/store/disk-reserve.ts):
 * the database takes from it on SQLITE_FULL; the recording service re-creates it after a stop.
 */
export interface DatabaseReserve {
  ensure(): Promise<boolean>;
}

export interface RecordingServiceOptions {
  recordingsDir: string;
  policy: StoragePolicy;
  media: MediaRecorder;
  /** The evidence store (catalog, seal) and a wait for every reported segment to be catalogued. */
  evidence: { readonly store: EvidenceStore; settled(): Promise<void> };
  owner: () => RecordingOwner;
  reserve?: () => DatabaseReserve | undefined;
  bus: EventBus;
  logger: Logger;
  now?: () => Date;
}

interface ActiveRecording {
  recordingId: string;
  sessionId: string;
  label: string;
  /** Set when the recorder stopped by itself; cleared by a resume. */
  stopped?: { at: string; cause: Exclude<RecordingStopCause, 'requested'>; detail?: string };
}

/** The recording part of the daemon's health. */
export interface RecordingHealth {
  state: 'idle' | 'recording' | 'stopped';
  recordingId?: string;
  sessionId?: string;
  stoppedAt?: string;
  cause?: string;
  /** The last recording that could not be sealed since the daemon started (also sent to central monitoring). */
  sealFailure?: { recordingId: string; at: string; message: string };
}

export interface RecordingStopSummary {
  /** The recorder finalized its last segment before its deadline. */
  clean: boolean;
  segments: number;
  durationSeconds: number;
  detail?: string;
}

/**
 * The one owner of a recording's life: chooses its id and folder once, admits it against the
 * storage policy, starts, resumes and stops it through the media supervisor, writes every stop,
 * gap and resume into the owning session's timeline, and seals it (write-once manifest checked
 * against the folder, files made read-only). Sessions ask it; media and evidence serve it.
 */
/** Test recordings live beside the evidence (same disk), in a dot folder the evidence sweep skips. */
export const TEST_RECORDINGS_FOLDER = '.readiness-test';

export class RecordingService implements Service, RecordingPort {
  readonly name = 'recordings';
  #active: ActiveRecording | undefined;
  /** The readiness test recording in progress; a session starting interrupts it. */
  #test: { interrupt: AbortController; done: Promise<unknown> } | undefined;
  #sealFailure: RecordingHealth['sealFailure'];
  #disposers: (() => void)[] = [];
  /** Bus reactions run one after another, so a stop is written before the End that follows it. */
  readonly #reactions = new SerialQueue();

  constructor(private readonly options: RecordingServiceOptions) {}

  get #now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  get #testRoot(): string {
    return join(this.options.recordingsDir, TEST_RECORDINGS_FOLDER);
  }

  async start(): Promise<void> {
    const { bus } = this.options;
    // A test recording left by a crash or a power cut is not evidence: it goes.
    await rm(this.#testRoot, { recursive: true, force: true });
    this.#disposers.push(
      bus.on('recordingStateChanged', (change) => {
        if (change.state !== 'stopped' || !change.cause || change.cause === 'requested') return;
        const cause = change.cause;
        this.#react(() =>
          this.#stoppedByItself(change.recordingId, {
            at: change.at,
            cause,
            ...(change.detail ? { detail: change.detail } : {}),
          }),
        );
      }),
      bus.on('recordingGap', (gap) => this.#react(() => this.#gap(gap.recordingId, gap.from, gap.to, 'worker-crash'))),
      bus.on('mediaSourceLost', (event) =>
        this.#react(() =>
          this.#entry({ type: 'source-lost', at: this.#now, data: { source: event.source, reason: event.reason } }),
        ),
      ),
      bus.on('mediaSourceRestored', (event) =>
        this.#react(() =>
          this.#entry({
            type: 'source-restored',
            at: this.#now,
            data: { source: event.source, downSeconds: event.downSeconds },
          }),
        ),
      ),
    );
  }

  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
    await this.#reactions.idle();
    // The media service stops (and finalizes) a running recording itself; the session resumes it after the restart.
    this.#active = undefined;
  }

  health(): RecordingHealth {
    const active = this.#active;
    const sealFailure = this.#sealFailure ? { sealFailure: this.#sealFailure } : {};
    if (!active) return { state: 'idle', ...sealFailure };
    return active.stopped
      ? {
          state: 'stopped',
          recordingId: active.recordingId,
          sessionId: active.sessionId,
          stoppedAt: active.stopped.at,
          cause: active.stopped.cause,
          ...sealFailure,
        }
      : { state: 'recording', recordingId: active.recordingId, sessionId: active.sessionId, ...sealFailure };
  }

  /** The storage policy's answer for a recording this big, with the sentence the officer reads. */
  async admit(expectedBytes: number): Promise<Admission & { message: string }> {
    const decision = admission(await readDiskSpace(this.options.recordingsDir), expectedBytes, this.options.policy);
    return { ...decision, message: admissionMessage(decision) };
  }

  /** A new recording for a session: its own id and an empty folder of its own, then the recorder. */
  async begin(request: {
    sessionId: string;
    label: string;
    confidential: boolean;
    expectedBytes: number;
  }): Promise<{ recordingId: string; dir: string; startedAt: string }> {
    if (this.#active) throw new RecordingError('conflict', `recording ${this.#active.recordingId} is still running`);
    await this.#interruptTest();
    const decision = await this.admit(request.expectedBytes);
    if (!decision.ok) throw new RecordingError('storage', decision.message);
    const { recordingId, dir } = await this.#allocate(request.sessionId);
    const { catalog } = this.options.evidence.store;
    await catalog.openRecording(recordingId, {
      sessionId: request.sessionId,
      dir: catalog.relativeDir(dir),
      confidential: request.confidential,
      startedAt: this.#now,
    });
    const active: ActiveRecording = { recordingId, sessionId: request.sessionId, label: request.label };
    this.#active = active;
    try {
      const { startedAt } = await this.options.media.startRecording({
        recordingId,
        dir,
        sessionLabel: request.label,
        startIndex: 0,
      });
      this.options.logger.info({ recordingId, sessionId: request.sessionId, dir }, 'recording begun');
      return { recordingId, dir, startedAt };
    } catch (error) {
      this.#active = undefined;
      await removeIfEmpty(dir);
      throw new RecordingError('recorder', `the recorder did not start: ${describeError(error)}`);
    }
  }

  /**
   * Records again into an existing, unsealed recording (after a daemon restart, or after the
   * recorder stopped by itself): numbering continues after what is on disk and in the catalogue,
   * and the span since `since` is written into the timeline as a gap with its cause.
   */
  async resume(request: {
    sessionId: string;
    recordingId: string;
    since: string;
    cause: GapCause;
  }): Promise<{ startedAt: string }> {
    const { catalog } = this.options.evidence.store;
    const recording = await catalog.recording(request.recordingId);
    if (!recording || recording.deletedAt) throw new RecordingError('not_found', `no recording ${request.recordingId}`);
    if (recording.sealedAt)
      throw new RecordingError(
        'conflict',
        `recording ${request.recordingId} is sealed; it cannot be recorded into again`,
      );
    if (this.#active && (this.#active.recordingId !== request.recordingId || !this.#active.stopped)) {
      throw new RecordingError('conflict', `recording ${this.#active.recordingId} is running`);
    }
    await this.#interruptTest();
    const dir = catalog.absolutePath(recording.dir);
    const startIndex = Math.max(await nextSegmentIndexIn(dir), await catalog.nextIndex(recording.id));
    const label = this.#active?.label ?? request.sessionId;
    const wasStopped = Boolean(this.#active?.stopped);
    this.#active = { recordingId: recording.id, sessionId: request.sessionId, label };
    let startedAt: string;
    try {
      ({ startedAt } = await this.options.media.startRecording({
        recordingId: recording.id,
        dir,
        sessionLabel: label,
        startIndex,
      }));
    } catch (error) {
      this.#active = undefined;
      throw new RecordingError('recorder', `the recording could not resume: ${describeError(error)}`);
    }
    await catalog.markRecording(recording.id);
    await this.#gap(recording.id, request.since, startedAt, request.cause);
    // A resume after a daemon restart is the session's own "resumed" event; after a stop it is the recording's.
    if (wasStopped) {
      await this.#entry({
        type: 'recording-resumed',
        at: startedAt,
        data: { recordingId: recording.id, startIndex, cause: request.cause },
      });
      await this.options.owner().recorderResumed(request.sessionId, startedAt);
    }
    this.options.logger.warn(
      { recordingId: recording.id, startIndex, since: request.since, cause: request.cause },
      'recording resumed',
    );
    return { startedAt };
  }

  /**
   * Stops the recorder when it still runs; resolves once every reported segment is catalogued.
   * Never throws for a recording whose files exist: the result says what went wrong.
   */
  async stopRecording(recordingId: string): Promise<RecordingStopSummary> {
    const active = this.#active?.recordingId === recordingId ? this.#active : undefined;
    let clean = true;
    let detail: string | undefined;
    if (active && !active.stopped) {
      try {
        const result = await this.options.media.stopRecording();
        clean = result.clean;
        if (!clean) detail = 'the recorder did not finalize before its deadline; written segments were kept';
      } catch (error) {
        clean = false;
        detail = `the recorder could not be stopped: ${describeError(error)}`;
      }
    } else if (active?.stopped) {
      detail = `the recording had stopped by itself (${active.stopped.cause})`;
    }
    if (active) this.#active = undefined;
    await this.#reactions.idle();
    await this.options.evidence.settled();
    await this.options
      .reserve?.()
      ?.ensure()
      .catch(() => false);
    const segments = await this.options.evidence.store.catalog.segments(recordingId);
    const durationSeconds = Math.round(segments.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0) * 10) / 10;
    this.options.logger.info({ recordingId, clean, segments: segments.length, durationSeconds }, 'recording stopped');
    return { clean, segments: segments.length, durationSeconds, ...(detail ? { detail } : {}) };
  }

  /**
   * Seals a finished recording: every reported segment catalogued, every segment file in the folder
   * accounted for (an uncatalogued one is hashed and added, never left out of the signed manifest),
   * the session's timeline signed in, the files made read-only.
   */
  async seal(recordingId: string): Promise<void> {
    if (this.#active?.recordingId === recordingId)
      throw new RecordingError('conflict', `recording ${recordingId} is still running`);
    const { evidence, logger } = this.options;
    await evidence.settled();
    const { catalog } = evidence.store;
    const recording = await catalog.recording(recordingId);
    if (!recording || recording.deletedAt) throw new RecordingError('not_found', `no recording ${recordingId}`);
    const added = await recoverFolder(catalog, recording.dir, logger, recording.id);
    if (added.length)
      logger.warn(
        { recordingId, segments: added.map((s) => s.index) },
        'segments on disk but not catalogued were added before the seal',
      );
    let manifest: Manifest;
    try {
      const events = recording.sessionId ? await this.options.owner().timeline(recording.sessionId) : undefined;
      manifest = await evidence.store.seal(recordingId, events);
    } catch (error) {
      const alert: EvidenceAlert = {
        code: error instanceof SealRefusedError ? 'seal-refused' : 'seal-failed',
        recordingId,
        ...(recording.sessionId ? { sessionId: recording.sessionId } : {}),
        message: describeError(error),
        at: this.#now,
      };
      this.#sealFailure = { recordingId, at: alert.at, message: alert.message };
      logger.error({ recordingId, code: alert.code, err: alert.message }, 'recording not sealed');
      this.options.bus.emit('evidenceAlert', alert);
      throw error;
    }
    const dir = catalog.absolutePath(recording.dir);
    await makeReadOnly(dir);
    const [newest] = await evidence.store.audit.list(1);
    this.options.bus.emit('recordingSealed', {
      recordingId,
      sessionId: recording.sessionId,
      dir,
      at: manifest.createdAt,
      manifestSha256: sha256Hex(manifestBytes(manifest)),
      signingKeyFingerprint: manifest.publicKey.fingerprint,
      chainHead: manifest.chainHead,
      auditHead: newest ? { seq: newest.seq, hash: newest.hash } : { seq: 0, hash: AUDIT_GENESIS },
    });
  }

  /**
   * The readiness test recording: `seconds` of the same program pipeline a session records (same
   * worker, encoder, overlays and container; no stream), written on the recordings disk outside
   * the catalogue. Refused while a session records; a session starting interrupts it.
   */
  async testRecording(seconds: number, signal: AbortSignal): Promise<TestRecording> {
    if (this.#active)
      throw new RecordingError(
        'conflict',
        `recording ${this.#active.recordingId} is running: no test recording during a session`,
      );
    if (this.#test) throw new RecordingError('conflict', 'a test recording is already running');
    const interrupt = new AbortController();
    const work = recordTestClip(
      this.options.media,
      this.#testRoot,
      seconds,
      AbortSignal.any([signal, interrupt.signal]),
      this.options.now?.(),
    );
    this.#test = { interrupt, done: work.catch(() => undefined) };
    try {
      return await work;
    } catch (error) {
      if (interrupt.signal.aborted)
        throw new RecordingError('conflict', 'the test recording was interrupted: a session started');
      throw error;
    } finally {
      this.#test = undefined;
    }
  }

  async #interruptTest(): Promise<void> {
    const test = this.#test;
    if (!test) return;
    this.options.logger.warn('a session starts: the readiness test recording is interrupted');
    test.interrupt.abort();
    await test.done;
  }

  /** A confidential case added during the session makes its recording confidential (never the reverse). */
  async verify(recordingId: string): Promise<{ sealed: boolean; ok: boolean; segments: number }> {
    const { store } = this.options.evidence;
    const recording = await store.catalog.recording(recordingId);
    if (!recording || recording.deletedAt) throw new RecordingError('not_found', `no recording ${recordingId}`);
    const report = await store.verify(recordingId, { id: 'kiosk', role: 'kiosk' });
    return { sealed: recording.sealedAt !== null, ok: report.ok, segments: report.segments };
  }

  async raiseConfidentiality(recordingId: string): Promise<void> {
    await this.options.evidence.store.catalog.raiseConfidentiality(recordingId);
  }

  async #allocate(sessionId: string): Promise<{ recordingId: string; dir: string }> {
    const { catalog } = this.options.evidence.store;
    for (let attempt = 1; attempt < 1000; attempt++) {
      const recordingId = recordingIdCandidate(sessionId, attempt);
      if (await catalog.recording(recordingId)) continue;
      const dir = join(this.options.recordingsDir, recordingId);
      if (await createFolderExclusive(dir)) return { recordingId, dir };
    }
    throw new RecordingError('conflict', `no free recording folder for session ${sessionId}`);
  }

  async #stoppedByItself(recordingId: string, stop: NonNullable<ActiveRecording['stopped']>): Promise<void> {
    const active = this.#active;
    if (active?.recordingId !== recordingId || active.stopped) return;
    active.stopped = stop;
    this.options.logger.error(
      { recordingId, sessionId: active.sessionId, cause: stop.cause, detail: stop.detail },
      'recording stopped by itself; the session is not being recorded',
    );
    // The screens first (the people in the room must know now), then the timeline; one failing does not stop the other.
    const told = await this.options
      .owner()
      .recorderStopped(active.sessionId, stop)
      .then(
        () => undefined,
        (error: Error) => error,
      );
    await this.#entry({
      type: 'recording-stopped',
      at: stop.at,
      data: { recordingId, cause: stop.cause, ...(stop.detail ? { detail: stop.detail } : {}) },
    });
    if (told) throw told;
  }

  async #gap(recordingId: string, from: string, to: string, cause: GapCause): Promise<void> {
    if (this.#active?.recordingId !== recordingId) return;
    const seconds = Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
    await this.#entry({ type: 'gap', at: to, data: { recordingId, from, to, seconds, cause } });
  }

  async #entry(entry: TimelineEntry): Promise<void> {
    const active = this.#active;
    if (!active) return;
    await this.options.owner().addTimelineEntry(active.sessionId, entry);
  }

  #react(work: () => Promise<void>): void {
    this.#reactions
      .run(work)
      .catch((error: unknown) =>
        this.options.logger.error({ err: describeError(error) }, 'recording event could not be handled'),
      );
  }
}
