import { describeError } from '../../hal/core/describe-error.js';
import { type SessionContext, sessionById } from './context.js';
import { SessionError } from './errors.js';
import type { LiveSession } from './live-session.js';
import { startWindowRefusal } from '../messages/session.js';
import type { RecordingPort } from './ports.js';
import type { KioskEventInput } from './schemas.js';
import { type StartWindow, type StartWindowVerdict, startWindowVerdict } from './start-window.js';
import { isUpcoming, type TransitionContext, transition } from './state-machine.js';
import type { SessionTransitions } from './transitions.js';
import type { SessionRecord } from './types.js';

export interface LifeCycleOptions {
  recordings: RecordingPort;
  /** Bytes a recording of this many seconds will take. */
  expectedBytes: (seconds: number) => number;
  /** When Start is allowed around the scheduled time (config `session.startWindow`). */
  startWindow: StartWindow;
  /** Unmutes the room microphone: a mute left from the last session must not silence the next one. */
  resetMicrophone?: () => Promise<void>;
}

/**
 * A session's life from preparation to its sealed recording (chuẩn bị → đang tiếp → kết thúc):
 * the facts the state machine's guards need are gathered here, the recorder is asked to start and
 * stop, and every move goes through SessionTransitions.
 */
export class SessionLifeCycle {
  constructor(
    private readonly context: SessionContext,
    private readonly transitions: SessionTransitions,
    private readonly live: LiveSession,
    private readonly options: LifeCycleOptions,
  ) {}

  prepare(id: string, actor: string): Promise<SessionRecord> {
    return this.transitions.byId(id, 'prepare', { type: 'prepared', actor });
  }

  markReady(
    id: string,
    actor: string,
    facts: Pick<TransitionContext, 'readiness' | 'readinessOverride'>,
  ): Promise<SessionRecord> {
    return this.transitions.byId(
      id,
      'markReady',
      { type: 'ready', actor, data: { readiness: facts.readiness ?? null } },
      facts,
    );
  }

  /** Whether the session may be started now, and the span in which it may. */
  startWindow(session: Pick<SessionRecord, 'startsAt' | 'endsAt'>): StartWindowVerdict {
    return startWindowVerdict(session, this.options.startWindow, this.context.now());
  }

  /** Starts recording and makes the session live; refused when the disk cannot hold it. */
  async start(id: string, actor: string): Promise<SessionRecord> {
    const { store, logger } = this.context;
    const { recordings } = this.options;
    const session = await sessionById(this.context, id);
    const live = this.live.current();
    if (live && live.id !== id) throw new SessionError('conflict', 'another session is live in this room');
    if (isUpcoming(session.state)) this.#refuseOutsideStartWindow(session);
    const now = this.context.now();
    const seconds =
      Math.max(Date.parse(session.endsAt) - now.getTime(), Date.parse(session.endsAt) - Date.parse(session.startsAt)) /
      1000;
    const expectedBytes = this.options.expectedBytes(seconds);
    const hold = await recordings.admit(expectedBytes);
    const check = transition(session.state, 'start', { storageCanHold: hold.ok });
    if (!check.ok) {
      const storage = check.code === 'guard_failed' && !hold.ok;
      throw new SessionError(
        'conflict',
        storage ? hold.message : check.reason,
        storage ? { code: 'storage_refused' } : undefined,
      );
    }
    // A mute left over from the last session must not silence this one's recording.
    await this.options
      .resetMicrophone?.()
      .catch((error: unknown) =>
        logger.warn({ sessionId: id, err: describeError(error) }, 'microphone could not be unmuted at session start'),
      );
    let recording: { recordingId: string; dir: string };
    try {
      const confidential = (await store.cases(id)).some((c) => c.confidential);
      recording = await recordings.begin({ sessionId: id, label: session.title, confidential, expectedBytes });
    } catch (error) {
      logger.error({ sessionId: id, err: describeError(error) }, 'recorder did not start');
      throw new SessionError('unavailable', describeError(error));
    }
    const { recordingId } = recording;
    let started: SessionRecord;
    try {
      // Read again: while the recorder started, the readiness run it interrupted may have moved the
      // session on (scheduled → preparing → ready); the start applies to the session as it is now.
      started = await this.transitions.apply(
        await sessionById(this.context, id),
        'start',
        { type: 'started', actor, at: this.context.now().toISOString(), data: { recordingId } },
        { storageCanHold: hold.ok },
        { recordingId, recordingDir: recording.dir },
      );
    } catch (error) {
      // Not live after all (e.g. a fleet abort won the race): a recorder nobody will stop must not run on.
      logger.warn(
        { sessionId: id, recordingId, err: describeError(error) },
        'session did not go live after its recorder started: recorder stopped',
      );
      await recordings
        .stopRecording(recordingId)
        .then(() => recordings.seal(recordingId))
        .catch((stopError: unknown) =>
          logger.error({ sessionId: id, err: String(stopError) }, 'recorder did not stop after a failed start'),
        );
      throw error;
    }
    this.live.enter(started);
    return started;
  }

