import { describeError } from '../../hal/core/describe-error.js';
import { type SessionContext, sessionById } from './context.js';
import { SessionError } from './errors.js';
import type { RecordingPort } from './ports.js';
import type { SessionRecord } from './types.js';

/** What the recording service writes into a session's timeline. */
export interface TimelineEntry {
  type: 'recording-stopped' | 'recording-resumed' | 'gap' | 'source-lost' | 'source-restored';
  at: string;
  data: Record<string, unknown>;
}

/**
 * The session's side of its recording: it is the recording service's RecordingOwner
 * (kiosk/recording/ports.ts), told of stops, gaps and lost sources, asked for the timeline to
 * sign; and it restarts a recording that stopped by itself when the officer asks.
 */
export class SessionRecordingOwner {
  constructor(
    private readonly context: SessionContext,
    private readonly recordings: Pick<RecordingPort, 'admit' | 'resume'>,
    /** Bytes a recording of this many seconds will take. */
    private readonly expectedBytes: (seconds: number) => number,
  ) {}

  /** A stop, gap, resume or lost source of this session's recording, written into its timeline. */
  async addTimelineEntry(sessionId: string, entry: TimelineEntry): Promise<void> {
    await this.context.store.addEvent(sessionId, { type: entry.type, at: entry.at, actor: 'system', data: entry.data });
    if (entry.type === 'gap') {
      const { recordingId, from, to, seconds, cause } = entry.data as {
        recordingId: string;
        from: string;
        to: string;
        seconds: number;
        cause: string;
      };
      this.context.bus.emit('sessionGap', { sessionId, recordingId, from, to, seconds, cause });
    }
  }

  /** The timeline as signed into the recording's manifest. */
  async timeline(sessionId: string): Promise<Record<string, unknown>[]> {
    return (await this.context.store.events(sessionId)).map(({ at, type, actor, data }) => ({ at, type, actor, data }));
  }

  /**
   * The recorder stopped without being asked (disk full, pipeline failure). The session stays live
   * (people are in the room) but is marked as not recorded, and every screen says so, until the
   * recording resumes or the officer ends the session.
   */
  async recorderStopped(sessionId: string, stop: { at: string; cause: string; detail?: string }): Promise<void> {
    if ((await this.context.store.getSession(sessionId))?.state !== 'live') return;
    await this.#markRecorder(sessionId, { at: stop.at, cause: stop.cause }, stop.at);
  }

  async recorderResumed(sessionId: string, at: string): Promise<void> {
    await this.#markRecorder(sessionId, null, at);
  }

  /** Persists the recorder's stop (or its end) and tells the screens and the fleet: the session changed, not its state. */
  async #markRecorder(sessionId: string, stop: { at: string; cause: string } | null, at: string): Promise<void> {
    const updated = await this.context.store.setRecorderStopped(sessionId, stop);
    if (updated)
      this.context.bus.emit('sessionStateChanged', {
        sessionId,
        from: updated.state,
        to: updated.state,
        at,
        recordingId: updated.recordingId,
      });
  }

  /** The officer or technician restarts a recording that stopped by itself (after freeing space). */
  async resumeRecording(id: string, actor: string): Promise<SessionRecord> {
    const session = await sessionById(this.context, id);
    if (session.state !== 'live' || !session.recorderStopped || !session.recordingId)
      throw new SessionError('conflict', 'the session is not live with a stopped recording');
    const seconds = Math.max(0, (Date.parse(session.endsAt) - this.context.now().getTime()) / 1000);
    const hold = await this.recordings.admit(this.expectedBytes(seconds));
    if (!hold.ok) throw new SessionError('conflict', hold.message);
    try {
      await this.recordings.resume({
        sessionId: id,
        recordingId: session.recordingId,
        since: session.recorderStopped.at,
        cause: session.recorderStopped.cause === 'disk-full' ? 'disk-full' : 'failure',
      });
    } catch (error) {
      throw new SessionError('unavailable', describeError(error));
    }
    this.context.logger.warn({ sessionId: id, actor }, 'recording resumed by hand');
    return sessionById(this.context, id);
  }
}
