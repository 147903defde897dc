import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { Database } from '../store/database.js';
import type { Actor } from './access.js';
import { CasesAndCitizens } from './cases-and-citizens.js';
import type { SessionContext } from './context.js';
import { resumeAfterCrash } from './crash-resume.js';
import type { EndSummary } from './end-summary.js';
import { IdentityVault } from './identity-vault.js';
import { SessionLifeCycle } from './life-cycle.js';
import { LiveSession } from './live-session.js';
import type { ActiveSessionPort, AuditPort, RecordingPort } from './ports.js';
import { SessionReadModels } from './read-models.js';
import { SessionRecordingOwner, type TimelineEntry } from './recording-owner.js';
import { type FleetUpsertResult, type PublicScheduleEntry, SessionSchedule } from './schedule.js';
import type {
  Attendance,
  CaseInput,
  CitizenIdentity,
  CitizenInput,
  KioskEventInput,
  ScheduleInput,
} from './schemas.js';
import { SessionStore } from './session-store.js';
import { defaultStartWindow, type StartWindow, type StartWindowVerdict } from './start-window.js';
import type { TransitionContext } from './state-machine.js';
import { SessionTransitions } from './transitions.js';
import type { CaseRecord, CitizenRecord, SessionRecord } from './types.js';
import type { FleetSessionView, SessionReport, SessionView } from './views.js';

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
  /** The room's time zone: the times in refusals, the public board's "today". */
  timeZone?: string;
  /** Unmutes the room microphone: a mute left from the last session must not silence the next one. */
  resetMicrophone?: () => Promise<void>;
  now?: () => Date;
}

/** The parts, one per job, built when the service starts (they need the open store and vault). */
interface SessionParts {
  store: SessionStore;
  live: LiveSession;
  schedule: SessionSchedule;
  cases: CasesAndCitizens;
  views: SessionReadModels;
  lifeCycle: SessionLifeCycle;
  recorder: SessionRecordingOwner;
}

/**
 * The room's reception sessions, as one service for the composition root and the routes. It opens
 * the store and the identity vault, builds one part per job and hands each call to its part:
 * - schedule.ts: the schedule, central monitoring's pushes, the public board;
 * - cases-and-citizens.ts: cases, citizens, their sealed identities and the audited read;
 * - read-models.ts (with views.ts, end-summary.ts): what the kiosk, the console and central see;
 * - life-cycle.ts (with transitions.ts, state-machine.ts, crash-resume.ts): prepare, start, end, seal;
 * - live-session.ts: heartbeat and the room's events while a session is live;
 * - recording-owner.ts: the recording service's RecordingOwner (kiosk/recording).
 * The power policy's ActiveSessionPort (kiosk/power) is the live session and the life cycle's graceful end.
 */
export class SessionService implements Service, ActiveSessionPort {
  readonly name = 'sessions';
  #parts: SessionParts | undefined;

  constructor(private readonly options: SessionServiceOptions) {}

  get #started(): SessionParts {
    if (!this.#parts) throw new Error('session service is not started');
    return this.#parts;
  }

  get store(): SessionStore {
    return this.#started.store;
  }

