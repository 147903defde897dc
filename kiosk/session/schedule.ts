import { type SessionContext, sessionById } from './context.js';
import { SessionError } from './errors.js';
import { startOfDay } from './room-day.js';
import { fleetSchedulePayload, type ScheduleInput } from './schemas.js';
import { isUpcoming } from './state-machine.js';
import type { SessionTransitions } from './transitions.js';
import type { SessionRecord } from './types.js';

/** A session as the room's public board shows it: the schedule text, never cases or citizens. */
export interface PublicScheduleEntry {
  id: string;
  kind: SessionRecord['kind'];
  title: string;
  chairSite: { name: string };
  startsAt: string;
  endsAt: string;
  state: SessionRecord['state'];
  /** Last time the schedule of this session changed (rescheduled or cancelled), or null. */
  changedAt: string | null;
  change: 'rescheduled' | 'cancelled' | null;
}

export interface FleetUpsertResult {
  created: number;
  updated: number;
  cancelled: number;
  /** Entries older than what we hold, or for sessions that already began. */
  ignored: number;
}

/**
 * The room's schedule (lịch tiếp công dân): sessions created and edited from the console or pushed
 * by central monitoring, cancelled (never deleted), and the public board.
 */
export class SessionSchedule {
  constructor(
    private readonly context: SessionContext,
    private readonly transitions: SessionTransitions,
  ) {}

  create(input: ScheduleInput): Promise<SessionRecord> {
    return this.context.store.createSession(input, 'console', this.context.now().toISOString());
  }

  async update(id: string, input: ScheduleInput): Promise<SessionRecord> {
    const session = await sessionById(this.context, id);
    if (!isUpcoming(session.state))
      throw new SessionError('conflict', `session is ${session.state}; only an upcoming session can be rescheduled`);
    return this.context.store.updateSchedule(id, input, this.context.now().toISOString());
  }

  /** Cancelling keeps the record (what was scheduled is part of the reception's history). */
  cancel(id: string, actor: string, reason?: string): Promise<SessionRecord> {
    return this.transitions.byId(id, 'abort', { type: 'aborted', actor, data: reason ? { reason } : {} });
  }

  list(range: { from?: string; to?: string } = {}): Promise<SessionRecord[]> {
    return this.context.store.listSessions(range);
  }

  get(id: string): Promise<SessionRecord> {
    return sessionById(this.context, id);
  }

  /** The session on the touchscreen now: the live one, else the next one that has not finished. */
  async current(): Promise<SessionRecord | undefined> {
    const active = await this.context.store.sessionsInStates(['live', 'ending', 'ready', 'preparing', 'scheduled']);
    const live = active.find((s) => s.state === 'live' || s.state === 'ending');
    if (live) return live;
    const now = this.context.now().getTime();
    return active.find((s) => Date.parse(s.endsAt) > now);
  }

  /**
   * Applies central monitoring's schedule for this room (the push-schedule command). Validated here (central is another machine);
   * a newer revision edits an upcoming session, `cancelled` aborts it, anything else is ignored.
   */
  async upsertFromFleet(payload: unknown): Promise<FleetUpsertResult> {
    const { store, logger } = this.context;
    const parsed = fleetSchedulePayload.safeParse(payload);
    if (!parsed.success) {
      throw new SessionError(
        'invalid',
        'fleet schedule payload does not match the expected shape',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const result: FleetUpsertResult = { created: 0, updated: 0, cancelled: 0, ignored: 0 };
    for (const entry of parsed.data.sessions) {
      const { fleetId, revision, cancelled, ...input } = entry;
      const at = this.context.now().toISOString();
      const existing = await store.getByFleetId(fleetId);
      if (!existing) {
        if (cancelled) {
          result.ignored++;
          continue;
        }
        await store.createSession(input, 'fleet', at, { fleetId, revision });
        result.created++;
        continue;
      }
      if ((existing.fleetRevision ?? -1) >= revision || !isUpcoming(existing.state)) {
        result.ignored++;
        continue;
      }
      if (cancelled) {
        await this.transitions.byId(existing.id, 'abort', {
          type: 'aborted',
          actor: 'fleet',
          data: { origin: 'fleet' },
        });
        result.cancelled++;
      } else {
        await store.updateSchedule(existing.id, input, at, revision);
        result.updated++;
      }
    }
    logger.info({ ...result }, 'fleet schedule applied');
    return result;
  }

  /**
   * The room's public schedule board (lịch tiếp công dân công khai): sessions overlapping the range,
   * with their schedule changes marked. Schedule text only: no case, no citizen.
   */
  async publicBoard(days: number): Promise<PublicScheduleEntry[]> {
    const { store } = this.context;
    const from = startOfDay(this.context.now(), this.context.timeZone);
    const sessions = await store.listSessions({
      from: from.toISOString(),
      to: new Date(from.getTime() + days * 86_400_000).toISOString(),
    });
    return Promise.all(
      sessions.map(async (session) => {
        const changes = (await store.events(session.id)).filter(
          (e) => e.type === 'rescheduled' || e.type === 'aborted',
        );
        const last = changes.at(-1);
        return {
          id: session.id,
          kind: session.kind,
          title: session.title,
          chairSite: { name: session.chairSite.name },
          startsAt: session.startsAt,
          endsAt: session.endsAt,
          state: session.state,
          changedAt: last?.at ?? null,
          change: session.state === 'aborted' ? 'cancelled' : last ? 'rescheduled' : null,
        };
      }),
    );
  }
}
