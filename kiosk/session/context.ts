/**
 * What every part of the session service shares once it has started: the store, the clock, the
 * room's time zone, the log and the bus. Built by SessionService.start(), handed to each part.
 */
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import { SessionError } from './errors.js';
import type { SessionStore } from './session-store.js';
import type { SessionRecord } from './types.js';

export interface SessionContext {
  store: SessionStore;
  bus: EventBus;
  logger: Logger;
  now(): Date;
  /** The room's time zone: a board's "today" and the times in refusals are the room's. */
  timeZone: string;
}

/** The session with this id, or the API's not-found refusal. */
export async function sessionById(context: SessionContext, id: string): Promise<SessionRecord> {
  const session = await context.store.getSession(id);
  if (!session) throw new SessionError('not_found', 'no such session');
  return session;
}
