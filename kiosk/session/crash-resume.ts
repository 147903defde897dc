import { describeError } from '../../hal/core/describe-error.js';
import type { SessionContext } from './context.js';
import type { SessionLifeCycle } from './life-cycle.js';
import type { LiveSession } from './live-session.js';
import type { RecordingPort } from './ports.js';
import type { SessionRecordingOwner } from './recording-owner.js';
import type { SessionTransitions } from './transitions.js';

export interface CrashResumeParts {
  context: SessionContext;
  transitions: SessionTransitions;
  live: LiveSession;
  lifeCycle: Pick<SessionLifeCycle, 'seal'>;
  recorder: Pick<SessionRecordingOwner, 'recorderResumed'>;
  recordings: Pick<RecordingPort, 'resume'>;
}

/**
 * Run at start-up. A session found live lost everything from its last sign of life (heartbeat or
 * last segment end) until now: that gap is recorded, then recording resumes under the same id.
 * A session found ending is closed and what was written is sealed.
 */
export async function resumeAfterCrash(parts: CrashResumeParts): Promise<void> {
  const { context, transitions, live, lifeCycle, recorder, recordings } = parts;
  const { store, logger } = context;
  const at = () => context.now().toISOString();
  for (const session of await store.sessionsInStates(['live', 'ending'])) {
    if (session.state === 'ending') {
      // The recorder was being stopped when we died: close the session and seal what was written.
      const closed = await transitions.apply(session, 'finalize', {
        type: 'closed',
        actor: 'system',
        at: at(),
        data: { recovered: true },
      });
      await lifeCycle.seal(closed);
      continue;
    }
    const lastLife = latest(session.heartbeatAt, session.lastSegmentEnd) ?? session.stateSince;
    if (!session.recordingId) continue;
    try {
      live.enter(session);
      await recordings.resume({
        sessionId: session.id,
        recordingId: session.recordingId,
        since: session.recorderStopped?.at ?? lastLife,
        cause: 'daemon-restart',
      });
    } catch (error) {
      live.leave(session.id);
      const message = describeError(error);
      logger.error({ sessionId: session.id, err: message }, 'cannot resume recording after restart');
      const failed = await transitions.apply(session, 'fail', {
        type: 'failed',
        actor: 'system',
        at: at(),
        data: { reason: `recording could not resume: ${message}` },
      });
      await lifeCycle.seal(failed);
      continue;
    }
    const resumed = await transitions.apply(session, 'resume', {
      type: 'resumed',
      actor: 'system',
      at: at(),
      data: { recordingId: session.recordingId },
    });
    if (session.recorderStopped) await recorder.recorderResumed(session.id, at());
    logger.warn(
      { sessionId: session.id, recordingId: session.recordingId, gapFrom: lastLife },
      'live session resumed after restart',
    );
    live.enter(resumed);
  }
}

/** The later of the instants given, or undefined when none is. */
function latest(...instants: (string | null)[]): string | undefined {
  let best: string | undefined;
  for (const instant of instants) {
    if (instant && (best === undefined || Date.parse(instant) > Date.parse(best))) best = instant;
  }
  return best;
}
