import type { SegmentInfo } from '../media/types.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { Database } from '../store/database.js';
import { mayReadConfidential, type Actor } from './access.js';
import { SessionError } from './errors.js';
import { IdentityVault } from './identity-vault.js';
import type { ActiveSessionPort, AuditPort, RecordingPort } from './ports.js';
import {
  fleetSchedulePayload,
  type Attendance,
  type CaseInput,
  type CitizenIdentity,
  type CitizenInput,
  type KioskEventInput,
  type ScheduleInput,
} from './schemas.js';
import { clockLabel, startWindowRefusal } from '../messages/session.js';
import { SessionStore, type NewEvent } from './session-store.js';
import { defaultStartWindow, startWindowVerdict, type StartWindow, type StartWindowVerdict } from './start-window.js';
import { isFinished, isUpcoming, transition, type SessionTrigger, type TransitionContext } from './state-machine.js';
import type { CaseRecord, CitizenRecord, SessionRecord } from './types.js';
import {
  fleetViewOfSession,
  sessionReport,
  sessionView,
  type FleetSessionView,
  type SessionReport,
  type SessionView,
} from './views.js';
import { describeError } from '../../hal/core/describe-error.js';

export interface SessionServiceOptions {
  /** The store's database, available once the store service has started. */
  database: () => Database;
  /** `<dataDir>/keys/identity.key`: see identity-vault.ts. */
  identityKeyPath: string;
  recordings: RecordingPort;
  audit: AuditPort;
  /** Bytes a recording of this many seconds will take. */
  expectedBytes: (seconds: number) => number;
  bus: EventBus;
  logger: Logger;
  /** How often a live session writes its heartbeat: the bound on a gap's start error after a crash. */
  heartbeatMs?: number;
  /** When Start is allowed around the scheduled time (config `session.startWindow`). */
  startWindow?: StartWindow;
  /** The room's time zone, for the times in refusals. */
  timeZone?: string;
  /** Unmutes the room microphone: a mute left from the last session must not silence the next one. */
  resetMicrophone?: () => Promise<void>;
  now?: () => Date;
}

export interface EndSummary {
  state: SessionRecord['state'];
  startedAt: string | null;
  endedAt: string | null;
  /** From the start to the end of the session (gaps included: see gapSeconds). */
  durationSeconds: number | null;
  segments: number | null;
  gapSeconds: number;
  sealed: boolean;
  /** The sealed recording matches its signed manifest; null when it could not be checked. */
  verified: boolean | null;
}

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
 * The room's reception sessions: schedule, cases and citizens, the session's life and its events.
 * Also the power policy's port onto the live session.
 */
export class SessionService implements Service, ActiveSessionPort {
  readonly name = 'sessions';
  #store: SessionStore | undefined;
  #vault: IdentityVault | undefined;
  #live: { id: string; recordingId: string } | null = null;
  #heartbeat: NodeJS.Timeout | undefined;
  #disposers: (() => void)[] = [];

  constructor(private readonly options: SessionServiceOptions) {}

  get #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  get store(): SessionStore {
    if (!this.#store) throw new Error('session service is not started');
    return this.#store;
  }

  get #sealer(): IdentityVault {
    if (!this.#vault) throw new Error('session service is not started');
    return this.#vault;
  }