  async start(): Promise<void> {
    const { options } = this;
    const vault = await IdentityVault.open(options.identityKeyPath);
    const context: SessionContext = {
      store: new SessionStore(options.database()),
      bus: options.bus,
      logger: options.logger,
      now: () => options.now?.() ?? new Date(),
      timeZone: options.timeZone ?? 'Asia/Ho_Chi_Minh',
    };
    const transitions = new SessionTransitions(context);
    const live = new LiveSession(context, options.heartbeatMs ?? 2000);
    const lifeCycle = new SessionLifeCycle(context, transitions, live, {
      recordings: options.recordings,
      expectedBytes: options.expectedBytes,
      startWindow: options.startWindow ?? defaultStartWindow,
      ...(options.resetMicrophone ? { resetMicrophone: options.resetMicrophone } : {}),
    });
    const recorder = new SessionRecordingOwner(context, options.recordings, options.expectedBytes);
    this.#parts = {
      store: context.store,
      live,
      schedule: new SessionSchedule(context, transitions),
      cases: new CasesAndCitizens(context, vault, options.recordings, options.audit),
      views: new SessionReadModels(context, vault, options.recordings),
      lifeCycle,
      recorder,
    };
    live.listen();
    await resumeAfterCrash({ context, transitions, live, lifeCycle, recorder, recordings: options.recordings });
  }

  async stop(): Promise<void> {
    await this.#parts?.live.stop();
    this.#parts = undefined;
  }

  // ── schedule (schedule.ts) ──────────────────────────────────────────────────────────────────

  async createSchedule(input: ScheduleInput): Promise<SessionRecord> {
    return this.#started.schedule.create(input);
  }

  async updateSchedule(id: string, input: ScheduleInput): Promise<SessionRecord> {
    return this.#started.schedule.update(id, input);
  }

  async cancel(id: string, actor: string, reason?: string): Promise<SessionRecord> {
    return this.#started.schedule.cancel(id, actor, reason);
  }

  async listSchedule(range: { from?: string; to?: string } = {}): Promise<SessionRecord[]> {
    return this.#started.schedule.list(range);
  }

  async getSession(id: string): Promise<SessionRecord> {
    return this.#started.schedule.get(id);
  }

  async currentSession(): Promise<SessionRecord | undefined> {
    return this.#started.schedule.current();
  }

  async upsertFromFleet(payload: unknown): Promise<FleetUpsertResult> {
    return this.#started.schedule.upsertFromFleet(payload);
  }

  async publicSchedule(days: number): Promise<PublicScheduleEntry[]> {
    return this.#started.schedule.publicBoard(days);
  }

  // ── cases and citizens (cases-and-citizens.ts) ──────────────────────────────────────────────

  async addCase(sessionId: string, input: CaseInput): Promise<CaseRecord> {
    return this.#started.cases.addCase(sessionId, input);
  }

  async updateCase(caseId: string, input: CaseInput): Promise<CaseRecord> {
    return this.#started.cases.updateCase(caseId, input);
  }

  async addCitizen(caseId: string, input: CitizenInput): Promise<CitizenRecord> {
    return this.#started.cases.addCitizen(caseId, input);
  }

  async setAttendance(citizenId: string, attendance: Attendance): Promise<CitizenRecord> {
    return this.#started.cases.setAttendance(citizenId, attendance);
  }

  async readIdentity(citizenId: string, actor: Actor | undefined): Promise<CitizenIdentity> {
    return this.#started.cases.readIdentity(citizenId, actor);
  }

  // ── views (read-models.ts) ──────────────────────────────────────────────────────────────────

  async kioskView(id: string): Promise<SessionView> {
    return this.#started.views.kioskView(id);
  }

  async consoleView(id: string): Promise<SessionView> {
    return this.#started.views.consoleView(id);
  }

  async fleetView(id: string): Promise<FleetSessionView> {
    return this.#started.views.fleetView(id);
  }

  async report(id: string): Promise<SessionReport> {
    return this.#started.views.report(id);
  }

  async startedAt(id: string): Promise<string | null> {
    return this.#started.views.startedAt(id);
  }

  async endSummary(id: string): Promise<EndSummary> {
    return this.#started.views.endSummary(id);
  }

  // ── the session's life (life-cycle.ts) ──────────────────────────────────────────────────────

  async prepare(id: string, actor: string): Promise<SessionRecord> {
    return this.#started.lifeCycle.prepare(id, actor);
  }

  async markReady(
    id: string,
    actor: string,
    facts: Pick<TransitionContext, 'readiness' | 'readinessOverride'>,
  ): Promise<SessionRecord> {
    return this.#started.lifeCycle.markReady(id, actor, facts);
  }

  startWindow(session: Pick<SessionRecord, 'startsAt' | 'endsAt'>): StartWindowVerdict {
    return this.#started.lifeCycle.startWindow(session);
  }

  async startSession(id: string, actor: string): Promise<SessionRecord> {
    return this.#started.lifeCycle.start(id, actor);
  }

  async endSession(id: string, actor: string, reason?: string): Promise<SessionRecord> {
    return this.#started.lifeCycle.end(id, actor, reason);
  }

  async addKioskEvent(id: string, input: KioskEventInput, actor: string): Promise<void> {
    return this.#started.lifeCycle.addKioskEvent(id, input, actor);
  }

  // ── RecordingOwner for kiosk/recording (recording-owner.ts) ─────────────────────────────────

  async addTimelineEntry(sessionId: string, entry: TimelineEntry): Promise<void> {
    return this.#started.recorder.addTimelineEntry(sessionId, entry);
  }

  async timeline(sessionId: string): Promise<Record<string, unknown>[]> {
    return this.#started.recorder.timeline(sessionId);
  }

  async recorderStopped(sessionId: string, stop: { at: string; cause: string; detail?: string }): Promise<void> {
    return this.#started.recorder.recorderStopped(sessionId, stop);
  }

  async recorderResumed(sessionId: string, at: string): Promise<void> {
    return this.#started.recorder.recorderResumed(sessionId, at);
  }

  async resumeRecording(id: string, actor: string): Promise<SessionRecord> {
    return this.#started.recorder.resumeRecording(id, actor);
  }

  // ── ActiveSessionPort for kiosk/power ───────────────────────────────────────────────────────

  activeSession(): { id: string } | null {
    return this.#parts?.live.current() ?? null;
  }

  async endGracefully(reason: string): Promise<void> {
    await this.#parts?.lifeCycle.endGracefully(reason);
  }
}