  #refuseOutsideStartWindow(session: SessionRecord): void {
    const window = this.startWindow(session);
    if (window.ok) return;
    const reason = startWindowRefusal(window.code, { startsAt: session.startsAt, ...window }, this.context.timeZone);
    throw new SessionError('conflict', reason.vi, {
      code: `start_${window.code}`,
      startsAt: session.startsAt,
      opensAt: window.opensAt,
      closesAt: window.closesAt,
      message: reason,
    });
  }

  /**
   * Ends the live session: stops the recorder, closes the session (or fails it, if the recording
   * could not be finalized), then seals the recording with the whole timeline.
   */
  async end(id: string, actor: string, reason?: string): Promise<SessionRecord> {
    const ending = await this.transitions.byId(id, 'end', { type: 'ended', actor, data: reason ? { reason } : {} });
    this.live.leave(id);
    const at = () => this.context.now().toISOString();
    if (!ending.recordingId) return this.transitions.apply(ending, 'finalize', { type: 'closed', actor, at: at() });
    const stopped = await this.options.recordings
      .stopRecording(ending.recordingId)
      .catch((error: unknown) => ({ clean: false, segments: 0, durationSeconds: 0, detail: describeError(error) }));
    const summary = {
      segments: stopped.segments,
      durationSeconds: stopped.durationSeconds,
      ...(stopped.detail ? { detail: stopped.detail } : {}),
    };
    let final: SessionRecord;
    if (stopped.clean) {
      final = await this.transitions.apply(ending, 'finalize', { type: 'closed', actor, at: at(), data: summary });
    } else {
      this.context.logger.error({ sessionId: id, err: stopped.detail }, 'recording did not finalize');
      final = await this.transitions.apply(ending, 'fail', {
        type: 'failed',
        actor,
        at: at(),
        data: { ...summary, reason: `recording did not finalize: ${stopped.detail}` },
      });
    }
    await this.seal(final);
    return final;
  }

  /** The power policy's last resort (kiosk/power): ends the live session, if any, before the battery runs out. */
  async endGracefully(reason: string): Promise<void> {
    const live = this.live.current();
    if (!live) return;
    await this.end(live.id, 'power', reason);
  }

  /**
   * Signs the recording's manifest with the session's timeline. A failure does not undo the session
   * (the segments are catalogued and hashed already) but is an error the technician must see.
   */
  async seal(session: SessionRecord): Promise<void> {
    if (!session.recordingId) return;
    try {
      await this.options.recordings.seal(session.recordingId);
    } catch (error) {
      this.context.logger.error(
        { sessionId: session.id, recordingId: session.recordingId, err: describeError(error) },
        'recording manifest could not be sealed',
      );
    }
  }

  /** An event the officer adds from the touchscreen during a session. */
  async addKioskEvent(id: string, input: KioskEventInput, actor: string): Promise<void> {
    const { store, logger } = this.context;
    const session = await sessionById(this.context, id);
    if (session.state !== 'live' && session.state !== 'ready' && session.state !== 'preparing') {
      throw new SessionError(
        'conflict',
        `session is ${session.state}; events are recorded while it is being prepared or live`,
      );
    }
    const { type, ...data } = input;
    if (type === 'case-changed' && (await store.getCase(input.caseId))?.sessionId !== id)
      throw new SessionError('not_found', 'no such case in this session');
    await store.addEvent(id, { type, at: this.context.now().toISOString(), actor, data });
    logger.info({ sessionId: id, event: type }, 'session event');
  }
}