  async start(): Promise<void> {
    this.#vault = await IdentityVault.open(this.options.identityKeyPath);
    this.#store = new SessionStore(this.options.database());
    this.#disposers.push(
      this.options.bus.on('segmentClosed', (segment: SegmentInfo) => {
        void this.store
          .segmentClosed(segment.recordingId, segment.endedAt)
          .catch((error: unknown) =>
            this.options.logger.error(
              { err: String(error), recordingId: segment.recordingId },
              'cannot note segment end',
            ),
          );
      }),
      // A preset recalled from the kiosk or the console during a session belongs in its timeline.
      this.options.bus.on('ptzPreset', (preset) => {
        if (preset.action === 'recalled')
          this.#recordWhileLive({
            type: 'preset-recalled',
            actor: preset.source,
            data: { preset: preset.slot, name: preset.name },
          });
      }),
      // So does a call for the technician: the room's button (which also raises a call) and the touchscreen's call.
      this.options.bus.on('roomButton', (button) => {
        if (button === 'callTechnician') this.#recordWhileLive({ type: 'technician-called', actor: 'room-button' });
      }),
      this.options.bus.on('technicianCall', (call) => {
        if (call.state === 'waiting' && call.source === 'kiosk')
          this.#recordWhileLive({ type: 'technician-called', actor: 'kiosk' });
      }),
    );
    await this.#recoverAfterCrash();
  }

  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    // A live session stays live across a restart; this last heartbeat makes the gap start exactly now.
    if (this.#live && this.#store)
      await this.#store.heartbeat(this.#live.id, this.#now.toISOString()).catch(() => undefined);
    this.#live = null;
    this.#store = undefined;
    this.#vault = undefined;
  }

  // ── schedule ────────────────────────────────────────────────────────────────────────────────

  createSchedule(input: ScheduleInput): Promise<SessionRecord> {
    return this.store.createSession(input, 'console', this.#now.toISOString());
  }

  async updateSchedule(id: string, input: ScheduleInput): Promise<SessionRecord> {
    const session = await this.#get(id);
    if (!isUpcoming(session.state))
      throw new SessionError('conflict', `session is ${session.state}; only an upcoming session can be rescheduled`);
    return this.store.updateSchedule(id, input, this.#now.toISOString());
  }

  /** Cancelling keeps the record (what was scheduled is part of the reception's history). */
  cancel(id: string, actor: string, reason?: string): Promise<SessionRecord> {
    return this.#transition(id, 'abort', { type: 'aborted', actor, data: reason ? { reason } : {} });
  }

  listSchedule(range: { from?: string; to?: string } = {}): Promise<SessionRecord[]> {
    return this.store.listSessions(range);
  }

  getSession(id: string): Promise<SessionRecord> {
    return this.#get(id);
  }

  /**
   * Applies central monitoring's schedule for this room (the push-schedule command). Validated here (central is another machine);
   * a newer revision edits an upcoming session, `cancelled` aborts it, anything else is ignored.
   */
  async upsertFromFleet(payload: unknown): Promise<FleetUpsertResult> {
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
      const at = this.#now.toISOString();
      const existing = await this.store.getByFleetId(fleetId);
      if (!existing) {
        if (cancelled) {
          result.ignored++;
          continue;
        }
        await this.store.createSession(input, 'fleet', at, { fleetId, revision });
        result.created++;
        continue;
      }
      if ((existing.fleetRevision ?? -1) >= revision || !isUpcoming(existing.state)) {
        result.ignored++;
        continue;
      }
      if (cancelled) {
        await this.#transition(existing.id, 'abort', { type: 'aborted', actor: 'fleet', data: { origin: 'fleet' } });
        result.cancelled++;
      } else {
        await this.store.updateSchedule(existing.id, input, at, revision);
        result.updated++;
      }
    }
    this.options.logger.info({ ...result }, 'fleet schedule applied');
    return result;
  }

  // ── cases and citizens ──────────────────────────────────────────────────────────────────────

  async addCase(sessionId: string, input: CaseInput): Promise<CaseRecord> {
    const session = await this.#get(sessionId);
    const added = await this.store.addCase(sessionId, input, this.#now.toISOString());
    await this.#raiseRecordingConfidentiality(session, added);
    return added;
  }

  async updateCase(caseId: string, input: CaseInput): Promise<CaseRecord> {
    const existing = await this.store.getCase(caseId);
    if (!existing) throw new SessionError('not_found', 'no such case');
    if (existing.type === 'TC' && input.type !== 'TC')
      throw new SessionError(
        'conflict',
        'a denunciation cannot be changed into another type: its identities stay confidential',
      );
    const updated = await this.store.updateCase(caseId, input, this.#now.toISOString());
    await this.#raiseRecordingConfidentiality(await this.#get(updated.sessionId), updated);
    return updated;
  }

  /** A confidential case added after the recording began makes the recording confidential too (never the reverse). */
  async #raiseRecordingConfidentiality(session: SessionRecord, caseRecord: CaseRecord): Promise<void> {
    if (!caseRecord.confidential || !session.recordingId) return;
    await this.options.recordings.raiseConfidentiality(session.recordingId);
  }

  async addCitizen(caseId: string, input: CitizenInput): Promise<CitizenRecord> {
    const caseRecord = await this.store.getCase(caseId);
    if (!caseRecord) throw new SessionError('not_found', 'no such case');
    return this.store.addCitizen(
      caseRecord,
      input.role,
      input.attendance,
      (citizenId) => this.#sealer.seal(input.identity, citizenId),
      this.#now.toISOString(),
    );
  }

  async setAttendance(citizenId: string, attendance: Attendance): Promise<CitizenRecord> {
    const updated = await this.store.setAttendance(citizenId, attendance, this.#now.toISOString());
    if (!updated) throw new SessionError('not_found', 'no such citizen');
    return updated;
  }

  /**
   * Opens one citizen's identity for the console. A confidential one needs an allowed role and
   * is written to the audit log first: if the audit cannot be written, nobody reads it.
   */
  async readIdentity(citizenId: string, actor: Actor | undefined): Promise<CitizenIdentity> {
    const citizen = await this.store.getCitizen(citizenId);
    if (!citizen) throw new SessionError('not_found', 'no such citizen');
    const caseRecord = await this.store.getCase(citizen.caseId);
    // A denouncer is protected whatever the case type says.
    const confidential = caseRecord?.confidential !== false || citizen.role === 'denouncer';
    if (!actor) throw new SessionError('forbidden', 'reading an identity needs a console login');
    if (confidential && !mayReadConfidential(actor))
      throw new SessionError('forbidden', 'this identity is confidential; your role may not read it');
    // Every identity read is audited, confidential or not: the audit log is the record of who saw whom.
    try {
      await this.options.audit.record({
        actor: actor.user,
        role: actor.role,
        action: 'identity-view',
        target: `citizen:${citizen.id}`,
        detail: `session:${citizen.sessionId}`,
      });
    } catch (error) {
      this.options.logger.error(
        { err: describeError(error), citizenId: citizen.id },
        'identity read refused: audit not written',
      );
      throw new SessionError('unavailable', 'the audit log cannot record this read, so it is refused');
    }
    this.options.logger.info(
      { actor: actor.user, role: actor.role, citizenId: citizen.id, confidential },
      'identity read',
    );
    return this.#sealer.open<CitizenIdentity>(citizen.identitySealed, citizen.id);
  }

  // ── views ───────────────────────────────────────────────────────────────────────────────────

  /** The session on the touchscreen now: the live one, else the next one that has not finished. */
  async currentSession(): Promise<SessionRecord | undefined> {
    const active = await this.store.sessionsInStates(['live', 'ending', 'ready', 'preparing', 'scheduled']);
    const live = active.find((s) => s.state === 'live' || s.state === 'ending');
    if (live) return live;
    const now = this.#now.getTime();
    return active.find((s) => Date.parse(s.endsAt) > now);
  }

  /**
   * The room's public schedule board (lịch tiếp công dân công khai): sessions overlapping the range,
   * with their schedule changes marked. Schedule text only: no case, no citizen.
   */
  async publicSchedule(days: number): Promise<PublicScheduleEntry[]> {
    const from = startOfDay(this.#now, this.options.timeZone ?? 'Asia/Ho_Chi_Minh');
    const sessions = await this.store.listSessions({
      from: from.toISOString(),
      to: new Date(from.getTime() + days * 86_400_000).toISOString(),
    });
    return Promise.all(
      sessions.map(async (session) => {
        const changes = (await this.store.events(session.id)).filter(
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

  /**
   * What the officer sees when a session ends: how long it was recorded, how many segments were
   * sealed, gaps, and whether the sealed recording verifies against its signed manifest.
   */
  async endSummary(id: string): Promise<EndSummary> {
    const session = await this.#get(id);
    if (!isFinished(session.state)) throw new SessionError('conflict', 'Buổi tiếp chưa kết thúc.');
    const events = await this.store.events(id);
    const started = events.find((e) => e.type === 'started');
    const closing = events.findLast((e) => e.type === 'closed' || e.type === 'failed');
    const number = (value: unknown) => (typeof value === 'number' ? value : null);
    const gapSeconds = events
      .filter((e) => e.type === 'gap')
      .reduce((sum, e) => sum + (number(e.data.seconds) ?? 0), 0);
    let check: { sealed: boolean; ok: boolean; segments: number } | null = null;
    if (session.recordingId && this.options.recordings.verify) {
      check = await this.options.recordings.verify(session.recordingId).catch((error: unknown) => {
        this.options.logger.error(
          { sessionId: id, err: describeError(error) },
          'end summary: recording could not be verified',
        );
        return null;
      });
    }
    return {
      state: session.state,
      startedAt: started?.at ?? null,
      endedAt: closing?.at ?? null,
      durationSeconds:
        started && closing ? Math.max(0, (Date.parse(closing.at) - Date.parse(started.at)) / 1000) : null,
      segments: check?.segments ?? number(closing?.data.segments),
      gapSeconds,
      sealed: check?.sealed ?? false,
      verified: check ? check.ok : null,
    };
  }

  /** When the session first went live, or null. */
  async startedAt(id: string): Promise<string | null> {
    return (await this.store.events(id)).find((e) => e.type === 'started')?.at ?? null;
  }

  /** Whether the session may be started now, and the span in which it may. */
  startWindow(session: Pick<SessionRecord, 'startsAt' | 'endsAt'>): StartWindowVerdict {
    return startWindowVerdict(session, this.options.startWindow ?? defaultStartWindow, this.#now);
  }

  /** Formats an instant as the room's clock shows it (14:00 01/12/2026). */
  clockLabel(instant: string): string {
    return clockLabel(instant, this.options.timeZone ?? 'Asia/Ho_Chi_Minh');
  }

  async kioskView(id: string): Promise<SessionView> {
    return this.#view(await this.#get(id), false);
  }

  async consoleView(id: string): Promise<SessionView> {
    return this.#view(await this.#get(id), true);
  }

  async fleetView(id: string): Promise<FleetSessionView> {
    const session = await this.#get(id);
    return fleetViewOfSession(
      session,
      await this.store.cases(id),
      await this.store.citizens(id),
      await this.store.events(id),
    );
  }

  async report(id: string): Promise<SessionReport> {
    const view = await this.consoleView(id);
    return sessionReport(view, await this.store.events(id), this.#now.toISOString());
  }

  // ── the session's life ──────────────────────────────────────────────────────────────────────

  prepare(id: string, actor: string): Promise<SessionRecord> {
    return this.#transition(id, 'prepare', { type: 'prepared', actor });
  }

  markReady(
    id: string,
    actor: string,
    context: Pick<TransitionContext, 'readiness' | 'readinessOverride'>,
  ): Promise<SessionRecord> {
    return this.#transition(
      id,
      'markReady',
      { type: 'ready', actor, data: { readiness: context.readiness ?? null } },
      context,
    );
  }

  /** Starts recording and makes the session live; refused when the disk cannot hold it. */
  async startSession(id: string, actor: string): Promise<SessionRecord> {
    const session = await this.#get(id);
    if (this.#live && this.#live.id !== id) throw new SessionError('conflict', 'another session is live in this room');
    if (isUpcoming(session.state)) {
      const window = this.startWindow(session);
      if (!window.ok) {
        const reason = startWindowRefusal(
          window.code,
          { startsAt: session.startsAt, ...window },
          this.options.timeZone ?? 'Asia/Ho_Chi_Minh',
        );
        throw new SessionError('conflict', reason.vi, {
          code: `start_${window.code}`,
          startsAt: session.startsAt,
          opensAt: window.opensAt,
          closesAt: window.closesAt,
          message: reason,
        });
      }
    }
    const now = this.#now;
    const seconds =
      Math.max(Date.parse(session.endsAt) - now.getTime(), Date.parse(session.endsAt) - Date.parse(session.startsAt)) /
      1000;
    const expectedBytes = this.options.expectedBytes(seconds);
    const hold = await this.options.recordings.admit(expectedBytes);
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
        this.options.logger.warn(
          { sessionId: id, err: describeError(error) },
          'microphone could not be unmuted at session start',
        ),
      );
    let recording: { recordingId: string; dir: string };
    try {
      const confidential = (await this.store.cases(id)).some((c) => c.confidential);
      recording = await this.options.recordings.begin({
        sessionId: id,
        label: session.title,
        confidential,
        expectedBytes,
      });
    } catch (error) {
      this.options.logger.error({ sessionId: id, err: describeError(error) }, 'recorder did not start');
      throw new SessionError('unavailable', describeError(error));
    }
    const { recordingId } = recording;
    let started: SessionRecord;
    try {
      // Read again: while the recorder started, the readiness run it interrupted may have moved the
      // session on (scheduled → preparing → ready); the start applies to the session as it is now.
      started = await this.#apply(
        await this.#get(id),
        'start',
        { type: 'started', actor, at: this.#now.toISOString(), data: { recordingId } },
        { storageCanHold: hold.ok },
        { recordingId, recordingDir: recording.dir },
      );
    } catch (error) {
      // Not live after all (e.g. a fleet abort won the race): a recorder nobody will stop must not run on.
      this.options.logger.warn(
        { sessionId: id, recordingId, err: describeError(error) },
        'session did not go live after its recorder started: recorder stopped',
      );
      await this.options.recordings
        .stopRecording(recordingId)
        .then(() => this.options.recordings.seal(recordingId))
        .catch((stopError: unknown) =>
          this.options.logger.error(
            { sessionId: id, err: String(stopError) },
            'recorder did not stop after a failed start',
          ),
        );
      throw error;
    }
    this.#goLive(started);
    return started;
  }

  /**
   * Ends the live session: stops the recorder, closes the session (or fails it, if the recording
   * could not be finalized), then seals the recording with the whole timeline.
   */
  async endSession(id: string, actor: string, reason?: string): Promise<SessionRecord> {
    const ending = await this.#transition(id, 'end', { type: 'ended', actor, data: reason ? { reason } : {} });
    this.#leaveLive(id);
    if (!ending.recordingId)
      return this.#apply(ending, 'finalize', { type: 'closed', actor, at: this.#now.toISOString() });
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
      final = await this.#apply(ending, 'finalize', {
        type: 'closed',
        actor,
        at: this.#now.toISOString(),
        data: summary,
      });
    } else {
      this.options.logger.error({ sessionId: id, err: stopped.detail }, 'recording did not finalize');
      final = await this.#apply(ending, 'fail', {
        type: 'failed',
        actor,
        at: this.#now.toISOString(),
        data: { ...summary, reason: `recording did not finalize: ${stopped.detail}` },
      });
    }
    await this.#seal(final);
    return final;
  }

  /**
   * Signs the recording's manifest with the session's timeline. A failure does not undo the session
   * (the segments are catalogued and hashed already) but is an error the technician must see.
   */
  async #seal(session: SessionRecord): Promise<void> {
    if (!session.recordingId) return;
    try {
      await this.options.recordings.seal(session.recordingId);
    } catch (error) {
      this.options.logger.error(
        { sessionId: session.id, recordingId: session.recordingId, err: describeError(error) },
        'recording manifest could not be sealed',
      );
    }
  }

  // ── RecordingOwner (kiosk/recording) ────────────────────────────────────────────────────────

  /** A stop, gap, resume or lost source of this session's recording, written into its timeline. */
  async addTimelineEntry(
    sessionId: string,
    entry: {
      type: 'recording-stopped' | 'recording-resumed' | 'gap' | 'source-lost' | 'source-restored';
      at: string;
      data: Record<string, unknown>;
    },
  ): Promise<void> {
    await this.store.addEvent(sessionId, { type: entry.type, at: entry.at, actor: 'system', data: entry.data });
    if (entry.type === 'gap') {
      const { recordingId, from, to, seconds, cause } = entry.data as {
        recordingId: string;
        from: string;
        to: string;
        seconds: number;
        cause: string;
      };
      this.options.bus.emit('sessionGap', { sessionId, recordingId, from, to, seconds, cause });
    }
  }

  /** The timeline as signed into the recording's manifest. */
  async timeline(sessionId: string): Promise<Record<string, unknown>[]> {
    return (await this.store.events(sessionId)).map(({ at, type, actor, data }) => ({ at, type, actor, data }));
  }

  /**
   * The recorder stopped without being asked (disk full, pipeline failure). The session stays live
   * (people are in the room) but is marked as not recorded, and every screen says so, until the
   * recording resumes or the officer ends the session.
   */
  async recorderStopped(sessionId: string, stop: { at: string; cause: string; detail?: string }): Promise<void> {
    if ((await this.store.getSession(sessionId))?.state !== 'live') return;
    await this.#markRecorder(sessionId, { at: stop.at, cause: stop.cause }, stop.at);
  }

  async recorderResumed(sessionId: string, at: string): Promise<void> {
    await this.#markRecorder(sessionId, null, at);
  }

  /** Persists the recorder's stop (or its end) and tells the screens and the fleet: the session changed, not its state. */
  async #markRecorder(sessionId: string, stop: { at: string; cause: string } | null, at: string): Promise<void> {
    const updated = await this.store.setRecorderStopped(sessionId, stop);
    if (updated)
      this.options.bus.emit('sessionStateChanged', {
        sessionId,
        from: updated.state,
        to: updated.state,
        at,
        recordingId: updated.recordingId,
      });
  }

  /** The officer or technician restarts a recording that stopped by itself (after freeing space). */
  async resumeRecording(id: string, actor: string): Promise<SessionRecord> {
    const session = await this.#get(id);
    if (session.state !== 'live' || !session.recorderStopped || !session.recordingId)
      throw new SessionError('conflict', 'the session is not live with a stopped recording');
    const seconds = Math.max(0, (Date.parse(session.endsAt) - this.#now.getTime()) / 1000);
    const hold = await this.options.recordings.admit(this.options.expectedBytes(seconds));
    if (!hold.ok) throw new SessionError('conflict', hold.message);
    try {
      await this.options.recordings.resume({
        sessionId: id,
        recordingId: session.recordingId,
        since: session.recorderStopped.at,
        cause: session.recorderStopped.cause === 'disk-full' ? 'disk-full' : 'failure',
      });
    } catch (error) {
      throw new SessionError('unavailable', describeError(error));
    }
    this.options.logger.warn({ sessionId: id, actor }, 'recording resumed by hand');
    return this.#get(id);
  }

  /** An event the officer adds from the touchscreen during a session. */
  async addKioskEvent(id: string, input: KioskEventInput, actor: string): Promise<void> {
    const session = await this.#get(id);
    if (session.state !== 'live' && session.state !== 'ready' && session.state !== 'preparing') {
      throw new SessionError(
        'conflict',
        `session is ${session.state}; events are recorded while it is being prepared or live`,
      );
    }
    const { type, ...data } = input;
    if (type === 'case-changed' && (await this.store.getCase(input.caseId))?.sessionId !== id)
      throw new SessionError('not_found', 'no such case in this session');
    await this.store.addEvent(id, { type, at: this.#now.toISOString(), actor, data });
    this.options.logger.info({ sessionId: id, event: type }, 'session event');
  }

  // ── ActiveSessionPort (kiosk/power) ─────────────────────────────────────────────────────────

  activeSession(): { id: string } | null {
    return this.#live ? { id: this.#live.id } : null;
  }

  async endGracefully(reason: string): Promise<void> {
    if (!this.#live) return;
    await this.endSession(this.#live.id, 'power', reason);
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  /**
   * A session found live at start-up lost everything from its last sign of life (heartbeat or
   * last segment end) until now: that gap is recorded, then recording resumes under the same id.
   */
  async #recoverAfterCrash(): Promise<void> {
    for (const session of await this.store.sessionsInStates(['live', 'ending'])) {
      if (session.state === 'ending') {
        // The recorder was being stopped when we died: close the session and seal what was written.
        const closed = await this.#apply(session, 'finalize', {
          type: 'closed',
          actor: 'system',
          at: this.#now.toISOString(),
          data: { recovered: true },
        });
        await this.#seal(closed);
        continue;
      }
      const lastLife = latest(session.heartbeatAt, session.lastSegmentEnd) ?? session.stateSince;
      if (!session.recordingId) continue;
      try {
        this.#goLive(session);
        await this.options.recordings.resume({
          sessionId: session.id,
          recordingId: session.recordingId,
          since: session.recorderStopped?.at ?? lastLife,
          cause: 'daemon-restart',
        });
      } catch (error) {
        this.#leaveLive(session.id);
        const message = describeError(error);
        this.options.logger.error({ sessionId: session.id, err: message }, 'cannot resume recording after restart');
        const failed = await this.#apply(session, 'fail', {
          type: 'failed',
          actor: 'system',
          at: this.#now.toISOString(),
          data: { reason: `recording could not resume: ${message}` },
        });
        await this.#seal(failed);
        continue;
      }
      const resumed = await this.#apply(session, 'resume', {
        type: 'resumed',
        actor: 'system',
        at: this.#now.toISOString(),
        data: { recordingId: session.recordingId },
      });
      if (session.recorderStopped) await this.recorderResumed(session.id, this.#now.toISOString());
      this.options.logger.warn(
        { sessionId: session.id, recordingId: session.recordingId, gapFrom: lastLife },
        'live session resumed after restart',
      );
      this.#goLive(resumed);
    }
  }

  #recordWhileLive(event: Omit<NewEvent, 'at'>): void {
    if (!this.#live || !this.#store) return;
    void this.#store
      .addEvent(this.#live.id, { ...event, at: this.#now.toISOString() })
      .catch((error: unknown) =>
        this.options.logger.error({ err: String(error), event: event.type }, 'cannot record session event'),
      );
  }

  #goLive(session: SessionRecord): void {
    this.#live = { id: session.id, recordingId: session.recordingId ?? session.id };
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => {
      if (!this.#live || !this.#store) return;
      void this.#store
        .heartbeat(this.#live.id, this.#now.toISOString())
        .catch((error: unknown) => this.options.logger.error({ err: String(error) }, 'heartbeat write failed'));
    }, this.options.heartbeatMs ?? 2000);
    this.#heartbeat.unref();
  }

  #leaveLive(id: string): void {
    if (this.#live?.id !== id) return;
    this.#live = null;
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  async #transition(
    id: string,
    trigger: SessionTrigger,
    event: Omit<NewEvent, 'at'>,
    context: TransitionContext = {},
  ): Promise<SessionRecord> {
    return this.#apply(await this.#get(id), trigger, { ...event, at: this.#now.toISOString() }, context);
  }

  /**
   * The one way a session moves: the state machine says where `trigger` leads from the session's
   * state, given the facts; then state + event are persisted in one transaction and the bus is told.
   */
  async #apply(
    session: SessionRecord,
    trigger: SessionTrigger,
    event: NewEvent,
    context: TransitionContext = {},
    recording?: { recordingId: string; recordingDir: string },
  ): Promise<SessionRecord> {
    const outcome = transition(session.state, trigger, context);
    if (!outcome.ok) throw new SessionError('conflict', outcome.reason);
    const to = outcome.to;
    let updated: SessionRecord;
    try {
      updated = await this.store.applyTransition(session.id, session.state, to, event, recording);
    } catch (error) {
      throw new SessionError('conflict', describeError(error));
    }
    this.options.logger.info({ sessionId: session.id, from: session.state, to, event: event.type }, 'session state');
    this.options.bus.emit('sessionStateChanged', {
      sessionId: session.id,
      from: session.state,
      to,
      at: event.at,
      recordingId: updated.recordingId,
    });
    return updated;
  }

  async #get(id: string): Promise<SessionRecord> {
    const session = await this.store.getSession(id);
    if (!session) throw new SessionError('not_found', 'no such session');
    return session;
  }

  async #view(session: SessionRecord, forConsole: boolean): Promise<SessionView> {
    const nameOf = (citizen: CitizenRecord) =>
      this.#sealer.open<CitizenIdentity>(citizen.identitySealed, citizen.id).name;
    return sessionView(session, await this.store.cases(session.id), await this.store.citizens(session.id), nameOf, {
      withConfidentialSummaries: forConsole,
    });
  }
}

function latest(...instants: (string | null)[]): string | undefined {
  let best: string | undefined;
  for (const instant of instants) {
    if (instant && (best === undefined || Date.parse(instant) > Date.parse(best))) best = instant;
  }
  return best;
}

/** Midnight of `now`'s day in the room's time zone (a board shows "today" as the room lives it). */
function startOfDay(now: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone,
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0) % 24;
  const sinceMidnight = ((part('hour') * 60 + part('minute')) * 60 + part('second')) * 1000 + now.getMilliseconds();
  return new Date(now.getTime() - sinceMidnight);
}
