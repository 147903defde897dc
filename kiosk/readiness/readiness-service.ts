import { randomUUID } from 'node:crypto';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { Database } from '../store/database.js';
import type { SessionRecord } from '../session/types.js';
import { ReadinessStore } from './readiness-store.js';
import { runChecks } from './runner.js';
import { dueRuns, windowOpensBefore } from './scheduler.js';
import type { ReadinessCheck, ReadinessRun, ReadinessTarget, RunKind, RunTrigger } from './types.js';
import { SessionError } from '../session/errors.js';
import { SerialQueue } from '../core/serial-queue.js';
import { readinessText } from '../messages/readiness.js';
import { describeError } from '../../hal/core/describe-error.js';

/** What the readiness service needs from the session service. */
export interface SessionsPort {
  getSession(id: string): Promise<SessionRecord>;
  listSchedule(range: { from?: string; to?: string }): Promise<SessionRecord[]>;
  currentSession(): Promise<SessionRecord | undefined>;
  /** A passing 2-hour test readies the session; failures here are not the test's business. */
  prepare(id: string, actor: string): Promise<unknown>;
  markReady(id: string, actor: string, context: { readiness: ReadinessRun['overall'] }): Promise<unknown>;
  /** The live session, if any: a test must not play tones or take the camera during a reception. */
  activeSession(): { id: string } | null;
}

export interface ReadinessServiceOptions {
  database: () => Database;
  /** Built after the hardware has started (the checks read live devices). */
  checks: () => ReadinessCheck[];
  sessions: SessionsPort;
  bus: EventBus;
  logger: Logger;
  /** How often the scheduler looks for due runs. */
  tickMs?: number;
  /** Length assumed for an on-demand run with no session ahead. */
  defaultDurationSeconds?: number;
  now?: () => Date;
}

/** Runs readiness tests on the 1-day/2-hour schedule and on demand; stores, publishes and alerts. */
export class ReadinessService implements Service {
  readonly name = 'readiness';
  #store: ReadinessStore | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** One run at a time: two test recordings would fight over the camera. */
  readonly #queue = new SerialQueue();
  #ticking = false;
  #stopping = false;

  constructor(private readonly options: ReadinessServiceOptions) {}

  get #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  get store(): ReadinessStore {
    if (!this.#store) throw new Error('readiness service is not started');
    return this.#store;
  }

  async start(): Promise<void> {
    this.#stopping = false;
    this.#store = new ReadinessStore(this.options.database());
    this.#timer = setInterval(() => void this.tick(), this.options.tickMs ?? 30_000);
    this.#timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#queue.idle();
    this.#store = undefined;
  }

  /** Runs whatever the schedule says is due now. Returns the runs made. */
  async tick(): Promise<ReadinessRun[]> {
    if (this.#ticking || this.#stopping || !this.#store) return [];
    this.#ticking = true;
    try {
      const now = this.#now;
      const horizon = new Date(now.getTime() + windowOpensBefore['day-before']).toISOString();
      const sessions = await this.options.sessions.listSchedule({ from: now.toISOString(), to: horizon });
      const past = await this.store.pastRuns(new Date(now.getTime() - windowOpensBefore['day-before']).toISOString());
      const made: ReadinessRun[] = [];
      for (const due of dueRuns(sessions, past, now.getTime())) {
        // A live session (e.g. the one before) postpones the test to the next tick, after it ends.
        if (this.#stopping || this.options.sessions.activeSession()) break;
        made.push(await this.run({ sessionId: due.sessionId, kind: due.kind, trigger: 'scheduler' }));
      }
      return made;
    } catch (error) {
      this.options.logger.error({ err: describeError(error) }, 'readiness scheduler failed');
      return [];
    } finally {
      this.#ticking = false;
    }
  }

  /** Runs every check now. Without a session id, prepares for the current or next session. */
  run(request: {
    sessionId?: string | null;
    kind: RunKind;
    trigger: RunTrigger;
    concurrent?: boolean;
  }): Promise<ReadinessRun> {
    const live = this.options.sessions.activeSession();
    if (live)
      return Promise.reject(
        new SessionError(
          'conflict',
          `a reception session is live (${live.id}): the equipment test would disturb its recording; run it after the session`,
        ),
      );
    return this.#queue.run(() => this.#run(request));
  }

  async #run(request: {
    sessionId?: string | null;
    kind: RunKind;
    trigger: RunTrigger;
    concurrent?: boolean;
  }): Promise<ReadinessRun> {
    const session = request.sessionId
      ? await this.options.sessions.getSession(request.sessionId)
      : await this.options.sessions.currentSession();
    const target = this.#target(session);
    const startedAt = this.#now.toISOString();
    const { overall, results } = await runChecks(this.options.checks(), target, {
      concurrent: request.concurrent ?? true,
    });
    const run: ReadinessRun = {
      id: randomUUID(),
      sessionId: target.sessionId,
      kind: request.kind,
      trigger: request.trigger,
      startedAt,
      finishedAt: this.#now.toISOString(),
      overall,
      results,
    };
    await this.store.insert(run);
    const failed = results.filter((r) => r.status === 'fail').map((r) => r.id);
    this.options.logger.info(
      { runId: run.id, sessionId: run.sessionId, kind: run.kind, trigger: run.trigger, overall, failed },
      'readiness run finished',
    );
    this.options.bus.emit('readinessCompleted', run);
    if (overall === 'fail' && run.kind === 'two-hours') {
      this.options.logger.warn(
        { runId: run.id, sessionId: run.sessionId, failed },
        'readiness test 2 hours before the session failed',
      );
      this.options.bus.emit('readinessAlert', {
        runId: run.id,
        sessionId: run.sessionId,
        kind: run.kind,
        failed,
        message: readinessText('twoHoursFailed', { failed: failed.join(', ') }),
      });
    }
    if (session && run.kind === 'two-hours') await this.#advanceSession(session, overall);
    return run;
  }

  async #advanceSession(asked: SessionRecord, overall: ReadinessRun['overall']): Promise<void> {
    try {
      // The session as it is now, not as it was when the run began: it may have started meanwhile.
      const session = await this.options.sessions.getSession(asked.id);
      if (session.state === 'scheduled') await this.options.sessions.prepare(session.id, 'readiness');
      if (overall !== 'fail' && (session.state === 'scheduled' || session.state === 'preparing')) {
        await this.options.sessions.markReady(session.id, 'readiness', { readiness: overall });
      }
    } catch (error) {
      this.options.logger.warn(
        { sessionId: asked.id, err: describeError(error) },
        'session not advanced after readiness run',
      );
    }
  }

  #target(session: SessionRecord | undefined): ReadinessTarget {
    if (!session) return { sessionId: null, durationSeconds: this.options.defaultDurationSeconds ?? 3600 };
    return {
      sessionId: session.id,
      durationSeconds: Math.max(0, (Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 1000),
      ...(session.chairSite.endpoint ? { endpoint: session.chairSite.endpoint } : {}),
    };
  }
}
