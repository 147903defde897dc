import { describeError } from '../../hal/core/describe-error.js';
import { type SessionContext, sessionById } from './context.js';
import { SessionError } from './errors.js';
import { type SessionTrigger, type TransitionContext, transition } from './state-machine.js';
import type { NewEvent, SessionRecord } from './types.js';

/** The recording a start gives the session, stored with its `live` state. */
export interface StartedRecording {
  recordingId: string;
  recordingDir: string;
}

/**
 * The one way a session moves: the state machine (state-machine.ts) says where a trigger leads
 * from the session's state, given the facts; then state + event are persisted in one transaction
 * and the bus is told.
 */
export class SessionTransitions {
  constructor(private readonly context: SessionContext) {}

  /** Moves the session as it is stored now; the event is stamped with the current time. */
  async byId(
    id: string,
    trigger: SessionTrigger,
    event: Omit<NewEvent, 'at'>,
    facts: TransitionContext = {},
  ): Promise<SessionRecord> {
    const session = await sessionById(this.context, id);
    return this.apply(session, trigger, { ...event, at: this.context.now().toISOString() }, facts);
  }

  /** Moves `session` from the state it was read in; refused if the store has moved it on since. */
  async apply(
    session: SessionRecord,
    trigger: SessionTrigger,
    event: NewEvent,
    facts: TransitionContext = {},
    recording?: StartedRecording,
  ): Promise<SessionRecord> {
    const { store, logger, bus } = this.context;
    const outcome = transition(session.state, trigger, facts);
    if (!outcome.ok) throw new SessionError('conflict', outcome.reason);
    const to = outcome.to;
    let updated: SessionRecord;
    try {
      updated = await store.applyTransition(session.id, session.state, to, event, recording);
    } catch (error) {
      throw new SessionError('conflict', describeError(error));
    }
    logger.info({ sessionId: session.id, from: session.state, to, event: event.type }, 'session state');
    bus.emit('sessionStateChanged', {
      sessionId: session.id,
      from: session.state,
      to,
      at: event.at,
      recordingId: updated.recordingId,
    });
    return updated;
  }
}
